import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Loader,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { readerConfigSchema } from '../../../shared/contract/devices';
import type { ReaderConfig, ReaderInfo } from '../../../shared/contract/devices';
import { errorText, FormError, notifySuccess } from '../../app/error-display';
import { describeError } from '../../app/errors';
import { formatDateTimeSeconds } from '../../app/format';
import { orpc } from '../../app/rpc-client';
import { useSiteTimeZone } from '../../app/site-time-zone';
import { DayCheckPanel } from './day-check';

type Driver = ReaderConfig['driver'];
type Flavour = Extract<ReaderConfig, { driver: 'vendor-sdk' }>['flavour'];

const DRIVERS: readonly Driver[] = ['simulator', 'sam-serial', 'vendor-sdk'];
const FLAVOURS: readonly Flavour[] = ['termb', 'sdtapi'];
const DEFAULT_BAUD_RATE = 115200;
const STATE_COLORS: Record<ReaderInfo['state'], string> = {
  ready: 'green',
  opening: 'blue',
  closed: 'gray',
  unavailable: 'red',
};

/** 设备: the ID card reader on the site host — which driver, its state, and a self-test. */
export function DevicesPage() {
  const { t } = useTranslation();
  const reader = useQuery(orpc.devices.reader.queryOptions());
  return (
    <Stack maw={860}>
      <Title order={2}>{t('devices.title')}</Title>
      <Text c="dimmed">{t('devices.readerHint')}</Text>
      {reader.isPending ? <Loader aria-label={t('common.loading')} /> : null}
      {reader.isError ? (
        <Alert color="red" role="alert">
          {errorText(reader.error, t)}
        </Alert>
      ) : null}
      {reader.isSuccess ? (
        <>
          <ReaderState
            info={reader.data}
            refreshing={reader.isFetching}
            onRefresh={() => void reader.refetch()}
          />
          <ReaderConfigForm key={JSON.stringify(reader.data.config)} config={reader.data.config} />
          <SelfTest />
        </>
      ) : null}
      <DayCheckPanel />
    </Stack>
  );
}

function ReaderState(props: { info: ReaderInfo; refreshing: boolean; onRefresh: () => void }) {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  const { info } = props;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>{t('devices.current')}</Title>
        <Button variant="default" size="xs" onClick={props.onRefresh} loading={props.refreshing}>
          {t('devices.refresh')}
        </Button>
      </Group>
      <Table variant="vertical" withTableBorder data-testid="reader-info">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={180}>{t('devices.state')}</Table.Th>
            <Table.Td>
              <Group gap="xs">
                <Badge
                  color={STATE_COLORS[info.state]}
                  variant="light"
                  data-testid="reader-state"
                  data-state={info.state}
                >
                  {t(`devices.stateName.${info.state}`)}
                </Badge>
                {info.reason ? <Text size="sm">{info.reason}</Text> : null}
              </Group>
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('devices.description')}</Table.Th>
            <Table.Td>{info.description}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('devices.samId')}</Table.Th>
            <Table.Td>{info.samId ?? '—'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('devices.lastReadAt')}</Table.Th>
            <Table.Td>{info.lastReadAt ? formatDateTimeSeconds(info.lastReadAt, timeZone) : '—'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('devices.lastError')}</Table.Th>
            <Table.Td c={info.lastError ? 'red.8' : undefined}>{info.lastError ?? '—'}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

interface ConfigValues {
  driver: Driver;
  path: string | null;
  baudRate: number | string;
  flavour: Flavour;
}

function toValues(config: ReaderConfig): ConfigValues {
  return {
    driver: config.driver,
    path: config.driver === 'sam-serial' ? config.path : null,
    baudRate: config.driver === 'sam-serial' ? config.baudRate : DEFAULT_BAUD_RATE,
    flavour: config.driver === 'vendor-sdk' ? config.flavour : 'termb',
  };
}

function toConfig(values: ConfigValues): ReaderConfig {
  switch (values.driver) {
    case 'simulator':
      return { driver: 'simulator' };
    case 'sam-serial':
      return { driver: 'sam-serial', path: values.path ?? '', baudRate: Number(values.baudRate) };
    case 'vendor-sdk':
      return { driver: 'vendor-sdk', flavour: values.flavour };
  }
}

