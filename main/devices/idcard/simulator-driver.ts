/**
 * The simulator reader for the demo and the tests: the real SAM driver logic (SamReaderCore) talking the
 * real wire protocol to a SimulatedSamDevice through an in-memory link. So the simulator behaves like a
 * serial reader — same delays order of magnitude, same events, same errors — and a fault injected here
 * goes through the same code paths as one from hardware.
 *
 * Controls: insertCard(card | 256-byte text), removeCard(), injectFault(…) (see simulated-sam-device.ts
 * for what each fault does on the wire).
 */
import type { CardData } from './reader';
import { SamReaderCore, type SamReaderOptions, type SamTransport } from './sam-reader-core';
import {
  SimulatedSamDevice,
  type InsertCardOptions,
  type SimulatedSamDeviceOptions,
  type SimulatorFault,
} from './simulated-sam-device';

/** The in-memory link between the driver and a simulated device (asynchronous, like real I/O). */
export class DeviceLink implements SamTransport {
  private openState = false;
  /** Bumped by close(): bytes in flight from before are dropped (bytes sent just before an unplug are not). */
  private gen = 0;
  private handlers: { data: (chunk: Buffer) => void; disconnect: (reason: string) => void } = {
    data: () => undefined,
    disconnect: () => undefined,
  };
  private readonly onDeviceData = (chunk: Buffer) => {
    if (!this.openState) return;
    const copy = Buffer.from(chunk);
    const gen = this.gen;
    setImmediate(() => {
      if (gen === this.gen) this.handlers.data(copy);
    });
  };
  private readonly onUnplug = () => {
    if (!this.openState) return;
    this.openState = false;
    this.device.off('data', this.onDeviceData);
    this.device.off('unplug', this.onUnplug);
    const gen = this.gen;
    setImmediate(() => {
      if (gen === this.gen) this.handlers.disconnect('模拟读卡器已拔出');
    });
  };

  constructor(readonly device: SimulatedSamDevice) {}

  setHandlers(handlers: { data: (chunk: Buffer) => void; disconnect: (reason: string) => void }): void {
    this.handlers = handlers;
  }

  isOpen(): boolean {
    return this.openState;
  }

  open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        if (!this.device.connected) {
          reject(new Error('模拟读卡器未连接'));
          return;
        }
        if (!this.openState) {
          this.openState = true;
          this.device.on('data', this.onDeviceData);
          this.device.on('unplug', this.onUnplug);
        }
        resolve();
      });
    });
  }

  write(bytes: Buffer): Promise<void> {
    if (!this.openState) return Promise.reject(new Error('模拟读卡器未连接'));
    const copy = Buffer.from(bytes);
    return new Promise<void>((resolve) => {
      setImmediate(() => {
        if (this.openState) this.device.receive(copy);
        resolve();
      });
    });
  }

  flushInput(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.gen++;
    this.openState = false;
    this.device.off('data', this.onDeviceData);
    this.device.off('unplug', this.onUnplug);
    return Promise.resolve();
  }
}

export interface SimulatorReaderOptions extends SamReaderOptions {
  /** The simulated device (delays, chunking, protection design, unplug time). */
  device?: SimulatedSamDeviceOptions;
  description?: string;
}

/** Defaults for the demo: a snappy poll, timeouts generous enough for a busy PC. */
const SIMULATOR_DEFAULTS: SamReaderOptions = {
  pollIntervalMs: 300,
  timeouts: { find: 500, select: 500, read: 2000, samId: 500, appendedAddress: 500 },
  reconnect: { initialMs: 250, maxMs: 2000 },
};

export class SimulatorReader extends SamReaderCore {
  readonly device: SimulatedSamDevice;

  constructor(options: SimulatorReaderOptions = {}) {
    const device = new SimulatedSamDevice(options.device);
    super(new DeviceLink(device), options.description ?? '模拟读卡器', {
      ...SIMULATOR_DEFAULTS,
      ...options,
      timeouts: { ...SIMULATOR_DEFAULTS.timeouts, ...options.timeouts },
    });
    this.device = device;
  }

  /** Lay a card on the reader: parsed data (encoded to the card's text file) or a raw 256-byte text. */
  insertCard(card: CardData | Uint8Array, options?: InsertCardOptions): void {
    this.device.insertCard(card, options);
  }

  removeCard(): void {
    this.device.removeCard();
  }

  /** See SimulatedSamDevice: 'timeout', 'checksum', 'disconnect', 'card_removed_mid_read', 'unknown_card_type', 'frame'. */
  injectFault(fault: SimulatorFault): void {
    this.device.injectFault(fault);
  }

  override async close(): Promise<void> {
    await super.close();
    this.device.dispose();
    if (!this.device.connected) this.device.plugIn();
  }
}

export function createSimulatorReader(options?: SimulatorReaderOptions): SimulatorReader {
  return new SimulatorReader(options);
}
