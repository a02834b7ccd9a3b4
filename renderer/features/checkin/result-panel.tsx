import type { ReactNode } from 'react';
import { Badge, Button, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CheckinResult, ReverifyResult } from '../../../shared/contract/checkin';
import { formatTimeSeconds } from '../../app/format';
import { useSiteTimeZone } from '../../app/site-time-zone';
import type { DeskEntry } from './desk-state';
import { PhotoBox } from './photo-box';

/** The live photo of the entry shown: being taken, why not, and the 重拍 button. */
export interface LivePhotoControl {
  busy: boolean;
  error: string | null;
  canRetake: boolean;
  onRetake: () => void;
}

const FRAME = {
  ok: { bg: 'green.0', border: 'var(--mantine-color-green-6)', title: 'green.9' },
  refused: { bg: 'red.0', border: 'var(--mantine-color-red-6)', title: 'red.9' },
  idle: { bg: 'gray.0', border: 'var(--mantine-color-gray-4)', title: 'gray.7' },
} as const;

type Status = keyof typeof FRAME;

function Frame({
  status,
  seq,
  kind,
  children,
}: {
  status: Status;
  seq?: number;
  kind?: DeskEntry['kind'];
  children: ReactNode;
}) {
  const frame = FRAME[status];
  return (
    <Paper
      data-testid="checkin-result"
      data-status={status}
      data-seq={seq}
      data-kind={kind}
      role="status"
      aria-live="polite"
      aria-atomic
      p="lg"
      radius="md"
      bg={frame.bg}
      mih={240}
      style={{ border: `4px solid ${frame.border}` }}
    >
      {children}
    </Paper>
  );
}

function Field({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={500} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

function LivePhoto({
  label,
  photoId,
  live,
  testId,
}: {
  label: string;
  photoId: number | null;
  live: LivePhotoControl;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <PhotoBox
      label={label}
      photoId={photoId}
      emptyText={live.busy ? t('checkin.photoTaking') : (live.error ?? t('checkin.noLivePhoto'))}
      testId={testId}
    >
      <Button
        size="compact-sm"
        variant="light"
        onClick={live.onRetake}
        loading={live.busy}
        disabled={!live.canRetake}
      >
        {photoId === null ? t('checkin.takePhoto') : t('checkin.retake')}
      </Button>
    </PhotoBox>
  );
}

/** The big panel at the desk: the last result (green: seat it; red: the server's reason), or waiting. */
/** The faces side by side: the roster photo, the card's (or the check-in's) photo, and the live one. */
function PhotoRow(props: {
  rosterPhotoId: number | null;
  middle: { label: string; photoId: number | null; emptyText: string; testId: string };
  liveLabel: string;
  livePhotoId: number | null;
  live: LivePhotoControl;
}) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={3} spacing="sm">
      <PhotoBox
        label={t('checkin.rosterPhoto')}
        photoId={props.rosterPhotoId}
        emptyText={t('checkin.noRosterPhoto')}
        testId="photo-roster"
      />
      <PhotoBox {...props.middle} />
      <LivePhoto label={props.liveLabel} photoId={props.livePhotoId} live={props.live} testId="photo-live" />
    </SimpleGrid>
  );
}

export function ResultPanel({
  entry,
  idleHint,
  live,
}: {
  entry: DeskEntry | null;
  idleHint: string;
  live: LivePhotoControl;
}) {
  const { t } = useTranslation();
  if (!entry) {
    return (
      <Frame status="idle">
        <Stack justify="center" align="center" mih={200}>
          <Title order={2} c={FRAME.idle.title}>
            {t('checkin.waiting')}
          </Title>
          <Text size="lg" c="dimmed">
            {idleHint}
          </Text>
        </Stack>
      </Frame>
    );
  }
  if (!entry.result.ok) return <RefusedPanel entry={entry} result={entry.result} />;
  return entry.kind === 'checkin' ? (
    <OkPanel entry={entry} result={entry.result} live={live} />
  ) : (
    <ReverifiedPanel entry={entry} result={entry.result} live={live} />
  );
}

function ManualBadge({ method }: { method: 'card' | 'ticket' | 'name' }) {
  const { t } = useTranslation();
  return method !== 'card' ? (
    <Badge color="gray" size="lg" variant="light" data-testid="checkin-manual-badge">
      {t('checkin.manualBadge', { method: t(`checkin.method.${method}`) })}
    </Badge>
  ) : null;
}

