/**
 * A host whose system clock is set to UTC (a Linux container) and one set to China time say and print the
 * same times: the site's time zone (setting site.timeZone, default Asia/Shanghai) decides, not the process's.
 * The process zone really changes between the runs (Node re-reads TZ), which the test checks first.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/engines';
import { buildSite } from '../../test/support/site';
import { fixedClock } from '../base/clock';
import { SETTING_KEYS } from '../system/settings';

const originalTz = process.env.TZ;
afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

function pdfText(bytes: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tz-pdf-'));
  try {
    fs.writeFileSync(path.join(dir, 'doc.pdf'), bytes);
    return execFileSync('pdftotext', ['-layout', path.join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What a host running in `tz` tells the desk and prints on the ticket for the same session. */
async function whatTheHostSays(db: Parameters<typeof buildSite>[0], tz: string) {
  process.env.TZ = tz;
  // 00:00 UTC on 8 December; the session starts 01:00 UTC = 09:00 in China, check-in opens 08:30.
  const clock = fixedClock('2026-12-08T00:00:00.000Z');
  const processHour = new Date('2026-12-08T01:00:00.000Z').getHours();
  const site = await buildSite(db, { clock, candidates: 2, startsAt: '2026-12-08T01:00:00.000Z' });
  const someone = site.candidates[0]!;
  const early = await site.services.checkin.manual(site.admin.actor, {
    sessionId: site.session.id,
    roomId: someone.roomId,
    candidateId: someone.id,
    method: 'ticket',
    reason: '未带身份证',
  });
  const ticket = await site.services.printing.preview({
    kind: 'admission-ticket',
    sittingId: site.sitting.id,
    candidateIds: [someone.id],
  });
  return {
    processHour,
    message: early.ok ? 'checked in' : early.message,
    ticket: pdfText(Buffer.from(ticket.dataBase64, 'base64')),
  };
}

describeEachEngine(
  'site time zone',
  (getDb) => {
    it('says the same check-in time on a host in UTC and one in China', async () => {
      const utc = await whatTheHostSays(getDb(), 'UTC');
      expect(utc.processHour).toBe(1);
      expect(utc.message).toBe('签到尚未开始（08:30 开始）');
      expect(utc.ticket).toContain('2026年12月08日 09:00–11:00');
    });

    it('prints the same ticket time on a host in China', async () => {
      const china = await whatTheHostSays(getDb(), 'Asia/Shanghai');
      expect(china.processHour).toBe(9);
      expect(china.message).toBe('签到尚未开始（08:30 开始）');
      expect(china.ticket).toContain('2026年12月08日 09:00–11:00');
    });

    it('follows the site setting, not the host, when the site is elsewhere', async () => {
      process.env.TZ = 'Asia/Shanghai';
      const clock = fixedClock('2026-12-08T00:00:00.000Z');
      const site = await buildSite(getDb(), { clock, candidates: 1, startsAt: '2026-12-08T01:00:00.000Z' });
      await site.services.system.updateSiteSettings(site.admin.actor, { updaterUrl: '', timeZone: 'UTC' });
      expect(await site.services.settings.get(SETTING_KEYS.timeZone)).toBe('UTC');
      const r = await site.services.checkin.manual(site.admin.actor, {
        sessionId: site.session.id,
        roomId: site.candidates[0]!.roomId,
        candidateId: site.candidates[0]!.id,
        method: 'ticket',
        reason: '未带身份证',
      });
      expect(r.ok ? '' : r.message).toBe('签到尚未开始（00:30 开始）');
    });
  },
  { per: 'test' },
);
