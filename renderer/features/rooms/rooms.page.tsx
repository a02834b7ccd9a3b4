import { useState } from 'react';
import { Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type { Room } from '../../../shared/contract/rooms';
import { accessOf } from '../../app/access';
import { useCan } from '../../app/current-user';
import { errorText } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';
import { RoomModal } from './room-modal';

type Dialog = { kind: 'create' } | { kind: 'edit'; room: Room } | null;

/** 考场管理: the site's rooms, their seats and seats per row (used for seating). */
export function RoomsPage() {
  const { t } = useTranslation();
  const rooms = useQuery(orpc.rooms.list.queryOptions());
  const canCreate = useCan(accessOf(contract.rooms.create));
  const canEdit = useCan(accessOf(contract.rooms.update));
  const [dialog, setDialog] = useState<Dialog>(null);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('rooms.title')}</Title>
        {canCreate ? (
          <Button onClick={() => setDialog({ kind: 'create' })}>{t('rooms.create')}</Button>
        ) : null}
      </Group>
      {!canCreate ? <Text c="dimmed">{t('rooms.readOnly')}</Text> : null}
      <DataTable<Room>
        withTableBorder
        striped
        highlightOnHover
        minHeight={160}
        fetching={rooms.isFetching}
        records={rooms.data ?? []}
        noRecordsText={rooms.isError ? errorText(rooms.error, t) : t('common.noRecords')}
        columns={[
          { accessor: 'name', title: t('rooms.name') },
          { accessor: 'location', title: t('rooms.location') },
          { accessor: 'capacity', title: t('rooms.capacity'), textAlign: 'right', noWrap: true },
          { accessor: 'columns', title: t('rooms.columns'), textAlign: 'right', noWrap: true },
          {
            accessor: 'active',
            title: t('rooms.status'),
            noWrap: true,
            render: (room) =>
              room.active ? (
                <Badge color="green" variant="light">
                  {t('rooms.active')}
                </Badge>
              ) : (
                <Badge color="gray" variant="light">
                  {t('rooms.inactive')}
                </Badge>
              ),
          },
          {
            accessor: 'actions',
            title: t('common.actions'),
            textAlign: 'right',
            noWrap: true,
            hidden: !canEdit,
            render: (room) => (
              <Button
                size="compact-sm"
                variant="light"
                aria-label={t('rooms.editOne', { name: room.name })}
                onClick={() => setDialog({ kind: 'edit', room })}
              >
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <RoomModal
        opened={dialog !== null}
        room={dialog?.kind === 'edit' ? dialog.room : null}
        onClose={() => setDialog(null)}
      />
    </Stack>
  );
}
