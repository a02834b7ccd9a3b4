import type { TFunction } from 'i18next';
import { LEVELS } from '../../shared/domain/levels';
import type { Level } from '../../shared/domain/levels';

export function isLevel(value: number): value is Level {
  return (LEVELS as readonly number[]).includes(value);
}

/** Levels as strings for Mantine inputs (Checkbox.Group, MultiSelect) → back to numbers, in level order. */
export function levelsFromStrings(values: readonly string[]): Level[] {
  return LEVELS.filter((level) => values.includes(String(level)));
}

export function levelOptions(
  t: TFunction,
  levels: readonly Level[] = LEVELS,
): { value: string; label: string }[] {
  return levels.map((level) => ({ value: String(level), label: t(`level.${level}`) }));
}
