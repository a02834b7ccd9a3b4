import { Select } from '@mantine/core';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';
import { useSiteTimeZone } from '../../app/site-time-zone';
import { sessionOptionLabel } from './session-format';

/** Choose an exam session (场次) of a sitting. Used by the check-in desk and the progress view. */
export function SessionSelect(props: {
  sittingId: number | null;
  value: number | null;
  onChange: (sessionId: number | null) => void;
}) {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  const sessions = useQuery(
    orpc.sessions.list.queryOptions({
      input: props.sittingId === null ? skipToken : { sittingId: props.sittingId },
    }),
  );
  const data = (sessions.data ?? []).map((s) => ({
    value: String(s.id),
    label: sessionOptionLabel(s, t, timeZone),
  }));
  const known = props.value === null || data.some((option) => option.value === String(props.value));
  return (
    <Select
      label={t('sessions.select')}
      placeholder={t('sessions.selectPlaceholder')}
      data={data}
      value={props.value === null || !known ? null : String(props.value)}
      onChange={(value) => props.onChange(value === null ? null : Number(value))}
      disabled={props.sittingId === null}
      searchable
      nothingFoundMessage={
        sessions.isSuccess && data.length === 0 ? t('sessions.noSessions') : t('common.nothingFound')
      }
      error={sessions.isError ? errorText(sessions.error, t) : undefined}
      w={420}
      maw="100%"
    />
  );
}
