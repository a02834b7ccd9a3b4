/**
 * Listing printers and printing a composed PDF **without scaling** (devices.md §5.3–5.5).
 *
 * - CUPS (Linux, macOS): `lpstat -e / -l -p / -a / -d` to list; before a job, the queue's state is
 *   checked (unknown → PRINTER_NOT_FOUND, stopped → PRINTER_DISABLED, not accepting →
 *   PRINTER_REJECTING), then `lp -d NAME -n COPIES -t TITLE -o PageSize=Custom.WxHmm
 *   -o fit-to-page=false -o print-scaling=none FILE`, and the request id is read from "request id is …".
 *   Without the explicit custom PageSize CUPS fits the page onto the queue's default paper [V8].
 *   A private cupsd is reached through CUPS_SERVER (the environment, or `cupsServer`).
 *   Commands run with LC_ALL=C so their output can be parsed; their messages are quoted in errors.
 * - Windows: listed with PowerShell (Win32_Printer); printed by SumatraPDF when its path is configured
 *   (`-print-to NAME -print-settings "noscale,…" -silent`), else PRINTING_UNAVAILABLE. SumatraPDF cannot
 *   set a custom paper size: for non-A4/A5 stock define a form on the printer (devices.md §5.4 step 3).
 * - Folder: writes the PDF into a folder (created if needed), under a new name, atomically (written
 *   to a hidden .part file, then renamed); always available.
 * Every failure is a PrintingError with a Chinese message naming the printer and quoting the system's
 * message; a failed job leaves nothing behind (no queued job, no partial file, temp files removed).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PrintingError } from './errors';
import type {
  PaperSize,
  PrinterInfo,
  PrinterListing,
  PrinterStatus,
  PrinterTarget,
  PrintingEnvironment,
  PrintJob,
  PrintResult,
} from './types';

export interface CommandResult {
  /** Exit code; null when the command could not be started or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not be run at all (e.g. ENOENT) or timed out. */
  error: (Error & { code?: string }) | null;
}

export type CommandRunner = (
  command: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; timeoutMs: number },
) => Promise<CommandResult>;

/** The environment plus an injectable command runner (tests fake PowerShell and SumatraPDF with it). */
export interface PrinterSystemOptions extends PrintingEnvironment {
  run?: CommandRunner;
}

export const runCommand: CommandRunner = (command, args, opts) =>
  new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        env: opts.env,
        timeout: opts.timeoutMs,
        encoding: 'utf8',
        windowsHide: true,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: string | number; killed?: boolean }) | null;
        if (e === null) resolve({ code: 0, stdout, stderr, error: null });
        else if (typeof e.code === 'number') resolve({ code: e.code, stdout, stderr, error: null });
        else {
          const code = typeof e.code === 'string' ? e.code : e.killed ? 'ETIMEDOUT' : undefined;
          resolve({ code: null, stdout, stderr, error: Object.assign(new Error(e.message), { code }) });
        }
      },
    );
  });

const LIST_TIMEOUT_MS = 20_000;
const PRINT_TIMEOUT_MS = 120_000;

function oneLine(s: string): string {
  return s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('；');
}

/** `Custom.210x148mm` (two decimals at most). */
export function cupsPageSize(paper: PaperSize): string {
  const n = (v: number) => String(Math.round(v * 100) / 100);
  return `Custom.${n(paper.widthMm)}x${n(paper.heightMm)}mm`;
}

// ---- CUPS ------------------------------------------------------------------------------------

export interface LpstatPrinter {
  name: string;
  state: 'idle' | 'printing' | 'disabled';
  /** The reason / status lines under the header, joined; null when none. */
  message: string | null;
  description: string | null;
  location: string | null;
}

const LPSTAT_FIELD =
  /^\t(Form mounted|Content types|Printer types|Description|Alerts|Location|Connection|Interface|On fault|After fault|Users allowed|Forms allowed|Banner required|Charset sets|Default pitch|Default page size|Default port settings)\b/;

