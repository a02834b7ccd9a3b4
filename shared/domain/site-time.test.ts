import { describe, expect, it } from 'vitest';
import {
  isValidTimeZone,
  siteDate,
  siteDateTime,
  siteHhmm,
  siteHhmmss,
  siteWallTimeToIso,
} from './site-time';

describe('site time', () => {
  it('says the time in the site zone, not the runtime zone', () => {
    // 01:30 UTC is 09:30 in China and still the previous evening in New York.
    expect(siteHhmm('2026-12-08T01:30:00Z')).toBe('09:30');
    expect(siteHhmmss('2026-12-08T01:30:05Z', 'Asia/Shanghai')).toBe('09:30:05');
    expect(siteHhmm('2026-12-08T01:30:00Z', 'UTC')).toBe('01:30');
    expect(siteDate('2026-12-07T17:00:00Z')).toBe('2026-12-08');
    expect(siteDate('2026-12-07T17:00:00Z', 'America/New_York')).toBe('2026-12-07');
    expect(siteDateTime('2026-12-07T16:05:00Z')).toBe('2026-12-08 00:05');
  });

  it('turns what staff type into the instant, and back', () => {
    expect(siteWallTimeToIso('2026-12-08', '09:00')).toBe('2026-12-08T01:00:00.000Z');
    expect(siteWallTimeToIso('2026-12-08', '09:00', 'UTC')).toBe('2026-12-08T09:00:00.000Z');
    // Across a daylight-saving change: New York is UTC−4 in July, UTC−5 in December.
    expect(siteWallTimeToIso('2026-07-01', '09:00', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
    expect(siteWallTimeToIso('2026-12-01', '09:00', 'America/New_York')).toBe('2026-12-01T14:00:00.000Z');
    expect(() => siteWallTimeToIso('2026-13-1', '9:00')).toThrow(RangeError);
  });

  it('knows valid zone names', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('refuses a time that is not one', () => {
    expect(() => siteHhmm('not a time')).toThrow(RangeError);
  });
});
