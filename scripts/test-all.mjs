#!/usr/bin/env node
// `npm test`: every check and every test, in order, stopping at nothing so the summary is complete.
// Exit code is non-zero when any step failed.
import { spawnSync } from 'node:child_process';

const steps = [
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['format', 'npm', ['run', '-s', 'format:check']],
  ['unit + data layer (vitest, SQLite + PostgreSQL)', 'npx', ['vitest', 'run']],
  ['build renderer', 'npm', ['run', '-s', 'build:renderer']],
  ['end to end (Playwright + Chromium against the site host)', 'npx', ['playwright', 'test']],
  [
    'Electron end to end (_electron)',
    'npx',
    ['playwright', 'test', '-c', 'test/electron/playwright.config.ts'],
  ],
];

const results = [];
for (const [name, cmd, args] of steps) {
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}

process.stdout.write('\n=== summary\n');
for (const r of results) process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${r.seconds} s)\n`);
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`steps: ${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
