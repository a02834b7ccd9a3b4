/**
 * vitest globalSetup: a real, private PostgreSQL server for the data-layer tests.
 *
 * - `PG_TEST_URL=postgres://user@host:port/db` uses that server instead (the user must be allowed to
 *   CREATE DATABASE: every suite gets a database of its own and drops it afterwards).
 * - Otherwise a throw-away cluster is created with initdb in a temp folder and started with pg_ctl on
 *   127.0.0.1 and a free port (as the `postgres` user when running as root, as CI does), fsync off.
 *   It is stopped and deleted in teardown.
 * - `EXAM_SITE_SKIP_PG=1` skips the PostgreSQL half of the suites, loudly: the banner below is printed
 *   and every skipped suite carries the same message in its name.
 * - PostgreSQL not installed and no EXAM_SITE_SKIP_PG=1: the run fails and says how to install it.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import type { TestProject } from 'vitest/node';
import { PG_SKIP_MESSAGE } from './provided-context';

const TEST_DB = 'exam_site_test';

function banner(lines: string[]): string {
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

interface Cluster {
  url: string;
  stop(): void;
}

async function startCluster(bin: string): Promise<Cluster> {
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
  // If vitest dies without running teardown, do not leave a server behind.
  process.once('exit', stop);

  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE ${TEST_DB}`);
  } catch (err) {
    stop();
    throw err;
  } finally {
    await admin.destroy();
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/${TEST_DB}`, stop };
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

/** What the global setup needs of vitest's TestProject. */
export type Provider = Pick<TestProject, 'provide'>;

export interface SetupOptions {
  env?: NodeJS.ProcessEnv;
  /** Where PostgreSQL versions are installed (Debian: /usr/lib/postgresql). */
  pgRoot?: string;
}

/** Start (or find, or skip) the PostgreSQL server and provide its URL; returns the teardown. */
export async function setupPostgres(
  project: Provider,
  opts: SetupOptions = {},
): Promise<(() => void) | undefined> {
  const env = opts.env ?? process.env;
  if (env.EXAM_SITE_SKIP_PG === '1') {
    console.warn(
      banner([
        PG_SKIP_MESSAGE,
        'Only the SQLite half of the data-layer suites runs. CI must run both: unset EXAM_SITE_SKIP_PG.',
      ]),
    );
    project.provide('pgUrl', null);
    project.provide('pgSkipReason', PG_SKIP_MESSAGE);
    return undefined;
  }

  const external = env.PG_TEST_URL;
  if (external) {
    await checkReachable(external);
    project.provide('pgUrl', external);
    project.provide('pgSkipReason', null);
    return undefined;
  }

  const bin = findPgBin(env, opts.pgRoot);
  if (!bin) {
    throw new Error(
      banner([
        'PostgreSQL is not installed: the data-layer tests run on SQLite AND PostgreSQL (design.md §4).',
        'Install it:            apt-get update && apt-get install -y postgresql',
        '                       (the tests start their own private server; no service needs to run)',
        'or use a server:       PG_TEST_URL=postgres://user@127.0.0.1:5432/db npx vitest run',
        'or skip (loudly):      EXAM_SITE_SKIP_PG=1 npx vitest run',
      ]),
    );
  }
  const cluster = await startCluster(bin);
  project.provide('pgUrl', cluster.url);
  project.provide('pgSkipReason', null);
  return () => cluster.stop();
}

export default function setup(project: TestProject): Promise<(() => void) | undefined> {
  return setupPostgres(project);
}
