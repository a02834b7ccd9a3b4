/**
 * A private CUPS scheduler with cups-pdf queues, for the printing tests (devices.md §5.5, toolchain.md
 * "CUPS + cups-pdf without systemd", pitfall 12).
 *
 * - `startPrivateCups()` runs `cupsd -f -c <tmp>/etc/cupsd.conf -s <tmp>/etc/cups-files.conf`: every
 *   directory (ServerRoot, spool, cache, state, logs) is under a fresh temp folder, it listens only on
 *   the unix socket <tmp>/run/cups.sock, and `CUPS_SERVER` is set to that socket (restored by stop()).
 *   The system's cupsd and /etc/cups/printers.conf are never touched.
 * - `addPdfQueue()` adds a cups-pdf queue `EXAMSITE_<random>` with device URI `cups-pdf:/<NAME>`;
 *   cups-pdf then reads /etc/cups/cups-pdf-<NAME>.conf (it only looks in /etc/cups), which is written
 *   with `Out`, `Spool` and `Log` inside the temp folder and removed by stop(). This is the only file
 *   written outside the temp folder, hence root (or a writable /etc/cups) is needed.
 * - `stop()` ends only the cupsd it started (by PID; SIGTERM, then SIGKILL after 10 s) and removes
 *   what it created. It also runs at process exit if a test forgot.
 * - cupsd, cups-pdf or poppler missing → an Error saying what to install, unless EXAM_SITE_SKIP_CUPS=1
 *   (then `cupsSkipReason()` returns the SKIPPED message and prints a banner; suites put it in their name).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export const CUPS_SKIP_MESSAGE = 'SKIPPED: CUPS printing tests (EXAM_SITE_SKIP_CUPS=1)';

const CUPSD = '/usr/sbin/cupsd';
const CUPS_PDF_BACKEND = '/usr/lib/cups/backend/cups-pdf';
const CUPS_PDF_PPD = '/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd';
const CUPS_PDF_CONF_DIR = '/etc/cups';
const CONF_PREFIX = 'cups-pdf-EXAMSITE_';

function banner(lines: string[]): string {
  const rule = '='.repeat(78);
  return ['', rule, ...lines.map((l) => `  ${l}`), rule, ''].join('\n');
}

let bannerShown = false;

/** The skip message when EXAM_SITE_SKIP_CUPS=1 (printing a banner once), else null. */
export function cupsSkipReason(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.EXAM_SITE_SKIP_CUPS !== '1') return null;
  if (!bannerShown) {
    bannerShown = true;
    console.warn(
      banner([
        CUPS_SKIP_MESSAGE,
        'The printing tests against a real CUPS queue do not run. CI must run them: unset EXAM_SITE_SKIP_CUPS.',
      ]),
    );
  }
  return CUPS_SKIP_MESSAGE;
}

