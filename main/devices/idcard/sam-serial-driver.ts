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
import { SerialPort, type SerialPortMock } from 'serialport';
import { SamReaderCore, type SamReaderOptions, type SamTransport } from './sam-reader-core';

export type SerialPortInstance = SerialPort | SerialPortMock;
/** Creates a port that is not open yet (autoOpen: false). */
export type SerialPortFactory = (options: { path: string; baudRate: number }) => SerialPortInstance;

export const defaultSerialPortFactory: SerialPortFactory = ({ path, baudRate }) =>
  new SerialPort({ path, baudRate, autoOpen: false });

export const DEFAULT_BAUD_RATE = 115200;

/** A SamTransport over one serial port; a new port object per open (after an unplug). */
export class SerialPortTransport implements SamTransport {
  private port: SerialPortInstance | null = null;
  private token = 0;
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
    // An 'error' event without a listener would throw; port errors surface as close/disconnect.
    port.on('error', () => undefined);
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
      const reason = err?.message ? `串口 ${this.path} 已断开：${err.message}` : `串口 ${this.path} 已关闭`;
      this.handlers.disconnect(reason);
    });
    this.port = port;
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
