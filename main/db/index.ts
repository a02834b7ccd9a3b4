import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { MIGRATIONS, migrationSource } from './migrations';

export type Engine = 'sqlite' | 'postgres';

export interface Database {
  knex: Knex;
  engine: Engine;
  /** The SQLite file; null on PostgreSQL. */
  file: string | null;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
}

/** The database was written by a newer version of the app: refuse it rather than damage it. */
export class DatabaseFromFutureError extends Error {
  constructor(readonly unknownMigrations: string[]) {
    super(
      `数据库由更新版本的程序创建（包含本程序不认识的迁移：${unknownMigrations.join('、')}）。` +
        '请安装新版本后再打开，或从备份恢复。',
    );
    this.name = 'DatabaseFromFutureError';
  }
}

export class DatabaseCorruptError extends Error {
  constructor(readonly details: string) {
    super(`数据库完整性检查未通过：${details}。请从备份恢复（npm run restore）。`);
    this.name = 'DatabaseCorruptError';
  }
}

export const SQLITE_FILE_NAME = 'exam-site.sqlite';

interface Sqlite3Connection {
  exec(sql: string, callback: (err: Error | null) => void): void;
}

/** Per-connection pragmas: WAL, fsync on every commit, foreign keys, and a busy timeout. */
export const SQLITE_PRAGMAS = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = FULL',
  'PRAGMA foreign_keys = ON',
  'PRAGMA busy_timeout = 5000',
];

export function sqliteConfig(file: string): Knex.Config {
  return {
    client: 'sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: Sqlite3Connection, done: (err: Error | null, conn: Sqlite3Connection) => void) {
        conn.exec(SQLITE_PRAGMAS.join(';') + ';', (err) => done(err, conn));
      },
    },
  };
}

export function postgresConfig(url: string): Knex.Config {
  return { client: 'pg', connection: url, pool: { min: 0, max: 10 } };
}

/**
 * Open the site database, check it, and bring its schema up to date in one transaction.
 * SQLite in `dataDir` unless `databaseUrl` (PostgreSQL) is given.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const engine: Engine = options.databaseUrl ? 'postgres' : 'sqlite';
  let file: string | null = null;
  let config: Knex.Config;
  if (options.databaseUrl) {
    config = postgresConfig(options.databaseUrl);
  } else {
    fs.mkdirSync(options.dataDir, { recursive: true });
    file = path.join(options.dataDir, SQLITE_FILE_NAME);
    config = sqliteConfig(file);
  }
  const knex = knexFactory(config);
  try {
    if (engine === 'sqlite') {
      const rows = await knex
        .raw<Array<{ quick_check: string }>>('PRAGMA quick_check')
        .catch((e: Error & { code?: string }) => {
          throw e.code === 'SQLITE_CORRUPT' || e.code === 'SQLITE_NOTADB'
            ? new DatabaseCorruptError(e.message)
            : e;
        });
      const results = rows.map((r) => r.quick_check);
      if (results.length !== 1 || results[0] !== 'ok') {
        const shown =
          results.slice(0, 5).join('; ') + (results.length > 5 ? `; …（共 ${results.length} 条问题）` : '');
        throw new DatabaseCorruptError(shown);
      }
    }
    await refuseNewerDatabase(knex);
    await knex.migrate.latest({ migrationSource });
  } catch (err) {
    await knex.destroy();
    throw err;
  }
  return { knex, engine, file, close: () => knex.destroy() };
}

async function refuseNewerDatabase(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('knex_migrations'))) return;
  const applied = await knex<{ name: string }>('knex_migrations').select('name');
  const known = new Set(MIGRATIONS.map((m) => m.name));
  const unknown = applied.map((r) => r.name).filter((n) => !known.has(n));
  if (unknown.length > 0) throw new DatabaseFromFutureError(unknown);
}

/** True when the query builder or transaction talks to PostgreSQL. */
export function isPostgres(q: Knex | Knex.Transaction): boolean {
  return (q.client as { config: Knex.Config }).config.client === 'pg';
}

/** JSON columns are text on both engines. */
export function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string' || text === '') return fallback;
  return JSON.parse(text) as T;
}

/** Booleans come back as 0/1 from SQLite and true/false from PostgreSQL. */
export function toBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1';
}

/** Decimals come back as strings from PostgreSQL. */
export function toNumberOrNull(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  return Number(v);
}

/** Insert one row and return its generated id (RETURNING works on both engines). */
export async function insertReturningId(
  q: Knex | Knex.Transaction,
  table: string,
  row: object,
): Promise<number> {
  const [res] = await q(table).insert(row).returning<Array<{ id: number } | number>>('id');
  return typeof res === 'object' ? Number(res.id) : Number(res);
}
