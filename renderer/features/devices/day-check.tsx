import { useState } from 'react';
import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type { DayCheck, DayCheckItem } from '../../../shared/contract/devices';
import { accessOf } from '../../app/access';
import { useCan, useCurrentUser } from '../../app/current-user';
import { FormError } from '../../app/error-display';
import { formatDateTimeSeconds } from '../../app/format';
import { orpc } from '../../app/rpc-client';
import { useSiteTimeZone } from '../../app/site-time-zone';
import classes from './day-check.module.css';

type Status = DayCheckItem['status'];
const COLORS: Record<Status, string> = { ok: 'green', warn: 'yellow', fail: 'red' };
/** The screen's clock may differ from the host's by this much before the check warns. */
const CLOCK_TOLERANCE_S = 60;

interface Row {
  label: string;
  status: Status;
  detail: string;
}

/** The camera of this screen (the desk's webcam), checked here: the host cannot see it. */
async function cameraRow(t: TFunction): Promise<Row> {
  const label = t('devices.dayCheck.camera');
  if (!window.isSecureContext) return { label, status: 'warn', detail: t('checkin.cameraStatus.insecure') };
  if (!navigator.mediaDevices?.enumerateDevices) {
    return { label, status: 'warn', detail: t('checkin.cameraStatus.none') };
  }
  const cameras = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
  return cameras.length > 0
    ? { label, status: 'ok', detail: t('devices.dayCheck.cameras', { count: cameras.length }) }
    : { label, status: 'warn', detail: t('checkin.cameraStatus.none') };
}

/** The host's clock against this screen's: instants, so the zones either runs in do not matter. */
function clockRow(hostAt: string, receivedAt: number, t: TFunction, timeZone: string): Row {
  const diffS = Math.round((receivedAt - Date.parse(hostAt)) / 1000);
  return {
    label: t('devices.dayCheck.clock'),
    status: Math.abs(diffS) <= CLOCK_TOLERANCE_S ? 'ok' : 'warn',
    detail: t('devices.dayCheck.clockDetail', {
      host: formatDateTimeSeconds(hostAt, timeZone),
      zone: timeZone,
      diff: diffS,
    }),
  };
}

/** The host's rows, then this screen's clock (compared as the answer arrives) and camera. */
async function allRows(check: DayCheck, t: TFunction, timeZone: string): Promise<Row[]> {
  const clock = clockRow(check.at, Date.now(), t, timeZone);
  const host = check.items.map(({ label, status, detail }) => ({ label, status, detail }));
  return [...host, clock, await cameraRow(t)];
}

/**
 * 开考前设备自检: the host's checks (reader, printers, disk, backups, database, audit chain) plus this
 * screen's camera and clock, as a list to act on and to print and sign (打印检查单).
 */
export function DayCheckPanel() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const timeZone = useSiteTimeZone();
  const canRun = useCan(accessOf(contract.devices.dayCheck));
  const [result, setResult] = useState<{ check: DayCheck; rows: Row[] } | null>(null);
  const run = useMutation(
    orpc.devices.dayCheck.mutationOptions({
      onSuccess: async (check) => setResult({ check, rows: await allRows(check, t, timeZone) }),
    }),
  );
  if (!canRun) return null;
  const counts = result
    ? (['ok', 'warn', 'fail'] as const).map((s) => result.rows.filter((r) => r.status === s).length)
    : null;
  return (
    <Paper withBorder p="md" className={classes.printArea} data-testid="day-check">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3}>{t('devices.dayCheck.title')}</Title>
          <Group gap="xs" className={classes.noPrint}>
            <Button variant="light" onClick={() => run.mutate(undefined)} loading={run.isPending}>
              {t('devices.dayCheck.run')}
            </Button>
            {result ? (
              <Button variant="default" onClick={() => window.print()}>
                {t('devices.dayCheck.print')}
              </Button>
            ) : null}
          </Group>
        </Group>
        <Text size="sm" c="dimmed" className={classes.noPrint}>
          {t('devices.dayCheck.hint')}
        </Text>
        <FormError error={run.error} />
        {result && counts ? (
          <>
            <Text fw={500} data-testid="day-check-summary">
              {t('devices.dayCheck.summary', {
                at: formatDateTimeSeconds(result.check.at, timeZone),
                ok: counts[0],
                warn: counts[1],
                fail: counts[2],
              })}
            </Text>
            <Table withTableBorder striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('devices.dayCheck.item')}</Table.Th>
                  <Table.Th>{t('devices.dayCheck.result')}</Table.Th>
                  <Table.Th>{t('devices.dayCheck.detail')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.rows.map((row, i) => (
                  <Table.Tr key={`${i}-${row.label}`} data-testid="day-check-row" data-status={row.status}>
                    <Table.Td>{row.label}</Table.Td>
                    <Table.Td>
                      <Badge color={COLORS[row.status]} variant="light">
                        {t(`devices.dayCheck.status.${row.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{row.detail}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="sm">{t('devices.dayCheck.signature', { name: user?.displayName ?? '' })}</Text>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
