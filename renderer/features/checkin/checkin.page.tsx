import { useState } from 'react';
import { Grid, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { skipToken, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type { ExamSession } from '../../../shared/contract/sessions';
import { accessOf } from '../../app/access';
import { useCan } from '../../app/current-user';
import { orpc } from '../../app/rpc-client';
import { SessionSelect } from '../sessions/session-select';
import { SittingSelect } from '../sittings/sitting-select';
import { DeskHistory, ReaderStatus } from './desk-parts';
import { ManualCheckin } from './manual-checkin';
import { ReaderSimulator } from './reader-simulator';
import { ResultPanel } from './result-panel';
import { RoomSelect } from './room-select';
import { DESK_CHOICE_KEY, useStoredChoice } from './stored-choice';
import { useDesk } from './use-desk';

/** 签到台: the check-in desk of one room in one session (domain.md §7.2). */
export function CheckinPage() {
  const { t } = useTranslation();
  const { choice, setSitting, setSession, setRoom } = useStoredChoice(DESK_CHOICE_KEY);
  const sessions = useQuery(
    orpc.sessions.list.queryOptions({
      input: choice.sittingId === null ? skipToken : { sittingId: choice.sittingId },
    }),
  );
  const session = sessions.data?.find((s) => s.id === choice.sessionId) ?? null;
  const plan = useQuery(
    orpc.sessions.plan.queryOptions({ input: session === null ? skipToken : { sessionId: session.id } }),
  );
  const room = plan.data?.find((r) => r.roomId === choice.roomId) ?? null;

  return (
    <Stack>
      <Title order={2}>{t('checkin.title')}</Title>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
        <SittingSelect value={choice.sittingId} onChange={setSitting} />
        <SessionSelect sittingId={choice.sittingId} value={choice.sessionId} onChange={setSession} />
        <RoomSelect sessionId={session?.id ?? null} value={choice.roomId} onChange={setRoom} />
      </SimpleGrid>
      {session && room ? (
        <Desk
          key={`${session.id}:${room.roomId}`}
          session={session}
          roomId={room.roomId}
          roomName={room.roomName}
        />
      ) : (
        <Text c="dimmed">{t('checkin.choose')}</Text>
      )}
    </Stack>
  );
}

function Desk({ session, roomId, roomName }: { session: ExamSession; roomId: number; roomName: string }) {
  const { t } = useTranslation();
  const [attempt, setAttempt] = useState(0);
  const desk = useDesk({ sessionId: session.id, roomId }, attempt);
  const canSeeReader = useCan(accessOf(contract.devices.reader));
  const reader = useQuery({ ...orpc.devices.reader.queryOptions(), enabled: canSeeReader });
  const start = dayjs(session.startsAt);

  return (
    <Stack gap="sm" data-testid="checkin-desk">
      <Text fw={500} data-testid="desk-title">
        {t('checkin.deskTitle', {
          room: roomName,
          session: session.name,
          component: t(`component.${session.component}`),
          opens: start.subtract(session.opensMinutesBefore, 'minute').format('HH:mm'),
          start: start.format('HH:mm'),
          closes: start.add(session.lateCutoffMinutes, 'minute').format('HH:mm'),
        })}
      </Text>
      <ReaderStatus
        state={desk.state}
        onRetry={() => {
          desk.retry();
          setAttempt((n) => n + 1);
        }}
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <ResultPanel entry={desk.state.current} idleHint={t('checkin.readerReady')} />
            <Paper withBorder p="md">
              <ManualCheckin sessionId={session.id} roomId={roomId} onResult={desk.showResult} />
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            {reader.data?.config.driver === 'simulator' ? <ReaderSimulator /> : null}
            <Paper withBorder p="md">
              <DeskHistory history={desk.state.history} />
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
