/**
 * Playwright config for the Electron end-to-end tests (the real desktop shell, through Playwright's
 * _electron). They run only where an Electron binary exists; elsewhere each test is skipped and says why.
 *
 *   npm run build                                       # electron-vite build → out/main, out/preload, out/renderer
 *   npx playwright test -c test/electron/playwright.config.ts
 *
 * On Linux without a display, wrap the command in `xvfb-run -a`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  testDir: here,
  testMatch: '*.e2e.ts',
  outputDir: fileURLToPath(new URL('../../test-results/electron', import.meta.url)),
  timeout: 60_000,
  // One Electron instance at a time: each test gets its own profile, but the machine is small.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
