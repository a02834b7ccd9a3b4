/**
 * The site host as the end-to-end specs run it: `main/host/serve.ts` (what `npm run serve` runs) in a
 * process of its own, on a data folder and a database, with its clock. The renderer must have been
 * built (npm run test:e2e does it).
 *
 * The engine follows the run: `EXAM_SITE_E2E_ENGINE=postgres` (npm run test:e2e:pg) puts every host on
 * PostgreSQL — a fresh database on the run's server (test/e2e/postgres-setup.ts) per startHost, dropped
 * at stop() — and anything else on SQLite in the data folder. Specs that need SQLite say so by name
 * (see `SQLITE_ONLY`).
 *
 *   const host = await startHost();            // fresh temp folder (and database), free port
 *   await host.crash();                        // SIGKILL: no shutdown handler runs
 *   await host.restart();                      // same folder, database, port and clock
 *   await host.stop();                         // Ctrl-C, then removes only what startHost created
 *   startHost({ dataDir, databaseUrl })        // another host on a given folder / database (kept)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, dropDatabase } from '../support/postgres-server';
import { e2eEngine, PG_SERVER_ENV, type E2eEngine } from './engine';

export { e2eEngine, SQLITE_ONLY, type E2eEngine } from './engine';

export interface HostOptions {
  /** Seed the demo data into a fresh database (default true). */
  demo?: boolean;
  /** More environment for the host process. */
  env?: NodeJS.ProcessEnv;
  /** Address to listen on (serve.ts --host); default 127.0.0.1. */
  listen?: string;
  /** Port; default 0 (a free one, kept by restart()). */
  port?: number;
  /** Use this data folder (kept at stop()); default a fresh temp folder (removed at stop()). */
  dataDir?: string;
  /**
   * Use this PostgreSQL database (kept at stop()); default: on the PostgreSQL run a fresh database
   * (dropped at stop()), on the SQLite run none. `null` forces SQLite whatever the run.
   */
  databaseUrl?: string | null;
  /** The host's clock (serve.ts --clock): `fixed:<ISO>`, a bare ISO time, or `offset:<ms>`. */
  clock?: string;
}

export interface RunningHost {
  /** http://127.0.0.1:<port>; the same after restart(). */
  readonly url: string;
  readonly dataDir: string;
  /** The PostgreSQL database the host uses, or null on SQLite. */
  readonly databaseUrl: string | null;
  readonly engine: E2eEngine;
  /** The host's stdout and stderr since it was last started. */
  log(): string;
  /** Kill the host with SIGKILL (as a power cut would): no shutdown handler runs. Waits for the exit. */
  crash(): Promise<void>;
  /** Start the host again on the same folder, database, port and clock (after crash()). */
  restart(): Promise<void>;
  /** Stop the host (SIGINT, as Ctrl-C) if it runs, and remove the folder and database it created. */
  stop(): Promise<void>;
}

const STARTED = /考点系统已启动：(http:\/\/\S+)/;

interface Process {
  child: ChildProcess;
  url: string;
  log: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function spawnServe(args: string[], env: NodeJS.ProcessEnv): Promise<Process> {
  // node --import tsx: one process, so SIGKILL reaches the host itself (the tsx CLI would run the host
  // in a child of its own and could not pass SIGKILL on).
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/host/serve.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let log = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`host did not start in 60 s:\n${log}`));
    }, 60_000);
    const onData = () => {
      const m = STARTED.exec(log);
      if (m?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code ?? signal}:\n${log}`));
    });
  });
  return { child, url, log: () => log, exited };
}

/** Start the site host; see the header and HostOptions. */
export async function startHost(opts: HostOptions = {}): Promise<RunningHost> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-e2e-'));

  let databaseUrl: string | null = null;
  let ownDatabase: { server: string; name: string } | null = null;
  if (opts.databaseUrl !== undefined) {
    databaseUrl = opts.databaseUrl;
  } else if (e2eEngine() === 'postgres') {
    const server = process.env[PG_SERVER_ENV];
    if (!server) {
      throw new Error(
        `EXAM_SITE_E2E_ENGINE=postgres but ${PG_SERVER_ENV} is not set: run through playwright.config.ts, ` +
          'whose global setup (test/e2e/postgres-setup.ts) starts the server.',
      );
    }
    const db = await createDatabase(server, 'e2e_');
    ownDatabase = { server, name: db.name };
    databaseUrl = db.url;
  }

  const cleanUp = async () => {
    if (ownDatabase) await dropDatabase(ownDatabase.server, ownDatabase.name);
    ownDatabase = null;
    if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    // Only what the spec asked for: never the database or clock of the shell that runs the tests.
    DATABASE_URL: databaseUrl ?? '',
    EXAM_SITE_CLOCK: '',
  };
  const args = (port: number) => {
    const a = ['--data', dataDir, '--port', String(port), '--backup-minutes', '0'];
    if (opts.demo === false) a.push('--no-demo');
    if (opts.listen) a.push('--host', opts.listen);
    if (opts.clock) a.push('--clock', opts.clock);
    return a;
  };

  let proc: Process;
  try {
    proc = await spawnServe(args(opts.port ?? 0), env);
  } catch (err) {
    await cleanUp();
    throw err;
  }
  const url = proc.url;
  const port = Number(new URL(url).port);
  const running = () => proc.child.exitCode === null && proc.child.signalCode === null;
  let stopped = false;

  return {
    url,
    dataDir,
    get databaseUrl() {
      return databaseUrl;
    },
    engine: databaseUrl ? 'postgres' : 'sqlite',
    log: () => proc.log(),
    async crash() {
      if (!running()) throw new Error('crash(): the host is not running');
      proc.child.kill('SIGKILL');
      const { signal } = await proc.exited;
      if (signal !== 'SIGKILL') throw new Error(`crash(): the host ended by ${signal}, not SIGKILL`);
    },
    async restart() {
      if (stopped) throw new Error('restart(): the host was stopped and its data removed');
      if (running()) throw new Error('restart(): the host is still running; crash() it first');
      proc = await spawnServe(args(port), env);
      if (proc.url !== url) throw new Error(`restart(): the host came back on ${proc.url}, not ${url}`);
    },
    async stop() {
      stopped = true;
      if (running()) {
        proc.child.kill('SIGINT');
        await proc.exited;
      }
      await cleanUp();
    },
  };
}
