/**
 * Times as the screens show them: always in the site's time zone (useSiteTimeZone()), whatever zone the
 * browser runs in, with the shared helpers the host's messages and printouts use (shared/domain/site-time.ts).
 * Pure: every function takes the zone.
 */
import { siteDate, siteDateTime, siteHhmm, siteHhmmss } from '../../shared/domain/site-time';

/** The text, or the input itself when it is not a time (shown as received rather than hidden). */
function shown<T extends string | Date>(at: T | null | undefined, format: (at: T) => string): string {
  if (!at) return '';
  try {
    return format(at);
  } catch {
    return typeof at === 'string' ? at : '';
  }
}

/** A timestamp from the server (ISO 8601) as the site's date and time, e.g. 2026-11-22 09:30. */
export function formatDateTime(iso: string | null | undefined, timeZone: string): string {
  return shown(iso, (v) => siteDateTime(v, timeZone));
}

/** 2026-11-22 09:30:05 in the site's zone. */
export function formatDateTimeSeconds(iso: string | null | undefined, timeZone: string): string {
  return shown(iso, (v) => `${siteDate(v, timeZone)} ${siteHhmmss(v, timeZone)}`);
}

/** 09:30:05 in the site's zone. */
export function formatTimeSeconds(iso: string | null | undefined, timeZone: string): string {
  return shown(iso, (v) => siteHhmmss(v, timeZone));
}

/** 09:30 in the site's zone. */
export function formatTime(at: string | Date | null | undefined, timeZone: string): string {
  return shown(at, (v) => siteHhmm(v, timeZone));
}

/** The site's calendar day (YYYY-MM-DD) at `now`. */
export function siteToday(timeZone: string, now: Date = new Date()): string {
  return siteDate(now, timeZone);
}
