import type { TFunction } from 'i18next';
import type { ExamSession } from '../../../shared/contract/sessions';
import type { Sitting } from '../../../shared/contract/sittings';
import { COMPONENTS } from '../../../shared/domain/levels';
import type { Component } from '../../../shared/domain/levels';
import { siteDate, siteWallTimeToIso } from '../../../shared/domain/site-time';
import { formatDateTime, formatTime } from '../../app/format';

/** The components any level of the sitting takes, in the usual order. */
export function componentsOfSitting(sitting: Sitting | undefined): Component[] {
  if (!sitting) return [];
  const taken = new Set(Object.values(sitting.components).flat());
  return COMPONENTS.filter((component) => taken.has(component));
}

/** "2026-11-22 09:00" for the start; the end only as "11:00" when it is on the same day (at the site). */
export function formatSessionEnd(
  session: Pick<ExamSession, 'startsAt' | 'endsAt'>,
  timeZone: string,
): string {
  try {
    if (siteDate(session.startsAt, timeZone) === siteDate(session.endsAt, timeZone)) {
      return formatTime(session.endsAt, timeZone);
    }
  } catch {
    // not a time: shown as received
  }
  return formatDateTime(session.endsAt, timeZone);
}

export function sessionOptionLabel(session: ExamSession, t: TFunction, timeZone: string): string {
  return t('sessions.optionLabel', {
    name: session.name,
    component: t(`component.${session.component}`),
    time: `${formatDateTime(session.startsAt, timeZone)}–${formatSessionEnd(session, timeZone)}`,
  });
}

/** A real calendar day (YYYY-MM-DD) and time of day (HH:mm or HH:mm:ss). */
function isWallTime(date: string, time: string): boolean {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) return false;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const sameDay =
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day;
  return sameDay && Number(t[1]) < 24 && Number(t[2]) < 60 && Number(t[3] ?? 0) < 60;
}

/**
 * The date and time staff typed in the session form ("2026-12-08", "09:00"), read as the site's wall clock:
 * the instant as ISO 8601 in UTC ("2026-12-08T01:00:00.000Z" at Asia/Shanghai), or null when it is no time.
 */
export function siteWallTimeFromForm(date: string, time: string, timeZone: string): string | null {
  if (!isWallTime(date, time)) return null;
  try {
    return siteWallTimeToIso(date, time, timeZone);
  } catch {
    return null;
  }
}
