import { Group, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export interface SortState<F extends string> {
  field: F;
  direction: 'asc' | 'desc';
}

/**
 * A sortable column title: a button inside an ordinary column header. (mantine-datatable's own sortable
 * headers turn the <th> into role="button" and label their icons in English; this keeps a real column
 * header, named by its text alone, and a translated hint.)
 */
export function SortHeader<F extends string>(props: {
  label: string;
  field: F;
  sort: SortState<F> | null;
  onSort: (sort: SortState<F>) => void;
}) {
  const { t } = useTranslation();
  const active = props.sort?.field === props.field;
  const direction = active ? props.sort?.direction : undefined;
  const next: SortState<F> = { field: props.field, direction: direction === 'asc' ? 'desc' : 'asc' };
  const hint =
    direction === 'asc'
      ? t('common.sortedAsc')
      : direction === 'desc'
        ? t('common.sortedDesc')
        : t('common.sortable');
  return (
    <UnstyledButton
      onClick={() => props.onSort(next)}
      title={hint}
      fw={700}
      fz="sm"
      data-sort={direction ?? 'none'}
    >
      <Group gap={4} wrap="nowrap">
        <span>{props.label}</span>
        <span aria-hidden style={{ opacity: active ? 1 : 0.35 }}>
          {direction === 'desc' ? '▼' : direction === 'asc' ? '▲' : '⇅'}
        </span>
      </Group>
    </UnstyledButton>
  );
}
