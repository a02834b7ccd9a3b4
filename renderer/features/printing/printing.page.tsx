import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  DOCUMENT_KIND_NAMES,
  type DocumentKindName,
  type PrinterInfoData,
  type PrinterTargetInput,
  type PrintingSettingsData,
} from '../../../shared/contract/printing';
import { errorText, FormError, notifySuccess } from '../../app/error-display';
import { formatDateTime } from '../../app/format';
import { orpc } from '../../app/rpc-client';
import { useSiteTimeZone } from '../../app/site-time-zone';
import { printerLabel, printerOptions, sameTarget, targetFromValue, targetValue } from './printer-choice';

const STATUS_COLORS: Record<PrinterInfoData['status'], string> = {
  ready: 'green',
  busy: 'blue',
  disabled: 'red',
  rejecting: 'red',
  offline: 'gray',
  unknown: 'gray',
};

/** 打印设置: the host's printers, folder printers, default printer per document, calibration, paper, font. */
export function PrintingPage() {
  const { t } = useTranslation();
  const settings = useQuery(orpc.printing.settings.queryOptions());
  const printers = useQuery(orpc.printing.printers.queryOptions());
  return (
    <Stack maw={1000}>
      <Title order={2}>{t('printing.title')}</Title>
      <Text c="dimmed">{t('printing.hint')}</Text>
      {settings.isPending || printers.isPending ? <Loader aria-label={t('common.loading')} /> : null}
      {settings.isError ? (
        <Alert color="red" role="alert">
          {errorText(settings.error, t)}
        </Alert>
      ) : null}
      {printers.isError ? (
        <Alert color="red" role="alert">
          {errorText(printers.error, t)}
        </Alert>
      ) : null}
      {printers.data?.warnings.map((w) => (
        <Alert key={w} color="yellow" data-testid="printer-warning">
          {w}
        </Alert>
      ))}
      {settings.isSuccess && printers.isSuccess ? (
        <>
          <PrinterTable
            settings={settings.data}
            printers={printers.data.printers}
            refreshing={printers.isFetching}
            onRefresh={() => void printers.refetch()}
          />
          <AddFolder settings={settings.data} />
          <SettingsForm
            key={JSON.stringify(settings.data)}
            settings={settings.data}
            printers={printers.data.printers}
          />
        </>
      ) : null}
    </Stack>
  );
}

/** Saves settings and refreshes what depends on them (the printer list includes the folders). */
function useSaveSettings(onSaved?: () => void) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return useMutation(
    orpc.printing.updateSettings.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(orpc.printing.settings.queryKey(), next);
        void queryClient.invalidateQueries({ queryKey: orpc.printing.printers.queryKey() });
        notifySuccess(t('printing.saved'));
        onSaved?.();
      },
    }),
  );
}

