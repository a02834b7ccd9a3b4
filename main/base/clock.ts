/**
 * The host's clock is the time authority for the site (design.md §2): every service, the audit trail and
 * every deadline take the time from one `Clock`. Tests pin it (`fixedClock`) or shift it (`offsetClock`).
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** Always the same instant; `set` moves it (a test's hands on the clock). */
export interface FixedClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): void;
}

export function fixedClock(at: Date | string): FixedClock {
  let now = new Date(at).getTime();
  const clock = (() => new Date(now)) as FixedClock;
  clock.set = (next) => {
    now = new Date(next).getTime();
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

/** The system clock shifted by `ms` (a host whose clock runs ahead or behind). */
export function offsetClock(ms: number): Clock {
  return () => new Date(Date.now() + ms);
}

/**
 * A clock described on the command line or in the environment (EXAM_SITE_CLOCK): an ISO time pins the
 * clock there (`fixed:2026-12-08T01:00:00Z`, or the bare ISO time), `offset:<ms>` shifts the system clock.
 */
export function parseClockSpec(spec: string | undefined): Clock | undefined {
  if (!spec) return undefined;
  const offset = /^offset:(-?\d+)$/.exec(spec);
  if (offset) return offsetClock(Number(offset[1]));
  const iso = spec.replace(/^fixed:/, '');
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) {
    throw new Error(`EXAM_SITE_CLOCK 无法识别：${spec}（应为 ISO 时间或 offset:<毫秒>）`);
  }
  return fixedClock(t);
}
