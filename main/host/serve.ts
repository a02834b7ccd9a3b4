/**
 * npm run serve -- [--host 127.0.0.1] [--port 8080] [--data DIR] [--no-demo] [--backup-dir DIR]
 *                  [--backup-minutes 30] [--renderer DIR] [--clock SPEC]
 * The headless site host: the core, the HTTP/WebSocket server and the built UI, without Electron.
 * DATABASE_URL=postgres://… uses PostgreSQL instead of the SQLite file in --data.
 *
 * --clock SPEC (or EXAM_SITE_CLOCK=SPEC; the flag wins) sets the host's clock, the site's time authority,
 * for tests and rehearsals (main/base/clock.ts parseClockSpec):
 *   fixed:2026-12-08T00:50:00Z (or the bare ISO time)  the clock stands still at that instant;
 *   offset:<ms>                                         the system clock shifted by <ms> (may be negative).
 * The start-up lines say when the clock is not the system's. A spec it cannot read stops the start.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openCore } from '../core';
import { defaultDataDir } from '../base/paths';
import { logger } from '../base/logger';
import { parseClockSpec } from '../base/clock';
import { startSiteHost } from './server';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8080' },
    data: { type: 'string' },
    'no-demo': { type: 'boolean', default: false },
    'backup-dir': { type: 'string' },
    'backup-minutes': { type: 'string', default: '30' },
    renderer: { type: 'string' },
    clock: { type: 'string' },
  },
});

const clockSpec = values.clock ?? process.env.EXAM_SITE_CLOCK;
let clock: ReturnType<typeof parseClockSpec>;
try {
  clock = parseClockSpec(clockSpec);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = path.resolve(values.data ?? defaultDataDir());
const core = await openCore({
  dataDir,
  databaseUrl: process.env.DATABASE_URL,
  demo: !values['no-demo'],
  backupDir: values['backup-dir'],
  backupIntervalMinutes: Number(values['backup-minutes']),
  clock,
});
const host = await startSiteHost(core, {
  host: values.host,
  port: Number(values.port),
  rendererDir: values.renderer ?? path.join(root, 'out', 'renderer'),
});
process.stdout.write(
  `考点系统已启动：${host.url}\n` +
    `数据：${process.env.DATABASE_URL ? 'PostgreSQL' : dataDir}\n` +
    (clock ? `时钟：${clockSpec}（非系统时钟，当前 ${clock().toISOString()}）\n` : '') +
    (values.host === '127.0.0.1'
      ? '仅本机可访问；局域网使用请加 --host 0.0.0.0\n'
      : `监听 ${values.host}（局域网可访问）\n`) +
    '按 Ctrl-C 停止。\n',
);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info(`received ${signal}, shutting down`);
  await host.close();
  await core.close();
  process.stdout.write('已停止。\n');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