function ReaderConfigForm({ config }: { config: ReaderConfig }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<ConfigValues>(() => toValues(config));
  const [errors, setErrors] = useState<Partial<Record<'path' | 'baudRate', string>>>({});
  const ports = useQuery({
    ...orpc.devices.serialPorts.queryOptions(),
    enabled: values.driver === 'sam-serial',
  });
  const save = useMutation(
    orpc.devices.configureReader.mutationOptions({
      onSuccess: (info) => {
        queryClient.setQueryData(orpc.devices.reader.queryKey(), info);
        notifySuccess(t('devices.saved'));
      },
      onError: (error) => {
        const next: typeof errors = {};
        for (const issue of describeError(error).fields) {
          if (issue.field === 'path' || issue.field === 'baudRate') next[issue.field] = issue.message;
        }
        setErrors(next);
      },
    }),
  );
  const set = (patch: Partial<ConfigValues>) => {
    setValues((current) => ({ ...current, ...patch }));
    setErrors({});
  };
  const portOptions = (ports.data?.ports ?? []).map((p) => ({ value: p.path, label: p.label }));
  if (values.path && !portOptions.some((o) => o.value === values.path)) {
    portOptions.unshift({ value: values.path, label: values.path });
  }
  const fieldErrorShown = Object.keys(errors).length > 0;

  return (
    <Paper withBorder p="md">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const parsed = readerConfigSchema.safeParse(toConfig(values));
          if (!parsed.success) {
            const next: typeof errors = {};
            for (const issue of parsed.error.issues) {
              const field = issue.path[0];
              if (field === 'path') next.path = issue.message;
              if (field === 'baudRate') next.baudRate = t('devices.baudRateInvalid');
            }
            setErrors(next);
            return;
          }
          save.mutate(parsed.data);
        }}
      >
        <Stack gap="sm">
          <Title order={3}>{t('devices.config')}</Title>
          <Select
            label={t('devices.driver')}
            required
            allowDeselect={false}
            data={DRIVERS.map((d) => ({ value: d, label: t(`devices.driverName.${d}`) }))}
            value={values.driver}
            onChange={(value) => set({ driver: DRIVERS.find((d) => d === value) ?? 'simulator' })}
            maw={360}
          />
          {values.driver === 'sam-serial' ? (
            <Group align="flex-start" gap="sm">
              <Select
                label={t('devices.port')}
                required
                data={portOptions}
                value={values.path}
                onChange={(value) => set({ path: value })}
                placeholder={ports.isPending ? t('common.loading') : t('devices.portPlaceholder')}
                nothingFoundMessage={t('devices.noPorts')}
                error={errors.path ?? (ports.isError ? errorText(ports.error, t) : undefined)}
                w={300}
                maw="100%"
              />
              <NumberInput
                label={t('devices.baudRate')}
                required
                min={1}
                allowDecimal={false}
                allowNegative={false}
                thousandSeparator={false}
                value={values.baudRate}
                onChange={(value) => set({ baudRate: value })}
                error={errors.baudRate}
                w={160}
              />
            </Group>
          ) : null}
          {values.driver === 'sam-serial' && ports.isSuccess && ports.data.ports.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="serial-ports-note">
              {ports.data.note ?? t('devices.noPorts')}
            </Text>
          ) : null}
          {values.driver === 'vendor-sdk' ? (
            <Select
              label={t('devices.flavour')}
              required
              allowDeselect={false}
              data={FLAVOURS.map((f) => ({ value: f, label: t(`devices.flavourName.${f}`) }))}
              value={values.flavour}
              onChange={(value) => set({ flavour: FLAVOURS.find((f) => f === value) ?? 'termb' })}
              maw={360}
            />
          ) : null}
          {fieldErrorShown ? null : <FormError error={save.error} />}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function SelfTest() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const test = useMutation(
    orpc.devices.selfTest.mutationOptions({
      onSettled: () => void queryClient.invalidateQueries({ queryKey: orpc.devices.reader.key() }),
    }),
  );
  return (
    <Stack gap="sm">
      <Group>
        <Title order={3}>{t('devices.selfTestTitle')}</Title>
        <Button variant="light" onClick={() => test.mutate(undefined)} loading={test.isPending}>
          {t('devices.selfTest')}
        </Button>
      </Group>
      <FormError error={test.error} />
      {test.isSuccess ? (
        <Alert
          color={test.data.ok ? 'green' : 'red'}
          variant="light"
          title={test.data.ok ? t('devices.selfTestOk') : t('devices.selfTestFailed')}
          data-testid="self-test-result"
          data-ok={test.data.ok}
        >
          <List spacing={4} size="sm">
            {test.data.steps.map((step, i) => (
              <List.Item
                key={`${i}-${step.step}`}
                icon={
                  <Text
                    span
                    fw={700}
                    c={step.ok ? 'green.8' : 'red.8'}
                    aria-label={step.ok ? t('devices.stepOk') : t('devices.stepFailed')}
                  >
                    {step.ok ? '✓' : '✗'}
                  </Text>
                }
                data-testid="self-test-step"
                data-ok={step.ok}
              >
                <Text span fw={500}>
                  {step.step}
                </Text>
                {step.detail ? (
                  <Text span c="dimmed">
                    {' '}
                    — {step.detail}
                  </Text>
                ) : null}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
    </Stack>
  );
}