function PrinterTable(props: {
  settings: PrintingSettingsData;
  printers: PrinterInfoData[];
  refreshing: boolean;
  onRefresh: () => void;
}) {
  const { t } = useTranslation();
  const remove = useSaveSettings();
  const { settings } = props;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>{t('printing.printers')}</Title>
        <Button variant="default" size="xs" onClick={props.onRefresh} loading={props.refreshing}>
          {t('printing.refresh')}
        </Button>
      </Group>
      {props.printers.length === 0 ? <Text c="dimmed">{t('printing.noPrinters')}</Text> : null}
      {props.printers.length > 0 ? (
        <Table withTableBorder striped data-testid="printer-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('printing.printerName')}</Table.Th>
              <Table.Th>{t('printing.status')}</Table.Th>
              <Table.Th>{t('printing.calibration')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.printers.map((p) => (
              <PrinterRow
                key={targetValue(p.target)}
                printer={p}
                settings={settings}
                onRemove={() =>
                  remove.mutate({
                    ...settings,
                    folders: settings.folders.filter((f) => f !== p.target.name),
                    defaults: Object.fromEntries(
                      Object.entries(settings.defaults).filter(([, v]) => !sameTarget(v, p.target)),
                    ),
                  })
                }
              />
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <FormError error={remove.error} />
    </Stack>
  );
}

function PrinterRow(props: {
  printer: PrinterInfoData;
  settings: PrintingSettingsData;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  const queryClient = useQueryClient();
  const { printer, settings } = props;
  const profile = settings.profiles.find((p) => sameTarget(p.target, printer.target));
  const [measuring, setMeasuring] = useState(false);
  const [left, setLeft] = useState<number | string>('');
  const [top, setTop] = useState<number | string>('');
  const [result, setResult] = useState<{ color: 'green' | 'red'; text: string } | null>(null);
  const calibrate = useMutation(
    orpc.printing.printCalibration.mutationOptions({
      onSuccess: (r) =>
        setResult({
          color: 'green',
          text: r.file
            ? t('printing.calibrationPrintedToFile', { file: r.file })
            : t('printing.calibrationPrinted', { job: r.jobId ?? '—' }),
        }),
      onError: (error) => setResult({ color: 'red', text: errorText(error, t) }),
    }),
  );
  const save = useMutation(
    orpc.printing.saveCalibration.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(orpc.printing.settings.queryKey(), next);
        const c = next.profiles.find((p) => sameTarget(p.target, printer.target))?.calibration;
        setResult({
          color: 'green',
          text: t('printing.calibrationSaved', { dx: c?.dxMm ?? 0, dy: c?.dyMm ?? 0 }),
        });
        setMeasuring(false);
      },
      onError: (error) => setResult({ color: 'red', text: errorText(error, t) }),
    }),
  );
  const label = printerLabel(printer.target, t, printer);
  return (
    <Table.Tr data-testid={`printer-${printer.target.kind}-${printer.target.name}`}>
      <Table.Td>
        <Stack gap={2}>
          <Group gap="xs">
            <Text size="sm">{label}</Text>
            {printer.isDefault ? (
              <Badge variant="light" size="sm">
                {t('printing.systemDefault')}
              </Badge>
            ) : null}
          </Group>
          {printer.location ? (
            <Text size="xs" c="dimmed">
              {printer.location}
            </Text>
          ) : null}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLORS[printer.status]} variant="light">
          {t(`printing.statusName.${printer.status}`)}
        </Badge>
        {printer.statusMessage ? (
          <Text size="xs" c="dimmed">
            {printer.statusMessage}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {t('printing.offset', { dx: profile?.calibration.dxMm ?? 0, dy: profile?.calibration.dyMm ?? 0 })}
        </Text>
        <Text size="xs" c="dimmed">
          {profile?.calibratedAt
            ? t('printing.calibratedAt', { at: formatDateTime(profile.calibratedAt, timeZone) })
            : t('printing.notCalibrated')}
        </Text>
      </Table.Td>
      <Table.Td>
        <Stack gap="xs">
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              loading={calibrate.isPending}
              onClick={() => {
                setResult(null);
                calibrate.mutate({ printer: printer.target });
              }}
            >
              {t('printing.printCalibration')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setMeasuring((m) => !m)}>
              {t('printing.enterMeasurement')}
            </Button>
            {printer.target.kind === 'folder' ? (
              <Button size="xs" variant="subtle" color="red" onClick={props.onRemove}>
                {t('printing.removeFolder')}
              </Button>
            ) : null}
          </Group>
          {measuring ? (
            <form
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                setResult(null);
                if (typeof left !== 'number' || typeof top !== 'number') {
                  setResult({ color: 'red', text: t('printing.measurementMissing') });
                  return;
                }
                save.mutate({ printer: printer.target, leftMm: left, topMm: top });
              }}
            >
              <Text size="xs" c="dimmed">
                {t('printing.measureHint')}
              </Text>
              <Group gap="xs" align="flex-end">
                <NumberInput
                  size="xs"
                  label={t('printing.measuredLeft')}
                  decimalScale={2}
                  min={0}
                  max={60}
                  value={left}
                  onChange={setLeft}
                  w={130}
                />
                <NumberInput
                  size="xs"
                  label={t('printing.measuredTop')}
                  decimalScale={2}
                  min={0}
                  max={60}
                  value={top}
                  onChange={setTop}
                  w={130}
                />
                <Button size="xs" type="submit" loading={save.isPending}>
                  {t('printing.saveCalibration')}
                </Button>
              </Group>
            </form>
          ) : null}
          {result ? (
            <Text size="xs" c={result.color === 'red' ? 'red.8' : 'green.8'} role="status">
              {result.text}
            </Text>
          ) : null}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

function AddFolder({ settings }: { settings: PrintingSettingsData }) {
  const { t } = useTranslation();
  const [folder, setFolder] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = useSaveSettings(() => setFolder(''));
  return (
    <Paper withBorder p="md">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const path = folder.trim();
          if (path === '') {
            setError(t('printing.folderRequired'));
            return;
          }
          if (settings.folders.includes(path)) {
            setError(t('printing.folderExists'));
            return;
          }
          save.mutate({ ...settings, folders: [...settings.folders, path] });
        }}
      >
        <Stack gap="xs">
          <Title order={4}>{t('printing.addFolderTitle')}</Title>
          <Text size="sm" c="dimmed">
            {t('printing.addFolderHint')}
          </Text>
          <Group align="flex-start" gap="sm">
            <TextInput
              label={t('printing.folderPath')}
              value={folder}
              onChange={(e) => {
                setFolder(e.currentTarget.value);
                setError(null);
              }}
              error={error}
              w={480}
              maw="100%"
            />
            <Button type="submit" mt={25} loading={save.isPending}>
              {t('printing.addFolder')}
            </Button>
          </Group>
          <FormError error={save.error} />
        </Stack>
      </form>
    </Paper>
  );
}

function SettingsForm(props: { settings: PrintingSettingsData; printers: PrinterInfoData[] }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<PrintingSettingsData>(props.settings);
  const save = useSaveSettings();
  const setDefault = (kind: DocumentKindName, target: PrinterTargetInput | null) =>
    setValues((v) => {
      const defaults = { ...v.defaults };
      if (target) defaults[kind] = target;
      else delete defaults[kind];
      return { ...v, defaults };
    });
  const text = (value: string) => (value.trim() === '' ? null : value);
  return (
    <Paper withBorder p="md">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate(values);
        }}
      >
        <Stack gap="sm">
          <Title order={3}>{t('printing.defaultsTitle')}</Title>
          {DOCUMENT_KIND_NAMES.map((kind) => (
            <Select
              key={kind}
              label={t('printing.defaultFor', { name: t(`printing.document.${kind}`) })}
              placeholder={t('printing.noDefault')}
              clearable
              data={printerOptions(props.printers, t, [values.defaults[kind]])}
              value={values.defaults[kind] ? targetValue(values.defaults[kind]) : null}
              onChange={(value) => setDefault(kind, targetFromValue(value))}
              w={480}
              maw="100%"
            />
          ))}
          <Title order={3}>{t('printing.optionsTitle')}</Title>
          <Select
            label={t('printing.ticketPaper')}
            allowDeselect={false}
            data={[
              { value: 'A4', label: t('printing.paperA4') },
              { value: 'A5', label: t('printing.paperA5') },
            ]}
            value={values.admissionTicketPaper}
            onChange={(value) =>
              setValues((v) => ({ ...v, admissionTicketPaper: value === 'A5' ? 'A5' : 'A4' }))
            }
            w={320}
          />
          <Switch
            label={t('printing.showFullId')}
            description={t('printing.showFullIdHint')}
            checked={values.showFullIdNumberOnTicket}
            onChange={(e) => {
              const checked = e.currentTarget.checked;
              setValues((v) => ({ ...v, showFullIdNumberOnTicket: checked }));
            }}
          />
          <TextInput
            label={t('printing.fontPath')}
            description={t('printing.fontPathHint')}
            value={values.fontPath ?? ''}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setValues((v) => ({ ...v, fontPath: text(value) }));
            }}
            w={560}
            maw="100%"
          />
          <TextInput
            label={t('printing.sumatraPath')}
            description={t('printing.sumatraPathHint')}
            value={values.sumatraPdfPath ?? ''}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setValues((v) => ({ ...v, sumatraPdfPath: text(value) }));
            }}
            w={560}
            maw="100%"
          />
          <FormError error={save.error} />
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('printing.saveSettings')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
