import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Modal,
  MultiSelect,
  Stack,
  Table,
  Text,
  Textarea,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type { User } from '../../../shared/contract/auth';
import type { ExamSession, RoomPlan } from '../../../shared/contract/sessions';
import type { Role } from '../../../shared/domain/roles';
import { staffingViolations } from '../../../shared/domain/staffing';
import { accessOf } from '../../app/access';
import { inputSchemaOf } from '../../app/contract-schemas';
import { useCan } from '../../app/current-user';
import { errorText, FormError, notifySuccess } from '../../app/error-display';
import { describeError } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { orpc } from '../../app/rpc-client';
import { useSiteTimeZone } from '../../app/site-time-zone';

const NO_WRAP = { whiteSpace: 'nowrap' } as const;
const PROCTOR_ROLES: readonly Role[] = ['proctor'];
const EVALUATOR_ROLES: readonly Role[] = ['evaluator', 'evaluator_lead', 'panel_member'];

type Dialog = { kind: 'staff'; room: RoomPlan } | { kind: 'override'; room: RoomPlan } | null;

/** The rooms of a session: seats, staff and the staffing-ratio check (domain.md §3.2). */
export function RoomPlanTable({ session, plan }: { session: ExamSession; plan: readonly RoomPlan[] }) {
  const { t } = useTranslation();
  const canSetStaff = useCan(accessOf(contract.sessions.setStaff));
  const canOverride = useCan(accessOf(contract.sessions.overrideStaffing));
  const canListUsers = useCan(accessOf(contract.users.list));
  const users = useQuery({ ...orpc.users.list.queryOptions(), enabled: canListUsers });
  const [dialog, setDialog] = useState<Dialog>(null);

  const names = (ids: readonly number[]): string => {
    if (ids.length === 0) return '—';
    if (!users.data) return t('sessions.staffCount', { count: ids.length });
    return ids
      .map((id) => users.data.find((u) => u.id === id)?.displayName ?? `#${id}`)
      .join(t('common.listSeparator'));
  };

  if (plan.length === 0) return <Text c="dimmed">{t('sessions.noPlan')}</Text>;

  return (
    <>
      <Table.ScrollContainer minWidth={760}>
        <Table withTableBorder striped verticalSpacing="xs" data-testid="room-plan">
          <Table.Thead>
            <Table.Tr>
              <Table.Th style={NO_WRAP}>{t('sessions.room')}</Table.Th>
              <Table.Th ta="right" style={NO_WRAP}>
                {t('sessions.capacity')}
              </Table.Th>
              <Table.Th ta="right" style={NO_WRAP}>
                {t('sessions.planSeated')}
              </Table.Th>
              <Table.Th style={NO_WRAP}>{t('sessions.proctors')}</Table.Th>
              <Table.Th style={NO_WRAP}>{t('sessions.evaluators')}</Table.Th>
              <Table.Th>{t('sessions.check')}</Table.Th>
              {canSetStaff || canOverride ? <Table.Th ta="right">{t('common.actions')}</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.map((room) => (
              <Table.Tr key={room.roomId} data-testid={`plan-${room.roomName}`}>
                <Table.Td style={NO_WRAP}>{room.roomName}</Table.Td>
                <Table.Td ta="right">{room.capacity}</Table.Td>
                <Table.Td ta="right">{room.seated}</Table.Td>
                <Table.Td>{names(room.proctorIds)}</Table.Td>
                <Table.Td>{names(room.evaluatorIds)}</Table.Td>
                <Table.Td>
                  <StaffingCheck room={room} />
                </Table.Td>
                {canSetStaff || canOverride ? (
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {canSetStaff ? (
                        <Button
                          size="compact-sm"
                          variant="light"
                          onClick={() => setDialog({ kind: 'staff', room })}
                        >
                          {t('sessions.setStaff')}
                        </Button>
                      ) : null}
                      {canOverride && room.violations.length > 0 ? (
                        <Button
                          size="compact-sm"
                          variant="light"
                          color="orange"
                          onClick={() => setDialog({ kind: 'override', room })}
                        >
                          {t('sessions.override')}
                        </Button>
                      ) : null}
                    </Group>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={dialog?.kind === 'staff'}
        onClose={() => setDialog(null)}
        size="lg"
        title={dialog ? t('sessions.staffTitle', { room: dialog.room.roomName }) : ''}
      >
        {dialog?.kind === 'staff' ? (
          <StaffForm
            key={dialog.room.roomId}
            session={session}
            room={dialog.room}
            users={users.data ?? []}
            usersError={users.isError ? users.error : null}
            onDone={() => setDialog(null)}
          />
        ) : null}
      </Modal>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={dialog?.kind === 'override'}
        onClose={() => setDialog(null)}
        title={dialog ? t('sessions.overrideTitle', { room: dialog.room.roomName }) : ''}
      >
        {dialog?.kind === 'override' ? (
          <OverrideForm
            key={dialog.room.roomId}
            session={session}
            room={dialog.room}
            onDone={() => setDialog(null)}
          />
        ) : null}
      </Modal>
    </>
  );
}

/** Green when the room is staffed correctly, amber when knowingly accepted, red with the broken rules. */
function StaffingCheck({ room }: { room: RoomPlan }) {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  const testId = `staffing-${room.roomName}`;
  if (room.violations.length === 0) {
    return (
      <Badge color="green" variant="light" data-testid={testId} data-status="ok">
        {t('sessions.checkOk')}
      </Badge>
    );
  }
  if (room.override) {
    return (
      <Stack gap={2} data-testid={testId} data-status="override">
        <Text size="sm" c="orange.8" fw={500}>
          {t('sessions.checkOverridden', { reason: room.override.reason })}
        </Text>
        <Text size="xs" c="dimmed">
          {t('sessions.overrideBy', {
            name: room.override.approvedBy,
            at: formatDateTime(room.override.approvedAt, timeZone),
          })}
        </Text>
      </Stack>
    );
  }
  return (
    <List size="sm" c="red.8" spacing={2} data-testid={testId} data-status="violations">
      {room.violations.map((v) => (
        <List.Item key={v}>{v}</List.Item>
      ))}
    </List>
  );
}

function userOptions(users: readonly User[], roles: readonly Role[], chosen: readonly number[]) {
  return users
    .filter((u) => chosen.includes(u.id) || (u.active && u.roles.some((role) => roles.includes(role))))
    .map((u) => ({ value: String(u.id), label: `${u.displayName}（${u.username}）` }));
}

function StaffForm(props: {
  session: ExamSession;
  room: RoomPlan;
  users: readonly User[];
  usersError: unknown;
  onDone: () => void;
}) {
  const { session, room, users, onDone } = props;
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [proctorIds, setProctorIds] = useState(room.proctorIds.map(String));
  const [evaluatorIds, setEvaluatorIds] = useState(room.evaluatorIds.map(String));
  const save = useMutation(
    orpc.sessions.setStaff.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({
          queryKey: orpc.sessions.plan.key({ input: { sessionId: session.id } }),
        });
        notifySuccess(t('sessions.staffSaved'));
        onDone();
      },
    }),
  );
  const fieldError = (field: string): string | undefined =>
    describeError(save.error).fields.some((f) => f.field.startsWith(field))
      ? errorText(save.error, t)
      : undefined;
  const preview = staffingViolations({
    component: session.component,
    candidates: room.seated,
    proctors: proctorIds.length,
    evaluators: evaluatorIds.length,
  });
  const proctorOptions = userOptions(users, PROCTOR_ROLES, room.proctorIds);
  const evaluatorOptions = userOptions(users, EVALUATOR_ROLES, room.evaluatorIds);
  const serverFieldError = fieldError('proctorIds') ?? fieldError('evaluatorIds');

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({
          sessionId: session.id,
          roomId: room.roomId,
          proctorIds: proctorIds.map(Number),
          evaluatorIds: evaluatorIds.map(Number),
        });
      }}
    >
      <Stack gap="sm">
        {props.usersError ? <FormError error={props.usersError} /> : null}
        <MultiSelect
          label={t('sessions.proctors')}
          data={proctorOptions}
          value={proctorIds}
          onChange={setProctorIds}
          searchable
          nothingFoundMessage={proctorOptions.length === 0 ? t('sessions.noUsers') : t('common.nothingFound')}
          error={fieldError('proctorIds')}
        />
        <MultiSelect
          label={t('sessions.evaluators')}
          data={evaluatorOptions}
          value={evaluatorIds}
          onChange={setEvaluatorIds}
          searchable
          nothingFoundMessage={
            evaluatorOptions.length === 0 ? t('sessions.noUsers') : t('common.nothingFound')
          }
          error={fieldError('evaluatorIds')}
        />
        <Stack gap={4} data-testid="staffing-preview">
          <Text size="sm" fw={500}>
            {t('sessions.staffPreview')}
          </Text>
          {preview.length === 0 ? (
            <Text size="sm" c="green.8">
              {t('sessions.checkOk')}
            </Text>
          ) : (
            <List size="sm" c="red.8" spacing={2}>
              {preview.map((v) => (
                <List.Item key={v}>{v}</List.Item>
              ))}
            </List>
          )}
        </Stack>
        {serverFieldError ? null : <FormError error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const overrideInput = inputSchemaOf(contract.sessions.overrideStaffing);

function OverrideForm({
  session,
  room,
  onDone,
}: {
  session: ExamSession;
  room: RoomPlan;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState(room.override?.reason ?? '');
  const [localError, setLocalError] = useState<string | null>(null);
  const save = useMutation(
    orpc.sessions.overrideStaffing.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({
          queryKey: orpc.sessions.plan.key({ input: { sessionId: session.id } }),
        });
        notifySuccess(t('sessions.overrideSaved'));
        onDone();
      },
    }),
  );
  const reasonError =
    localError ??
    (describeError(save.error).fields.some((f) => f.field === 'reason') ? errorText(save.error, t) : null);
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const input = { sessionId: session.id, roomId: room.roomId, reason };
        const parsed = overrideInput.safeParse(input);
        if (!parsed.success) {
          setLocalError(parsed.error.issues[0]?.message ?? t('sessions.overrideReasonRequired'));
          return;
        }
        save.mutate(parsed.data);
      }}
    >
      <Stack gap="sm">
        <Alert color="red" variant="light" title={t('sessions.overrideIntro')}>
          <List size="sm" spacing={2}>
            {room.violations.map((v) => (
              <List.Item key={v}>{v}</List.Item>
            ))}
          </List>
        </Alert>
        <Textarea
          label={t('sessions.overrideReason')}
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
        {reasonError ? null : <FormError error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="orange" loading={save.isPending}>
            {t('sessions.overrideSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
