import { useState } from 'react';
import {
  Badge,
  Button,
  Group,
  Modal,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type { DeskMode, FoundCandidate } from '../../../shared/contract/checkin';
import { inputSchemaOf } from '../../app/contract-schemas';
import { errorText, FormError } from '../../app/error-display';
import { describeError } from '../../app/errors';
import { orpc } from '../../app/rpc-client';
import type { DeskResult } from './desk-state';

type Found = FoundCandidate;

type Method = 'ticket' | 'name';

const QUICK_REASONS = ['noCard', 'unreadable', 'readerFault', 'other'] as const;

/** 人工签到: find a candidate by name, ticket number or the last digits of the ID number; a reason is required. */
export function ManualCheckin(props: {
  sessionId: number;
  roomId: number;
  mode: DeskMode;
  onResult: (result: DeskResult) => void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [chosen, setChosen] = useState<{ candidate: Found; method: Method } | null>(null);
  const q = debounced.slice(0, 40);
  const found = useQuery(
    orpc.checkin.search.queryOptions({
      input: q ? { sessionId: props.sessionId, q } : skipToken,
      placeholderData: keepPreviousData,
    }),
  );
  const rows = q ? (found.data ?? []) : [];

  return (
    <Stack gap="sm" component="section" aria-labelledby="manual-checkin-title">
      <Title order={3} id="manual-checkin-title" size="h4">
        {t('checkin.manual')}
      </Title>
      <TextInput
        label={t('checkin.search')}
        placeholder={t('checkin.searchPlaceholder')}
        description={t('checkin.manualHint')}
        value={search}
        maxLength={40}
        onChange={(event) => setSearch(event.currentTarget.value)}
        error={found.isError ? errorText(found.error, t) : undefined}
      />
      {q && found.isSuccess && rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('checkin.searchNone')}
        </Text>
      ) : null}
      {rows.length > 0 ? (
        <Table.ScrollContainer minWidth={520}>
          <Table striped withTableBorder verticalSpacing={6} data-testid="checkin-search-results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('checkin.name')}</Table.Th>
                <Table.Th>{t('checkin.idNumber')}</Table.Th>
                <Table.Th>{t('checkin.ticketNo')}</Table.Th>
                <Table.Th>{t('checkin.seatCol')}</Table.Th>
                <Table.Th ta="right">{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => (
                <Table.Tr key={c.candidateId}>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>{c.idNumberMasked}</Table.Td>
                  <Table.Td>{c.admissionTicketNo ?? '—'}</Table.Td>
                  <Table.Td>
                    {c.roomName && c.seatNo !== null
                      ? t('checkin.seat', { room: c.roomName, seat: c.seatNo })
                      : t('checkin.noSeat')}
                  </Table.Td>
                  <Table.Td ta="right">
                    {props.mode === 'reverify' ? (
                      <Group gap={6} justify="flex-end" wrap="nowrap">
                        {c.checkedIn ? (
                          <Badge color="green" variant="light">
                            {t('checkin.checkedIn')}
                          </Badge>
                        ) : null}
                        <Button
                          size="compact-sm"
                          onClick={() =>
                            setChosen({
                              candidate: c,
                              method:
                                c.admissionTicketNo !== null && c.admissionTicketNo === q ? 'ticket' : 'name',
                            })
                          }
                        >
                          {t('checkin.reverifyButton')}
                        </Button>
                      </Group>
                    ) : c.checkedIn ? (
                      <Badge color="green" variant="light">
                        {t('checkin.checkedIn')}
                      </Badge>
                    ) : (
                      <Button
                        size="compact-sm"
                        onClick={() =>
                          setChosen({
                            candidate: c,
                            // A ticket number typed or scanned in full: the ticket was checked.
                            method:
                              c.admissionTicketNo !== null && c.admissionTicketNo === q ? 'ticket' : 'name',
                          })
                        }
                      >
                        {t('checkin.checkInButton')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={chosen !== null}
        onClose={() => setChosen(null)}
        title={
          chosen
            ? t(props.mode === 'reverify' ? 'checkin.reverifyTitle' : 'checkin.manualTitle', {
                name: chosen.candidate.name,
              })
            : ''
        }
      >
        {chosen ? (
          <ManualForm
            key={chosen.candidate.candidateId}
            sessionId={props.sessionId}
            roomId={props.roomId}
            mode={props.mode}
            candidate={chosen.candidate}
            initialMethod={chosen.method}
            onClose={() => setChosen(null)}
            onResult={(result) => {
              setChosen(null);
              props.onResult(result);
            }}
          />
        ) : null}
      </Modal>
    </Stack>
  );
}

const manualInput = inputSchemaOf(contract.checkin.manual);

/**
 * The reason for a check-in (or re-entry verification) without a card read, with the common reasons one
 * click away. Used after a name search and after a ticket scan.
 */
export function ManualForm(props: {
  sessionId: number;
  roomId: number;
  mode: DeskMode;
  candidate: Found;
  initialMethod: Method;
  onClose: () => void;
  onResult: (result: DeskResult) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [method, setMethod] = useState<Method>(props.initialMethod);
  const [reason, setReason] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: orpc.checkin.search.key() });
  };
  const manual = useMutation(
    orpc.checkin.manual.mutationOptions({
      onSuccess: (result) => {
        done();
        props.onResult({ kind: 'checkin', result });
      },
    }),
  );
  const reverify = useMutation(
    orpc.checkin.reverify.mutationOptions({
      onSuccess: (result) => {
        done();
        props.onResult({ kind: 'reverify', result });
      },
    }),
  );
  const checkIn = props.mode === 'reverify' ? reverify : manual;
  const reasonError =
    localError ??
    (describeError(checkIn.error).fields.some((f) => f.field === 'reason')
      ? errorText(checkIn.error, t)
      : null);

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = manualInput.safeParse({
          sessionId: props.sessionId,
          roomId: props.roomId,
          candidateId: props.candidate.candidateId,
          method,
          reason,
        });
        if (!parsed.success) {
          setLocalError(parsed.error.issues[0]?.message ?? t('checkin.reasonRequired'));
          return;
        }
        if (props.mode === 'reverify') reverify.mutate(parsed.data);
        else manual.mutate(parsed.data);
      }}
    >
      <Stack gap="sm">
        <Text size="sm">
          {t('checkin.manualWho', {
            name: props.candidate.name,
            idNumber: props.candidate.idNumberMasked,
            ticket: props.candidate.admissionTicketNo ?? '—',
          })}
        </Text>
        <Radio.Group
          label={t('checkin.manualMethod')}
          value={method}
          onChange={(value) => setMethod(value === 'ticket' ? 'ticket' : 'name')}
        >
          <Group mt={6}>
            <Radio value="ticket" label={t('checkin.method.ticket')} />
            <Radio value="name" label={t('checkin.method.name')} />
          </Group>
        </Radio.Group>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('checkin.reasonQuick')}
          </Text>
          <Group gap={6}>
            {QUICK_REASONS.map((key) => (
              <Button
                key={key}
                size="compact-sm"
                variant={reason === t(`checkin.reasonChoice.${key}`) ? 'filled' : 'light'}
                onClick={() => {
                  setReason(key === 'other' ? '' : t(`checkin.reasonChoice.${key}`));
                  setLocalError(null);
                }}
              >
                {t(`checkin.reasonChoice.${key}`)}
              </Button>
            ))}
          </Group>
        </Stack>
        <Textarea
          label={t('checkin.reason')}
          placeholder={t('checkin.reasonPlaceholder')}
          required
          autosize
          minRows={2}
          maxLength={300}
          data-autofocus
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            setLocalError(null);
          }}
          error={reasonError}
        />
        {reasonError ? null : <FormError error={checkIn.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={checkIn.isPending}>
            {props.mode === 'reverify' ? t('checkin.reverifySubmit') : t('checkin.manualSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