/** Parse `lpstat -p` or `lpstat -l -p` (LC_ALL=C). */
export function parseLpstatPrinters(text: string): LpstatPrinter[] {
  const out: LpstatPrinter[] = [];
  let cur: LpstatPrinter | null = null;
  let inHeader = false;
  for (const line of text.split('\n')) {
    const m = /^printer (\S+) (?:is idle|now printing|disabled since)/.exec(line);
    if (m?.[1]) {
      cur = {
        name: m[1],
        state: line.includes(' disabled since')
          ? 'disabled'
          : line.includes(' now printing')
            ? 'printing'
            : 'idle',
        message: null,
        description: null,
        location: null,
      };
      out.push(cur);
      inHeader = true;
      continue;
    }
    if (!cur || !line.startsWith('\t')) continue;
    if (LPSTAT_FIELD.test(line)) {
      inHeader = false;
      const d = /^\tDescription: ?(.*)$/.exec(line);
      if (d) cur.description = d[1]?.trim() || null;
      const l = /^\tLocation: ?(.*)$/.exec(line);
      if (l) cur.location = l[1]?.trim() || null;
      continue;
    }
    if (inHeader && line.trim() !== '') {
      cur.message = cur.message ? `${cur.message}；${line.trim()}` : line.trim();
    }
  }
  return out;
}

/** Parse `lpstat -a`: queue name → accepting (and the reason when not). */
export function parseLpstatAccepting(
  text: string,
): Map<string, { accepting: boolean; reason: string | null }> {
  const map = new Map<string, { accepting: boolean; reason: string | null }>();
  let last: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^(\S+) (not )?accepting requests since/.exec(line);
    if (m?.[1]) {
      map.set(m[1], { accepting: !m[2], reason: null });
      last = m[1];
      continue;
    }
    const entry = last ? map.get(last) : undefined;
    if (entry && line.startsWith('\t') && line.trim() !== '') {
      entry.reason = entry.reason ? `${entry.reason}；${line.trim()}` : line.trim();
    }
  }
  return map;
}

/** Parse `lpstat -d`. */
export function parseLpstatDefault(text: string): string | null {
  return /system default destination: (\S+)/.exec(text)?.[1] ?? null;
}

/** Parse lp's "request id is PDF-12 (1 file(s))". */
export function parseLpRequestId(stdout: string): string | null {
  return /request id is (\S+)/.exec(stdout)?.[1] ?? null;
}

function cupsEnv(opts: PrinterSystemOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  if (opts.cupsServer) env.CUPS_SERVER = opts.cupsServer;
  return env;
}

const NOT_FOUND_RE = /Invalid destination name|Unknown destination|does not exist|not found/i;

function cupsUnavailable(r: CommandResult, server: string | null | undefined): PrintingError {
  const missing = r.error?.code === 'ENOENT';
  const where = server ? `（CUPS_SERVER=${server}）` : '';
  return new PrintingError(
    'PRINTING_UNAVAILABLE',
    missing
      ? '未安装 CUPS 打印系统（找不到 lpstat/lp 命令），无法使用系统打印机；可改用「输出到文件夹」。'
      : `无法连接打印服务 CUPS${where}：${oneLine(r.stderr) || r.error?.message || '未知原因'}`,
    { detail: oneLine(r.stderr) || r.error?.message || null, cause: r.error ?? undefined },
  );
}

/** Throws PRINTING_UNAVAILABLE unless `lpstat -r` says the scheduler is running (lpstat itself reports an
 * unreachable scheduler only as "Invalid destination name" or as an empty list). */
async function requireScheduler(opts: PrinterSystemOptions, run: CommandRunner): Promise<void> {
  const r = await run('lpstat', ['-r'], { env: cupsEnv(opts), timeoutMs: LIST_TIMEOUT_MS });
  if (r.code === 0 && /scheduler is running/.test(r.stdout)) return;
  throw cupsUnavailable(
    { ...r, stderr: r.stderr || r.stdout || 'scheduler is not running' },
    opts.cupsServer ?? process.env.CUPS_SERVER,
  );
}

