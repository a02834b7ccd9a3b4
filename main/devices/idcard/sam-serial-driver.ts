/**
 * IdCardReader for readers that expose a COM port (RS-232, USB-serial/CDC) and speak the GA/T 467 SAM
 * protocol (devices.md §1, §4.1): `serialport` 13 underneath, 115200 8N1 by default.
 *
 * All protocol and lifecycle logic is in SamReaderCore (find → select → read, timeouts, removal,
 * reconnect with backoff); this file adds the serial transport and `listSerialPorts()`.
 *
 * Tests inject the port (`portFactory`): SerialPortMock with a SimulatedSamDevice answering, or a real
 * pty made by socat.
 */
import fs from 'node:fs';
import { SerialPort, type SerialPortMock } from 'serialport';
import { SamReaderCore, type SamReaderOptions, type SamTransport } from './sam-reader-core';

export type SerialPortInstance = SerialPort | SerialPortMock;
/** Creates a port that is not open yet (autoOpen: false). */
export type SerialPortFactory = (options: { path: string; baudRate: number }) => SerialPortInstance;

export const defaultSerialPortFactory: SerialPortFactory = ({ path, baudRate }) =>
  new SerialPort({ path, baudRate, autoOpen: false });

export const DEFAULT_BAUD_RATE = 115200;

/** Errors of a port whose device is gone (Linux: EIO from a closed pty or an unplugged USB adapter). */
const DISCONNECT_ERRORS = new Set(['EIO', 'ENXIO', 'ENODEV', 'EBADF']);

/** A SamTransport over one serial port; a new port object per open (after an unplug). */
/** How often an open port's device file is looked for (see `watchDevice`). */
const DEVICE_WATCH_MS = 250;

export class SerialPortTransport implements SamTransport {
  private port: SerialPortInstance | null = null;
  private token = 0;
  private watch: NodeJS.Timeout | null = null;
  private handlers: { data: (chunk: Buffer) => void; disconnect: (reason: string) => void } = {
    data: () => undefined,
    disconnect: () => undefined,
  };

  constructor(
    readonly path: string,
    readonly baudRate: number = DEFAULT_BAUD_RATE,
    private readonly factory: SerialPortFactory = defaultSerialPortFactory,
  ) {}

  /** The port object in use (tests: to pull the plug on a SerialPortMock). */
  get current(): SerialPortInstance | null {
    return this.port;
  }

  setHandlers(handlers: { data: (chunk: Buffer) => void; disconnect: (reason: string) => void }): void {
    this.handlers = handlers;
  }

  isOpen(): boolean {
    return this.port?.isOpen === true;
  }

