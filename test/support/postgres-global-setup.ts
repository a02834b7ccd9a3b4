/**
 * vitest globalSetup: a real, private PostgreSQL server for the data-layer tests (the server itself:
 * postgres-server.ts, shared with the end-to-end run on PostgreSQL).
 *
 * - `PG_TEST_URL=postgres://user@host:port/db` uses that server instead (the user must be allowed to
 *   CREATE DATABASE: every suite gets a database of its own and drops it afterwards).
 * - Otherwise a throw-away cluster is created with initdb in a temp folder and started with pg_ctl on
 *   127.0.0.1 and a free port (as the `postgres` user when running as root, as CI does), fsync off.
 *   It is stopped and deleted in teardown.
 * - `EXAM_SITE_SKIP_PG=1` skips the PostgreSQL half of the suites, loudly: the banner is printed
 *   and every skipped suite carries the same message in its name.
 * - PostgreSQL not installed and no EXAM_SITE_SKIP_PG=1: the run fails and says how to install it.
 */
import type { TestProject } from 'vitest/node';
import { PG_SKIP_MESSAGE } from './provided-context';
import { adminRun, postgresForTests, withDatabase } from './postgres-server';

export { findPgBin } from './postgres-server';

const TEST_DB = 'exam_site_test';

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
  const pg = await postgresForTests({
    env: opts.env,
    pgRoot: opts.pgRoot,
    skipMessage: PG_SKIP_MESSAGE,
    skipConsequence: 'Only the SQLite half of the data-layer suites runs.',
    command: 'npx vitest run',
  });
  if (pg.kind === 'skipped') {
    project.provide('pgUrl', null);
    project.provide('pgSkipReason', pg.reason);
    return undefined;
  }
  if (pg.kind === 'external') {
    project.provide('pgUrl', pg.url);
    project.provide('pgSkipReason', null);
    return undefined;
  }
  try {
    await adminRun(pg.url, `CREATE DATABASE ${TEST_DB}`);
  } catch (err) {
    pg.stop();
    throw err;
  }
  project.provide('pgUrl', withDatabase(pg.url, TEST_DB));
  project.provide('pgSkipReason', null);
  return () => pg.stop();
}

export default function setup(project: TestProject): Promise<(() => void) | undefined> {
  return setupPostgres(project);
}
