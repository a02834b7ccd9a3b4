/**
 * The helper program's logic (helper-main.ts only calls runHelper): read the configuration, find and
 * load the vendor DLL, say hello, then answer requests one at a time until stdin ends. See protocol.ts
 * for the wire format and README.md for how the app starts this program.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HelperFailure, HuashiTermbBackend, SdtapiBackend, type ReaderBackend } from './backends';
import {
  encodeError,
  encodeHello,
  encodeResult,
  FLAVOURS,
  LineSplitter,
  parseRequestLine,
  PROTOCOL_VERSION,
  type Flavour,
  type HelperRequest,
} from './protocol';
import { loadHuashiTermb, loadSdtapi, MissingExportError } from './sdk-bindings';

/** Lets the helper load a DLL/shared library on a non-Windows OS. For tests with a fake library only. */
export const ANY_OS_ENV = 'EXAM_SITE_IDCARD_HELPER_ANY_OS';

export interface HelperConfig {
  flavour: Flavour;
  /** --dll: a path or a bare file name; default sdtapi.dll / termb.dll. */
  dll: string;
  /** --dll-dir (repeatable): folders to look for a bare DLL name in, before the defaults. */
  dllDirs: string[];
}

export const DEFAULT_DLL: Record<Flavour, string> = { sdtapi: 'sdtapi.dll', termb: 'termb.dll' };

export function parseHelperArgs(argv: readonly string[]): HelperConfig | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        flavour: { type: 'string', default: 'sdtapi' },
        dll: { type: 'string' },
        'dll-dir': { type: 'string', multiple: true, default: [] },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return { error: `读卡器助手进程参数错误：${e instanceof Error ? e.message : String(e)}` };
  }
  const flavour = FLAVOURS.find((f) => f === values.flavour);
  if (flavour === undefined) {
    return { error: `未知的读卡器驱动类型：${values.flavour}（应为 sdtapi 或 termb）` };
  }
  return { flavour, dll: values.dll ?? DEFAULT_DLL[flavour], dllDirs: values['dll-dir'] };
}

/**
 * Where a bare DLL name is looked for: --dll-dir folders, the helper's own folder, System32. Not the
 * working directory: it is user-writable (wz.txt goes there), and loading a DLL from it would let
 * anything that can write there run code in the helper.
 */
export function dllCandidates(
  config: HelperConfig,
  env: NodeJS.ProcessEnv,
  helperDir: string,
  cwd: string,
): string[] {
  if (path.isAbsolute(config.dll)) return [config.dll];
  if (config.dll.includes('/') || config.dll.includes('\\')) return [path.resolve(cwd, config.dll)];
  const dirs = [...config.dllDirs, helperDir];
  const systemRoot = env.SystemRoot ?? env.SYSTEMROOT;
  // A 32-bit process asking for System32 is redirected to SysWOW64, where 32-bit vendor DLLs live.
  if (systemRoot) dirs.push(path.join(systemRoot, 'System32'));
  return [...new Set(dirs.map((d) => path.join(d, config.dll)))];
}

/** The file name of a Windows or POSIX path, whatever the platform running this. */
function fileName(p: string): string {
  return p.split(/[\\/]/u).pop() ?? p;
}

function bits(arch: string): string {
  return arch === 'ia32' || arch === 'arm' ? '32' : '64';
}

/** A Chinese explanation of a failed koffi.load (Windows error text or code in `message`). */
export function describeLoadError(message: string, dllPath: string, arch: string): string {
  const name = fileName(dllPath);
  if (/\b193\b|not a valid Win32 application|不是有效的 Win32 应用程序/iu.test(message)) {
    return (
      `读卡器厂商驱动 ${name} 与读卡器助手进程位数不一致（助手为 ${bits(arch)} 位）：` +
      '32 位驱动需使用 32 位助手（node-win-x86），64 位驱动需使用 64 位助手'
    );
  }
  if (/\b126\b|could not be found|找不到指定的模块/iu.test(message)) {
    return `读卡器厂商驱动 ${name} 或其依赖的 DLL 缺失（请把厂商 SDK 的全部文件放在同一目录）`;
  }
  return `无法加载读卡器厂商驱动 ${name}：${message}`;
}

