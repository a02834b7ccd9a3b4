import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the real UI in Debian's Chromium against the headless site host, as the
 * people at the site do. Each spec starts its own host on a fresh data folder (test/e2e/host.ts).
 */
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
  outputDir: 'test-results',
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
