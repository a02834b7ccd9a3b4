import { useState } from 'react';
import { Anchor, Badge, Button, Group, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type { Sitting } from '../../../shared/contract/sittings';
import { accessOf } from '../../app/access';
import { useCan } from '../../app/current-user';
import { errorText } from '../../app/error-display';
import { href, navigate } from '../../app/router';
import { orpc } from '../../app/rpc-client';
import { SittingModal } from './sitting-modal';

type Dialog = { kind: 'create' } | { kind: 'edit'; sitting: Sitting } | null;

const STATUS_COLORS: Record<Sitting['status'], string> = { planned: 'blue', open: 'green', closed: 'gray' };

function candidatesHref(sitting: Sitting): string {
  return href('/candidates', { sitting: sitting.id });
}

/** Exam sittings (考试批次). Clicking a sitting opens its candidates. */
export function SittingsPage() {
  const { t } = useTranslation();
  const sittings = useQuery(orpc.sittings.list.queryOptions());
  const canCreate = useCan(accessOf(contract.sittings.create));
  const canEdit = useCan(accessOf(contract.sittings.update));
  const canImport = useCan(accessOf(contract.roster.preview));
  const [dialog, setDialog] = useState<Dialog>(null);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('sittings.title')}</Title>
        {canCreate ? (
          <Button onClick={() => setDialog({ kind: 'create' })}>{t('sittings.create')}</Button>
        ) : null}
      </Group>
      <DataTable<Sitting>
        withTableBorder
        striped
        highlightOnHover
        minHeight={160}
        fetching={sittings.isFetching}
        records={sittings.data ?? []}
        noRecordsText={sittings.isError ? errorText(sittings.error, t) : t('common.noRecords')}
        onRowClick={({ record }) => navigate(candidatesHref(record))}
        columns={[
          {
            accessor: 'name',
            title: t('sittings.name'),
            render: (s) => (
              <Anchor href={candidatesHref(s)} size="sm" onClick={(event) => event.stopPropagation()}>
                {s.name}
              </Anchor>
            ),
          },
          {
            accessor: 'occupationName',
            title: t('sittings.occupation'),
            render: (s) => `${s.occupationCode} ${s.occupationName}`,
          },
          { accessor: 'trade', title: t('sittings.trade') },
          {
            accessor: 'levels',
            title: t('sittings.levels'),
            render: (s) => s.levels.map((level) => t(`level.${level}`)).join(t('common.listSeparator')),
          },
          {
            accessor: 'startDate',
            title: t('sittings.dates'),
            render: (s) => (s.startDate === s.endDate ? s.startDate : `${s.startDate} ~ ${s.endDate}`),
          },
          {
            accessor: 'status',
            title: t('sittings.status'),
            noWrap: true,
            render: (s) => (
              <Badge color={STATUS_COLORS[s.status]} variant="light">
                {t(`sittingStatus.${s.status}`)}
              </Badge>
            ),
          },
          {
            accessor: 'candidateCount',
            title: t('sittings.candidateCount'),
            textAlign: 'right',
            noWrap: true,
          },
          {
            accessor: 'actions',
            title: t('common.actions'),
            textAlign: 'right',
            noWrap: true,
            render: (s) => (
              <Group gap={4} justify="flex-end" wrap="nowrap" onClick={(event) => event.stopPropagation()}>
                {canImport ? (
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    component="a"
                    href={href('/roster', { sitting: s.id })}
                  >
                    {t('sittings.importRoster')}
                  </Button>
                ) : null}
                {canEdit ? (
                  <Button
                    size="compact-sm"
                    variant="light"
                    onClick={() => setDialog({ kind: 'edit', sitting: s })}
                  >
                    {t('common.edit')}
                  </Button>
                ) : null}
              </Group>
            ),
          },
        ]}
      />
      <SittingModal
        opened={dialog !== null}
        sitting={dialog?.kind === 'edit' ? dialog.sitting : null}
        onClose={() => setDialog(null)}
      />
    </Stack>
  );
}