export type HelperState = { backend: ReaderBackend; dllPath: string } | { unavailable: string };

/** Find, load and bind the DLL. Never throws: every failure becomes an `unavailable` reason in Chinese. */
export async function prepareBackend(
  config: HelperConfig,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): Promise<HelperState> {
  const name = fileName(config.dll);
  if (platform !== 'win32' && env[ANY_OS_ENV] !== '1') {
    return { unavailable: `未找到读卡器厂商驱动 ${name}（仅支持 Windows）` };
  }
  const helperDir = path.dirname(fileURLToPath(import.meta.url));
  const candidates = dllCandidates(config, env, helperDir, process.cwd());
  const dllPath = candidates.find((c) => fs.existsSync(c));
  if (dllPath === undefined) {
    return { unavailable: `未找到读卡器厂商驱动 ${name}（已查找：${candidates.join('；')}）` };
  }
  let koffi;
  try {
    koffi = (await import('koffi')).default;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return {
      unavailable: `无法加载 koffi 原生模块（${platform}-${arch}），读卡器助手无法调用厂商驱动：${msg}`,
    };
  }
  try {
    const backend =
      config.flavour === 'sdtapi'
        ? new SdtapiBackend(loadSdtapi(koffi, dllPath))
        : new HuashiTermbBackend(loadHuashiTermb(koffi, dllPath));
    return { backend, dllPath };
  } catch (e) {
    if (e instanceof MissingExportError) {
      return {
        unavailable:
          `读卡器厂商驱动 ${name} 缺少函数 ${e.symbol}，不是 ${config.flavour} 接口` +
          '（请检查读卡器驱动类型设置：华视 termb.dll 为 CVR_* 接口）',
      };
    }
    return { unavailable: describeLoadError(e instanceof Error ? e.message : String(e), dllPath, arch) };
  }
}

// ---- transport -----------------------------------------------------------------------------------

export interface HelperIo {
  /** Incoming lines; lines that arrived before the listener was set are delivered when it is set. */
  onLine(listener: (line: string) => void): void;
  /** The app went away (stdin ended). */
  onEnd(listener: () => void): void;
  send(text: string): void;
  /** Flush what was sent, then call `done`. */
  flush(done: () => void): void;
}

class QueuedIo {
  #lines: string[] = [];
  #ended = false;
  #lineListener: ((line: string) => void) | null = null;
  #endListener: (() => void) | null = null;

