import { useState } from 'react';
import { Alert, Button, Checkbox, Group, MultiSelect, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ExamSession, RoomPlan } from '../../../shared/contract/sessions';
import { errorText, FormError } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';
import { REQUIRED_LABEL } from '../../app/theme';

/** 安排座位: seat the session's candidates at random in the chosen rooms (domain.md §7.4). */
export function SeatingForm({ session, plan }: { session: ExamSession; plan: readonly RoomPlan[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const rooms = useQuery(orpc.rooms.list.queryOptions());
  // Start from the rooms seated last time, in their order.
  const [roomIds, setRoomIds] = useState<string[]>(() =>
    plan.filter((p) => p.seated > 0).map((p) => String(p.roomId)),
  );
  const [separateEmployers, setSeparateEmployers] = useState(true);
  const [localError, setLocalError] = useState<string | null>(null);

  const assign = useMutation(
    orpc.sessions.assignSeats.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({
          queryKey: orpc.sessions.plan.key({ input: { sessionId: session.id } }),
        });
        void queryClient.invalidateQueries({ queryKey: orpc.sessions.list.key() });
        void queryClient.invalidateQueries({
          queryKey: orpc.checkin.progress.key({ input: { sessionId: session.id } }),
        });
      },
    }),
  );

  const usable = (rooms.data ?? []).filter((room) => room.active || roomIds.includes(String(room.id)));
  const capacity = usable
    .filter((room) => roomIds.includes(String(room.id)))
    .reduce((sum, room) => sum + room.capacity, 0);

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (roomIds.length === 0) {
          setLocalError(t('sessions.roomsRequired'));
          return;
        }
        assign.mutate({ sessionId: session.id, roomIds: roomIds.map(Number), separateEmployers });
      }}
    >
      <Stack gap="sm">
        <Title order={4}>{t('sessions.seating')}</Title>
        <MultiSelect
          label={t('sessions.rooms')}
          labelProps={REQUIRED_LABEL}
          description={
            roomIds.length > 0 ? t('sessions.capacityHint', { capacity }) : t('sessions.roomsHint')
          }
          data={usable.map((room) => ({
            value: String(room.id),
            label: t('sessions.roomOption', { name: room.name, capacity: room.capacity }),
          }))}
          value={roomIds}
          onChange={(values) => {
            setRoomIds(values);
            setLocalError(null);
          }}
          searchable
          nothingFoundMessage={t('common.nothingFound')}
          error={localError ?? (rooms.isError ? errorText(rooms.error, t) : undefined)}
          maw={640}
        />
        <Checkbox
          label={t('sessions.separateEmployers')}
          checked={separateEmployers}
          onChange={(event) => setSeparateEmployers(event.currentTarget.checked)}
        />
        {session.seated > 0 ? (
          <Text size="sm" c="dimmed">
            {t('sessions.reassignHint', { count: session.seated })}
          </Text>
        ) : null}
        <Group>
          <Button type="submit" loading={assign.isPending}>
            {t('sessions.assign')}
          </Button>
        </Group>
        {assign.isSuccess ? (
          <Alert color="green" variant="light" data-testid="seating-result">
            {t('sessions.assigned', { count: assign.data.seated })}
          </Alert>
        ) : null}
        <FormError error={assign.error} />
      </Stack>
    </form>
  );
}
