/**
 * openDatabase on both engines: the schema is created by the bundled migrations, opening again changes
 * nothing, a database from a newer app is refused; on SQLite the reliability pragmas are really in force
 * and a damaged file is refused before anything is written to it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DatabaseCorruptError,
  DatabaseFromFutureError,
  SQLITE_FILE_NAME,
  openDatabase,
  type Database,
} from './index';
import { MIGRATIONS } from './migrations';
import { GENESIS_HASH } from '../audit/chain';
import { describeEachEngine, makeTempDir } from '../../test/support/engines';
import { kernelOf } from '../../test/support/kernel';

const TABLES = [
  'users',
  'sessions',
  'settings',
  'organisation',
  'occupations',
  'sittings',
  'roster_imports',
  'candidates',
  'audit_log',
  'audit_head',
  'exam_sessions',
  'rooms',
  'seat_assignments',
  'room_staff',
  'staffing_overrides',
  'checkins',
  'checkin_verifications',
  'knex_migrations',
  'knex_migrations_lock',
];

async function migrationNames(db: Database): Promise<string[]> {
  return (await db.knex('knex_migrations').orderBy('id').pluck<string[]>('name')).map(String);
}

describeEachEngine('openDatabase', (getDb, target) => {
  it('creates every table of the foundation schema and the audit chain head at genesis', async () => {
    const { knex } = getDb();
    for (const table of TABLES) expect(await knex.schema.hasTable(table), table).toBe(true);
    expect(await migrationNames(getDb())).toEqual(MIGRATIONS.map((m) => m.name));
    const head = await knex('audit_head').first<{ id: number; seq: number; hash: string }>();
    expect({ id: Number(head.id), seq: Number(head.seq), hash: head.hash }).toEqual({
      id: 1,
      seq: 0,
      hash: GENESIS_HASH,
    });
  });

  it('enforces foreign keys (a session for a user that does not exist is refused)', async () => {
    const { knex } = getDb();
    await expect(
      knex('sessions').insert({
        token_hash: 'x'.repeat(64),
        user_id: 999_999,
        created_at: '2026-01-01T00:00:00.000Z',
        last_seen_at: '2026-01-01T00:00:00.000Z',
        expires_at: '2026-01-01T01:00:00.000Z',
        client: 'test',
      }),
    ).rejects.toThrow(/foreign key/i);
  });

  it('opens again without re-running migrations or touching the data', async () => {
    const first = getDb();
    await first.knex('settings').insert({ key: 'reopen.check', value: '1' });
    const again = await openDatabase(target.options());
    try {
      expect(again.engine).toBe(target.engine);
      expect(await migrationNames(again)).toEqual(MIGRATIONS.map((m) => m.name));
      expect(await again.knex('settings').where({ key: 'reopen.check' }).first('value')).toEqual({
        value: '1',
      });
    } finally {
      await again.close();
    }
  });
});

describeEachEngine(
  'openDatabase refuses a database from a newer app',
  (getDb, target) => {
    it('throws DatabaseFromFutureError naming the unknown migration, and leaves the database as it was', async () => {
      const db = getDb();
      await db
        .knex('knex_migrations')
        .insert({ name: '0099-add-future-thing', batch: 2, migration_time: new Date() });
      await db.knex('settings').insert({ key: 'kept', value: 'yes' });
      let error: unknown;
      try {
        const opened = await openDatabase(target.options());
        await opened.close();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DatabaseFromFutureError);
      const err = error as DatabaseFromFutureError;
      expect(err.unknownMigrations).toEqual(['0099-add-future-thing']);
      expect(err.message).toBe(
        '数据库由更新版本的程序创建（包含本程序不认识的迁移：0099-add-future-thing）。请安装新版本后再打开，或从备份恢复。',
      );
      // Nothing was migrated or removed by the refused open.
      expect(await migrationNames(db)).toEqual([...MIGRATIONS.map((m) => m.name), '0099-add-future-thing']);
      expect(await db.knex('settings').where({ key: 'kept' }).first('value')).toEqual({ value: 'yes' });
    });
  },
  { per: 'test' },
);

describe('openDatabase on SQLite', () => {
  const dirs: string[] = [];
  const opened: Database[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  async function fresh(): Promise<{ dir: string; db: Database }> {
    const dir = makeTempDir();
    dirs.push(dir);
    const db = await openDatabase({ dataDir: dir });
    opened.push(db);
    return { dir, db };
  }

  it('creates the database file in the data folder, creating the folder if needed', async () => {
    const parent = makeTempDir();
    dirs.push(parent);
    const dataDir = path.join(parent, 'nested', 'data');
    const db = await openDatabase({ dataDir });
    opened.push(db);
    expect(db.engine).toBe('sqlite');
    expect(db.file).toBe(path.join(dataDir, SQLITE_FILE_NAME));
    expect(fs.existsSync(db.file!)).toBe(true);
  });

  it('runs with WAL, synchronous=FULL, foreign_keys=ON and a 5 s busy timeout on the pool connection', async () => {
    const { db } = await fresh();
    type Rows = Array<Record<string, unknown>>;
    const one = async (pragma: string) => (await db.knex.raw<Rows>(`PRAGMA ${pragma}`))[0];
    expect(await one('journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await one('synchronous')).toEqual({ synchronous: 2 }); // 2 = FULL
    expect(await one('foreign_keys')).toEqual({ foreign_keys: 1 });
    expect(await one('busy_timeout')).toEqual({ timeout: 5000 });
    // The pragmas hold inside transactions too (same single pooled connection).
    await kernelOf(db.knex).transaction(async (trx) => {
      expect((await trx.raw<Rows>('PRAGMA foreign_keys'))[0]).toEqual({ foreign_keys: 1 });
    });
  });

  /** Close the database, damage the file with `damage`, and try to open it again. */
  async function damagedOpen(
    damage: (buf: Buffer, pageSize: number) => void,
  ): Promise<{ error: unknown; changed: boolean }> {
    const { dir, db } = await fresh();
    // Enough rows that the data spans many pages.
    for (let i = 0; i < 40; i += 1) {
      await db
        .knex('settings')
        .insert(Array.from({ length: 10 }, (_, j) => ({ key: `k${i * 10 + j}`, value: 'x'.repeat(200) })));
    }
    const rootPage = (
      await db.knex.raw<Array<{ rootpage: number }>>(
        "select rootpage from sqlite_master where name = 'settings'",
      )
    )[0]!.rootpage;
    expect(rootPage).toBeGreaterThan(1);
    await db.close();
    opened.splice(opened.indexOf(db), 1);
    const file = path.join(dir, SQLITE_FILE_NAME);
    expect(fs.existsSync(`${file}-wal`), 'the WAL is folded in at close').toBe(false);
    const buf = fs.readFileSync(file);
    damage(buf, 4096);
    fs.writeFileSync(file, buf);
    const sha = () => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const before = sha();
    let error: unknown;
    try {
      opened.push(await openDatabase({ dataDir: dir }));
    } catch (e) {
      error = e;
    }
    return { error, changed: sha() !== before };
  }

  /** The first b-tree leaf page of table data in the second half of the file. */
  function middleLeafPage(buf: Buffer, pageSize: number): number {
    const pages = buf.length / pageSize;
    for (let p = Math.floor(pages / 2); p < pages; p += 1) if (buf[p * pageSize] === 0x0d) return p;
    throw new Error('no leaf page found');
  }

  it('refuses a file whose page structure is damaged with DatabaseCorruptError (quick_check) and does not modify it', async () => {
    const { error, changed } = await damagedOpen((buf, pageSize) => {
      // Point a leaf page's first free block inside its own header: quick_check reports it.
      buf.writeUInt16BE(10, middleLeafPage(buf, pageSize) * pageSize + 1);
    });
    expect(error).toBeInstanceOf(DatabaseCorruptError);
    expect((error as Error).message).toMatch(
      /^数据库完整性检查未通过：.*free space corruption.*。请从备份恢复（npm run restore）。$/s,
    );
    expect(changed).toBe(false);
  });

  it('refuses a file with a page of garbage in the middle and does not modify it', async () => {
    const { error, changed } = await damagedOpen((buf, pageSize) => {
      const page = middleLeafPage(buf, pageSize);
      crypto.randomFillSync(buf, page * pageSize, pageSize);
    });
    expect(error).toBeInstanceOf(Error);
    // quick_check either reports the damage (DatabaseCorruptError) or SQLite stops reading the page.
    expect((error as Error).message).toMatch(/完整性检查未通过|SQLITE_CORRUPT/);
    expect(changed).toBe(false);
  });

  // When SQLite cannot even read a damaged page, `PRAGMA quick_check` throws SQLITE_CORRUPT instead of
  // returning rows; the user must still get the restore hint.
  it('names a page of garbage as DatabaseCorruptError with the restore hint', async () => {
    const { error } = await damagedOpen((buf, pageSize) => {
      crypto.randomFillSync(buf, middleLeafPage(buf, pageSize) * pageSize, pageSize);
    });
    expect(error).toBeInstanceOf(DatabaseCorruptError);
    expect((error as Error).message).toMatch(/请从备份恢复（npm run restore）。$/);
  });

  it('refuses a file that is not a database at all and does not modify it', async () => {
    const { error, changed } = await damagedOpen((buf) => {
      crypto.randomFillSync(buf, 0, 100); // the header
    });
    expect((error as Error).message).toMatch(/完整性检查未通过|SQLITE_NOTADB|not a database/);
    expect(changed).toBe(false);
  });
});
