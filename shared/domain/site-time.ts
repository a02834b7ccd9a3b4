/**
 * Times as the site says and prints them: in the site's time zone (setting `site.timeZone`, default
 * Asia/Shanghai), whatever zone the host or the browser runs in. Stored times are ISO 8601 in UTC; only
 * what a person reads goes through here. Pure (Intl.DateTimeFormat), so the host, the printouts and the
 * screens share it.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** True when the runtime knows the IANA zone name. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
}

export interface SiteTimeParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in the zone. Throws RangeError for an invalid time. */
export function siteTimeParts(at: Date | string, timeZone: string = DEFAULT_TIME_ZONE): SiteTimeParts {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) throw new RangeError(`时间格式有误：${String(at)}`);
  const parts = formatterFor(timeZone).formatToParts(d);
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** `HH:mm` in the zone. */
export function siteHhmm(at: Date | string, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = siteTimeParts(at, timeZone);
  return `${p.hour}:${p.minute}`;
}

/** `HH:mm:ss` in the zone. */
export function siteHhmmss(at: Date | string, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = siteTimeParts(at, timeZone);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/** `YYYY-MM-DD` in the zone (the site's calendar day). */
export function siteDate(at: Date | string, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = siteTimeParts(at, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `YYYY-MM-DD HH:mm` in the zone. */
export function siteDateTime(at: Date | string, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = siteTimeParts(at, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/**
 * The instant at which the zone's wall clock reads `date` (YYYY-MM-DD) `time` (HH:mm): what staff mean when
 * they type a session's start. Handles zones with daylight saving by correcting once for the offset found.
 */
export function siteWallTimeToIso(date: string, time: string, timeZone: string = DEFAULT_TIME_ZONE): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m || !t) throw new RangeError(`时间格式有误：${date} ${time}`);
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +t[1]!, +t[2]!, +(t[3] ?? 0));
  const offsetAt = (instant: number) => {
    const p = siteTimeParts(new Date(instant), timeZone);
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - instant;
  };
  let guess = wall - offsetAt(wall);
  guess = wall - offsetAt(guess);
  return new Date(guess).toISOString();
}
