/**
 * Online backup and restore of the SQLite database (anchors.md C.6): a backup taken while the site is
 * writing is a consistent, checked copy; old backups are pruned; restore keeps the replaced database,
 * removes stale WAL sidecars, and refuses a damaged backup without touching the live database; and the
 * operator's command-line tools do the same end to end.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_FILE_NAME, openDatabase, type Database } from './index';
import { BackupError, backupSqlite, integrityCheck, listBackups, restoreSqlite } from './backup';
import { appendAudit, verifyAuditChain } from '../audit/chain';
import { makeTempDir } from '../../test/support/engines';
import { REPO_ROOT, runTsx } from '../../test/support/cli';
import { kernelOf } from '../../test/support/kernel';

const ACTOR = { id: null, name: '测试' };

const dirs: string[] = [];
const opened: Database[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir;
}

async function open(dataDir: string): Promise<Database> {
  const db = await openDatabase({ dataDir });
  opened.push(db);
  return db;
}

async function close(db: Database): Promise<void> {
  opened.splice(opened.indexOf(db), 1);
  await db.close();
}

/** One setting and its audit entry, committed together. */
async function write(db: Database, key: string): Promise<void> {
  await kernelOf(db.knex).transaction(async (trx) => {
    await trx('settings').insert({ key, value: key });
    await appendAudit(trx, {
      actor: ACTOR,
      action: 'settings.set',
      entity: 'setting',
      entityId: key,
      after: key,
    });
  });
}

async function keysIn(dataDirOrFile: string): Promise<string[]> {
  const dataDir = dataDirOrFile.endsWith('.sqlite') ? copyToDataDir(dataDirOrFile) : dataDirOrFile;
  const db = await open(dataDir);
  const keys = ((await db.knex('settings').orderBy('key').pluck('key')) as string[]).filter((k) =>
    k.startsWith('k'),
  );
  await close(db);
  return keys;
}

/** Open a backup file as a data folder of its own (never open the backup itself for writing). */
function copyToDataDir(file: string): string {
  const dir = tempDir();
  fs.copyFileSync(file, path.join(dir, SQLITE_FILE_NAME));
  return dir;
}

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('backupSqlite', () => {
  it('copies the open database while it is being written: the copy passes integrity_check and holds the rows', async () => {
    const dataDir = tempDir();
    const backupDir = path.join(tempDir(), 'backups');
    const db = await open(dataDir);
    for (let i = 0; i < 50; i += 1) await write(db, `k${String(i).padStart(3, '0')}`);

    // Keep writing while the backup runs.
    let writing = true;
    let written = 50;
    const writer = (async () => {
      while (writing) {
        await write(db, `k${String(written).padStart(3, '0')}`);
        written += 1;
      }
    })();
    await sleep(20);
    const info = await backupSqlite(db.knex, backupDir);
    const writtenAfterBackup = written;
    await sleep(20);
    writing = false;
    await writer;

    expect(info.fileName).toMatch(/^exam-site-\d{8}T\d{9}Z\.sqlite$/);
    expect(info.integrity).toBe('ok');
    const file = path.join(backupDir, info.fileName);
    expect(info.sizeBytes).toBe(fs.statSync(file).size);
    expect(await integrityCheck(file)).toBe('ok');
    expect(fs.readdirSync(backupDir)).toEqual([info.fileName]); // no .partial, no -wal/-shm sidecars

    // A consistent snapshot: every row up to some point, and the audit chain of exactly those rows.
    const keys = await keysIn(file);
    expect(keys.length).toBeGreaterThanOrEqual(50);
    expect(keys.length).toBeLessThanOrEqual(writtenAfterBackup);
    expect(keys).toEqual(Array.from({ length: keys.length }, (_, i) => `k${String(i).padStart(3, '0')}`));
    const copy = await open(copyToDataDir(file));
    expect(await verifyAuditChain(copy.knex)).toEqual({ ok: true, checked: keys.length, firstBroken: null });

    // The live database kept every write.
    expect(written).toBeGreaterThan(50);
    expect(await db.knex('settings').count<{ n: number }[]>({ n: '*' })).toEqual([{ n: written }]);
  });

  it('lists backups newest first and prunes all but the newest N', async () => {
    const dataDir = tempDir();
    const backupDir = path.join(tempDir(), 'backups');
    const db = await open(dataDir);
    expect(listBackups(backupDir)).toEqual([]);
    const made: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      await write(db, `k${i}`);
      made.push((await backupSqlite(db.knex, backupDir, 3)).fileName);
      await sleep(5); // distinct millisecond stamps
    }
    fs.writeFileSync(path.join(backupDir, 'notes.txt'), 'not a backup');
    const listed = listBackups(backupDir);
    expect(listed.map((b) => b.fileName)).toEqual([made[3], made[2], made[1]]);
    expect(fs.existsSync(path.join(backupDir, made[0]!))).toBe(false);
    expect(fs.existsSync(path.join(backupDir, 'notes.txt'))).toBe(true);
    for (const b of listed) expect(b.sizeBytes).toBe(fs.statSync(path.join(backupDir, b.fileName)).size);
    expect(await keysIn(path.join(backupDir, made[3]!))).toEqual(['k0', 'k1', 'k2', 'k3']);
  });

  it('works in folders whose names have spaces, Chinese, # and % (as Windows user folders do)', async () => {
    const dataDir = path.join(tempDir(), '考点 数据 #1 %20');
    const backupDir = path.join(dataDir, '备份 #2 %41');
    const db = await open(dataDir);
    await write(db, 'k1');
    const info = await backupSqlite(db.knex, backupDir);
    expect(info.integrity).toBe('ok');
    expect(listBackups(backupDir).map((b) => b.fileName)).toEqual([info.fileName]);
    await close(db);
    const result = await restoreSqlite(dataDir, path.join(backupDir, info.fileName));
    expect(result.previousSavedAs?.startsWith(dataDir)).toBe(true);
    expect(await keysIn(dataDir)).toEqual(['k1']);
  });
});

