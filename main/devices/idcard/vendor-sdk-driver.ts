/**
 * IdCardReader for USB readers that need the vendor's Windows SDK (sdtapi.dll, Huashi termb.dll;
 * devices.md §3). The DLL never runs in this process: a helper process (helper/helper-main.ts) loads it
 * and speaks JSON lines over stdio (helper/protocol.ts). This driver starts the helper, bounds every
 * request with a timeout, and survives whatever the helper does:
 *
 * - the helper exits (DLL crash, killed)  → the pending call rejects with 'disconnected', the helper is
 *   restarted with backoff (250 ms, 500 ms, 1 s … 30 s), status 'opening' meanwhile;
 * - the helper does not answer in time     → the call rejects with 'timeout', the helper is killed and
 *   restarted the same way (a DLL stuck in a call cannot be interrupted any other way);
 * - the helper prints lines that are not protocol messages (vendor DLLs printf) → each is reported via
 *   `log` and ignored;
 * - the helper says it is unavailable (no DLL, not Windows, wrong bitness…) → status 'unavailable' with
 *   its Chinese reason, open() and reads reject with 'not_available', no restarts until open() again;
 * - no reader is attached (the DLL found nothing on USB 1001–1016 / COM1–16) → status 'unavailable',
 *   the helper keeps retrying with backoff and the status turns 'ready' when the reader is plugged in;
 * - after `unavailableAfter` failed starts in a row the status says 'unavailable' while retries go on.
 *
 * Nothing a helper does reaches the caller as an exception other than a ReaderError from the call that
 * was waiting; 'status'/'card'/'removed'/'error' listeners that throw are caught and logged; 'error' is
 * only emitted when someone listens (an unheard 'error' event would throw).
 *
 * Card text — decided: the helper sends what the DLL gives, the app parses. sdtapi gives the raw
 * 256-byte text (+ WLT photo); Huashi gives fields decoded by its getters (GBK) and, when its wz.txt
 * could be read, the raw text too. Raw text is parsed with `parseCardText` from ./card-parse (the same
 * parser as the SAM serial driver, so every driver yields the same CardData, all four card types);
 * without raw text, or when parsing it fails and vendor fields exist, the fields are mapped with
 * `cardFromFields`. Keeping the parser out of the helper keeps the DLL process small and the parsing
 * in one place.
 * See helper/README.md for packaging (which command starts the helper in the installed app).
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { logger } from '../../base/logger';
import { ethnicityName, parseCardText } from './card-parse';
import {
  encodeRequest,
  isReaderErrorCode,
  LineSplitter,
  parseHelperLine,
  parseResult,
  type CardFields,
  type Flavour,
  type HelperHello,
  type HelperMethod,
  type ParamTypes,
  type ReadResult,
  type ResultTypes,
} from './helper/protocol';
import {
  ReaderError,
  type CardData,
  type CardType,
  type IdCardReader,
  type ReaderEvents,
  type ReaderStatus,
} from './reader';

// ---- launching the helper ------------------------------------------------------------------------

/** How to start the helper executable. The driver appends --flavour/--dll/--dll-dir to `args`. */
export interface HelperLaunch {
  command: string;
  args: string[];
  /** The helper's environment. Default: this process's, without NODE_OPTIONS (see helperEnv). */
  env?: NodeJS.ProcessEnv;
  /**
   * The helper's working directory; it must be writable (Huashi's DLL writes wz.txt/zp.bmp there).
   * Default: <os tmpdir>/exam-site-idcard-helper, created when needed.
   */
  cwd?: string;
}

/** A started helper, whatever runs it (a child process, or an Electron utility process). */
export interface HelperChild {
  readonly pid: number | undefined;
  /** Protocol output: stdout chunks (split into lines by the driver), or whole lines. */
  onOutput(listener: (chunk: Buffer | string) => void): void;
  /** Free-form diagnostics (stderr). */
  onDiagnostic(listener: (chunk: Buffer | string) => void): void;
  /** Called once, after the process is gone and its output was delivered. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** The process could not be started (e.g. ENOENT); onExit still follows. */
  onSpawnError(listener: (err: Error) => void): void;
  /** Send text (one or more protocol lines). Never throws. */
  write(text: string): void;
  /** Close the helper's input: it closes the port and exits. */
  endInput(): void;
  /** Kill at once (SIGKILL; TerminateProcess on Windows). */
  kill(): void;
}

export type HelperSpawner = (launch: HelperLaunch) => HelperChild;

/** This process's environment minus NODE_OPTIONS (the app's fuses forbid it; the helper must too). */
export function helperEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = { ...base };
  delete env.NODE_OPTIONS;
  return env;
}

