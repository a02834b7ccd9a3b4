import { Alert, Badge, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/error-display';
import { formatTimeSeconds } from '../../app/format';
import { useSiteTimeZone } from '../../app/site-time-zone';
import type { DeskEntry, DeskState } from './desk-state';

type ReaderStatusKind = 'connecting' | 'reconnecting' | 'failed' | 'error' | 'card' | 'ready' | 'not-ready';

function statusKind(state: DeskState): ReaderStatusKind {
  if (state.connection === 'failed') return 'failed';
  if (state.connection === 'connecting') return 'connecting';
  if (state.connection === 'reconnecting') return 'reconnecting';
  if (state.readerError) return 'error';
  if (state.reader && state.reader.state !== 'ready') return 'not-ready';
  if (state.cardPresent) return 'card';
  return state.reader ? 'ready' : 'connecting';
}

const COLORS: Record<ReaderStatusKind, string> = {
  connecting: 'gray',
  reconnecting: 'yellow',
  failed: 'red',
  error: 'red',
  card: 'blue',
  ready: 'green',
  'not-ready': 'orange',
};

/** One line about the desk and its reader: connecting, ready for a card, or what is wrong. */
export function ReaderStatus({ state, onRetry }: { state: DeskState; onRetry: () => void }) {
  const { t } = useTranslation();
  const kind = statusKind(state);
  let text: string;
  switch (kind) {
    case 'connecting':
      text = t('checkin.connecting');
      break;
    case 'reconnecting':
      text = t('checkin.reconnecting');
      break;
    case 'failed':
      text = t('checkin.deskFailed', { message: errorText(state.failure, t) });
      break;
    case 'error':
      text = state.readerError ?? '';
      break;
    case 'card':
      text = t('checkin.takeCard');
      break;
    case 'ready':
      text = t('checkin.readerReady');
      break;
    case 'not-ready':
      text = state.reader?.reason ?? t('checkin.readerNotReady');
      break;
  }
  return (
    <Alert
      color={COLORS[kind]}
      variant="light"
      data-testid="reader-status"
      data-state={kind}
      role={kind === 'failed' || kind === 'error' ? 'alert' : 'status'}
      p="sm"
    >
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Group gap="sm" wrap="nowrap" miw={0}>
          {kind === 'connecting' || kind === 'reconnecting' ? <Loader size="xs" /> : null}
          <Text fw={600} size="lg">
            {text}
          </Text>
        </Group>
        <Group gap="xs" wrap="nowrap">
          {state.reader ? (
            <Text size="sm" c="dimmed" truncate maw={240}>
              {state.reader.description}
            </Text>
          ) : null}
          {kind === 'failed' ? (
            <Button size="compact-sm" variant="light" color="red" onClick={onRetry}>
              {t('common.retry')}
            </Button>
          ) : null}
        </Group>
      </Group>
    </Alert>
  );
}

/** The last 10 results at this desk, newest first. */
export function DeskHistory({ history }: { history: readonly DeskEntry[] }) {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  return (
    <Stack gap="xs" component="section" aria-labelledby="desk-history-title">
      <Title order={3} size="h5" id="desk-history-title">
        {t('checkin.history')}
      </Title>
      {history.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('checkin.historyEmpty')}
        </Text>
      ) : (
        <Stack gap={4} data-testid="checkin-history">
          {history.map((entry) => {
            const r = entry.result;
            return (
              <Group
                key={entry.seq}
                gap="xs"
                wrap="nowrap"
                align="flex-start"
                data-testid="checkin-history-item"
                data-status={r.ok ? 'ok' : 'refused'}
                data-kind={entry.kind}
              >
                <Badge color={r.ok ? 'green' : 'red'} variant="light" miw={56}>
                  {r.ok ? t('checkin.okShort') : t('checkin.refusedShort')}
                </Badge>
                <Stack gap={0} miw={0}>
                  <Text size="sm" fw={500}>
                    {r.ok ? r.name : (r.name ?? entry.card?.name ?? t('checkin.unknownPerson'))}
                    {r.ok ? (
                      <Text span size="xs" c="dimmed" ml={6}>
                        {formatTimeSeconds(r.at, timeZone)}
                      </Text>
                    ) : null}
                  </Text>
                  <Text size="xs" c={r.ok ? 'dimmed' : 'red.8'}>
                    {r.ok
                      ? t('checkin.seat', { room: r.roomName, seat: r.seatNo }) +
                        (entry.kind === 'reverify'
                          ? ` · ${t('checkin.reverified')}`
                          : entry.result.ok && entry.result.late
                            ? ` · ${t('checkin.late')}`
                            : '')
                      : r.message}
                  </Text>
                </Stack>
              </Group>
            );
          })}
        </Stack>
      )}
    </Stack>
  );
}
