import type { ReactNode } from 'react';
import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CheckinResult } from '../../../shared/contract/checkin';
import type { DeskEntry } from './desk-state';

const FRAME = {
  ok: { bg: 'green.0', border: 'var(--mantine-color-green-6)', title: 'green.9' },
  refused: { bg: 'red.0', border: 'var(--mantine-color-red-6)', title: 'red.9' },
  idle: { bg: 'gray.0', border: 'var(--mantine-color-gray-4)', title: 'gray.7' },
} as const;

type Status = keyof typeof FRAME;

function Frame({ status, seq, children }: { status: Status; seq?: number; children: ReactNode }) {
  const frame = FRAME[status];
  return (
    <Paper
      data-testid="checkin-result"
      data-status={status}
      data-seq={seq}
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

/** The big panel at the desk: the last result (green: seat it; red: the server's reason), or waiting. */
export function ResultPanel({ entry, idleHint }: { entry: DeskEntry | null; idleHint: string }) {
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
  return entry.result.ok ? (
    <OkPanel entry={entry} result={entry.result} />
  ) : (
    <RefusedPanel entry={entry} result={entry.result} />
  );
}

function OkPanel({ entry, result }: { entry: DeskEntry; result: Extract<CheckinResult, { ok: true }> }) {
  const { t } = useTranslation();
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
          {result.method !== 'card' ? (
            <Badge color="gray" size="lg" variant="light">
              {t('checkin.manualBadge', { method: t(`checkin.method.${result.method}`) })}
            </Badge>
          ) : null}
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
          <Field label={t('checkin.at')} value={dayjs(result.at).format('HH:mm:ss')} />
        </SimpleGrid>
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
    <Frame status="refused" seq={entry.seq}>
      <Stack gap="sm">
        <Title order={2} c={FRAME.refused.title}>
          {t('checkin.refused')}
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
      </Stack>
    </Frame>
  );
}
