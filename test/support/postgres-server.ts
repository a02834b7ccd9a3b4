/**
 * A real PostgreSQL server for tests, shared by the vitest global setup (postgres-global-setup.ts: the
 * data-layer suites) and the Playwright global setup (test/e2e/postgres-setup.ts: the end-to-end specs
 * with the host on PostgreSQL).
 *
 * `postgresForTests()` decides, in this order:
 * - `EXAM_SITE_SKIP_PG=1`: no server; the caller skips its PostgreSQL half loudly (the banner is printed).
 * - `PG_TEST_URL=postgres://user@host:port/db`: that server (the user must be allowed to CREATE DATABASE).
 * - otherwise a throw-away cluster: initdb into a temp folder, pg_ctl start on 127.0.0.1 and a free port,
 *   fsync off, as the `postgres` user when running as root (as CI does). `stop()` stops it
 *   (`-m immediate`) and deletes the folder; it also runs at process exit if the caller forgot.
 * - PostgreSQL not installed: an Error saying how to install it, point at a server, or skip.
 *
 * Every caller then creates a database of its own (`createDatabase`) and drops it afterwards.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';

export function banner(lines: string[]): string {
  const rule = '='.repeat(78);
  return ['', rule, ...lines.map((l) => `  ${l}`), rule, ''].join('\n');
}

/** The newest <root>/<version>/bin that has initdb and pg_ctl, else a PATH entry that has both. */
export function findPgBin(env: NodeJS.ProcessEnv = process.env, root = '/usr/lib/postgresql'): string | null {
  const candidates: string[] = [];
  if (env.PG_BIN) candidates.push(env.PG_BIN);
  if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(root, v, 'bin')));
  }
  candidates.push(...(env.PATH ?? '').split(path.delimiter).filter((p) => p !== ''));
  return (
    candidates.find(
      (dir) => fs.existsSync(path.join(dir, 'pg_ctl')) && fs.existsSync(path.join(dir, 'initdb')),
    ) ?? null
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface Runner {
  run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string>;
  /** uid/gid that must own the cluster's folders, or null to leave them as created. */
  owner: { uid: number; gid: number } | null;
}

function makeRunner(): Runner {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    return {
      owner: null,
      run: (cmd, args, cwd) =>
        spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    };
  }
  // PostgreSQL refuses to run as root: run its tools as the postgres user.
  const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (ids.status !== 0 || gids.status !== 0) {
    throw new Error(
      banner([
        'PostgreSQL tests: running as root, but there is no "postgres" user to run the server as.',
        'Install the server package, which creates it:  apt-get update && apt-get install -y postgresql',
        'or point the tests at a server:  PG_TEST_URL=postgres://user@127.0.0.1:5432/db',
        'or skip the PostgreSQL half explicitly:  EXAM_SITE_SKIP_PG=1',
      ]),
    );
  }
  return {
    owner: { uid: Number(ids.stdout.trim()), gid: Number(gids.stdout.trim()) },
    run: (cmd, args, cwd) =>
      spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
  };
}

function chownRecursive(dir: string, owner: { uid: number; gid: number }): void {
  fs.chownSync(dir, owner.uid, owner.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownRecursive(p, owner);
    else fs.chownSync(p, owner.uid, owner.gid);
  }
}

function describeFailure(what: string, r: SpawnSyncReturns<string>, logFile?: string): Error {
  const log =
    logFile && fs.existsSync(logFile)
      ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')
      : '';
  return new Error(
    `${what} failed (exit ${r.status ?? r.signal ?? '?'}):\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` +
      (log ? `\n--- server log ---\n${log}` : ''),
  );
}

export interface PostgresServer {
  /** A superuser connection to the server's `postgres` database (may CREATE DATABASE). */
  url: string;
  /** Stop the server and delete its folder (idempotent). */
  stop: () => void;
}