/** Leave `dataDir` as a crashed app would: committed rows still in the -wal file, never checkpointed. */
function crashWithWal(dataDir: string, key: string): Promise<void> {
  const script = `
    const sqlite3 = require('sqlite3');
    const db = new sqlite3.Database(process.argv[1]);
    db.exec("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; INSERT INTO settings(key, value) VALUES ('${key}', 'x');", (err) => {
      if (err) { console.error(err); process.exit(3); }
      process.exit(0); // no close: the WAL stays behind
    });`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script, path.join(dataDir, SQLITE_FILE_NAME)],
      { cwd: REPO_ROOT },
      (err, _o, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()),
    );
  });
}

describe('restoreSqlite', () => {
  it('replaces the database with the backup, keeps the previous one complete, and removes stale sidecars', async () => {
    const dataDir = tempDir();
    const backupDir = path.join(tempDir(), 'backups');
    const db = await open(dataDir);
    await write(db, 'k1');
    const backup = path.join(backupDir, (await backupSqlite(db.knex, backupDir)).fileName);
    await write(db, 'k2');
    await close(db);
    await crashWithWal(dataDir, 'k3-crashed');
    const live = path.join(dataDir, SQLITE_FILE_NAME);
    expect(fs.statSync(`${live}-wal`).size).toBeGreaterThan(0);

    const result = await restoreSqlite(dataDir, backup);

    expect(result.restoredFrom).toBe(backup);
    expect(result.previousSavedAs).toMatch(/exam-site\.sqlite\.before-restore-\d{8}T\d{9}Z$/);
    expect(path.dirname(result.previousSavedAs!)).toBe(dataDir);
    expect(fs.existsSync(`${live}-wal`)).toBe(false);
    expect(fs.existsSync(`${live}-shm`)).toBe(false);
    expect(sha(live)).toBe(sha(backup));
    expect(await keysIn(dataDir)).toEqual(['k1']);
    // The replaced database was saved with the crashed app's WAL folded in: nothing is lost by restoring.
    const saved = await open(copyToDataDir(result.previousSavedAs!));
    expect((await saved.knex('settings').orderBy('key').pluck('key')) as string[]).toEqual([
      'k1',
      'k2',
      'k3-crashed',
    ]);
  });

  /** A live database with a backup of it; `damage` is applied to the live file after closing. */
  async function damagedLive(damage: (buf: Buffer) => void): Promise<{ dataDir: string; backup: string }> {
    const dataDir = tempDir();
    const backupDir = path.join(tempDir(), 'backups');
    const db = await open(dataDir);
    for (let i = 0; i < 30; i += 1) await write(db, `k${String(i).padStart(2, '0')}`);
    await db.knex('settings').insert({ key: 'padding', value: 'p'.repeat(60_000) });
    const backup = path.join(backupDir, (await backupSqlite(db.knex, backupDir)).fileName);
    await close(db);
    const live = path.join(dataDir, SQLITE_FILE_NAME);
    const buf = fs.readFileSync(live);
    damage(buf);
    fs.writeFileSync(live, buf);
    await expect(openDatabase({ dataDir })).rejects.toThrow(); // the app refuses it: restore is the way out
    return { dataDir, backup };
  }

  it('restores over a live database with a damaged page', async () => {
    const { dataDir, backup } = await damagedLive((buf) => {
      let page = Math.floor(buf.length / 4096 / 2);
      while (buf[page * 4096] !== 0x0d) page += 1; // a b-tree leaf page of table data
      crypto.randomFillSync(buf, page * 4096, 4096);
    });
    const result = await restoreSqlite(dataDir, backup);
    expect(fs.existsSync(result.previousSavedAs!)).toBe(true);
    expect(await keysIn(dataDir)).toHaveLength(30);
  });

  // openDatabase tells the operator to restore exactly when the live file is damaged, so restore must not
  // depend on opening it.
  it('restores over a live database whose header is damaged', async () => {
    const { dataDir, backup } = await damagedLive((buf) => {
      crypto.randomFillSync(buf, 0, 100);
    });
    const result = await restoreSqlite(dataDir, backup);
    expect(fs.existsSync(result.previousSavedAs!)).toBe(true);
    expect(await keysIn(dataDir)).toHaveLength(30);
  });

  it('restores into an empty data folder (nothing to keep)', async () => {
    const source = tempDir();
    const db = await open(source);
    await write(db, 'k1');
    const backup = path.join(source, 'b', (await backupSqlite(db.knex, path.join(source, 'b'))).fileName);
    const target = path.join(tempDir(), 'new-site');
    expect(await restoreSqlite(target, backup)).toEqual({ restoredFrom: backup, previousSavedAs: null });
    expect(await keysIn(target)).toEqual(['k1']);
  });

  it('refuses a damaged backup and leaves the live database untouched', async () => {
    const dataDir = tempDir();
    const backupDir = path.join(tempDir(), 'backups');
    const db = await open(dataDir);
    for (let i = 0; i < 30; i += 1) {
      await db.knex('settings').insert({ key: `k${String(i).padStart(2, '0')}`, value: 'v'.repeat(300) });
    }
    const backup = path.join(backupDir, (await backupSqlite(db.knex, backupDir)).fileName);
    await close(db);
    // Damage a leaf page of the backup (its first free block points into the page header).
    const buf = fs.readFileSync(backup);
    const pages = buf.length / 4096;
    let page = -1;
    for (let p = pages - 1; p > 0 && page < 0; p -= 1) if (buf[p * 4096] === 0x0d) page = p;
    expect(page).toBeGreaterThan(0);
    buf.writeUInt16BE(10, page * 4096 + 1);
    fs.writeFileSync(backup, buf);
    const live = path.join(dataDir, SQLITE_FILE_NAME);
    const before = sha(live);
    const filesBefore = fs.readdirSync(dataDir).sort();

    const err = await restoreSqlite(dataDir, backup).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BackupError);
    expect((err as Error).message).toMatch(/^备份文件已损坏，未恢复：.*free space corruption/s);
    expect(sha(live)).toBe(before);
    expect(fs.readdirSync(dataDir).sort()).toEqual(filesBefore);
    expect((await keysIn(dataDir)).length).toBe(30);
  });

  it('refuses a backup with a page of garbage, without touching the backup or the live database', async () => {
    const dataDir = tempDir();
    const backupDir = path.join(tempDir(), 'backups');
    const db = await open(dataDir);
    for (let i = 0; i < 30; i += 1) {
      await db.knex('settings').insert({ key: `k${String(i).padStart(2, '0')}`, value: 'v'.repeat(300) });
    }
    const backup = path.join(backupDir, (await backupSqlite(db.knex, backupDir)).fileName);
    await close(db);
    const buf = fs.readFileSync(backup);
    const middle = Math.floor(buf.length / 4096 / 2);
    crypto.randomFillSync(buf, middle * 4096, 4096);
    fs.writeFileSync(backup, buf);
    const live = path.join(dataDir, SQLITE_FILE_NAME);
    const [liveBefore, backupBefore] = [sha(live), sha(backup)];
    const filesBefore = fs.readdirSync(dataDir).sort();

    await expect(restoreSqlite(dataDir, backup)).rejects.toThrow(/备份文件已损坏|SQLITE_CORRUPT/);
    expect(sha(live)).toBe(liveBefore);
    expect(sha(backup)).toBe(backupBefore); // checked read-only
    expect(fs.readdirSync(dataDir).sort()).toEqual(filesBefore);
    expect(fs.readdirSync(backupDir)).toEqual([path.basename(backup)]);
  });

  it('refuses a backup file that does not exist', async () => {
    const dataDir = tempDir();
    const missing = path.join(dataDir, 'nope.sqlite');
    await expect(restoreSqlite(dataDir, missing)).rejects.toThrow(
      new BackupError(`找不到备份文件：${missing}`),
    );
  });
});

