import { EventEmitter } from 'node:events';
import type { ReaderConfig, ReaderInfo } from '../../shared/contract/devices';
import type { CardData, IdCardReader, ReaderStatus } from './idcard/reader';
import { ReaderError } from './idcard/reader';
import { SETTING_KEYS, type SettingsStore } from '../system/settings';
import type { Actor } from '../audit/chain';
import { logger } from '../base/logger';

/** The simulator's controls, as the demo and the tests use them. */
export interface SimulatorControls {
  insertCard(card: CardData): void;
  removeCard(): void;
  injectFault(
    fault: 'timeout' | 'checksum' | 'disconnect' | 'card_removed_mid_read' | 'unknown_card_type',
  ): void;
}

export type ReaderFactory = (config: ReaderConfig) => IdCardReader;

const DEFAULT_CONFIG: ReaderConfig = { driver: 'simulator' };

type ManagerEvent =
  | { type: 'card'; card: CardData; samId: string | null }
  | { type: 'removed' }
  | { type: 'error'; error: ReaderError }
  | { type: 'status'; status: ReaderStatus };

function isSimulator(r: IdCardReader): r is IdCardReader & SimulatorControls {
  const s = r as Partial<SimulatorControls>;
  return typeof s.insertCard === 'function' && typeof s.removeCard === 'function';
}

/**
 * The site host's ID card reader. It is opened when the first check-in desk opens, reads cards in a loop
 * while any desk is open (a read never blocks a desk: the loop runs beside them), and fans the cards out
 * to the open desks. The configuration is a setting (audited) so the device page can change it.
 */
export class ReaderManager {
  private reader: IdCardReader | undefined;
  private config: ReaderConfig = DEFAULT_CONFIG;
  private readonly bus = new EventEmitter<{ event: [ManagerEvent] }>();
  private watchers = 0;
  /** Open desks, newest last: a card goes to the newest desk only, never to several. */
  private readonly desks: symbol[] = [];
  private loop: AbortController | undefined;
  private lastReadAt: string | null = null;
  private lastError: string | null = null;
  /** The driver may both emit an error and reject the read with it: show it once. */
  private lastEmitted: ReaderError | undefined;

  constructor(
    private readonly factory: ReaderFactory,
    private readonly settings: SettingsStore,
  ) {
    this.bus.setMaxListeners(0);
  }

  /** One reader, however many callers ask at once (the desk stream and the device page race at start). */
  private creating: Promise<IdCardReader> | undefined;

  private current(): Promise<IdCardReader> {
    if (this.reader) return Promise.resolve(this.reader);
    this.creating ??= (async () => {
      const stored = await this.settings.get(SETTING_KEYS.readerConfig);
      this.config = stored ? (JSON.parse(stored) as ReaderConfig) : DEFAULT_CONFIG;
      this.reader = this.attach(this.factory(this.config));
      this.creating = undefined;
      return this.reader;
    })();
    return this.creating;
  }

  private attach(reader: IdCardReader): IdCardReader {
    reader.on('status', (status) => this.bus.emit('event', { type: 'status', status }));
    reader.on('removed', () => this.bus.emit('event', { type: 'removed' }));
    reader.on('error', (error) => {
      this.lastError = error.message;
      this.lastEmitted = error;
      this.bus.emit('event', { type: 'error', error });
    });
    return reader;
  }

  async info(): Promise<ReaderInfo> {
    const reader = await this.current();
    const status = reader.status();
    return {
      config: this.config,
      description: reader.description,
      state: status.state,
      reason: status.state === 'unavailable' ? status.reason : null,
      samId: status.state === 'ready' ? status.samId : null,
      lastReadAt: this.lastReadAt,
      lastError: this.lastError,
    };
  }

  async configure(actor: Actor, config: ReaderConfig): Promise<ReaderInfo> {
    await this.settings.set(actor, SETTING_KEYS.readerConfig, JSON.stringify(config));
    const old = this.reader ?? (await this.creating);
    this.reader = undefined;
    this.loop?.abort();
    this.loop = undefined;
    if (old) await old.close().catch((e: unknown) => logger.warn('closing the reader failed', e));
    const reader = await this.current();
    await reader.open().catch(() => undefined); // the state says what went wrong
    if (this.watchers > 0) this.startLoop();
    return this.info();
  }

