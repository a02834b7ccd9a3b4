import { defineConfig } from '@playwright/test';
import { e2eEngine } from './test/e2e/engine';

/**
 * End-to-end tests drive the real UI in Debian's Chromium against the headless site host, as the
 * people at the site do. Each spec starts its own host on a fresh data folder (test/e2e/host.ts).
 *
 * The run is on SQLite (npm run test:e2e), or with EXAM_SITE_E2E_ENGINE=postgres (npm run test:e2e:pg)
 * on PostgreSQL: the global setup starts a private server and every host gets a fresh database on it.
 * The project is named after the engine, so every line of the report says which one it was.
 */
const engine = e2eEngine();

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.e2e.ts',
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // A test.only left in a commit must not turn CI's run into a run of one test.
  forbidOnly: !!process.env.CI,
  // No retries: a test that passes only the second time is a bug to fix, not a pass. Should retries be
  // turned on for a run, a flaky test still fails it (and npm test's summary counts it as failed).
  retries: 0,
  failOnFlakyTests: true,
  reporter: [['list']],
  outputDir: engine === 'postgres' ? 'test-results/postgres' : 'test-results/sqlite',
  ...(engine === 'postgres' ? { globalSetup: './test/e2e/postgres-setup.ts' } : {}),
  projects: [{ name: engine }],
  use: {
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
    actionTimeout: 15_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // The check-in desk's webcam: Chromium's test-pattern camera, allowed without a prompt.
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
      ],
    },
  },
});