describe('npm run backup / npm run restore', () => {
  it('backs up and restores a data folder end to end', async () => {
    const dataDir = tempDir();
    const db = await open(dataDir);
    await write(db, 'k1');
    await write(db, 'k2');
    await close(db);

    const b = await runTsx('main/db/backup-cli.ts', ['backup', '--data', dataDir], {
      DATABASE_URL: undefined,
    });
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    const m = /^已备份：(exam-site-\d{8}T\d{9}Z\.sqlite)（(\d+) 字节，完整性检查：ok）\n$/.exec(b.stdout);
    expect(m, b.stdout).not.toBeNull();
    const backupFile = path.join(dataDir, 'backups', m![1]!);
    expect(fs.statSync(backupFile).size).toBe(Number(m![2]));

    const db2 = await open(dataDir);
    await write(db2, 'k3');
    await close(db2);

    const r = await runTsx('main/db/backup-cli.ts', ['restore', '--data', dataDir, '--from', backupFile], {
      DATABASE_URL: undefined,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const saved = fs.readdirSync(dataDir).find((f) => f.startsWith(`${SQLITE_FILE_NAME}.before-restore-`));
    expect(saved).toBeDefined();
    expect(r.stdout).toBe(`已从 ${backupFile} 恢复。原数据库已保存为 ${path.join(dataDir, saved!)}。\n`);
    expect(await keysIn(dataDir)).toEqual(['k1', 'k2']);
    const restored = await open(dataDir);
    expect(await verifyAuditChain(restored.knex)).toEqual({ ok: true, checked: 2, firstBroken: null });
  });

  it('explains what is missing when restore has no --from, and usage for an unknown command', async () => {
    const dataDir = tempDir();
    const r = await runTsx('main/db/backup-cli.ts', ['restore', '--data', dataDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('请用 --from 指定备份文件\n');
    const u = await runTsx('main/db/backup-cli.ts', ['frobnicate', '--data', dataDir]);
    expect(u.code).toBe(2);
    expect(u.stderr).toBe('用法：backup-cli.ts backup|restore --data DIR [--to DIR] [--from FILE]\n');
  });
});
