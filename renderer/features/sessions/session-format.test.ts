import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatSessionEnd, siteWallTimeFromForm } from './session-format';

const SITE = 'Asia/Shanghai';
// The browser's zone: vitest runs in Node, where TZ is the zone Date's local methods use.
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the session form’s date and time', () => {
  it.each(['UTC', 'America/New_York'])('are read as the site’s wall clock with the browser in %s', (zone) => {
    vi.stubEnv('TZ', zone);
    expect(siteWallTimeFromForm('2026-12-08', '09:00', SITE)).toBe('2026-12-08T01:00:00.000Z');
    expect(siteWallTimeFromForm('2026-12-08', '07:30', SITE)).toBe('2026-12-07T23:30:00.000Z');
    expect(siteWallTimeFromForm('2026-12-08', '23:59:30', SITE)).toBe('2026-12-08T15:59:30.000Z');
  });

  it('follow the site zone’s daylight saving', () => {
    expect(siteWallTimeFromForm('2026-12-08', '09:00', 'America/New_York')).toBe('2026-12-08T14:00:00.000Z');
    expect(siteWallTimeFromForm('2026-07-08', '09:00', 'America/New_York')).toBe('2026-07-08T13:00:00.000Z');
  });

  it('are null when they are no real day or time', () => {
    for (const [date, time] of [
      ['', '09:00'],
      ['2026-12-08', ''],
      ['2026-02-30', '09:00'],
      ['2026-13-01', '09:00'],
      ['2026-12-08', '24:00'],
      ['2026-12-08', '09:60'],
      ['2026-12-08', '9:00'],
      ['08/12/2026', '09:00'],
    ]) {
      expect(siteWallTimeFromForm(date!, time!, SITE), `${date} ${time}`).toBeNull();
    }
  });
});

describe('a session’s end', () => {
  it('is only the time when it is on the start’s day at the site', () => {
    vi.stubEnv('TZ', 'UTC');
    // 07:00–09:00 at the site, though the two instants fall on different UTC days.
    expect(formatSessionEnd({ startsAt: '2026-12-07T23:00:00Z', endsAt: '2026-12-08T01:00:00Z' }, SITE)).toBe(
      '09:00',
    );
    // 23:00–01:00 at the site: the next day, though one UTC day.
    expect(formatSessionEnd({ startsAt: '2026-12-08T15:00:00Z', endsAt: '2026-12-08T17:00:00Z' }, SITE)).toBe(
      '2026-12-09 01:00',
    );
  });
});
