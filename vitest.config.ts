import { defineConfig } from 'vitest/config';

/**
 * Unit and data-layer tests (vitest). End-to-end tests (test/e2e) and Electron tests (test/electron)
 * are Playwright's. Data-layer suites run on SQLite and on a real PostgreSQL server that the global
 * setup starts (see test/support/postgres-global-setup.ts for PG_TEST_URL and EXAM_SITE_SKIP_PG).
 */
export default defineConfig({
  test: {
    include: ['{main,shared,renderer,test}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', 'test/e2e/**', 'test/electron/**'],
    environment: 'node',
    globalSetup: ['test/support/postgres-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