async function listCups(opts: PrinterSystemOptions, run: CommandRunner): Promise<PrinterInfo[]> {
  await requireScheduler(opts, run);
  const env = cupsEnv(opts);
  const call = (args: string[]) => run('lpstat', args, { env, timeoutMs: LIST_TIMEOUT_MS });
  const names = await call(['-e']);
  if (names.code !== 0) {
    if (/No destinations added/i.test(names.stderr)) return [];
    throw cupsUnavailable(names, opts.cupsServer ?? process.env.CUPS_SERVER);
  }
  const destinations = names.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.includes('/')); // instances (NAME/INSTANCE) share their queue
  if (destinations.length === 0) return [];
  const [printers, accepting, def] = await Promise.all([call(['-l', '-p']), call(['-a']), call(['-d'])]);
  const byName = new Map(parseLpstatPrinters(printers.stdout).map((p) => [p.name, p]));
  const acc = parseLpstatAccepting(accepting.stdout);
  const defaultName = parseLpstatDefault(def.stdout);
  return destinations.map((name): PrinterInfo => {
    const p = byName.get(name);
    const a = acc.get(name);
    let status: PrinterStatus = 'unknown';
    let statusMessage: string | null = p?.message ?? null;
    if (p?.state === 'disabled') status = 'disabled';
    else if (a && !a.accepting) {
      status = 'rejecting';
      statusMessage = a.reason;
    } else if (p?.state === 'printing') status = 'busy';
    else if (p?.state === 'idle') status = 'ready';
    return {
      target: { kind: 'cups', name },
      displayName: p?.description && p.description !== name ? `${p.description}（${name}）` : name,
      isDefault: name === defaultName,
      status,
      statusMessage,
      location: p?.location ?? null,
    };
  });
}

/** The state of one CUPS queue, or PrintingError NOT_FOUND / PRINTING_UNAVAILABLE. */
export async function cupsQueueState(
  name: string,
  opts: PrinterSystemOptions = {},
): Promise<{ enabled: boolean; accepting: boolean; message: string | null }> {
  const run = opts.run ?? runCommand;
  const env = cupsEnv(opts);
  const [p, a] = await Promise.all([
    run('lpstat', ['-l', '-p', name], { env, timeoutMs: LIST_TIMEOUT_MS }),
    run('lpstat', ['-a', name], { env, timeoutMs: LIST_TIMEOUT_MS }),
  ]);
  for (const r of [p, a]) {
    if (r.code === 0) continue;
    if (r.error) throw cupsUnavailable(r, opts.cupsServer ?? process.env.CUPS_SERVER);
    await requireScheduler(opts, run);
    const msg = oneLine(r.stderr) || `lpstat 退出码 ${r.code ?? '?'}`;
    if (NOT_FOUND_RE.test(r.stderr)) {
      throw new PrintingError('PRINTER_NOT_FOUND', `找不到打印机「${name}」。CUPS：${msg}`, {
        printer: name,
        detail: msg,
      });
    }
    throw new PrintingError('PRINTING_UNAVAILABLE', `无法读取打印机「${name}」的状态。CUPS：${msg}`, {
      printer: name,
      detail: msg,
    });
  }
  const printer = parseLpstatPrinters(p.stdout).find((x) => x.name === name);
  const acc = parseLpstatAccepting(a.stdout).get(name);
  if (!printer || !acc) {
    throw new PrintingError('PRINTER_NOT_FOUND', `找不到打印机「${name}」`, { printer: name });
  }
  return {
    enabled: printer.state !== 'disabled',
    accepting: acc.accepting,
    message: printer.state === 'disabled' ? printer.message : acc.accepting ? printer.message : acc.reason,
  };
}