/** A command's path: PATH first, then /usr/sbin and /sbin (lpadmin and cupsdisable live there). */
function resolveCommand(cmd: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin'].filter(
    (d) => d !== '',
  );
  for (const d of dirs) {
    const file = path.join(d, cmd);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

function onPath(cmd: string): boolean {
  return resolveCommand(cmd) !== null;
}

/** What is missing for the CUPS tests (empty when everything is there). */
export function missingCupsPieces(): string[] {
  const missing: string[] = [];
  if (!fs.existsSync(CUPSD)) missing.push(`${CUPSD} (package cups)`);
  for (const cmd of ['lp', 'lpstat', 'lpadmin', 'cupsdisable', 'cupsreject']) {
    if (!onPath(cmd)) missing.push(`${cmd} (package cups-client)`);
  }
  if (!fs.existsSync(CUPS_PDF_BACKEND)) missing.push(`${CUPS_PDF_BACKEND} (package printer-driver-cups-pdf)`);
  if (!fs.existsSync(CUPS_PDF_PPD)) missing.push(`${CUPS_PDF_PPD} (package printer-driver-cups-pdf)`);
  for (const cmd of ['pdfinfo', 'pdftoppm', 'pdftotext', 'pdffonts']) {
    if (!onPath(cmd)) missing.push(`${cmd} (package poppler-utils)`);
  }
  return missing;
}

function requireCups(): void {
  const missing = missingCupsPieces();
  if (missing.length > 0) {
    throw new Error(
      banner([
        'The printing tests need a real CUPS with cups-pdf (devices.md §5.5). Missing:',
        ...missing.map((m) => `  - ${m}`),
        'Install:            apt-get update && apt-get install -y cups printer-driver-cups-pdf poppler-utils',
        '                    (the tests start their own private cupsd; no service needs to run)',
        'or skip (loudly):   EXAM_SITE_SKIP_CUPS=1 npx vitest run',
      ]),
    );
  }
  try {
    fs.accessSync(CUPS_PDF_CONF_DIR, fs.constants.W_OK);
  } catch {
    throw new Error(
      banner([
        `The CUPS tests must write ${CUPS_PDF_CONF_DIR}/cups-pdf-<queue>.conf (cups-pdf reads its configuration`,
        'only from there) and are meant to run as root, as CI does. Run them as root,',
        'or skip (loudly):   EXAM_SITE_SKIP_CUPS=1 npx vitest run',
      ]),
    );
  }
}

export interface PdfQueue {
  name: string;
  /** Where cups-pdf writes this queue's PDFs. */
  outDir: string;
  /** Wait until CUPS reports the job completed and cups-pdf's file is there; returns the file. */
  waitForOutput(jobId: string, timeoutMs?: number): Promise<string>;
}

export interface PrivateCups {
  dir: string;
  /** The socket, as CUPS_SERVER takes it. */
  server: string;
  pid: number;
  addPdfQueue(): PdfQueue;
  /** Run a CUPS admin command against this scheduler (lpadmin, cupsdisable, cupsreject …); throws on failure. */
  admin(command: string, args: string[]): string;
  /** The last lines of the scheduler's and cups-pdf's logs (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

/** Remove per-queue cups-pdf confs left by crashed runs (their Out folder no longer exists). */
function removeStaleConfs(): void {
  let names: string[];
  try {
    names = fs.readdirSync(CUPS_PDF_CONF_DIR).filter((n) => n.startsWith(CONF_PREFIX) && n.endsWith('.conf'));
  } catch {
    return;
  }
  for (const n of names) {
    const file = path.join(CUPS_PDF_CONF_DIR, n);
    try {
      const out = /^Out (.+)$/m.exec(fs.readFileSync(file, 'utf8'))?.[1]?.trim();
      if (out && !fs.existsSync(out)) fs.rmSync(file, { force: true });
    } catch {
      // another run's file, or already gone
    }
  }
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Start a private cupsd (see the header). Throws when CUPS is missing; check cupsSkipReason() first. */
export async function startPrivateCups(): Promise<PrivateCups> {
  requireCups();
  removeStaleConfs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-cups-'));
  fs.chmodSync(dir, 0o755); // filters run as the lp user
  const etc = path.join(dir, 'etc');
  const socket = path.join(dir, 'run', 'cups.sock');
  for (const d of ['etc/ppd', 'spool/tmp', 'cache', 'state', 'log', 'run']) {
    fs.mkdirSync(path.join(dir, d), { recursive: true, mode: 0o755 });
  }
  fs.writeFileSync(
    path.join(etc, 'cups-files.conf'),
    [
      `ServerRoot ${etc}`,
      `RequestRoot ${path.join(dir, 'spool')}`,
      `TempDir ${path.join(dir, 'spool', 'tmp')}`,
      `CacheDir ${path.join(dir, 'cache')}`,
      `StateDir ${path.join(dir, 'state')}`,
      `ErrorLog ${path.join(dir, 'log', 'error_log')}`,
      `AccessLog ${path.join(dir, 'log', 'access_log')}`,
      `PageLog ${path.join(dir, 'log', 'page_log')}`,
      'ServerBin /usr/lib/cups',
      'DataDir /usr/share/cups',
      'SystemGroup root',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(etc, 'cupsd.conf'),
    [
      'LogLevel info',
      `Listen ${socket}`,
      'Browsing No',
      'BrowseLocalProtocols none',
      'DefaultAuthType None',
      'WebInterface No',
      'JobRetryLimit 0',
      '<Location />',
      '  Order allow,deny',
      '  Allow all',
      '</Location>',
      '<Policy default>',
      '  <Limit All>',
      '    Order deny,allow',
      '  </Limit>',
      '</Policy>',
      '',
    ].join('\n'),
  );

  const child: ChildProcess = spawn(
    CUPSD,
    ['-f', '-c', path.join(etc, 'cupsd.conf'), '-s', path.join(etc, 'cups-files.conf')],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cupsd did not start: ${stderr}`);

  const previousServer = process.env.CUPS_SERVER;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, CUPS_SERVER: socket, LC_ALL: 'C', LANG: 'C' });
  const confs: string[] = [];
  let stopped = false;

  const cleanupSync = (): void => {
    if (stopped) return;
    stopped = true;
    process.off('exit', cleanupSync);
    if (!exited) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const c of confs) fs.rmSync(c, { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    if (previousServer === undefined) delete process.env.CUPS_SERVER;
    else process.env.CUPS_SERVER = previousServer;
  };
  process.once('exit', cleanupSync);

  const logs = (): string =>
    [
      '--- cupsd error_log ---',
      tail(path.join(dir, 'log', 'error_log')),
      ...confs.map((c) => {
        const q = path.basename(c, '.conf').slice('cups-pdf-'.length);
        return `--- cups-pdf ${q} log ---\n${tail(path.join(dir, 'log', `cups-pdf-${q}_log`), 15)}`;
      }),
      stderr ? `--- cupsd stderr ---\n${stderr}` : '',
    ].join('\n');

  // Wait for the scheduler.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      cleanupSync();
      throw new Error(`cupsd exited at start:\n${stderr}\n${logs()}`);
    }
    if (fs.existsSync(socket)) {
      const r = spawnSync('lpstat', ['-r'], { env: env(), encoding: 'utf8' });
      if (r.stdout.includes('scheduler is running')) break;
    }
    if (Date.now() > deadline) {
      cleanupSync();
      throw new Error(`cupsd did not come up within 30 s\n${logs()}`);
    }
    await sleep(100);
  }
  process.env.CUPS_SERVER = socket;

  const admin = (command: string, args: string[]): string => {
    const r = spawnSync(resolveCommand(command) ?? command, args, { env: env(), encoding: 'utf8' });
    if (r.status !== 0) {
      throw new Error(
        `${command} ${args.join(' ')} failed (${r.status ?? r.signal ?? '?'}): ${r.stderr}${r.stdout}`,
      );
    }
    return r.stdout;
  };

  const addPdfQueue = (): PdfQueue => {
    const name = `EXAMSITE_${randomBytes(4).toString('hex')}`;
    const outDir = path.join(dir, `out-${name}`);
    fs.mkdirSync(outDir, { mode: 0o777 });
    fs.chmodSync(outDir, 0o777);
    const conf = path.join(CUPS_PDF_CONF_DIR, `cups-pdf-${name}.conf`);
    fs.writeFileSync(
      conf,
      [
        '# Written by exam-site test/support/cups.ts for a private test queue; removed when the test ends.',
        `Out ${outDir}`,
        `Spool ${path.join(dir, `cups-pdf-spool-${name}`)}`,
        `Log ${path.join(dir, 'log')}`,
        'LogType 3',
        'PDFVer 1.5',
        '',
      ].join('\n'),
    );
    confs.push(conf);
    admin('lpadmin', [
      '-p',
      name,
      '-v',
      `cups-pdf:/${name}`,
      '-P',
      CUPS_PDF_PPD,
      '-o',
      'printer-is-shared=no',
      // Keep fonts as outlines through the chain (poppler's pdftops, PDF 1.5), so the output can be
      // compared with the composed PDF pixel by pixel.
      '-o',
      'pdftops-renderer-default=pdftops',
      '-o',
      'PDFVer=1.5',
      '-E',
    ]);

    const waitForOutput = async (jobId: string, timeoutMs = 60_000): Promise<string> => {
      const n = /-(\d+)$/.exec(jobId)?.[1];
      if (!n) throw new Error(`not a CUPS job id: ${jobId}`);
      const suffix = `-job_${n}.pdf`;
      const until = Date.now() + timeoutMs;
      for (;;) {
        const done = spawnSync('lpstat', ['-W', 'completed', '-o', name], { env: env(), encoding: 'utf8' });
        const file = fs.readdirSync(outDir).find((f) => f.endsWith(suffix));
        if (file && new RegExp(`^${jobId}\\s`, 'm').test(done.stdout)) return path.join(outDir, file);
        if (Date.now() > until) {
          const queue = spawnSync('lpstat', ['-l', '-p', name, '-o', name], { env: env(), encoding: 'utf8' });
          throw new Error(
            `job ${jobId} produced no PDF in ${outDir} within ${timeoutMs} ms\n${queue.stdout}${queue.stderr}\n${logs()}`,
          );
        }
        await sleep(200);
      }
    };
    return { name, outDir, waitForOutput };
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    if (!exited) {
      process.kill(pid, 'SIGTERM');
      const killer = setTimeout(() => {
        if (!exited) process.kill(pid, 'SIGKILL');
      }, 10_000);
      await exitedPromise;
      clearTimeout(killer);
    }
    cleanupSync();
  };

  return { dir, server: socket, pid, addPdfQueue, admin, logs, stop };
}
