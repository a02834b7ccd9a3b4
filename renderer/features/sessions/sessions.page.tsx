import { useState } from 'react';
import { Alert, Anchor, Button, Divider, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { skipToken, useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type { ExamSession } from '../../../shared/contract/sessions';
import { accessOf } from '../../app/access';
import { useCan } from '../../app/current-user';
import { errorText } from '../../app/error-display';
import { formatDateTime } from '../../app/format';
import { href, intParam, navigate, useRoute } from '../../app/router';
import { orpc } from '../../app/rpc-client';
import { useSiteTimeZone } from '../../app/site-time-zone';
import { SittingSelect } from '../sittings/sitting-select';
import { RoomPlanTable } from './room-plan';
import { SeatingForm } from './seating-form';
import { formatSessionEnd } from './session-format';
import { SessionModal } from './session-modal';
import { SessionPrintActions } from '../printing/session-print-actions';

function sessionHref(sittingId: number, sessionId: number | null): string {
  return href('/sessions', { sitting: sittingId, session: sessionId });
}

/** 场次与座位: the sessions of a sitting; for one session, seating, staff and the ratio check. */
export function SessionsPage() {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  const route = useRoute();
  const sittingId = intParam(route.query, 'sitting');
  const sessionId = intParam(route.query, 'session');
  const canCreate = useCan(accessOf(contract.sessions.create));
  const [creating, setCreating] = useState(false);

  const sitting = useQuery(
    orpc.sittings.get.queryOptions({ input: sittingId === null ? skipToken : { id: sittingId } }),
  );
  const sessions = useQuery(
    orpc.sessions.list.queryOptions({ input: sittingId === null ? skipToken : { sittingId } }),
  );
  const selected = sessions.data?.find((s) => s.id === sessionId) ?? null;

  const chooseSitting = (id: number | null) =>
    navigate(href('/sessions', { sitting: id }), { replace: true });
  const chooseSession = (id: number) => {
    if (sittingId !== null) navigate(sessionHref(sittingId, id), { replace: true });
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{t('sessions.title')}</Title>
        {canCreate && sitting.isSuccess ? (
          <Button onClick={() => setCreating(true)}>{t('sessions.create')}</Button>
        ) : null}
      </Group>
      <SittingSelect value={sittingId} onChange={chooseSitting} />

      {sittingId === null ? (
        <Text c="dimmed">{t('sessions.chooseSitting')}</Text>
      ) : (
        <>
          <DataTable<ExamSession>
            withTableBorder
            striped
            highlightOnHover
            minHeight={120}
            fetching={sessions.isFetching}
            records={sessions.data ?? []}
            noRecordsText={sessions.isError ? errorText(sessions.error, t) : t('sessions.noSessions')}
            onRowClick={({ record }) => chooseSession(record.id)}
            rowBackgroundColor={(s) => (s.id === sessionId ? 'var(--mantine-color-blue-light)' : undefined)}
            customRowAttributes={(s) => ({ 'aria-selected': s.id === sessionId })}
            columns={[
              {
                accessor: 'name',
                title: t('sessions.name'),
                render: (s) => (
                  <Anchor
                    href={sessionHref(s.sittingId, s.id)}
                    size="sm"
                    fw={s.id === sessionId ? 600 : undefined}
                    onClick={(event) => event.stopPropagation()}
                  >
                    {s.name}
                  </Anchor>
                ),
              },
              {
                accessor: 'component',
                title: t('sessions.component'),
                render: (s) => t(`component.${s.component}`),
              },
              {
                accessor: 'startsAt',
                title: t('sessions.startsAt'),
                noWrap: true,
                render: (s) => formatDateTime(s.startsAt, timeZone),
              },
              {
                accessor: 'endsAt',
                title: t('sessions.endsAt'),
                noWrap: true,
                render: (s) => formatSessionEnd(s, timeZone),
              },
              { accessor: 'seated', title: t('sessions.seated'), textAlign: 'right', noWrap: true },
              { accessor: 'checkedIn', title: t('sessions.checkedIn'), textAlign: 'right', noWrap: true },
            ]}
          />
          {selected ? (
            <SessionDetail key={selected.id} session={selected} />
          ) : sessions.isSuccess && sessions.data.length > 0 ? (
            <Text c="dimmed">{t('sessions.chooseSession')}</Text>
          ) : null}
        </>
      )}

      {sitting.isSuccess ? (
        <SessionModal
          opened={creating}
          sitting={sitting.data}
          onClose={() => setCreating(false)}
          onCreated={(session) => {
            setCreating(false);
            navigate(sessionHref(session.sittingId, session.id), { replace: true });
          }}
        />
      ) : null}
    </Stack>
  );
}

function SessionDetail({ session }: { session: ExamSession }) {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  const canAssign = useCan(accessOf(contract.sessions.assignSeats));
  const canSeePlan = useCan(accessOf(contract.sessions.plan));
  const plan = useQuery({
    ...orpc.sessions.plan.queryOptions({ input: { sessionId: session.id } }),
    enabled: canSeePlan,
  });

  return (
    <Stack gap="md" data-testid="session-detail">
      <Divider />
      <Title order={3}>{t('sessions.detailTitle', { name: session.name })}</Title>
      <Text size="sm" c="dimmed">
        {t('sessions.detailSummary', {
          component: t(`component.${session.component}`),
          start: formatDateTime(session.startsAt, timeZone),
          end: formatSessionEnd(session, timeZone),
          opens: session.opensMinutesBefore,
          late: session.lateCutoffMinutes,
        })}
      </Text>
      {plan.isPending && canSeePlan ? <Loader aria-label={t('common.loading')} /> : null}
      {plan.isError ? (
        <Alert color="red" role="alert">
          {errorText(plan.error, t)}
        </Alert>
      ) : null}
      {plan.isSuccess ? (
        <>
          {canAssign ? <SeatingForm session={session} plan={plan.data} /> : null}
          <Title order={4}>{t('sessions.plan')}</Title>
          <RoomPlanTable session={session} plan={plan.data} />
        </>
      ) : null}
      <SessionPrintActions sittingId={session.sittingId} sessionId={session.id} />
    </Stack>
  );
}