  async selfTest(): Promise<{ ok: boolean; steps: { step: string; ok: boolean; detail: string }[] }> {
    const reader = await this.current();
    const steps: { step: string; ok: boolean; detail: string }[] = [];
    try {
      await reader.open();
      steps.push({ step: '打开读卡器', ok: true, detail: reader.description });
    } catch (e) {
      steps.push({ step: '打开读卡器', ok: false, detail: e instanceof Error ? e.message : String(e) });
      return { ok: false, steps };
    }
    const status = reader.status();
    steps.push({
      step: '读卡器状态',
      ok: status.state === 'ready',
      detail: status.state === 'unavailable' ? status.reason : status.state,
    });
    try {
      const sam = await reader.samId();
      steps.push({ step: '读取安全模块号（SAM）', ok: sam !== null, detail: sam ?? '读卡器未提供' });
    } catch (e) {
      steps.push({
        step: '读取安全模块号（SAM）',
        ok: false,
        detail: e instanceof Error ? e.message : String(e),
      });
    }
    return { ok: steps.every((s) => s.ok), steps };
  }

  async simulate(
    action:
      | { action: 'insert'; card: CardData }
      | { action: 'remove' }
      | { action: 'fault'; fault: Parameters<SimulatorControls['injectFault']>[0] },
  ): Promise<void> {
    const reader = await this.current();
    if (!isSimulator(reader)) throw new ReaderError('not_available', '当前读卡器不是模拟读卡器');
    if (action.action === 'insert') reader.insertCard(action.card);
    else if (action.action === 'remove') reader.removeCard();
    else reader.injectFault(action.fault);
  }

  /** Events for one open desk, until `signal` aborts. Starts the read loop for the first desk. */
  async *watch(signal: AbortSignal): AsyncGenerator<ManagerEvent> {
    const reader = await this.current();
    const queue: ManagerEvent[] = [];
    let wake: (() => void) | undefined;
    const listener = (e: ManagerEvent) => {
      queue.push(e);
      wake?.();
    };
    const desk = Symbol('desk');
    const mine = (e: ManagerEvent) => e.type !== 'card' || this.desks[this.desks.length - 1] === desk;
    this.bus.on('event', listener);
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    this.watchers += 1;
    this.desks.push(desk);
    try {
      await reader.open().catch(() => undefined);
      yield { type: 'status', status: reader.status() };
      if (this.watchers === 1 || !this.loop) this.startLoop();
      while (!signal.aborted) {
        const next = queue.shift();
        if (next) {
          if (mine(next)) yield next;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      this.bus.off('event', listener);
      signal.removeEventListener('abort', onAbort);
      this.watchers -= 1;
      this.desks.splice(this.desks.indexOf(desk), 1);
      if (this.watchers === 0) {
        this.loop?.abort();
        this.loop = undefined;
      }
    }
  }

  private startLoop(): void {
    this.loop?.abort();
    const controller = new AbortController();
    this.loop = controller;
    void (async () => {
      while (!controller.signal.aborted) {
        const reader = this.reader;
        if (!reader) return;
        try {
          const card = await reader.waitForCard({ signal: controller.signal, timeoutMs: 60_000 });
          this.lastReadAt = new Date().toISOString();
          const status = reader.status();
          this.bus.emit('event', {
            type: 'card',
            card,
            samId: status.state === 'ready' ? status.samId : null,
          });
        } catch (e) {
          if (controller.signal.aborted) return;
          const error = e instanceof ReaderError ? e : new ReaderError('reader_status', String(e));
          if (error.code !== 'timeout' && error !== this.lastEmitted) {
            this.lastError = error.message;
            this.bus.emit('event', { type: 'error', error });
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      }
    })();
  }

  async close(): Promise<void> {
    this.loop?.abort();
    await this.reader?.close().catch(() => undefined);
  }
}
