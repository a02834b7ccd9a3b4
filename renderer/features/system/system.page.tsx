import { useState } from 'react';
import {
  Alert,
  Autocomplete,
  Button,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { siteSettingsSchema, type SiteSettings } from '../../../shared/contract/system';
import { DEFAULT_TIME_ZONE } from '../../../shared/domain/site-time';
import { applyFormErrors, errorText, FormError, notifyError, notifySuccess } from '../../app/error-display';
import { formatDateTimeSeconds } from '../../app/format';
import { orpc } from '../../app/rpc-client';
import { siteTimeZoneSaved, useSiteTimeZone } from '../../app/site-time-zone';

/** The usual choice first; any other IANA name can be typed (the shared schema checks it). */
const COMMON_TIME_ZONES = [DEFAULT_TIME_ZONE, 'Asia/Hong_Kong', 'Asia/Macau', 'Asia/Urumqi', 'UTC'];
/** This browser's own zone, named in the hint: screens do not use it. */
const BROWSER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** System: what runs where, the site's time zone, the desktop update server, and database backups. */
export function SystemPage() {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  const info = useQuery(orpc.system.info.queryOptions());
  const settings = useQuery(orpc.system.settings.queryOptions());
  return (
    <Stack maw={860}>
      <Title order={2}>{t('system.title')}</Title>
      {info.isSuccess ? (
        <Table variant="vertical" withTableBorder data-testid="system-info">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={180}>{t('system.version')}</Table.Th>
              <Table.Td>{info.data.version}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('system.engine')}</Table.Th>
              <Table.Td>{t(`system.engineName.${info.data.engine}`)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('system.dataDir')}</Table.Th>
              <Table.Td>{info.data.dataDir ?? '—'}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('system.timeZone')}</Table.Th>
              <Table.Td data-testid="system-time-zone">{info.data.timeZone}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('system.serverTime')}</Table.Th>
              <Table.Td>{formatDateTimeSeconds(info.data.serverTime, timeZone)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      ) : null}
      {info.isError ? (
        <Alert color="red" role="alert">
          {errorText(info.error, t)}
        </Alert>
      ) : null}
      {settings.isPending ? <Loader aria-label={t('common.loading')} /> : null}
      {settings.isSuccess ? <SettingsForm initial={settings.data} /> : null}
      {info.isSuccess && info.data.engine === 'sqlite' ? <Backups /> : null}
      {info.isSuccess && info.data.engine === 'postgres' ? (
        <Text c="dimmed">{t('system.postgresBackups')}</Text>
      ) : null}
    </Stack>
  );
}

function SettingsForm({ initial }: { initial: SiteSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<unknown>(null);
  const form = useForm<SiteSettings>({
    mode: 'controlled',
    initialValues: initial,
    validate: schemaResolver(siteSettingsSchema, { sync: true }),
  });
  const save = useMutation(
    orpc.system.updateSettings.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(orpc.system.settings.queryKey(), saved);
        siteTimeZoneSaved(queryClient, saved.timeZone);
        form.resetDirty(saved);
        notifySuccess(t('system.settingsSaved'));
      },
      onError: (error) => setFormError(applyFormErrors(form, error) ? null : error),
    }),
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        save.mutate(values);
      })}
    >
      <Stack gap="sm">
        <Title order={3}>{t('system.siteTime')}</Title>
        <Autocomplete
          label={t('system.timeZone')}
          description={t('system.timeZoneHint', { local: BROWSER_TIME_ZONE })}
          placeholder={DEFAULT_TIME_ZONE}
          data={COMMON_TIME_ZONES}
          {...form.getInputProps('timeZone')}
        />
        <Title order={3}>{t('system.updates')}</Title>
        <TextInput
          label={t('system.updaterUrl')}
          description={t('system.updaterUrlHint')}
          placeholder="https://updates.example.lan/exam-site/"
          {...form.getInputProps('updaterUrl')}
        />
        <FormError error={formError} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Backups() {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  const queryClient = useQueryClient();
  const backups = useQuery(orpc.system.backups.queryOptions());
  const backupNow = useMutation(
    orpc.system.backupNow.mutationOptions({
      onSuccess: (b) => {
        void queryClient.invalidateQueries({ queryKey: orpc.system.backups.key() });
        notifySuccess(t('system.backupDone', { fileName: b.fileName, integrity: b.integrity }));
      },
      onError: (error) => notifyError(error, t),
    }),
  );
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>{t('system.backups')}</Title>
        <Button onClick={() => backupNow.mutate(undefined)} loading={backupNow.isPending}>
          {t('system.backupNow')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('system.backupHint')}
      </Text>
      {backups.isError ? (
        <Alert color="red" role="alert">
          {errorText(backups.error, t)}
        </Alert>
      ) : null}
      {backups.isSuccess && backups.data.length === 0 ? <Text>{t('system.noBackups')}</Text> : null}
      {backups.isSuccess && backups.data.length > 0 ? (
        <Table striped withTableBorder data-testid="backup-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('system.backupFile')}</Table.Th>
              <Table.Th>{t('system.backupTime')}</Table.Th>
              <Table.Th>{t('system.backupSize')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {backups.data.map((b) => (
              <Table.Tr key={b.fileName}>
                <Table.Td>{b.fileName}</Table.Td>
                <Table.Td>{formatDateTimeSeconds(b.createdAt, timeZone)}</Table.Td>
                <Table.Td>{t('system.sizeKiB', { size: Math.ceil(b.sizeBytes / 1024) })}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
