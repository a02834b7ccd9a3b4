import { useState } from 'react';
import { Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type { Occupation } from '../../../shared/contract/occupations';
import { accessOf } from '../../app/access';
import { useCan } from '../../app/current-user';
import { errorText } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';
import { OccupationModal } from './occupation-modal';

type Dialog = { kind: 'create' } | { kind: 'edit'; occupation: Occupation } | null;

/** The occupation catalogue (职业分类大典 entries offered at this site). */
export function OccupationsPage() {
  const { t } = useTranslation();
  const occupations = useQuery(orpc.occupations.list.queryOptions());
  const canCreate = useCan(accessOf(contract.occupations.create));
  const canEdit = useCan(accessOf(contract.occupations.update));
  const [dialog, setDialog] = useState<Dialog>(null);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('occupations.title')}</Title>
        {canCreate ? (
          <Button onClick={() => setDialog({ kind: 'create' })}>{t('occupations.create')}</Button>
        ) : null}
      </Group>
      <DataTable<Occupation>
        withTableBorder
        striped
        highlightOnHover
        minHeight={160}
        fetching={occupations.isFetching}
        records={occupations.data ?? []}
        noRecordsText={occupations.isError ? errorText(occupations.error, t) : t('common.noRecords')}
        columns={[
          { accessor: 'code', title: t('occupations.code'), width: 120 },
          { accessor: 'edition', title: t('occupations.edition'), width: 90 },
          {
            accessor: 'name',
            title: t('occupations.name'),
            render: (o) => (
              <Group gap={6} wrap="nowrap">
                <Text size="sm">{o.name}</Text>
                {o.verified ? null : (
                  <Badge color="orange" variant="light" size="sm">
                    {t('occupations.unverified')}
                  </Badge>
                )}
              </Group>
            ),
          },
          {
            accessor: 'trades',
            title: t('occupations.trades'),
            render: (o) => o.trades.join(t('common.listSeparator')),
          },
          {
            accessor: 'levelsOffered',
            title: t('occupations.levels'),
            render: (o) =>
              o.levelsOffered.map((level) => t(`level.${level}`)).join(t('common.listSeparator')),
          },
          {
            accessor: 'actions',
            title: t('common.actions'),
            textAlign: 'right',
            noWrap: true,
            hidden: !canEdit,
            render: (o) => (
              <Button
                size="compact-sm"
                variant="light"
                onClick={() => setDialog({ kind: 'edit', occupation: o })}
              >
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <OccupationModal
        opened={dialog !== null}
        occupation={dialog?.kind === 'edit' ? dialog.occupation : null}
        onClose={() => setDialog(null)}
      />
    </Stack>
  );
}
