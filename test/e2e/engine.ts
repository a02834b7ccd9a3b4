/**
 * Which database engine the end-to-end run puts its hosts on (read by playwright.config.ts, host.ts and
 * the specs; no imports, so the config stays light).
 */
export type E2eEngine = 'sqlite' | 'postgres';

/** The engine of this run: EXAM_SITE_E2E_ENGINE=postgres (npm run test:e2e:pg), else SQLite. */
export function e2eEngine(): E2eEngine {
  return process.env.EXAM_SITE_E2E_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
}

/** Where the PostgreSQL run's global setup leaves the server's URL for the workers (CREATE DATABASE). */
export const PG_SERVER_ENV = 'EXAM_SITE_E2E_PG_URL';

/**
 * The reason of a test that cannot run on PostgreSQL, for
 * `test.skip(e2eEngine() === 'postgres', SQLITE_ONLY('…why…'))`: it shows in the report and in the
 * summary of npm test as a skip, never as a pass.
 */
export const SQLITE_ONLY = (why: string): string => `SKIPPED on PostgreSQL: ${why}`;
