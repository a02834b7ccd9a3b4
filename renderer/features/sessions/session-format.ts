import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import type { ExamSession } from '../../../shared/contract/sessions';
import type { Sitting } from '../../../shared/contract/sittings';
import { COMPONENTS } from '../../../shared/domain/levels';
import type { Component } from '../../../shared/domain/levels';
import { formatDateTime } from '../../app/format';

/** The components any level of the sitting takes, in the usual order. */
export function componentsOfSitting(sitting: Sitting | undefined): Component[] {
  if (!sitting) return [];
  const taken = new Set(Object.values(sitting.components).flat());
  return COMPONENTS.filter((component) => taken.has(component));
}

/** "2026-11-22 09:00" for the start; the end only as "11:00" when it is on the same day. */
export function formatSessionEnd(session: Pick<ExamSession, 'startsAt' | 'endsAt'>): string {
  const start = dayjs(session.startsAt);
  const end = dayjs(session.endsAt);
  if (start.isValid() && end.isValid() && start.isSame(end, 'day')) return end.format('HH:mm');
  return formatDateTime(session.endsAt);
}

export function sessionOptionLabel(session: ExamSession, t: TFunction): string {
  return t('sessions.optionLabel', {
    name: session.name,
    component: t(`component.${session.component}`),
    time: `${formatDateTime(session.startsAt)}–${formatSessionEnd(session)}`,
  });
}

/** A local date and time from the form ("2026-11-22", "09:00") as ISO 8601 with the local offset. */
export function toIsoWithOffset(date: string, time: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}(:\d{2})?$/.test(time)) return null;
  const value = dayjs(`${date}T${time}`);
  return value.isValid() ? value.format('YYYY-MM-DDTHH:mm:ssZ') : null;
}
