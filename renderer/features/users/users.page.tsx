import { useState } from 'react';
import { Badge, Button, Group, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/contract/auth';
import { errorText } from '../../app/error-display';
import { formatDateTime } from '../../app/format';
import { orpc } from '../../app/rpc-client';
import { useSiteTimeZone } from '../../app/site-time-zone';
import { CreateUserModal, EditUserModal, ResetPasswordModal } from './user-modals';

type Dialog = { kind: 'create' } | { kind: 'edit'; user: User } | { kind: 'reset'; user: User } | null;

/** Users of this site and their roles. The route is shown only to roles that may call users.list. */
export function UsersPage() {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  const users = useQuery(orpc.users.list.queryOptions());
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('users.title')}</Title>
        <Button onClick={() => setDialog({ kind: 'create' })}>{t('users.create')}</Button>
      </Group>
      <DataTable<User>
        withTableBorder
        striped
        highlightOnHover
        minHeight={160}
        fetching={users.isFetching}
        records={users.data ?? []}
        noRecordsText={users.isError ? errorText(users.error, t) : t('common.noRecords')}
        columns={[
          { accessor: 'username', title: t('auth.username') },
          { accessor: 'displayName', title: t('auth.displayName') },
          {
            accessor: 'roles',
            title: t('users.roles'),
            render: (user) => user.roles.map((role) => t(`role.${role}`)).join(t('common.listSeparator')),
          },
          {
            accessor: 'active',
            title: t('users.status'),
            render: (user) =>
              user.active ? (
                <Badge color="green" variant="light">
                  {t('users.active')}
                </Badge>
              ) : (
                <Badge color="gray" variant="light">
                  {t('users.inactive')}
                </Badge>
              ),
          },
          {
            accessor: 'lastSignInAt',
            title: t('users.lastSignIn'),
            render: (user) => formatDateTime(user.lastSignInAt, timeZone),
          },
          {
            accessor: 'actions',
            title: t('common.actions'),
            textAlign: 'right',
            noWrap: true,
            render: (user) => (
              <Group gap={4} justify="flex-end" wrap="nowrap">
                <Button size="compact-sm" variant="light" onClick={() => setDialog({ kind: 'edit', user })}>
                  {t('common.edit')}
                </Button>
                <Button size="compact-sm" variant="subtle" onClick={() => setDialog({ kind: 'reset', user })}>
                  {t('users.resetPassword')}
                </Button>
              </Group>
            ),
          },
        ]}
      />
      <CreateUserModal opened={dialog?.kind === 'create'} onClose={close} />
      <EditUserModal user={dialog?.kind === 'edit' ? dialog.user : null} onClose={close} />
      <ResetPasswordModal user={dialog?.kind === 'reset' ? dialog.user : null} onClose={close} />
    </Stack>
  );
}
