#!/usr/bin/env node
// `npm test`: every check and every test, in order, stopping at nothing so the summary is complete.
// Exit code is non-zero when any step failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const reports = path.resolve('.tmp', 'test-reports');
fs.rmSync(reports, { recursive: true, force: true });
fs.mkdirSync(reports, { recursive: true });
const vitestJson = path.join(reports, 'vitest.json');
const e2eJson = path.join(reports, 'e2e.json');
const electronJson = path.join(reports, 'electron.json');

const steps = [
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['format', 'npm', ['run', '-s', 'format:check']],
  [
    'unit + data layer (vitest, SQLite + PostgreSQL)',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
  ],
  ['build renderer', 'npm', ['run', '-s', 'build:renderer']],
  [
    'end to end (Playwright + Chromium against the site host)',
    'npx',
    ['playwright', 'test', '--reporter=list,json'],
    { PLAYWRIGHT_JSON_OUTPUT_FILE: e2eJson },
  ],
  [
    'Electron end to end (_electron)',
    'npx',
    ['playwright', 'test', '-c', 'test/electron/playwright.config.ts', '--reporter=list,json'],
    { PLAYWRIGHT_JSON_OUTPUT_FILE: electronJson },
  ],
];

const results = [];
for (const [name, cmd, args, env = {}] of steps) {
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}

process.stdout.write('\n=== summary\n');
for (const r of results) process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${r.seconds} s)\n`);
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`steps: ${results.length - failed} passed, ${failed} failed\n`);

// Test counts from the runners' own JSON reports; a report that is missing counts as a failure.
const readJson = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null);
const totals = { passed: 0, failed: 0, skipped: 0 };
const v = readJson(vitestJson);
if (v) {
  totals.passed += v.numPassedTests;
  totals.failed += v.numFailedTests;
  totals.skipped += v.numPendingTests + v.numTodoTests;
} else totals.failed += 1;
for (const file of [e2eJson, electronJson]) {
  const p = readJson(file);
  if (p) {
    totals.passed += p.stats.expected + p.stats.flaky;
    totals.failed += p.stats.unexpected;
    totals.skipped += p.stats.skipped;
  } else totals.failed += 1;
}
process.stdout.write(
  `(skipped tests are printed above with the reason: no Electron binary, or EXAM_SITE_SKIP_PG=1)\n`,
);
process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failed === 0 && totals.failed === 0 ? 0 : 1);
