import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';

/** Choose a sitting (考试批次). Used by the candidates and roster pages. */
export function SittingSelect(props: { value: number | null; onChange: (sittingId: number | null) => void }) {
  const { t } = useTranslation();
  const sittings = useQuery(orpc.sittings.list.queryOptions());
  const data = (sittings.data ?? []).map((s) => ({
    value: String(s.id),
    label: t('sittings.optionLabel', { name: s.name, occupation: s.occupationName, start: s.startDate }),
  }));
  return (
    <Select
      label={t('sittings.select')}
      placeholder={t('sittings.selectPlaceholder')}
      data={data}
      value={props.value === null ? null : String(props.value)}
      onChange={(value) => props.onChange(value === null ? null : Number(value))}
      searchable
      nothingFoundMessage={t('common.nothingFound')}
      error={sittings.isError ? errorText(sittings.error, t) : undefined}
      w={420}
      maw="100%"
    />
  );
}