export function defaultHelperCwd(): string {
  return path.join(os.tmpdir(), 'exam-site-idcard-helper');
}

const HELPER_MAIN_RELATIVE = './helper/helper-main.ts';

/** The helper program's source file (meaningful only when running from the sources). */
export function helperMainSource(): string {
  // A variable, not a literal: bundlers rewrite `new URL('literal', import.meta.url)` into assets.
  return fileURLToPath(new URL(HELPER_MAIN_RELATIVE, import.meta.url));
}

/**
 * Development and tests: this Node (`process.execPath`) with tsx as an --import loader (absolute URL, so
 * it works from any cwd; one process, no tsx CLI wrapper that would leave a grandchild behind).
 * Throws under Electron: there process.execPath is the Electron binary and (packaged) the runAsNode fuse
 * is off, so it would start a second app instead of the helper. Pass
 * `packagedHelperLaunch(process.resourcesPath)` or an explicit launch there (helper/README.md).
 */
export function developmentHelperLaunch(script: string = helperMainSource()): HelperLaunch {
  if (process.versions.electron !== undefined) {
    throw new Error('developmentHelperLaunch() cannot run under Electron; pass options.helper');
  }
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { command: process.execPath, args: ['--import', tsxLoader, script] };
}

/**
 * The installed app (helper/README.md): the bundled helper run by the 32-bit Node runtime shipped in
 * resources/idcard-helper/ (node-win-x86's node.exe), for the usual 32-bit vendor DLLs.
 */
export function packagedHelperLaunch(resourcesPath: string): HelperLaunch {
  const dir = path.join(resourcesPath, 'idcard-helper');
  return { command: path.join(dir, 'node-win-x86', 'node.exe'), args: [path.join(dir, 'helper-main.mjs')] };
}