  async open(): Promise<void> {
    await this.close();
    const token = ++this.token;
    const port = this.factory({ path: this.path, baudRate: this.baudRate });
    // An 'error' event without a listener would throw. Most port errors surface as close/disconnect, but
    // serialport's unix binding reports EIO — what reading a pty or USB-serial device that vanished gives —
    // as a plain error and leaves the port "open": every read would then time out instead of saying the
    // reader was unplugged. Treat it as the disconnect it is.
    port.on('error', (err: Error & { code?: string }) => {
      if (DISCONNECT_ERRORS.has(err.code ?? '')) {
        this.dropPort(port, `串口 ${this.path} 已断开：${err.message}`);
      }
    });
    await new Promise<void>((resolve, reject) => {
      port.open((err) => (err ? reject(err) : resolve()));
    });
    if (token !== this.token) {
      // Given up on (timed out) or closed meanwhile: do not leak the port.
      port.close(() => undefined);
      throw new Error('open abandoned');
    }
    port.on('data', (chunk: Buffer) => {
      if (this.port === port) this.handlers.data(chunk);
    });
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      if (this.port !== port) return;
      this.port = null;
      this.stopWatch();
      const reason = err?.message ? `串口 ${this.path} 已断开：${err.message}` : `串口 ${this.path} 已关闭`;
      this.handlers.disconnect(reason);
    });
    this.port = port;
    this.watchDevice(port);
  }

  /**
   * A USB-serial adapter pulled out (or a pty whose other end died) can leave the port looking open:
   * serialport's unix binding then reads 0 bytes in a loop and never reports a close. Where the port is a
   * device file (/dev/ttyUSB0, a pty link), its disappearance is the unplug: report it as a disconnect.
   * Ports that are not files (Windows COM ports, the mock binding) are not watched.
   */
  private watchDevice(port: SerialPortInstance): void {
    this.stopWatch();
    if (!fs.existsSync(this.path)) return;
    this.watch = setInterval(() => {
      if (this.port !== port) return this.stopWatch();
      if (fs.existsSync(this.path)) return;
      this.dropPort(port, `串口 ${this.path} 已断开：设备已移除（${this.path} 不存在）`);
    }, DEVICE_WATCH_MS);
    this.watch.unref();
  }

  private stopWatch(): void {
    if (this.watch) clearInterval(this.watch);
    this.watch = null;
  }

  /** The device is gone: close our side quietly and tell the reader core once. */
  private dropPort(port: SerialPortInstance, reason: string): void {
    if (this.port !== port) return;
    this.port = null;
    this.stopWatch();
    if (port.isOpen) port.close(() => undefined);
    this.handlers.disconnect(reason);
  }

  write(bytes: Buffer): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.reject(new Error(`串口 ${this.path} 未打开`));
    return new Promise<void>((resolve, reject) => {
      port.write(bytes, (err: Error | null | undefined) => (err ? reject(err) : resolve()));
    });
  }

  flushInput(): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      port.flush((err: Error | null) => (err ? reject(err) : resolve()));
    });
  }

  close(): Promise<void> {
    this.token++;
    this.stopWatch();
    const port = this.port;
    this.port = null; // our own close: no disconnect
    if (!port?.isOpen) return Promise.resolve();
    return new Promise<void>((resolve) => {
      port.close(() => resolve());
    });
  }
}

export interface SamSerialReaderOptions extends SamReaderOptions {
  /** COM3, /dev/ttyUSB0 … */
  path: string;
  /** Default 115200 (§1.2). */
  baudRate?: number;
  /** Tests: SerialPortMock or another binding. */
  portFactory?: SerialPortFactory;
  description?: string;
}

export class SamSerialReader extends SamReaderCore {
  readonly serial: SerialPortTransport;

  constructor(options: SamSerialReaderOptions) {
    const transport = new SerialPortTransport(
      options.path,
      options.baudRate ?? DEFAULT_BAUD_RATE,
      options.portFactory ?? defaultSerialPortFactory,
    );
    super(transport, options.description ?? `SAM 串口 ${options.path}`, options);
    this.serial = transport;
  }
}

export function createSamSerialReader(options: SamSerialReaderOptions): SamSerialReader {
  return new SamSerialReader(options);
}

// ---- port list -----------------------------------------------------------------------------------

export type SerialPortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];

export interface SerialPortList {
  ports: SerialPortInfo[];
  /** Why the list is empty or incomplete (Chinese), or null. */
  reason: string | null;
}

/**
 * The serial ports of this computer (SerialPort.list). On Linux the list comes from `udevadm`; without
 * it (containers, minimal systems) the list fails: that is caught and [] returned with the reason.
 * Bounded by `timeoutMs` (default 5 s).
 */
export async function listSerialPorts(
  options: { timeoutMs?: number; list?: () => Promise<SerialPortInfo[]> } = {},
): Promise<SerialPortList> {
  const list = options.list ?? (() => SerialPort.list());
  const timeoutMs = options.timeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const ports = await Promise.race([
      list(),
      new Promise<never>((_r, reject) => {
        timer = setTimeout(() => reject(new Error(`${timeoutMs} 毫秒内没有结果`)), timeoutMs);
      }),
    ]);
    return { ports, reason: ports.length === 0 ? '未发现串口' : null };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const udev =
      /udevadm/.test(msg) || (process.platform === 'linux' && /ENOENT/.test(msg))
        ? '（Linux 上列出串口需要 udevadm，即 udev/systemd 软件包；也可以直接填写串口路径，如 /dev/ttyUSB0）'
        : '';
    return { ports: [], reason: `无法列出串口：${msg}${udev}` };
  } finally {
    clearTimeout(timer);
  }
}
