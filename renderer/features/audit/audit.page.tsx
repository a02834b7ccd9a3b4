import { useState } from 'react';
import { Button, Code, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, AuditVerifyResult } from '../../../shared/contract/audit';
import { errorText, notifyError } from '../../app/error-display';
import { formatDateTimeSeconds } from '../../app/format';
import { orpc } from '../../app/rpc-client';
import { useSiteTimeZone } from '../../app/site-time-zone';

const PAGE_SIZES = [20, 50, 100];

function json(value: unknown): string {
  if (value === null || value === undefined) return '—';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return '—';
  }
}

/** The audit trail, newest first as the server returns it, and a check of its hash chain. */
export function AuditPage() {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [action, setAction] = useState('');
  const [debouncedAction] = useDebouncedValue(action.trim(), 300);
  const [expanded, setExpanded] = useState<number[]>([]);

  const entries = useQuery(
    orpc.audit.list.queryOptions({
      input: { page, pageSize, action: debouncedAction || undefined },
      placeholderData: keepPreviousData,
    }),
  );
  const verify = useMutation(
    orpc.audit.verify.mutationOptions({ onError: (error) => notifyError(error, t) }),
  );

  const toggle = (seq: number) =>
    setExpanded((current) => (current.includes(seq) ? current.filter((s) => s !== seq) : [...current, seq]));

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{t('audit.title')}</Title>
        <Button onClick={() => verify.mutate(undefined)} loading={verify.isPending}>
          {t('audit.verify')}
        </Button>
      </Group>
      {verify.data ? <VerifyResult result={verify.data} /> : null}
      <TextInput
        label={t('audit.filterAction')}
        placeholder={t('audit.filterActionPlaceholder')}
        value={action}
        onChange={(event) => {
          setAction(event.currentTarget.value);
          setPage(1);
        }}
        w={300}
      />
      <DataTable<AuditEntry>
        withTableBorder
        striped
        minHeight={200}
        idAccessor="seq"
        records={entries.data?.rows ?? []}
        fetching={entries.isFetching}
        noRecordsText={entries.isError ? errorText(entries.error, t) : t('common.noRecords')}
        loadingText={t('common.loading')}
        totalRecords={entries.data?.total ?? 0}
        recordsPerPage={pageSize}
        page={page}
        onPageChange={setPage}
        recordsPerPageOptions={PAGE_SIZES}
        onRecordsPerPageChange={(size) => {
          setPageSize(size);
          setPage(1);
        }}
        recordsPerPageLabel={t('common.perPage')}
        paginationText={({ from, to, totalRecords }) =>
          t('common.paginationText', { from, to, total: totalRecords })
        }
        rowExpansion={{
          trigger: 'never',
          expanded: { recordIds: expanded },
          content: ({ record }) => <EntryDetails entry={record} />,
        }}
        columns={[
          { accessor: 'seq', title: t('audit.seq'), width: 80, textAlign: 'right' },
          { accessor: 'at', title: t('audit.at'), render: (e) => formatDateTimeSeconds(e.at, timeZone) },
          { accessor: 'actorName', title: t('audit.actor') },
          { accessor: 'action', title: t('audit.action') },
          { accessor: 'entity', title: t('audit.entity') },
          { accessor: 'entityId', title: t('audit.entityId') },
          {
            accessor: 'details',
            title: t('audit.details'),
            textAlign: 'right',
            render: (e) => (
              <Button
                size="compact-sm"
                variant="subtle"
                aria-expanded={expanded.includes(e.seq)}
                onClick={() => toggle(e.seq)}
              >
                {expanded.includes(e.seq) ? t('audit.hideDetails') : t('audit.showDetails')}
              </Button>
            ),
          },
        ]}
      />
    </Stack>
  );
}

function VerifyResult({ result }: { result: AuditVerifyResult }) {
  const { t } = useTranslation();
  if (result.ok || result.firstBroken === null) {
    return (
      <Text c="green" fw={500} role="status" data-testid="audit-verify-result">
        {t('audit.chainOk', { count: result.checked })}
      </Text>
    );
  }
  return (
    <Text c="red" fw={500} role="alert" data-testid="audit-verify-result">
      {t('audit.chainBroken', { seq: result.firstBroken.seq, reason: result.firstBroken.reason })}
    </Text>
  );
}

function EntryDetails({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={2} p="sm">
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('audit.before')}
        </Text>
        <Code block>{json(entry.before)}</Code>
      </Stack>
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('audit.after')}
        </Text>
        <Code block>{json(entry.after)}</Code>
      </Stack>
      <Text size="xs" c="dimmed" style={{ gridColumn: '1 / -1', wordBreak: 'break-all' }}>
        {t('audit.hash', { hash: entry.hash })}
      </Text>
    </SimpleGrid>
  );
}