async function withTempPdf<T>(bytes: Uint8Array, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'exam-site-print-'));
  try {
    const file = path.join(dir, 'document.pdf');
    await fs.writeFile(file, bytes);
    return await fn(file);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function printCups(
  name: string,
  job: Required<PrintJob>,
  opts: PrinterSystemOptions,
): Promise<PrintResult> {
  const run = opts.run ?? runCommand;
  const state = await cupsQueueState(name, opts);
  const why = state.message ? `CUPS：${state.message}` : '';
  if (!state.enabled) {
    throw new PrintingError(
      'PRINTER_DISABLED',
      `打印机「${name}」已停用（暂停或脱机），未发送打印任务。${why}`,
      {
        printer: name,
        detail: state.message,
      },
    );
  }
  if (!state.accepting) {
    throw new PrintingError(
      'PRINTER_REJECTING',
      `打印机「${name}」目前不接受打印任务，未发送打印任务。${why}`,
      {
        printer: name,
        detail: state.message,
      },
    );
  }
  const r = await withTempPdf(job.pdf.bytes, (file) =>
    run(
      'lp',
      [
        '-d',
        name,
        '-n',
        String(job.copies),
        '-t',
        job.title,
        '-o',
        `PageSize=${cupsPageSize(job.pdf.paper)}`,
        '-o',
        'fit-to-page=false',
        '-o',
        'print-scaling=none',
        '--',
        file,
      ],
      { env: cupsEnv(opts), timeoutMs: PRINT_TIMEOUT_MS },
    ),
  );
  if (r.code !== 0) {
    const msg = oneLine(r.stderr) || r.error?.message || `lp 退出码 ${r.code ?? '?'}`;
    if (/not accepting jobs/i.test(r.stderr)) {
      throw new PrintingError('PRINTER_REJECTING', `打印机「${name}」拒绝了打印任务。CUPS：${msg}`, {
        printer: name,
        detail: msg,
      });
    }
    if (NOT_FOUND_RE.test(r.stderr)) {
      throw new PrintingError('PRINTER_NOT_FOUND', `找不到打印机「${name}」。CUPS：${msg}`, {
        printer: name,
        detail: msg,
      });
    }
    if (r.error?.code === 'ENOENT') throw cupsUnavailable(r, opts.cupsServer);
    throw new PrintingError('JOB_FAILED', `打印机「${name}」未能接收打印任务。CUPS：${msg}`, {
      printer: name,
      detail: msg,
    });
  }
  return { printer: { kind: 'cups', name }, jobId: parseLpRequestId(r.stdout), file: null };
}

// ---- Windows ---------------------------------------------------------------------------------

export interface WindowsPrinterRow {
  Name?: string;
  Default?: boolean;
  WorkOffline?: boolean;
  PrinterStatus?: number;
  Location?: string | null;
  Comment?: string | null;
}

const WIN_STATUS: Record<number, [PrinterStatus, string | null]> = {
  1: ['unknown', '其他状态'],
  2: ['unknown', null],
  3: ['ready', null],
  4: ['busy', '正在打印'],
  5: ['busy', '预热中'],
  6: ['disabled', '已停止打印'],
  7: ['offline', '脱机'],
};

const POWERSHELL_LIST =
  '[Console]::OutputEncoding=[System.Text.Encoding]::UTF8; ' +
  'Get-CimInstance -ClassName Win32_Printer | ' +
  'Select-Object Name,Default,WorkOffline,PrinterStatus,Location,Comment | ConvertTo-Json -Compress';

/** Parse PowerShell's ConvertTo-Json of Win32_Printer rows (one object or an array). */
export function parseWindowsPrinters(json: string): PrinterInfo[] {
  const text = json.trim();
  if (text === '') return [];
  const parsed: unknown = JSON.parse(text);
  const rows = (Array.isArray(parsed) ? parsed : [parsed]) as WindowsPrinterRow[];
  return rows
    .filter((r): r is WindowsPrinterRow & { Name: string } => typeof r?.Name === 'string' && r.Name !== '')
    .map((r) => {
      let [status, message] = WIN_STATUS[r.PrinterStatus ?? 2] ?? ['unknown', null];
      if (r.WorkOffline) [status, message] = ['offline', '脱机使用打印机'];
      return {
        target: { kind: 'windows', name: r.Name },
        displayName: r.Name,
        isDefault: r.Default === true,
        status,
        statusMessage: message,
        location: r.Location?.trim() || null,
      };
    });
}

async function listWindows(run: CommandRunner): Promise<PrinterInfo[]> {
  const r = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', POWERSHELL_LIST], {
    env: process.env,
    timeoutMs: LIST_TIMEOUT_MS,
  });
  if (r.code !== 0) {
    throw new PrintingError(
      'PRINTING_UNAVAILABLE',
      `无法读取 Windows 打印机列表：${oneLine(r.stderr) || r.error?.message || '未知原因'}`,
      { detail: oneLine(r.stderr) || null },
    );
  }
  try {
    return parseWindowsPrinters(r.stdout);
  } catch (err) {
    throw new PrintingError('PRINTING_UNAVAILABLE', '无法读取 Windows 打印机列表（输出无法解析）', {
      cause: err,
    });
  }
}

