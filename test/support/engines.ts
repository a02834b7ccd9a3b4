/**
 * Run one data-layer suite on both engines (design.md §4, anchors.md B.2 convention 10): SQLite in a
 * fresh temp data folder, and PostgreSQL in a fresh database (CREATE DATABASE t_<random>) on the server
 * the global setup started. Real databases, never mocks.
 *
 *   describeEachEngine('users', (getDb, target) => {
 *     it('creates a user', async () => { const db = getDb(); … });
 *   });
 *
 * By default one database serves the whole suite; `{ per: 'test' }` gives every test its own.
 * `{ open: false }` only creates the empty database: the suite opens it itself with `target.options()`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, inject } from 'vitest';
import {
  openDatabase,
  SQLITE_FILE_NAME,
  type Database,
  type Engine,
  type OpenDatabaseOptions,
} from '../../main/db';
import './provided-context';
import { adminRun, dropDatabase, withDatabase } from './postgres-server';

export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** A database created for a test: how to open it, and how to get rid of it. */
export interface ScratchDatabase {
  engine: Engine;
  /** Options that open this database with openDatabase / openCore. */
  options: OpenDatabaseOptions;
  /** The SQLite data folder (also the dataDir passed on PostgreSQL, where it holds nothing but backups). */
  dataDir: string;
  drop(): Promise<void>;
}

/** The PostgreSQL URL of the test server, or null when the PostgreSQL tests are skipped. */
export function pgTestUrl(): string | null {
  return inject('pgUrl');
}

/** Why PostgreSQL tests are skipped; null when they run. */
export function pgSkipReason(): string | null {
  return inject('pgSkipReason');
}

export function makeTempDir(prefix = 'exam-site-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/*
 * Migrated template databases, one per engine and test process: a suite that opens its database starts from
 * a copy of an already migrated one (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL)
 * instead of running every migration again. openDatabase still checks the copy and finds nothing to migrate.
 */
let sqliteTemplate: Promise<string> | undefined;
let pgTemplate: Promise<string> | undefined;
const templateDirs: string[] = [];
process.once('exit', () => templateDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function sqliteTemplateFile(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = makeTempDir('exam-site-template-');
    templateDirs.push(dir);
    const db = await openDatabase({ dataDir: dir });
    await db.close(); // the last connection's close checkpoints the WAL into the file
    return path.join(dir, SQLITE_FILE_NAME);
  })();
  return sqliteTemplate;
}

function pgTemplateName(server: string): Promise<string> {
  pgTemplate ??= (async () => {
    const name = `tpl_${crypto.randomBytes(6).toString('hex')}`;
    await adminRun(server, `CREATE DATABASE ${name}`);
    const db = await openDatabase({ dataDir: makeTempDir(), databaseUrl: withDatabase(server, name) });
    await db.close();
    return name;
  })();
  return pgTemplate;
}

export interface ScratchOptions {
  /** Start from the migrated template (default false: an empty database). */
  migrated?: boolean;
}

/** Create a database on the engine: a temp folder for SQLite, CREATE DATABASE for PostgreSQL. */
export async function createScratchDatabase(
  engine: Engine,
  opts: ScratchOptions = {},
): Promise<ScratchDatabase> {
  const dataDir = makeTempDir();
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (engine === 'sqlite') {
    if (opts.migrated) fs.copyFileSync(await sqliteTemplateFile(), path.join(dataDir, SQLITE_FILE_NAME));
    return { engine, dataDir, options: { dataDir }, drop: () => Promise.resolve(removeDir()) };
  }
  const server = pgTestUrl();
  if (!server) throw new Error(pgSkipReason() ?? 'no PostgreSQL test server');
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  await adminRun(
    server,
    opts.migrated
      ? `CREATE DATABASE ${name} TEMPLATE ${await pgTemplateName(server)}`
      : `CREATE DATABASE ${name}`,
  );
  const db = { name, url: withDatabase(server, name) };
  return {
    engine,
    dataDir,
    options: { dataDir, databaseUrl: db.url },
    async drop() {
      removeDir();
      await dropDatabase(server, db.name);
    },
  };
}

export interface EngineTarget {
  engine: Engine;
  /** Options that open the current database again (a second connection, a CLI, openCore). */
  options(): OpenDatabaseOptions;
  /** The current scratch database. */
  scratch(): ScratchDatabase;
}

export interface DescribeEachEngineOptions {
  /** One database for the whole suite (default) or a fresh one for every test. */
  per?: 'suite' | 'test';
  /** Open (and migrate) the database before the tests; default true. */
  open?: boolean;
}

/**
 * `describe` the suite twice, as `<name> [sqlite]` and `<name> [postgres]`. When the PostgreSQL tests are
 * skipped (EXAM_SITE_SKIP_PG=1), the postgres copy is reported as skipped with the reason in its name.
 */
export function describeEachEngine(
  name: string,
  fn: (getDb: () => Database, target: EngineTarget) => void,
  opts: DescribeEachEngineOptions = {},
): void {
  const per = opts.per ?? 'suite';
  const open = opts.open ?? true;
  for (const engine of ENGINES) {
    const skip = engine === 'postgres' ? pgSkipReason() : null;
    const title = skip ? `${name} [${engine}] — ${skip}` : `${name} [${engine}]`;
    describe.skipIf(skip !== null)(title, () => {
      let scratch: ScratchDatabase | undefined;
      let db: Database | undefined;
      const setUp = async () => {
        scratch = await createScratchDatabase(engine, { migrated: open });
        if (open) db = await openDatabase(scratch.options);
      };
      const tearDown = async () => {
        await db?.close();
        db = undefined;
        await scratch?.drop();
        scratch = undefined;
      };
      if (per === 'suite') {
        beforeAll(setUp);
        afterAll(tearDown);
      } else {
        beforeEach(setUp);
        afterEach(tearDown);
      }
      const getScratch = () => {
        if (!scratch) throw new Error('the scratch database exists only inside tests and hooks');
        return scratch;
      };
      fn(
        () => {
          if (!db) {
            throw new Error(
              open ? 'the database is open only inside tests and hooks' : 'opened with open: false',
            );
          }
          return db;
        },
        { engine, options: () => getScratch().options, scratch: getScratch },
      );
    });
  }
}
