#!/usr/bin/env node
// `npm test`: every check and every test, in order, stopping at nothing so the summary is complete.
// Exit code is non-zero when any step failed.
// `node scripts/test-all.mjs --summary` runs nothing: it prints the summary of the last run's reports.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const summaryOnly = process.argv.includes('--summary');
const reports = path.resolve('.tmp', 'test-reports');
if (!summaryOnly) {
  fs.rmSync(reports, { recursive: true, force: true });
  fs.mkdirSync(reports, { recursive: true });
}
const vitestJson = path.join(reports, 'vitest.json');
const e2eJson = path.join(reports, 'e2e.json');
const e2ePgJson = path.join(reports, 'e2e-postgres.json');
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
  process.env.EXAM_SITE_SKIP_PG === '1'
    ? {
        skipped: 'end to end on PostgreSQL',
        reason: 'SKIPPED: end-to-end run on PostgreSQL (EXAM_SITE_SKIP_PG=1)',
      }
    : [
        'end to end on PostgreSQL (the same specs, the host on a fresh database each; printing on SQLite only)',
        'npx',
        ['playwright', 'test', '--reporter=list,json'],
        { PLAYWRIGHT_JSON_OUTPUT_FILE: e2ePgJson, EXAM_SITE_E2E_ENGINE: 'postgres' },
      ],
  [
    'Electron end to end (_electron)',
    'npx',
    ['playwright', 'test', '-c', 'test/electron/playwright.config.ts', '--reporter=list,json'],
    { PLAYWRIGHT_JSON_OUTPUT_FILE: electronJson },
  ],
];

const results = [];
for (const step of summaryOnly ? [] : steps) {
  if (!Array.isArray(step)) {
    process.stdout.write(`\n=== ${step.skipped}: ${step.reason}\n`);
    results.push({ name: step.skipped, ok: true, skipped: step.reason, seconds: '0.0' });
    continue;
  }
  const [name, cmd, args, env = {}] = step;
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}

process.stdout.write('\n=== summary\n');
for (const r of results) {
  const mark = r.skipped ? 'SKIP' : r.ok ? 'PASS' : 'FAIL';
  process.stdout.write(`${mark}  ${r.name}  (${r.skipped ?? `${r.seconds} s`})\n`);
}
const failed = results.filter((r) => !r.ok).length;
const skippedSteps = results.filter((r) => r.skipped).length;
process.stdout.write(
  `steps: ${results.length - failed - skippedSteps} passed, ${failed} failed, ${skippedSteps} skipped\n`,
);

// Test counts from the runners' own JSON reports; a report that is missing counts as a failure.
const readJson = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null);
const totals = { passed: 0, failed: 0, skipped: 0 };
const v = readJson(vitestJson);
if (v) {
  totals.passed += v.numPassedTests;
  totals.failed += v.numFailedTests;
  totals.skipped += v.numPendingTests + v.numTodoTests;
} else totals.failed += 1;
/** Every test of a Playwright JSON report: its name (project › file › titles), status and skip reason. */
function playwrightTests(report) {
  const out = [];
  const walk = (suite, titles) => {
    const here = suite.title && !suite.title.endsWith('.ts') ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const reason = (t.annotations ?? []).find((a) => a.type === 'skip')?.description ?? '';
        out.push({
          name: `[${t.projectName}] ${spec.file} › ${[...here, spec.title].join(' › ')}`,
          status: t.status,
          reason,
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child, here);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  return out;
}

const flakyTests = [];
const skippedTests = [];
for (const file of [e2eJson, e2ePgJson, electronJson]) {
  if (file === e2ePgJson && process.env.EXAM_SITE_SKIP_PG === '1') continue;
  const p = readJson(file);
  if (p) {
    // A test that failed and then passed on a retry is flaky: a failure here, never a pass.
    totals.passed += p.stats.expected;
    totals.failed += p.stats.unexpected + p.stats.flaky;
    totals.skipped += p.stats.skipped;
    for (const t of playwrightTests(p)) {
      if (t.status === 'flaky') flakyTests.push(t);
      if (t.status === 'skipped') skippedTests.push(t);
    }
  } else totals.failed += 1;
}
if (skippedTests.length > 0) {
  process.stdout.write(`\nskipped Playwright tests (${skippedTests.length}):\n`);
  for (const t of skippedTests) {
    process.stdout.write(`  SKIP   ${t.name}${t.reason ? ` — ${t.reason}` : ''}\n`);
  }
}
if (flakyTests.length > 0) {
  process.stdout.write(`\nflaky tests, counted as failed (${flakyTests.length}):\n`);
  for (const t of flakyTests) process.stdout.write(`  FLAKY  ${t.name}\n`);
}
process.stdout.write(
  `(skipped tests are printed above with the reason: no Electron binary, SQLite-only, or EXAM_SITE_SKIP_PG=1)\n`,
);
process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failed === 0 && totals.failed === 0 ? 0 : 1);
