import {
  Alert,
  Badge,
  Card,
  Group,
  Loader,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { RoomProgress } from '../../../shared/contract/checkin';
import { errorText } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';
import { SessionSelect } from '../sessions/session-select';
import { SittingSelect } from '../sittings/sitting-select';
import { PROGRESS_CHOICE_KEY, useStoredChoice } from './stored-choice';

/**
 * 考场签到情况: who is expected, who has arrived and who is missing, per room. Refreshed live by the
 * `checkin.changed` site event (app/use-site-events.ts): no reload, no polling.
 */
export function CheckinProgressPage() {
  const { t } = useTranslation();
  const { choice, setSitting, setSession } = useStoredChoice(PROGRESS_CHOICE_KEY);
  const sessions = useQuery(
    orpc.sessions.list.queryOptions({
      input: choice.sittingId === null ? skipToken : { sittingId: choice.sittingId },
    }),
  );
  const session = sessions.data?.find((s) => s.id === choice.sessionId) ?? null;
  const progress = useQuery(
    orpc.checkin.progress.queryOptions({ input: session === null ? skipToken : { sessionId: session.id } }),
  );
  const rooms = progress.data ?? [];
  const expected = rooms.reduce((n, r) => n + r.expected, 0);
  const checkedIn = rooms.reduce((n, r) => n + r.checkedIn, 0);

  return (
    <Stack>
      <Title order={2}>{t('progress.title')}</Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm" maw={860}>
        <SittingSelect value={choice.sittingId} onChange={setSitting} />
        <SessionSelect sittingId={choice.sittingId} value={choice.sessionId} onChange={setSession} />
      </SimpleGrid>
      {session === null ? <Text c="dimmed">{t('progress.choose')}</Text> : null}
      {session !== null && progress.isPending ? <Loader aria-label={t('common.loading')} /> : null}
      {progress.isError ? (
        <Alert color="red" role="alert">
          {errorText(progress.error, t)}
        </Alert>
      ) : null}
      {progress.isSuccess && rooms.length === 0 ? <Text c="dimmed">{t('progress.noRooms')}</Text> : null}
      {progress.isSuccess && rooms.length > 0 ? (
        <>
          <Text fw={600} size="lg" data-testid="progress-total">
            {t('progress.total', { expected, checkedIn, missing: expected - checkedIn })}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
            {rooms.map((room) => (
              <RoomCard key={room.roomId} room={room} />
            ))}
          </SimpleGrid>
        </>
      ) : null}
    </Stack>
  );
}

function RoomCard({ room }: { room: RoomProgress }) {
  const { t } = useTranslation();
  const missing = room.expected - room.checkedIn;
  const percent = room.expected > 0 ? Math.round((room.checkedIn / room.expected) * 100) : 0;
  return (
    <Card withBorder padding="md" component="section" aria-label={room.roomName}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h4">
            {room.roomName}
          </Title>
          {missing === 0 ? (
            <Badge color="green" variant="light">
              {t('progress.allArrived')}
            </Badge>
          ) : null}
        </Group>
        <Text fw={600} size="lg" data-testid={`progress-${room.roomName}`}>
          {t('progress.counts', { expected: room.expected, checkedIn: room.checkedIn, missing })}
        </Text>
        <Progress
          value={percent}
          color={missing === 0 ? 'green' : 'blue'}
          aria-label={t('progress.percent', { room: room.roomName, percent })}
        />
        {room.missing.length > 0 ? (
          <>
            <Text size="sm" fw={500}>
              {t('progress.missing')}
            </Text>
            <Table.ScrollContainer minWidth={200} mah={320} type="native">
              <Table striped withTableBorder verticalSpacing={4} data-testid={`missing-${room.roomName}`}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={72}>{t('progress.seatNo')}</Table.Th>
                    <Table.Th>{t('progress.name')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {room.missing.map((m) => (
                    <Table.Tr key={m.candidateId}>
                      <Table.Td>{m.seatNo}</Table.Td>
                      <Table.Td>{m.name}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        ) : null}
      </Stack>
    </Card>
  );
}
