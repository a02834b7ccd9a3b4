/**
 * npm run bench — prints figures; never fails on a slow machine.
 *
 * Roster import of a 10,000-row .xlsx through the same code path as the UI: the file is base64-encoded
 * and sent to roster.preview over HTTP (parse, header detection, validation, storing the preview),
 * then roster.commit (one transaction). Shown beside a bare exceljs parse of the same file.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/fetch';
import type { ContractRouterClient } from '@orpc/contract';
import type { contract } from '../../shared/contract';
import { openCore } from '../../main/core';
import { startSiteHost } from '../../main/host/server';
import { makeValidRosterXlsx } from '../fixtures/roster/make-roster';
import { benchRosterParse } from './roster-parse';
import { benchCheckin } from './checkin';

const ROWS = Number(process.argv[2] ?? 10_000);
const MiB = 1024 * 1024;

function maxRssMiB(): number {
  return Math.round((process.resourceUsage().maxRSS * 1024) / MiB);
}
function out(line: string): void {
  process.stdout.write(line + '\n');
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: Math.round(performance.now() - t0) };
}

const FILE = path.join(os.tmpdir(), `exam-site-bench-roster-${ROWS}.xlsx`);

/** Bare exceljs parse of the file, alone in its process. */
async function bareParseBench(): Promise<void> {
  const bytes = fs.readFileSync(FILE);
  const bare = await timed(async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(bytes).buffer);
    return wb.worksheets[0]?.rowCount ?? 0;
  });
  out(`| bare exceljs parse (${bare.value} rows), own process | ${bare.ms} ms | ${maxRssMiB()} MiB |`);
  fs.writeFileSync(`${FILE}.bare-ms`, String(bare.ms));
}

async function rosterImportBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-bench-'));
  const renderer = path.join(dir, 'renderer');
  fs.mkdirSync(renderer);
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
  const core = await openCore({ dataDir: path.join(dir, 'data'), demo: false, backupIntervalMinutes: 0 });
  const host = await startSiteHost(core, { host: '127.0.0.1', port: 0, rendererDir: renderer });
  let token = '';
  const client: ContractRouterClient<typeof contract> = createORPCClient(
    new RPCLink({ url: `${host.url}/rpc`, headers: () => ({ authorization: `Bearer ${token}` }) }),
  );
  try {
    token = (await client.auth.setup({ username: 'bench', displayName: '基准', password: 'bench-password' }))
      .token;
    const occupations = await client.occupations.list();
    const sitting = await client.sittings.create({
      name: '基准测试批次',
      occupationId: occupations[0]!.id,
      trade: '',
      levels: [3, 4, 5],
      components: {
        '3': ['theory', 'practical'],
        '4': ['theory', 'practical'],
        '5': ['theory', 'practical'],
      },
      startDate: '2026-12-01',
      endDate: '2026-12-02',
    });
    const rssBefore = maxRssMiB();
    const bytes = fs.readFileSync(FILE);
    const preview = await timed(() =>
      client.roster.preview({
        sittingId: sitting.id,
        fileName: 'bench.xlsx',
        contentBase64: Buffer.from(bytes).toString('base64'),
      }),
    );
    const rssPreview = maxRssMiB();
    const commit = await timed(() => client.roster.commit({ importId: preview.value.import.id }));
    const rssCommit = maxRssMiB();
    const total = preview.ms + commit.ms;
    const bareMs = Number(fs.readFileSync(`${FILE}.bare-ms`, 'utf8'));
    const c = preview.value.import.counts;
    out(
      `| preview: upload, parse, header, validate, store (${c.ok} ok, ${c.rejected} rejected) | ${preview.ms} ms | ${rssPreview} MiB |`,
    );
    out(`| commit: ${commit.value.inserted} rows in one transaction | ${commit.ms} ms | ${rssCommit} MiB |`);
    out(
      `| **import total (preview + commit)**, own process (host and client) | **${total} ms** | **${rssCommit} MiB** |`,
    );
    out('');
    out(`ratio import total / bare parse: ${(total / bareMs).toFixed(2)}×  (target ≤ 1.5×)`);
    out(
      `target total < 3000 ms: ${total < 3000 ? 'met' : 'NOT met'}; target peak < 300 MiB: ${rssCommit < 300 ? 'met' : 'NOT met'} (process RSS before the upload: ${rssBefore} MiB)`,
    );
  } finally {
    await host.close();
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Each benchmark runs in a process of its own so that memory figures are not inflated by the other.
const which = process.env.EXAM_SITE_BENCH;
if (which === 'parse') {
  out('\n## Roster parse and validate (in-process, no database)');
  await benchRosterParse(ROWS);
} else if (which === 'make') {
  fs.writeFileSync(FILE, await makeValidRosterXlsx(ROWS));
} else if (which === 'bare') {
  await bareParseBench();
} else if (which === 'import') {
  await rosterImportBench();
} else if (which === 'checkin') {
  await benchCheckin(10_000, 1_000);
} else {
  out(
    `# exam-site benchmarks — ${new Date().toISOString()} — Node ${process.version}, ${os.cpus().length} cores`,
  );
  for (const bench of ['parse', 'make', 'bare', 'import', 'checkin']) {
    if (bench === 'bare') {
      out(
        `\n## Roster import, ${ROWS} rows, through the UI's code path (HTTP → roster.preview → roster.commit)`,
      );
      out('| phase | time | peak RSS of its process |');
      out('|---|---|---|');
    }
    const r = spawnSync(process.execPath, process.execArgv.concat(process.argv.slice(1)), {
      stdio: 'inherit',
      env: { ...process.env, EXAM_SITE_BENCH: bench },
    });
    if (r.status !== 0) process.exitCode = r.status ?? 1;
  }
}