/** initdb + pg_ctl start: a private cluster on 127.0.0.1 and a free port, fsync off. */
export async function startPostgresServer(bin: string): Promise<PostgresServer> {
  const runner = makeRunner();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-pg-'));
  fs.chmodSync(base, 0o755); // the postgres user must be able to traverse it
  const data = path.join(base, 'data');
  const sock = path.join(base, 'sock');
  const log = path.join(base, 'server.log');
  fs.mkdirSync(data, { mode: 0o700 });
  fs.mkdirSync(sock);
  if (runner.owner) chownRecursive(base, runner.owner);

  const initdb = runner.run(
    path.join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
    base,
  );
  if (initdb.status !== 0) {
    fs.rmSync(base, { recursive: true, force: true });
    throw describeFailure('initdb', initdb);
  }

  let port = 0;
  let started = false;
  for (let attempt = 0; attempt < 3 && !started; attempt += 1) {
    port = await freePort();
    const opts = [
      '-c listen_addresses=127.0.0.1',
      `-p ${port}`,
      `-k ${sock}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    const r = runner.run(
      path.join(bin, 'pg_ctl'),
      ['-D', data, '-l', log, '-w', '-t', '30', '-o', opts, 'start'],
      base,
    );
    if (r.status === 0) started = true;
    else if (
      attempt === 2 ||
      !/could not bind|already in use/i.test(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '')
    ) {
      fs.rmSync(base, { recursive: true, force: true });
      throw describeFailure('pg_ctl start', r, log);
    }
  }

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    runner.run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], base);
    fs.rmSync(base, { recursive: true, force: true });
  };
  // If the test runner dies without running its teardown, do not leave a server behind.
  process.once('exit', stop);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminRun(url: string, sql: string): Promise<void> {
  const k = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    await k.raw(sql);
  } finally {
    await k.destroy();
  }
}

/** CREATE DATABASE <prefix><random> on the server; returns its name and URL. */
export async function createDatabase(
  serverUrl: string,
  prefix = 't_',
): Promise<{ name: string; url: string }> {
  const name = `${prefix}${crypto.randomBytes(6).toString('hex')}`;
  await adminRun(serverUrl, `CREATE DATABASE ${name}`);
  return { name, url: withDatabase(serverUrl, name) };
}

/** DROP DATABASE … WITH (FORCE): connections a killed client left behind do not stop it. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await adminRun(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

async function checkReachable(url: string): Promise<void> {
  const k = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    await k.raw('select 1');
  } catch (err) {
    throw new Error(`PG_TEST_URL is set but the server cannot be reached (${url}): ${String(err)}`, {
      cause: err,
    });
  } finally {
    await k.destroy();
  }
}

export type PostgresForTests =
  /** Skipped (EXAM_SITE_SKIP_PG=1): `reason` goes into the skipped tests' names. */
  | { kind: 'skipped'; reason: string }
  /** PG_TEST_URL, used as given. */
  | { kind: 'external'; url: string }
  /** A private cluster this process started; stop() it at teardown. */
  | { kind: 'private'; url: string; stop: () => void };

export interface PostgresForTestsOptions {
  env?: NodeJS.ProcessEnv;
  /** Where PostgreSQL versions are installed (Debian: /usr/lib/postgresql). */
  pgRoot?: string;
  /** The SKIPPED message for EXAM_SITE_SKIP_PG=1. */
  skipMessage: string;
  /** What is skipped, for the banner (e.g. 'Only the SQLite half of the data-layer suites runs.'). */
  skipConsequence: string;
  /** The test command, for the hints (e.g. 'npx vitest run'). */
  command: string;
}

/** Skip, use PG_TEST_URL, or start a private server: see the header. */
export async function postgresForTests(opts: PostgresForTestsOptions): Promise<PostgresForTests> {
  const env = opts.env ?? process.env;
  if (env.EXAM_SITE_SKIP_PG === '1') {
    console.warn(
      banner([opts.skipMessage, `${opts.skipConsequence} CI must run both: unset EXAM_SITE_SKIP_PG.`]),
    );
    return { kind: 'skipped', reason: opts.skipMessage };
  }

  const external = env.PG_TEST_URL;
  if (external) {
    await checkReachable(external);
    return { kind: 'external', url: external };
  }

  const bin = findPgBin(env, opts.pgRoot);
  if (!bin) {
    throw new Error(
      banner([
        'PostgreSQL is not installed: the data-layer tests run on SQLite AND PostgreSQL (design.md §4).',
        'Install it:            apt-get update && apt-get install -y postgresql',
        '                       (the tests start their own private server; no service needs to run)',
        `or use a server:       PG_TEST_URL=postgres://user@127.0.0.1:5432/db ${opts.command}`,
        `or skip (loudly):      EXAM_SITE_SKIP_PG=1 ${opts.command}`,
      ]),
    );
  }
  const server = await startPostgresServer(bin);
  return { kind: 'private', url: server.url, stop: server.stop };
}