/** SumatraPDF's -print-settings for a page size: no scaling, the named paper when it is A4/A5, orientation. */
export function sumatraPrintSettings(paper: PaperSize, copies: number): string {
  const w = Math.round(paper.widthMm);
  const h = Math.round(paper.heightMm);
  const [short, long] = w < h ? [w, h] : [h, w];
  const named = short === 210 && long === 297 ? 'A4' : short === 148 && long === 210 ? 'A5' : null;
  const parts = ['noscale', w > h ? 'landscape' : 'portrait'];
  if (named) parts.push(`paper=${named}`);
  if (copies > 1) parts.push(`${copies}x`);
  return parts.join(',');
}

async function printWindows(
  name: string,
  job: Required<PrintJob>,
  opts: PrinterSystemOptions,
): Promise<PrintResult> {
  const run = opts.run ?? runCommand;
  const exe = opts.sumatraPdfPath?.trim();
  const hasExe = exe
    ? await fs.stat(exe).then(
        (s) => s.isFile(),
        () => false,
      )
    : false;
  if (!exe || !hasExe) {
    throw new PrintingError(
      'PRINTING_UNAVAILABLE',
      exe
        ? `无法在 Windows 上直接打印：找不到 SumatraPDF（${exe}）。请在「打印设置」中改正路径，或改用「输出到文件夹」。`
        : '无法在 Windows 上直接打印：未配置 SumatraPDF。请在「打印设置」中指定 SumatraPDF.exe 的位置，或改用「输出到文件夹」。',
      { printer: name },
    );
  }
  const printers = await listWindows(run);
  const p = printers.find((x) => x.target.name === name);
  if (!p) {
    throw new PrintingError(
      'PRINTER_NOT_FOUND',
      `找不到打印机「${name}」（本机共有 ${printers.length} 台打印机）`,
      {
        printer: name,
      },
    );
  }
  if (p.status === 'offline' || p.status === 'disabled') {
    throw new PrintingError(
      'PRINTER_DISABLED',
      `打印机「${name}」${p.statusMessage ?? '不可用'}，未发送打印任务。`,
      {
        printer: name,
        detail: p.statusMessage,
      },
    );
  }
  const r = await withTempPdf(job.pdf.bytes, (file) =>
    run(
      exe,
      [
        '-print-to',
        name,
        '-print-settings',
        sumatraPrintSettings(job.pdf.paper, job.copies),
        '-silent',
        file,
      ],
      { env: process.env, timeoutMs: PRINT_TIMEOUT_MS },
    ),
  );
  if (r.code !== 0) {
    const msg = oneLine(r.stderr) || oneLine(r.stdout) || r.error?.message || `退出码 ${r.code ?? '?'}`;
    throw new PrintingError('JOB_FAILED', `打印机「${name}」打印失败。SumatraPDF：${msg}`, {
      printer: name,
      detail: msg,
    });
  }
  return { printer: { kind: 'windows', name }, jobId: null, file: null };
}

// ---- folder ----------------------------------------------------------------------------------

/** A file name from a title: no path or reserved characters, at most 100 characters. */
export function safeFileName(title: string): string {
  const cleaned = [...title]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(ch) ? '_' : ch))
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, 100)
    .trim();
  return cleaned === '' ? '打印文件' : cleaned;
}

