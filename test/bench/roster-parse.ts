/**
 * Roster-parse benchmark: builds an N-row valid roster (.xlsx) and measures wall time (performance.now)
 * and peak RSS (process.memoryUsage().rss sampled every few milliseconds, plus the process's maxRSS) for
 *   1. a bare exceljs load of the file, and
 *   2. readRosterFile + findHeader + validateRoster (also timed separately).
 * The lead's bench runner (test/bench/run.ts) calls benchRosterParse(); run alone with
 *   npx tsx test/bench/roster-parse.ts [rows]
 */
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { findHeader } from '../../main/roster/header';
import { readRosterFile } from '../../main/roster/read-sheet';
import { validateRoster } from '../../main/roster/validate';
import { FIXTURE_ALLOWED_LEVELS, makeValidRosterXlsx } from '../fixtures/roster/make-roster';

export interface PhaseResult {
  phase: string;
  ms: number;
  /** CPU time (user + system) of the process during the phase; less sensitive to a busy machine. */
  cpuMs: number;
  /** Highest sampled RSS during the phase, in MiB. */
  peakRssMiB: number;
  /** RSS growth over the RSS at the start of the phase, in MiB. */
  rssGrowthMiB: number;
}

export interface RosterBenchResult {
  rows: number;
  fileBytes: number;
  phases: PhaseResult[];
  /** Rows by status after validation (all should be 'ok'). */
  statusCounts: Record<string, number>;
}

const MiB = 1024 * 1024;

async function measure<T>(
  phase: string,
  fn: () => Promise<T> | T,
): Promise<{ result: T; stats: PhaseResult }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  }, 5);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    const result = await fn();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const end = process.memoryUsage().rss;
    if (end > peak) peak = end;
    return {
      result,
      stats: {
        phase,
        ms: Math.round(ms * 10) / 10,
        cpuMs: Math.round((cpu.user + cpu.system) / 100) / 10,
        peakRssMiB: Math.round((peak / MiB) * 10) / 10,
        rssGrowthMiB: Math.round(((peak - start) / MiB) * 10) / 10,
      },
    };
  } finally {
    clearInterval(timer);
  }
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Run the benchmark and print a small table; returns the figures for the caller. */
export async function benchRosterParse(rows = 10_000): Promise<RosterBenchResult> {
  const bytes = await makeValidRosterXlsx(rows);
  const phases: PhaseResult[] = [];

  const bare = await measure('exceljs load (bare)', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(bytes).buffer);
    return wb.worksheets[0]?.rowCount ?? 0;
  });
  phases.push(bare.stats);

  const read = await measure('readRosterFile', () => readRosterFile('bench.xlsx', bytes));
  phases.push(read.stats);

  const validated = await measure('findHeader + validateRoster', () => {
    const header = findHeader(read.result);
    return validateRoster(read.result, header, {
      existingIdNumbers: new Set<string>(),
      allowedLevels: FIXTURE_ALLOWED_LEVELS,
    });
  });
  phases.push(validated.stats);

  const total = await measure('readRosterFile + findHeader + validateRoster', async () => {
    const grid = await readRosterFile('bench.xlsx', bytes);
    const header = findHeader(grid);
    return validateRoster(grid, header, {
      existingIdNumbers: new Set<string>(),
      allowedLevels: FIXTURE_ALLOWED_LEVELS,
    });
  });
  phases.push(total.stats);

  const statusCounts: Record<string, number> = {};
  for (const r of total.result) statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;

  print(`roster parse: ${rows} rows, ${(bytes.length / 1024).toFixed(0)} KiB xlsx`);
  print(
    'phase'.padEnd(48) +
      'ms'.padStart(10) +
      'cpu ms'.padStart(10) +
      'peak RSS MiB'.padStart(14) +
      'growth MiB'.padStart(12),
  );
  for (const p of phases) {
    print(
      p.phase.padEnd(48) +
        p.ms.toFixed(1).padStart(10) +
        p.cpuMs.toFixed(1).padStart(10) +
        p.peakRssMiB.toFixed(1).padStart(14) +
        p.rssGrowthMiB.toFixed(1).padStart(12),
    );
  }
  print(
    `process maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB; statuses ${JSON.stringify(statusCounts)}`,
  );
  return { rows, fileBytes: bytes.length, phases, statusCounts };
}

// Run directly: npx tsx test/bench/roster-parse.ts [rows]
if (process.argv[1] && /roster-parse\.ts$/.test(process.argv[1])) {
  const n = Number(process.argv[2] ?? 10_000);
  benchRosterParse(Number.isFinite(n) && n > 0 ? n : 10_000).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
