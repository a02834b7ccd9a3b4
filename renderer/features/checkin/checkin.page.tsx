import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Grid, List, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type { DeskMode } from '../../../shared/contract/checkin';
import type { ExamSession, RoomPlan } from '../../../shared/contract/sessions';
import { accessOf } from '../../app/access';
import { useCan } from '../../app/current-user';
import { errorText } from '../../app/error-display';
import { formatTime } from '../../app/format';
import { client, orpc } from '../../app/rpc-client';
import { useSiteTimeZone } from '../../app/site-time-zone';
import { SessionSelect } from '../sessions/session-select';
import { SittingSelect } from '../sittings/sitting-select';
import { CameraPanel, useCamera } from './camera';
import { DeskHistory, ReaderStatus } from './desk-parts';
import { ManualCheckin } from './manual-checkin';
import { ReaderSimulator } from './reader-simulator';
import { ResultPanel } from './result-panel';
import { RoomSelect } from './room-select';
import { DESK_CHOICE_KEY, useStoredChoice } from './stored-choice';
import { TicketScan } from './ticket-scan';
import { useDesk, type DeskEntry } from './use-desk';

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
        <Desk key={`${session.id}:${room.roomId}`} session={session} room={room} />
      ) : (
        <Text c="dimmed">{t('checkin.choose')}</Text>
      )}
    </Stack>
  );
}

interface PhotoState {
  busy: boolean;
  error: string | null;
}

function Desk({ session, room }: { session: ExamSession; room: RoomPlan }) {
  const { t } = useTranslation();
  const { roomId, roomName } = room;
  const [attempt, setAttempt] = useState(0);
  const [mode, setMode] = useState<DeskMode>('checkin');
  const desk = useDesk({ sessionId: session.id, roomId, mode }, attempt);
  const canSeeReader = useCan(accessOf(contract.devices.reader));
  const reader = useQuery({ ...orpc.devices.reader.queryOptions(), enabled: canSeeReader });
  const timeZone = useSiteTimeZone();
  const start = Date.parse(session.startsAt);
  const minutesFromStart = (m: number) => formatTime(new Date(start + m * 60_000), timeZone);
  const camera = useCamera();
  const { capture, status: cameraStatus } = camera;
  const { photoStored } = desk;
  const [photos, setPhotos] = useState<Record<number, PhotoState>>({});

  /** Capture a frame and store it as the live photo of this check-in or verification. */
  const takePhoto = useCallback(
    async (entry: DeskEntry) => {
      if (!entry.result.ok) return;
      const target =
        entry.kind === 'checkin'
          ? { checkinId: entry.result.checkinId }
          : { checkinId: entry.result.checkinId, verificationId: entry.result.verificationId };
      setPhotos((all) => ({ ...all, [entry.seq]: { busy: true, error: null } }));
      const data = await capture();
      if (!data) {
        setPhotos((all) => ({ ...all, [entry.seq]: { busy: false, error: t('checkin.photoNoCamera') } }));
        return;
      }
      try {
        const stored = await client.checkin.attachPhoto({ ...target, photo: data });
        photoStored(entry.seq, stored.photoId);
        setPhotos((all) => ({ ...all, [entry.seq]: { busy: false, error: null } }));
      } catch (error) {
        const message = t('checkin.photoFailed', { message: errorText(error, t) });
        setPhotos((all) => ({ ...all, [entry.seq]: { busy: false, error: message } }));
      }
    },
    [capture, photoStored, t],
  );

  // After every successful check-in or verification the desk takes the live photo by itself.
  const current = desk.state.current;
  const autoTaken = useRef(new Set<number>());
  useEffect(() => {
    if (!current || !current.result.ok || current.result.livePhotoId !== null) return;
    if (autoTaken.current.has(current.seq) || cameraStatus !== 'on') return;
    autoTaken.current.add(current.seq);
    queueMicrotask(() => void takePhoto(current));
  }, [current, cameraStatus, takePhoto]);

  const noCamera = cameraStatus === 'none' || cameraStatus === 'denied' || cameraStatus === 'error';
  const photo: PhotoState | undefined = current
    ? (photos[current.seq] ?? (noCamera ? { busy: false, error: t('checkin.photoNoCamera') } : undefined))
    : undefined;
  const staffingBlocked = room.violations.length > 0 && room.override === null;

  return (
    <Stack gap="sm" data-testid="checkin-desk">
      <Text fw={500} data-testid="desk-title">
        {t('checkin.deskTitle', {
          room: roomName,
          session: session.name,
          component: t(`component.${session.component}`),
          opens: minutesFromStart(-session.opensMinutesBefore),
          start: minutesFromStart(0),
          closes: minutesFromStart(session.lateCutoffMinutes),
        })}
      </Text>
      {staffingBlocked ? (
        <Alert color="red" variant="light" title={t('checkin.staffingBlocked')} data-testid="desk-staffing">
          <List size="sm" spacing={2}>
            {room.violations.map((v) => (
              <List.Item key={v}>{v}</List.Item>
            ))}
          </List>
          <Text size="sm" mt={6}>
            {t('checkin.staffingBlockedHint')}
          </Text>
        </Alert>
      ) : null}
      <SegmentedControl
        aria-label={t('checkin.mode')}
        value={mode}
        onChange={(value) => setMode(value === 'reverify' ? 'reverify' : 'checkin')}
        data={[
          { value: 'checkin', label: t('checkin.modeCheckin') },
          { value: 'reverify', label: t('checkin.modeReverify') },
        ]}
        color={mode === 'reverify' ? 'violet' : 'blue'}
        size="md"
        data-testid="desk-mode"
      />
      {mode === 'reverify' ? (
        <Text size="sm" c="violet.9">
          {t('checkin.modeReverifyHint')}
        </Text>
      ) : null}
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
            <ResultPanel
              entry={current}
              idleHint={t('checkin.readerReady')}
              live={{
                busy: photo?.busy ?? false,
                error: photo?.error ?? null,
                canRetake: cameraStatus === 'on' && !(photo?.busy ?? false),
                onRetake: () => {
                  if (current) void takePhoto(current);
                },
              }}
            />
            <Paper withBorder p="md">
              <Stack gap="md">
                <TicketScan sessionId={session.id} roomId={roomId} mode={mode} onResult={desk.showResult} />
                <ManualCheckin
                  sessionId={session.id}
                  roomId={roomId}
                  mode={mode}
                  onResult={desk.showResult}
                />
              </Stack>
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <CameraPanel videoRef={camera.videoRef} status={cameraStatus} />
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
