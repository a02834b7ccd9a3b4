/**
 * Values that test/support/postgres-global-setup.ts hands to every test file through vitest's
 * `provide` / `inject`.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * URL of a PostgreSQL database on the test server (a superuser connection that may CREATE DATABASE),
     * or null when the PostgreSQL half of the suites is skipped.
     */
    pgUrl: string | null;
    /** Why the PostgreSQL tests are skipped (shown in the test names), or null when they run. */
    pgSkipReason: string | null;
  }
}

export const PG_SKIP_MESSAGE = 'SKIPPED: PostgreSQL tests (EXAM_SITE_SKIP_PG=1)';