/** The default spawner: a child process with piped stdio and no console window on Windows. */
export const spawnChildProcess: HelperSpawner = (launch) => {
  const cwd = launch.cwd ?? defaultHelperCwd();
  try {
    fs.mkdirSync(cwd, { recursive: true });
  } catch {
    // spawn reports a missing cwd as a spawn error.
  }
  const child = spawn(launch.command, launch.args, {
    cwd,
    env: launch.env ?? helperEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  // EPIPE/ECONNRESET when the helper is gone: the exit handler reports that, never an unhandled 'error'.
  child.stdin.on('error', () => undefined);
  child.stdout.on('error', () => undefined);
  child.stderr.on('error', () => undefined);
  return {
    get pid() {
      return child.pid;
    },
    onOutput: (l) => child.stdout.on('data', l),
    onDiagnostic: (l) => child.stderr.on('data', l),
    // 'close' comes after 'exit' and after stdout ended, so a last line is never lost.
    onExit: (l) => child.once('close', (code, signal) => l(code, signal)),
    onSpawnError: (l) => child.on('error', l),
    write: (text) => {
      if (child.stdin.writable) child.stdin.write(text);
    },
    endInput: () => {
      if (child.stdin.writable) child.stdin.end();
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
};

// ---- options -------------------------------------------------------------------------------------

export interface DriverLogEvent {
  level: 'info' | 'warn' | 'error';
  kind: 'garbage' | 'stderr' | 'parse' | 'timeout' | 'restart' | 'unavailable' | 'spawn-error' | 'listener';
  message: string;
  detail?: string;
}

export interface VendorSdkTimeouts {
  /** From start to the hello line (a cold 32-bit node.exe + koffi on a slow PC). */
  helloMs: number;
  /** The open request (a full scan of 32 ports). */
  openMs: number;
  /** One read (find + select + read takes 0.3–3 s on real readers, devices.md §1.7). */
  readMs: number;
  /** status and samId requests. */
  queryMs: number;
  /** The close request at shutdown, then as long again for the exit before the helper is killed. */
  closeMs: number;
}

export interface VendorSdkReaderOptions {
  flavour: Flavour;
  /** Path or file name of the DLL (default sdtapi.dll / termb.dll; bare names: see helper/README.md). */
  dll?: string;
  /** Folders to look for a bare DLL name in. */
  dllDirs?: string[];
  /** A fixed port (1001–1016 USB, 1–16 COM); default: scan. */
  port?: number;
  /** How to start the helper; default developmentHelperLaunch() (dev/tests only, see its doc). */
  helper?: HelperLaunch;
  /** Replace the child-process spawner (e.g. an Electron utilityProcess adapter in main/electron/). */
  spawn?: HelperSpawner;
  timeouts?: Partial<VendorSdkTimeouts>;
  /** Restart backoff: first delay, doubling up to maxMs. */
  restart?: { initialMs?: number; maxMs?: number; unavailableAfter?: number };
  /** waitForCard polls this often. */
  pollIntervalMs?: number;
  /** waitForCard's default timeout. */
  waitTimeoutMs?: number;
  description?: string;
  /**
   * Parses the raw 256-byte card text (devices.md §2); default `parseCardText` from ./card-parse. null:
   * use only the vendor's decoded fields (which only the Huashi flavour provides).
   */
  parseText?: TextParser | null;
  /** Diagnostics (garbage lines, helper exits, restarts, stderr). Default: the core logger. */
  log?: (event: DriverLogEvent) => void;
}

/** Raw card text (+ the WLT photo the reader returned with it) → CardData; throws a ReaderError. */
export type TextParser = (text: Uint8Array, options: { photo: Uint8Array | null }) => CardData;

const defaultTextParser: TextParser = (text, options) => parseCardText(text, options);

const DEFAULT_TIMEOUTS: VendorSdkTimeouts = {
  helloMs: 20_000,
  openMs: 30_000,
  readMs: 8_000,
  queryMs: 3_000,
  closeMs: 1_500,
};

function defaultLog(event: DriverLogEvent): void {
  const extra = { kind: event.kind, ...(event.detail !== undefined ? { detail: event.detail } : {}) };
  logger[event.level](`idcard helper: ${event.message}`, extra);
}

// ---- field mapping -------------------------------------------------------------------------------

/** YYYYMMDD, YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD or YYYY年MM月DD日 → YYYY-MM-DD; 长期 → 'long-term'. */
export function normaliseDate(value: string | null, allowLongTerm = false): string | null {
  if (value === null) return null;
  const v = value.trim();
  if (v === '') return null;
  if (allowLongTerm && v === '长期') return 'long-term';
  const m = /^(\d{4})[-./年]?(\d{2})[-./月]?(\d{2})日?$/u.exec(v);
  if (!m) return null;
  const y = m[1] ?? '';
  const mo = m[2] ?? '';
  const d = m[3] ?? '';
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${y}-${mo}-${d}`;
}

function normaliseGender(value: string | null): '男' | '女' | null {
  const v = (value ?? '').trim();
  if (v === '男' || v === '1') return '男';
  if (v === '女' || v === '2') return '女';
  return null;
}

function cardTypeOf(fields: CardFields): CardType {
  const flag = (fields.certType ?? '').trim().toUpperCase();
  if (flag === 'J') return 'residence_permit';
  if (flag === 'I') return 'foreign_pr_2017';
  if (flag === 'Y') return 'foreign_pr_2023';
  if (flag === '') {
    // Old DLL builds have no GetCertType; the number tells the permit (81/82/83…) from a resident ID.
    if (/^8[123]\d{15}[\dX]$/u.test(fields.idNumber)) return 'residence_permit';
  }
  return 'resident';
}

function orNull(value: string | null): string | null {
  const v = value?.trim() ?? '';
  return v === '' ? null : v;
}

/**
 * Map the fields a vendor API decoded (Huashi getters) to CardData. Less complete than parsing the raw
 * text: no travel-permit number or issue count for residence permits, no renewal count or previous card
 * number for 2023 foreign PR cards.
 */
export function cardFromFields(fields: CardFields): CardData {
  const cardType = cardTypeOf(fields);
  const foreign = cardType === 'foreign_pr_2017' || cardType === 'foreign_pr_2023';
  // `extra` uses card-parse's keys: genderCode, ethnicityCode, nationality (the GB/T 2659 code).
  const extra: Record<string, string> = {};
  const code = orNull(fields.ethnicityCode);
  const nation = orNull(fields.ethnicity);
  const gender = normaliseGender(fields.gender);
  if (gender !== null) extra.genderCode = gender === '男' ? '1' : '2';
  if (foreign) {
    if (code !== null) extra.nationality = code;
    if (nation !== null) extra.nationalityName = nation;
  } else if (cardType === 'resident' && code !== null) {
    extra.ethnicityCode = code;
  }
  const name = fields.name.trim();
  const chineseName = orNull(fields.chineseName);
  return {
    cardType,
    name: foreign ? (chineseName ?? name) : name,
    englishName: foreign ? (orNull(name) ?? null) : null,
    gender,
    // The vetted code table first (devices.md §2.2), the DLL's own name when it gave no code.
    ethnicity: cardType === 'resident' ? (code !== null ? ethnicityName(code) : nation) : null,
    birthDate: normaliseDate(fields.birthDate),
    address: foreign ? null : orNull(fields.address),
    idNumber: fields.idNumber.trim().toUpperCase(),
    issuingAuthority: orNull(fields.issuingAuthority),
    validFrom: normaliseDate(fields.validFrom),
    validUntil: normaliseDate(fields.validUntil, true),
    extra,
    photoWlt: null,
    photo: null,
  };
}

function fromBase64(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'base64'));
}

// ---- one helper process --------------------------------------------------------------------------

interface ExitInfo {
  code: number | null;
  signal: string | null;
  spawnError: Error | null;
  /** Killed by the driver (timeout or shutdown), not a crash. */
  killed: boolean;
  stderrTail: string;
}

function describeExit(exit: ExitInfo): string {
  if (exit.spawnError) return `无法启动：${exit.spawnError.message}`;
  if (exit.signal) return `信号 ${exit.signal}`;
  return `退出码 ${exit.code ?? '未知'}`;
}

interface Pending {
  method: HelperMethod;
  resolve(value: unknown): void;
  reject(err: ReaderError): void;
  timer: NodeJS.Timeout;
}

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

class HelperSession {
  readonly child: HelperChild;
  readonly exited: Promise<ExitInfo>;
  readonly startedAt = Date.now();
  hello: HelperHello | null = null;
  done = false;
  #helloWait = deferred<HelperHello>();
  #pending = new Map<number, Pending>();
  #killed = false;
  #spawnError: Error | null = null;
  #stderrTail = '';
  #stderrLine = '';

  constructor(
    spawner: HelperSpawner,
    launch: HelperLaunch,
    private readonly log: (e: DriverLogEvent) => void,
  ) {
    // Nobody may be waiting for the hello when the helper dies; never leave a rejection unhandled.
    this.#helloWait.promise.catch(() => undefined);
    const exited = deferred<ExitInfo>();
    this.exited = exited.promise;
    const splitter = new LineSplitter(
      (line) => this.#onLine(line),
      (bytes) => this.#garbage(`line of ${bytes} bytes`, 'over-long line dropped'),
    );
    this.child = spawner(launch);
    this.child.onOutput((chunk) => {
      if (typeof chunk === 'string' && !chunk.endsWith('\n')) splitter.push(`${chunk}\n`);
      else splitter.push(chunk);
    });
    this.child.onDiagnostic((chunk) => this.#onStderr(chunk));
    this.child.onSpawnError((err) => {
      // Only an error before the process existed means it could not be started.
      if (this.child.pid === undefined) this.#spawnError = err;
      this.log({
        level: 'error',
        kind: 'spawn-error',
        message: `cannot start ${launch.command}`,
        detail: err.message,
      });
    });
    this.child.onExit((code, signal) => {
      splitter.end();
      this.#flushStderr();
      const info: ExitInfo = {
        code,
        signal,
        spawnError: this.#spawnError,
        killed: this.#killed,
        stderrTail: this.#stderrTail,
      };
      this.done = true;
      const reason = describeExit(info);
      const err = info.spawnError
        ? new ReaderError('not_available', `无法启动读卡器助手进程（${info.spawnError.message}）`, reason)
        : new ReaderError(
            'disconnected',
            `读卡器助手进程意外退出（${reason}），正在重新启动`,
            info.stderrTail,
          );
      this.#helloWait.reject(err);
      for (const [id, p] of this.#pending) {
        clearTimeout(p.timer);
        this.#pending.delete(id);
        p.reject(err);
      }
      exited.resolve(info);
    });
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  /** Alive and not being killed: requests may be sent. */
  get usable(): boolean {
    return !this.done && !this.#killed;
  }

  /** The hello line; rejects (and kills the helper) after `timeoutMs`, rejects when the helper exits. */
  async waitHello(timeoutMs: number): Promise<HelperHello> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.log({
          level: 'warn',
          kind: 'timeout',
          message: `no hello within ${timeoutMs} ms; killing the helper`,
        });
        this.kill();
        reject(new ReaderError('timeout', `读卡器助手进程启动超时（${Math.round(timeoutMs / 1000)} 秒）`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.#helloWait.promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  request<M extends HelperMethod>(
    id: number,
    method: M,
    params: ParamTypes[M],
    timeoutMs: number,
  ): Promise<ResultTypes[M]> {
    if (!this.usable) {
      return Promise.reject(new ReaderError('disconnected', '读卡器助手进程已退出，正在重新启动'));
    }
    return new Promise<ResultTypes[M]>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.#pending.delete(id)) return;
        this.log({
          level: 'warn',
          kind: 'timeout',
          message: `no answer to ${method} within ${timeoutMs} ms; killing helper ${this.pid ?? '?'}`,
        });
        reject(
          new ReaderError(
            'timeout',
            `读卡器无响应（${Math.round(timeoutMs / 1000)} 秒内未应答），正在重新启动读卡器助手`,
            method,
          ),
        );
        this.kill();
      }, timeoutMs);
      this.#pending.set(id, {
        method,
        resolve: (v) => resolve(v as ResultTypes[M]),
        reject,
        timer,
      });
      this.child.write(encodeRequest(id, method, params));
    });
  }

  kill(): void {
    this.#killed = true;
    this.child.kill();
  }

  /** Ask the helper to close the port, close its input, and kill it if it does not exit in time. */
  async shutdown(closeMs: number, nextId: () => number): Promise<ExitInfo> {
    if (this.usable && this.hello !== null && !('unavailable' in this.hello)) {
      await this.request(nextId(), 'close', {}, closeMs).catch(() => undefined);
    }
    this.child.endInput();
    let timer: NodeJS.Timeout | undefined;
    const gone = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), closeMs);
      }),
    ]);
    clearTimeout(timer);
    if (!gone) this.kill();
    return this.exited;
  }

  #garbage(line: string, reason: string): void {
    this.log({
      level: 'warn',
      kind: 'garbage',
      message: `ignored a line from helper ${this.pid ?? '?'}: ${reason}`,
      detail: line.length > 200 ? `${line.slice(0, 200)}…` : line,
    });
  }

  #onLine(line: string): void {
    const msg = parseHelperLine(line);
    if (msg.kind === 'garbage') {
      this.#garbage(line, msg.reason);
      return;
    }
    if (msg.kind === 'hello') {
      if (this.hello !== null) {
        this.#garbage(line, 'second hello');
        return;
      }
      this.hello = msg.hello;
      this.#helloWait.resolve(msg.hello);
      return;
    }
    const { response } = msg;
    const pending = this.#pending.get(response.id);
    if (!pending) {
      this.#garbage(line, `answer to unknown or expired request ${response.id}`);
      return;
    }
    this.#pending.delete(response.id);
    clearTimeout(pending.timer);
    if (!response.ok) {
      const { code, message, detail } = response.error;
      pending.reject(
        new ReaderError(
          isReaderErrorCode(code) ? code : 'reader_status',
          message,
          detail ?? `helper code ${code}`,
        ),
      );
      return;
    }
    const result = parseResult(pending.method, response.result);
    if (result.ok) {
      pending.resolve(result.value);
    } else {
      this.#garbage(line, result.reason);
      pending.reject(new ReaderError('frame', '读卡器助手返回了无效数据', result.reason));
    }
  }

  #onStderr(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    this.#stderrTail = (this.#stderrTail + text).slice(-2000);
    const lines = (this.#stderrLine + text).split('\n');
    this.#stderrLine = lines.pop() ?? '';
    if (this.#stderrLine.length > 2000) this.#stderrLine = this.#stderrLine.slice(-2000);
    for (const l of lines) {
      const t = l.trimEnd();
      if (t !== '') this.log({ level: 'info', kind: 'stderr', message: t.slice(0, 500) });
    }
  }

  #flushStderr(): void {
    const t = this.#stderrLine.trim();
    this.#stderrLine = '';
    if (t !== '') this.log({ level: 'info', kind: 'stderr', message: t.slice(0, 500) });
  }
}

// ---- the driver ----------------------------------------------------------------------------------

type SessionOutcome = { kind: 'permanent'; reason: string } | { kind: 'failed'; reason: string };

export interface VendorSdkDiagnostics {
  /** The running helper's pid, if any. */
  pid: number | null;
  /** Helpers started since construction. */
  starts: number;
  /** Lines ignored because they were not valid protocol messages. */
  garbageLines: number;
  /** The current helper's hello. */
  hello: HelperHello | null;
}

export class VendorSdkReader extends EventEmitter<ReaderEvents> implements IdCardReader {
  readonly description: string;
  readonly #opts: VendorSdkReaderOptions;
  readonly #t: VendorSdkTimeouts;
  /** How to start the helper, or why it cannot be started (a misconfiguration, reported as unavailable). */
  readonly #launch: HelperLaunch | { error: string };
  readonly #spawner: HelperSpawner;
  readonly #parseText: TextParser | null;
  readonly #restartInitial: number;
  readonly #restartMax: number;
  readonly #unavailableAfter: number;
  readonly #pollMs: number;
  readonly #waitMs: number;

  #status: ReaderStatus = { state: 'closed' };
  #statusWaiters = new Set<() => void>();
  /** Bumped by close(): a supervisor of an older generation stops. */
  #gen = 0;
  #wanted = false;
  #supervisor: Promise<void> | null = null;
  #session: HelperSession | null = null;
  #failures = 0;
  #wake: (() => void) | null = null;
  #wakeRequested = false;
  #nextId = 1;
  #queue: Promise<unknown> = Promise.resolve();
  #busy = false;
  /** The last card read is (as far as we know) still on the reader. */
  #cardOn = false;
  #lastIdNumber: string | null = null;
  #starts = 0;
  #garbageLines = 0;

  constructor(options: VendorSdkReaderOptions) {
    super();
    this.#opts = options;
    this.#t = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    const helperArgs = [`--flavour=${options.flavour}`];
    if (options.dll !== undefined) helperArgs.push(`--dll=${options.dll}`);
    for (const d of options.dllDirs ?? []) helperArgs.push(`--dll-dir=${d}`);
    let base: HelperLaunch | null = options.helper ?? null;
    let launchError = '';
    if (base === null) {
      try {
        base = developmentHelperLaunch();
      } catch (e) {
        launchError = e instanceof Error ? e.message : String(e);
      }
    }
    this.#launch =
      base !== null
        ? { ...base, args: [...base.args, ...helperArgs] }
        : { error: `未配置读卡器助手进程的启动方式（${launchError}）` };
    this.#spawner = options.spawn ?? spawnChildProcess;
    this.#parseText = options.parseText === undefined ? defaultTextParser : options.parseText;
    this.#restartInitial = options.restart?.initialMs ?? 250;
    this.#restartMax = options.restart?.maxMs ?? 30_000;
    this.#unavailableAfter = options.restart?.unavailableAfter ?? 3;
    this.#pollMs = options.pollIntervalMs ?? 500;
    this.#waitMs = options.waitTimeoutMs ?? 60_000;
    this.description =
      options.description ??
      (options.flavour === 'sdtapi' ? '厂商驱动读卡器（sdtapi.dll）' : '华视读卡器（termb.dll）');
  }

  status(): ReaderStatus {
    return this.#status;
  }

  diagnostics(): VendorSdkDiagnostics {
    return {
      pid: this.#session?.pid ?? null,
      starts: this.#starts,
      garbageLines: this.#garbageLines,
      hello: this.#session?.hello ?? null,
    };
  }

  /**
   * Start the helper and open the reader. Resolves when the reader is ready; rejects with
   * 'not_available' (the reason in Chinese) when it is not usable now — the status events then tell
   * when it becomes ready (a reader plugged in later) — or with 'timeout' if nothing settled in time.
   * Calling open() again while unavailable retries at once.
   */
  async open(): Promise<void> {
    if (this.#status.state === 'ready') return;
    this.#wanted = true;
    if (this.#supervisor === null) {
      const gen = ++this.#gen;
      this.#setStatus({ state: 'opening' });
      this.#supervisor = this.#supervise(gen).finally(() => {
        if (this.#gen === gen) this.#supervisor = null;
      });
    } else if (this.#status.state === 'unavailable') {
      this.#setStatus({ state: 'opening' });
      this.#wakeUp();
    }
    await this.#awaitReady(this.#t.helloMs + this.#t.openMs);
  }

  async read(): Promise<CardData> {
    if (this.#busy) throw new ReaderError('busy', '读卡器正忙，请稍候');
    this.#busy = true;
    try {
      const card = await this.#readOnce(this.#t.readMs + this.#t.helloMs + this.#t.openMs);
      this.#cardOn = true;
      this.#lastIdNumber = card.idNumber;
      this.#emitSafe('card', card);
      return card;
    } catch (e) {
      const err = toReaderError(e);
      this.#emitError(err);
      throw err;
    } finally {
      this.#busy = false;
    }
  }

  async waitForCard(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<CardData> {
    if (this.#busy) throw new ReaderError('busy', '读卡器正忙，请稍候');
    this.#busy = true;
    const { signal } = options;
    const deadline = Date.now() + (options.timeoutMs ?? this.#waitMs);
    const aborted = () => new ReaderError('timeout', '已取消读卡', 'aborted');
    try {
      for (;;) {
        if (signal?.aborted) throw aborted();
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new ReaderError('timeout', '等待放卡超时，请重新放卡');
        let card: CardData | null = null;
        try {
          card = await abortable(this.#readOnce(remaining), signal, aborted);
        } catch (e) {
          const err = toReaderError(e);
          if (err.code !== 'no_card') throw err;
          if (this.#cardOn) {
            this.#cardOn = false;
            this.#emitSafe('removed');
          }
        }
        if (card !== null) {
          // A DLL that reads the same card again while it lies on the reader: wait until it is removed.
          if (!(this.#cardOn && card.idNumber === this.#lastIdNumber)) {
            this.#cardOn = true;
            this.#lastIdNumber = card.idNumber;
            this.#emitSafe('card', card);
            return card;
          }
        }
        await sleepAbortable(Math.min(this.#pollMs, Math.max(0, deadline - Date.now())), signal);
      }
    } catch (e) {
      const err = toReaderError(e);
      if (err.detail !== 'aborted') this.#emitError(err);
      throw err;
    } finally {
      this.#busy = false;
    }
  }

  async samId(): Promise<string | null> {
    if (this.#status.state === 'ready' && this.#status.samId !== null) return this.#status.samId;
    const session = await this.#awaitReady(this.#t.queryMs + this.#t.helloMs + this.#t.openMs);
    const r = await this.#request(session, 'samId', {}, this.#t.queryMs);
    return r.samId;
  }

  async close(): Promise<void> {
    this.#wanted = false;
    this.#gen++;
    this.#wakeUp();
    const session = this.#session;
    const supervisor = this.#supervisor;
    this.#supervisor = null;
    if (session) {
      await session.shutdown(this.#t.closeMs, () => this.#nextId++);
    }
    if (supervisor) await supervisor;
    this.#session = null;
    this.#cardOn = false;
    this.#setStatus({ state: 'closed' });
  }

  // ---- internals ---------------------------------------------------------------------------------

  #alive(gen: number): boolean {
    return this.#wanted && this.#gen === gen;
  }

  #log(event: DriverLogEvent): void {
    if (event.kind === 'garbage') this.#garbageLines++;
    try {
      (this.#opts.log ?? defaultLog)(event);
    } catch {
      // A broken logger must not break the reader.
    }
  }

  #setStatus(status: ReaderStatus): void {
    const prev = this.#status;
    this.#status = status;
    for (const w of [...this.#statusWaiters]) w();
    const same =
      prev.state === status.state &&
      (status.state !== 'unavailable' || (prev.state === 'unavailable' && prev.reason === status.reason)) &&
      (status.state !== 'ready' || (prev.state === 'ready' && prev.samId === status.samId));
    if (!same) this.#emitSafe('status', status);
  }

  #emitSafe<K extends keyof ReaderEvents>(event: K, ...args: ReaderEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: ReaderEvents[K]) => boolean)(event, ...args);
    } catch (e) {
      this.#log({
        level: 'error',
        kind: 'listener',
        message: `a '${event}' listener threw`,
        detail: e instanceof Error ? (e.stack ?? e.message) : String(e),
      });
    }
  }

  #emitError(err: ReaderError): void {
    if (this.listenerCount('error') > 0) this.#emitSafe('error', err);
  }

  #wakeUp(): void {
    this.#wakeRequested = true;
    this.#wake?.();
  }

  /** Sleep `ms`, cut short by #wakeUp() (open() retry, close()) or by `until` settling. */
  async #sleep(ms: number, until?: Promise<unknown>): Promise<void> {
    if (this.#wakeRequested) {
      this.#wakeRequested = false;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
        this.#wake = resolve;
      }),
      ...(until ? [until] : []),
    ]);
    clearTimeout(timer);
    this.#wake = null;
    this.#wakeRequested = false;
  }

  #backoff(attempt: number): number {
    return Math.min(this.#restartMax, this.#restartInitial * 2 ** Math.max(0, attempt - 1));
  }

  async #supervise(gen: number): Promise<void> {
    while (this.#alive(gen)) {
      const outcome = await this.#runSession(gen);
      if (!this.#alive(gen)) return;
      if (outcome.kind === 'permanent') {
        this.#log({ level: 'warn', kind: 'unavailable', message: outcome.reason });
        this.#setStatus({ state: 'unavailable', reason: outcome.reason });
        return;
      }
      this.#failures++;
      const delay = this.#backoff(this.#failures);
      this.#log({
        level: 'warn',
        kind: 'restart',
        message: `helper ended (${outcome.reason}); restart ${this.#failures} in ${delay} ms`,
      });
      this.#setStatus(
        this.#failures >= this.#unavailableAfter
          ? { state: 'unavailable', reason: `读卡器助手进程反复异常退出，正在重试（${outcome.reason}）` }
          : { state: 'opening' },
      );
      await this.#sleep(delay);
    }
  }

  async #runSession(gen: number): Promise<SessionOutcome> {
    const launch = this.#launch;
    if ('error' in launch) return { kind: 'permanent', reason: launch.error };
    this.#starts++;
    let session: HelperSession;
    try {
      session = new HelperSession(this.#spawner, launch, (e) => this.#log(e));
    } catch (e) {
      // spawn() itself threw (bad arguments): as permanent as a missing executable.
      return {
        kind: 'permanent',
        reason: `无法启动读卡器助手进程：${e instanceof Error ? e.message : String(e)}`,
      };
    }
    this.#session = session;
    try {
      const hello = await session.waitHello(this.#t.helloMs);
      if (!this.#alive(gen)) return { kind: 'failed', reason: 'closed' };
      if ('unavailable' in hello) {
        await session.shutdown(this.#t.closeMs, () => this.#nextId++);
        return { kind: 'permanent', reason: hello.unavailable };
      }
      let noReaderAttempts = 0;
      while (this.#alive(gen) && session.usable) {
        try {
          const params = this.#opts.port !== undefined ? { port: this.#opts.port } : {};
          const r = await this.#request(session, 'open', params, this.#t.openMs);
          if (!this.#alive(gen)) break;
          this.#setStatus({ state: 'ready', samId: r.samId });
          break;
        } catch (e) {
          const err = toReaderError(e);
          if (err.code !== 'not_available' || !session.usable || !this.#alive(gen)) throw err;
          // No reader attached: keep the helper, try again later (a reader may be plugged in).
          this.#setStatus({ state: 'unavailable', reason: err.message });
          await this.#sleep(this.#backoff(++noReaderAttempts), session.exited);
        }
      }
      const exit = await session.exited;
      return { kind: 'failed', reason: describeExit(exit) };
    } catch (e) {
      session.kill();
      const exit = await session.exited;
      if (exit.spawnError) {
        return {
          kind: 'permanent',
          reason: `无法启动读卡器助手进程 ${launch.command}（${exit.spawnError.message}）`,
        };
      }
      return { kind: 'failed', reason: e instanceof Error ? e.message : String(e) };
    } finally {
      if (this.#session === session) this.#session = null;
    }
  }

  /** Requests run one at a time (the helper and the reader are half-duplex). */
  #request<M extends HelperMethod>(
    session: HelperSession,
    method: M,
    params: ParamTypes[M],
    timeoutMs: number,
  ): Promise<ResultTypes[M]> {
    const run = this.#queue.then(() => session.request(this.#nextId++, method, params, timeoutMs));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** The current session once the reader is ready; waits (bounded) while the helper (re)starts. */
  async #awaitReady(timeoutMs: number): Promise<HelperSession> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.#status;
      if (s.state === 'ready' && this.#session?.usable) return this.#session;
      if (s.state === 'unavailable') throw new ReaderError('not_available', s.reason);
      if (s.state === 'closed' || !this.#wanted) throw new ReaderError('not_open', '读卡器未打开');
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new ReaderError('timeout', '读卡器未就绪（助手进程启动超时）');
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#statusWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, remaining);
        this.#statusWaiters.add(done);
      });
    }
  }

  async #readOnce(timeoutMs: number): Promise<CardData> {
    const session = await this.#awaitReady(timeoutMs);
    const result = await this.#request(session, 'read', {}, this.#t.readMs);
    const card = this.#toCard(result);
    // A helper that reads cards is healthy: the next crash restarts at the shortest delay again.
    this.#failures = 0;
    return card;
  }

  #toCard(r: ReadResult): CardData {
    const photoWlt = r.photoWlt !== null ? fromBase64(r.photoWlt) : null;
    const photo = r.photoBmp !== null ? { mime: 'image/bmp', bytes: fromBase64(r.photoBmp) } : null;
    let card: CardData | null = null;
    let parseError: unknown = null;
    if (r.text !== null && this.#parseText !== null) {
      try {
        card = this.#parseText(fromBase64(r.text), { photo: photoWlt });
      } catch (e) {
        parseError = e;
      }
    }
    if (card === null && r.fields !== null) card = { ...cardFromFields(r.fields), photoWlt };
    if (card === null) {
      if (parseError !== null) throw toReaderError(parseError);
      throw new ReaderError(
        'frame',
        '读卡器驱动只返回了原始文字信息，无法解析（未配置证件解析器）',
        'parseText is null and the helper returned no fields',
      );
    }
    if (parseError !== null) {
      this.#log({
        level: 'warn',
        kind: 'parse',
        message: 'raw card text not parsed; used the vendor fields',
        detail: toReaderError(parseError).message,
      });
    }
    // A parser that ignores `options.photo` still gets the reader's photo (unless it is blank).
    if (card.photoWlt === null && photoWlt !== null && photoWlt.some((b) => b !== 0)) {
      card = { ...card, photoWlt };
    }
    return photo !== null ? { ...card, photo } : card;
  }
}

function toReaderError(e: unknown): ReaderError {
  if (e instanceof ReaderError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new ReaderError('reader_status', `读卡失败：${msg}`, msg);
}

function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined, reason: () => Error): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(reason());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function sleepAbortable(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function createVendorSdkReader(options: VendorSdkReaderOptions): VendorSdkReader {
  return new VendorSdkReader(options);
}
