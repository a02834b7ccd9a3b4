import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db';
import { integrityCheck } from '../db/backup';
import { verifyAuditChain } from '../audit/chain';
import { SystemService } from './system.service';
import { SettingsStore } from './settings';
import { kernelOf } from '../../test/support/kernel';

let db: Database | undefined;
let dir = '';
afterEach(async () => {
  await db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('scheduled backups (SQLite)', () => {
  it('writes integrity-checked backups on the schedule, each audited, until stopped', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-schedule-'));
    db = await openDatabase({ dataDir: path.join(dir, 'data') });
    const backupDir = path.join(dir, 'usb-drive');
    const system = new SystemService(
      db,
      kernelOf(db.knex),
      new SettingsStore(kernelOf(db.knex)),
      path.join(dir, 'data'),
      backupDir,
    );
    const log: string[] = [];
    system.startSchedule(0.002, (m) => log.push(m)); // every 120 ms
    await expect
      .poll(() => log.filter((m) => m.endsWith(' ok')).length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    system.stopSchedule();
    const settled = log.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(log.length).toBe(settled); // stopped means stopped
    const files = fs.readdirSync(backupDir).filter((f) => f.endsWith('.sqlite'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(await integrityCheck(path.join(backupDir, f))).toBe('ok');
    const audited = await db
      .knex('audit_log')
      .where({ action: 'system.backup' })
      .count<{ n: number }[]>({ n: '*' });
    expect(Number(audited[0]?.n)).toBe(files.length);
    expect((await verifyAuditChain(db.knex)).ok).toBe(true);
  });

  it('does nothing when the interval is zero', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-schedule-'));
    db = await openDatabase({ dataDir: path.join(dir, 'data') });
    const system = new SystemService(
      db,
      kernelOf(db.knex),
      new SettingsStore(kernelOf(db.knex)),
      path.join(dir, 'data'),
      path.join(dir, 'b'),
    );
    const log: string[] = [];
    system.startSchedule(0, (m) => log.push(m));
    await new Promise((r) => setTimeout(r, 200));
    expect(log).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'b'))).toBe(false);
  });
});