function OkPanel({
  entry,
  result,
  live,
}: {
  entry: DeskEntry;
  result: Extract<CheckinResult, { ok: true }>;
  live: LivePhotoControl;
}) {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  return (
    <Frame status="ok" seq={entry.seq}>
      <Stack gap="sm">
        <Group gap="sm">
          <Title order={2} c={FRAME.ok.title}>
            {t('checkin.ok')}
          </Title>
          {result.late ? (
            <Badge color="orange" size="xl" variant="filled" data-testid="checkin-late">
              {t('checkin.late')}
            </Badge>
          ) : null}
          <ManualBadge method={result.method} />
        </Group>
        <Text fz={40} fw={700} lh={1.2} data-testid="checkin-result-name">
          {result.name}
        </Text>
        <Text fz={32} fw={700} lh={1.2} c="green.9" data-testid="checkin-result-seat">
          {t('checkin.seat', { room: result.roomName, seat: result.seatNo })}
        </Text>
        <SimpleGrid cols={3}>
          <Field label={t('checkin.idNumber')} value={result.idNumberMasked} testId="checkin-result-id" />
          <Field
            label={t('checkin.ticketNo')}
            value={result.admissionTicketNo ?? '—'}
            testId="checkin-result-ticket"
          />
          <Field
            label={t('checkin.at')}
            value={formatTimeSeconds(result.at, timeZone)}
            testId="checkin-result-at"
          />
        </SimpleGrid>
        <PhotoRow
          rosterPhotoId={result.rosterPhotoId}
          middle={{
            label: t('checkin.cardPhoto'),
            photoId: result.cardPhotoId,
            emptyText: t('checkin.noCardPhoto'),
            testId: 'photo-card',
          }}
          liveLabel={t('checkin.livePhoto')}
          livePhotoId={result.livePhotoId}
          live={live}
        />
      </Stack>
    </Frame>
  );
}

function ReverifiedPanel({
  entry,
  result,
  live,
}: {
  entry: DeskEntry;
  result: Extract<ReverifyResult, { ok: true }>;
  live: LivePhotoControl;
}) {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  return (
    <Frame status="ok" seq={entry.seq} kind="reverify">
      <Stack gap="sm">
        <Group gap="sm">
          <Title order={2} c={FRAME.ok.title}>
            {t('checkin.reverified')}
          </Title>
          <ManualBadge method={result.method} />
        </Group>
        <Text fz={40} fw={700} lh={1.2} data-testid="checkin-result-name">
          {result.name}
        </Text>
        <Text fz={32} fw={700} lh={1.2} c="green.9" data-testid="checkin-result-seat">
          {t('checkin.seat', { room: result.roomName, seat: result.seatNo })}
        </Text>
        <SimpleGrid cols={3}>
          <Field label={t('checkin.idNumber')} value={result.idNumberMasked} testId="checkin-result-id" />
          <Field
            label={t('checkin.checkedInAt')}
            value={`${formatTimeSeconds(result.checkedInAt, timeZone)} · ${t(`checkin.method.${result.checkinMethod}`)}`}
            testId="checkin-result-checked-in-at"
          />
          <Field label={t('checkin.reverifyAt')} value={formatTimeSeconds(result.at, timeZone)} />
        </SimpleGrid>
        <PhotoRow
          rosterPhotoId={result.rosterPhotoId}
          middle={{
            label: t('checkin.checkinPhoto'),
            photoId: result.checkinPhotoId,
            emptyText: t('checkin.noCheckinPhoto'),
            testId: 'photo-checkin',
          }}
          liveLabel={t('checkin.reverifyPhoto')}
          livePhotoId={result.livePhotoId}
          live={live}
        />
        <Stack gap={2} data-testid="verification-history">
          <Text size="sm" fw={500}>
            {t('checkin.verifications', { count: result.history.length })}
          </Text>
          <List size="sm" spacing={2}>
            {result.history.map((v) => (
              <List.Item key={v.id} data-testid="verification-item">
                {t('checkin.verificationLine', {
                  at: formatTimeSeconds(v.at, timeZone),
                  method: t(`checkin.method.${v.method}`),
                  operator: v.operatorName,
                })}
                {v.note ? ` · ${v.note}` : ''}
              </List.Item>
            ))}
          </List>
        </Stack>
      </Stack>
    </Frame>
  );
}

function RefusedPanel({
  entry,
  result,
}: {
  entry: DeskEntry;
  result: Extract<CheckinResult, { ok: false }>;
}) {
  const { t } = useTranslation();
  return (
    <Frame status="refused" seq={entry.seq} kind={entry.kind}>
      <Stack gap="sm">
        <Title order={2} c={FRAME.refused.title}>
          {entry.kind === 'reverify' ? t('checkin.reverifyRefused') : t('checkin.refused')}
        </Title>
        {result.name ? (
          <Text fz={36} fw={700} lh={1.2} data-testid="checkin-result-name">
            {result.name}
          </Text>
        ) : null}
        <Text fz={24} fw={600} c="red.9" data-testid="checkin-result-message" data-code={result.code}>
          {result.message}
        </Text>
        {entry.card ? (
          <Text size="md" c="dimmed">
            {t('checkin.cardRead', {
              type: t(`cardType.${entry.card.cardType}`),
              name: entry.card.name,
              idNumber: entry.card.idNumberMasked,
            })}
          </Text>
        ) : null}
        {result.candidateId !== null ? (
          <SimpleGrid cols={3} spacing="sm">
            <PhotoBox
              label={t('checkin.rosterPhoto')}
              photoId={result.rosterPhotoId}
              emptyText={t('checkin.noRosterPhoto')}
              testId="photo-roster"
            />
          </SimpleGrid>
        ) : null}
      </Stack>
    </Frame>
  );
}