  line(line: string): void {
    if (this.#lineListener) this.#lineListener(line);
    else this.#lines.push(line);
  }
  end(): void {
    this.#ended = true;
    if (this.#lineListener && this.#endListener) this.#endListener();
  }
  onLine(listener: (line: string) => void): void {
    this.#lineListener = listener;
    for (const l of this.#lines.splice(0)) listener(l);
    if (this.#ended && this.#endListener) this.#endListener();
  }
  onEnd(listener: () => void): void {
    this.#endListener = listener;
    if (this.#ended && this.#lineListener) listener();
  }
}

/** stdin/stdout transport (a separate executable such as the 32-bit node.exe). */
export function stdioIo(log: (msg: string) => void): HelperIo {
  const queue = new QueuedIo();
  const splitter = new LineSplitter(
    (line) => queue.line(line),
    (bytes) => log(`dropped an over-long input line (${bytes} bytes)`),
  );
  process.stdin.on('data', (chunk: Buffer) => splitter.push(chunk));
  process.stdin.on('end', () => {
    splitter.end();
    queue.end();
  });
  process.stdin.on('error', () => queue.end());
  // The app died: nobody reads our answers any more.
  process.stdout.on('error', () => process.exit(0));
  return {
    onLine: (l) => queue.onLine(l),
    onEnd: (l) => queue.onEnd(l),
    send: (text) => {
      process.stdout.write(text);
    },
    flush: (done) => {
      process.stdout.write('', () => done());
    },
  };
}

/** The subset of Electron's `process.parentPort` (utilityProcess) the helper uses. */
export interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/**
 * Electron utilityProcess transport (for a 64-bit DLL, no separate runtime): a utility process has no
 * stdin, so each message is one string carrying one protocol line. The utility process is killed with
 * the app, and the app ends it with `kill()`.
 */
export function parentPortIo(port: ParentPortLike): HelperIo {
  const queue = new QueuedIo();
  port.on('message', (e) => {
    if (typeof e.data === 'string') queue.line(e.data);
  });
  return {
    onLine: (l) => queue.onLine(l),
    onEnd: (l) => queue.onEnd(l),
    send: (text) => {
      for (const line of text.split('\n')) if (line !== '') port.postMessage(line);
    },
    flush: (done) => done(),
  };
}

export function parentPortOf(proc: NodeJS.Process): ParentPortLike | null {
  const candidate: unknown = (proc as { parentPort?: unknown }).parentPort;
  if (typeof candidate !== 'object' || candidate === null) return null;
  return 'postMessage' in candidate && 'on' in candidate ? (candidate as ParentPortLike) : null;
}

// ---- request loop --------------------------------------------------------------------------------

function handle(backend: ReaderBackend, request: HelperRequest): unknown {
  switch (request.method) {
    case 'open':
      return backend.open(request.params);
    case 'status':
      return backend.status();
    case 'read':
      return backend.read();
    case 'samId':
      return backend.samId();
    case 'close':
      return backend.close();
  }
}

/**
 * Answer requests one at a time. Each request is handled synchronously (DLL calls block), so answers
 * come out in order. Returns when set up; calls `onDone` after stdin ended and the port was closed.
 */
export function serve(
  io: HelperIo,
  state: HelperState,
  log: (msg: string) => void,
  onDone: () => void,
): void {
  io.onLine((line) => {
    const parsed = parseRequestLine(line);
    if (parsed.kind === 'garbage') {
      log(`ignored input line: ${parsed.reason}`);
      return;
    }
    if (parsed.kind === 'invalid') {
      io.send(
        encodeError(parsed.id, { code: 'frame', message: '读卡器助手收到无效请求', detail: parsed.reason }),
      );
      return;
    }
    const { id } = parsed.request;
    if ('unavailable' in state) {
      io.send(encodeError(id, { code: 'not_available', message: state.unavailable }));
      return;
    }
    try {
      io.send(encodeResult(id, handle(state.backend, parsed.request)));
    } catch (e) {
      if (e instanceof HelperFailure) {
        io.send(
          encodeError(id, {
            code: e.code,
            message: e.message,
            ...(e.detail !== undefined ? { detail: e.detail } : {}),
          }),
        );
      } else {
        const msg = e instanceof Error ? e.message : String(e);
        io.send(encodeError(id, { code: 'reader_status', message: `读卡器驱动调用出错：${msg}` }));
      }
    }
  });
  io.onEnd(() => {
    if ('backend' in state) {
      try {
        state.backend.close();
      } catch (e) {
        log(`close on exit failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    io.flush(onDone);
  });
}

/** The helper program. */
export async function runHelper(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const log = (msg: string): void => {
    try {
      process.stderr.write(`[idcard-helper ${process.pid}] ${msg}\n`);
    } catch {
      // No stderr: nothing to do.
    }
  };
  const parentPort = parentPortOf(process);
  const io = parentPort ? parentPortIo(parentPort) : stdioIo(log);
  const config = parseHelperArgs(argv);
  const state: HelperState = 'error' in config ? { unavailable: config.error } : await prepareBackend(config);
  io.send(
    encodeHello(
      'unavailable' in state
        ? { protocol: PROTOCOL_VERSION, unavailable: state.unavailable, pid: process.pid }
        : {
            protocol: PROTOCOL_VERSION,
            flavour: state.backend.flavour,
            dllPath: state.dllPath,
            arch: process.arch,
            pid: process.pid,
          },
    ),
  );
  if ('unavailable' in state) log(state.unavailable);
  serve(io, state, log, () => process.exit(0));
}
