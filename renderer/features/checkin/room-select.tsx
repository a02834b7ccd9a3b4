import { Select } from '@mantine/core';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';

/** Choose one of the rooms of a session (the rooms with seats or staff in it). */
export function RoomSelect(props: {
  sessionId: number | null;
  value: number | null;
  onChange: (roomId: number | null) => void;
}) {
  const { t } = useTranslation();
  const plan = useQuery(
    orpc.sessions.plan.queryOptions({
      input: props.sessionId === null ? skipToken : { sessionId: props.sessionId },
    }),
  );
  const data = (plan.data ?? []).map((room) => ({
    value: String(room.roomId),
    label: room.roomName,
  }));
  const known = data.some((option) => option.value === String(props.value));
  return (
    <Select
      label={t('checkin.room')}
      placeholder={t('checkin.roomPlaceholder')}
      data={data}
      value={known ? String(props.value) : null}
      onChange={(value) => props.onChange(value === null ? null : Number(value))}
      disabled={props.sessionId === null}
      nothingFoundMessage={t('common.nothingFound')}
      error={
        plan.isError
          ? errorText(plan.error, t)
          : plan.isSuccess && data.length === 0
            ? t('checkin.noRooms')
            : undefined
      }
      maw="100%"
    />
  );
}
