import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDateTime, formatDateTimeSeconds, formatTime, formatTimeSeconds, siteToday } from './format';

const SITE = 'Asia/Shanghai';
// The browser's zone: vitest runs in Node, where TZ is the zone Date's local methods use.
afterEach(() => {
  vi.unstubAllEnvs();
});

describe.each(['UTC', 'America/New_York', 'Asia/Shanghai'])('screen times with the browser in %s', (zone) => {
  it('are the site’s wall clock', () => {
    vi.stubEnv('TZ', zone);
    expect(formatTime('2026-12-08T01:30:00Z', SITE)).toBe('09:30');
    expect(formatTimeSeconds('2026-12-08T01:30:05.000Z', SITE)).toBe('09:30:05');
    expect(formatDateTime('2026-12-08T01:30:00Z', SITE)).toBe('2026-12-08 09:30');
    // Late in the evening in UTC is the next morning at the site.
    expect(formatDateTimeSeconds('2026-12-07T23:15:00Z', SITE)).toBe('2026-12-08 07:15:00');
    expect(formatTime(new Date('2026-12-08T01:30:00Z'), SITE)).toBe('09:30');
    expect(siteToday(SITE, new Date('2026-12-07T16:00:00Z'))).toBe('2026-12-08');
  });
});

describe('screen times', () => {
  it('follow another site zone, daylight saving included', () => {
    expect(formatDateTime('2026-12-08T14:30:00Z', 'America/New_York')).toBe('2026-12-08 09:30');
    expect(formatDateTime('2026-07-08T13:30:00Z', 'America/New_York')).toBe('2026-07-08 09:30');
    expect(formatTime('2026-12-08T01:30:00Z', 'UTC')).toBe('01:30');
  });

  it('show nothing for no time, and what came for what is not a time', () => {
    expect(formatDateTime(null, SITE)).toBe('');
    expect(formatDateTime(undefined, SITE)).toBe('');
    expect(formatDateTimeSeconds('', SITE)).toBe('');
    expect(formatDateTime('not a time', SITE)).toBe('not a time');
    expect(formatTime(new Date(Number.NaN), SITE)).toBe('');
  });
});
