/**
 * Playwright globalSetup of the PostgreSQL run (EXAM_SITE_E2E_ENGINE=postgres, npm run test:e2e:pg):
 * a private PostgreSQL server for the whole run (test/support/postgres-server.ts, the same server code
 * as the vitest suites), or PG_TEST_URL. Its URL goes to the workers in EXAM_SITE_E2E_PG_URL; each
 * startHost creates a database of its own on it and drops it at stop(). The returned function is the
 * global teardown: it stops the server this setup started.
 *
 * EXAM_SITE_SKIP_PG=1 makes no sense for a run whose point is PostgreSQL: it fails, saying so
 * (npm test leaves this run out, loudly, when EXAM_SITE_SKIP_PG=1).
 */
import { postgresForTests } from '../support/postgres-server';
import { PG_SERVER_ENV } from './engine';

export default async function setup(): Promise<() => void> {
  if (process.env.EXAM_SITE_SKIP_PG === '1') {
    throw new Error(
      'EXAM_SITE_SKIP_PG=1 is set, but this is the end-to-end run on PostgreSQL: unset it, or run npm run test:e2e (SQLite).',
    );
  }
  const pg = await postgresForTests({
    skipMessage: 'SKIPPED: end-to-end tests on PostgreSQL (EXAM_SITE_SKIP_PG=1)',
    skipConsequence: 'Only the SQLite end-to-end run happens.',
    command: 'npm run test:e2e:pg',
  });
  if (pg.kind === 'skipped') throw new Error(pg.reason);
  process.env[PG_SERVER_ENV] = pg.url;
  process.stdout.write(
    `End-to-end run on PostgreSQL: ${pg.kind === 'private' ? 'a private server' : 'PG_TEST_URL'} at ${pg.url}; one database per host start.\n`,
  );
  return () => {
    if (pg.kind === 'private') pg.stop();
  };
}