async function printFolder(folder: string, job: Required<PrintJob>): Promise<PrintResult> {
  const fail = (err: unknown): PrintingError =>
    new PrintingError(
      'JOB_FAILED',
      `无法写入文件夹「${folder}」：${err instanceof Error ? err.message : String(err)}`,
      { printer: folder, detail: err instanceof Error ? err.message : String(err), cause: err },
    );
  try {
    await fs.mkdir(folder, { recursive: true });
  } catch (err) {
    throw fail(err);
  }
  const base = safeFileName(job.title);
  const part = path.join(folder, `.${base}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    await fs.writeFile(part, job.pdf.bytes, { flag: 'wx' });
    for (let n = 1; n < 1000; n++) {
      const file = path.join(folder, n === 1 ? `${base}.pdf` : `${base} (${n}).pdf`);
      try {
        // link() fails if the name exists: never overwrites another document.
        await fs.link(part, file);
        return { printer: { kind: 'folder', name: folder }, jobId: null, file };
      } catch (err) {
        if ((err as { code?: string }).code === 'EEXIST') continue;
        if ((err as { code?: string }).code === 'EPERM' || (err as { code?: string }).code === 'ENOTSUP') {
          // File systems without hard links (FAT on USB sticks): check, then rename.
          const exists = await fs.stat(file).then(
            () => true,
            () => false,
          );
          if (exists) continue;
          await fs.rename(part, file);
          return { printer: { kind: 'folder', name: folder }, jobId: null, file };
        }
        throw err;
      }
    }
    throw new Error('同名文件太多');
  } catch (err) {
    throw fail(err);
  } finally {
    await fs.rm(part, { force: true });
  }
}

// ---- public ----------------------------------------------------------------------------------

function folderInfo(folder: string): PrinterInfo {
  return {
    target: { kind: 'folder', name: folder },
    displayName: `输出到文件夹：${folder}`,
    isDefault: false,
    status: 'ready',
    statusMessage: null,
    location: null,
  };
}

/** The system's printers (CUPS or Windows) and the configured folders. Never throws for a source. */
export async function listPrinters(opts: PrinterSystemOptions = {}): Promise<PrinterListing> {
  const run = opts.run ?? runCommand;
  const platform = opts.platform ?? process.platform;
  const warnings: string[] = [];
  let system: PrinterInfo[] = [];
  try {
    system = platform === 'win32' ? await listWindows(run) : await listCups(opts, run);
  } catch (err) {
    warnings.push(err instanceof Error ? err.message : String(err));
  }
  return { printers: [...system, ...(opts.folders ?? []).map(folderInfo)], warnings };
}

/** Print a composed PDF on a printer, unscaled, at its exact paper size. Throws PrintingError. */
export async function printPdf(
  target: PrinterTarget,
  job: PrintJob,
  opts: PrinterSystemOptions = {},
): Promise<PrintResult> {
  const bytes = job.pdf.bytes;
  if (bytes.byteLength < 5 || Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') {
    throw new PrintingError('BAD_INPUT', '要打印的内容不是 PDF 文件');
  }
  const copies = job.copies ?? 1;
  if (!Number.isInteger(copies) || copies < 1 || copies > 99) {
    throw new PrintingError('BAD_INPUT', `打印份数 ${copies} 不合适（应为 1–99）`);
  }
  const full: Required<PrintJob> = { pdf: job.pdf, copies, title: job.title?.trim() || job.pdf.title };
  const name = target.name.trim();
  if (name === '') throw new PrintingError('BAD_INPUT', '未选择打印机');
  switch (target.kind) {
    case 'folder':
      return printFolder(name, full);
    case 'cups':
      return printCups(name, full, opts);
    case 'windows':
      if ((opts.platform ?? process.platform) !== 'win32') {
        throw new PrintingError('PRINTING_UNAVAILABLE', `Windows 打印机「${name}」只能在 Windows 上使用`, {
          printer: name,
        });
      }
      return printWindows(name, full, opts);
  }
}
