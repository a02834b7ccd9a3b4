/**
 * The IdCardReader logic for readers that speak the GA/T 467 SAM protocol (devices.md §1), independent
 * of how the bytes travel: a `SamTransport` (a serial port, or an in-memory simulated device).
 *
 * Lifecycle (one supervisor loop per open()):
 *   open the transport → 11 FF (status, must be 90) → 12 FF (SAM id, optional) → status 'ready' →
 *   poll: find (20 01) every `pollIntervalMs`; when a card is found: select (20 02) → read (30 01) →
 *   appended address (30 03, optional) → 'card'. The card must then leave the field (a failed find)
 *   before the next card is reported ('removed').
 *
 * Never blocking:
 * - every command has its own timeout (§1.7 defaults: find/select 100 ms, read 2 s, SAM id 300 ms…);
 * - open() is bounded; waitForCard() has a timeout and an AbortSignal; read()/samId() take a signal;
 * - the transport closing (reader unplugged) rejects the command in flight with 'disconnected', the
 *   status turns 'unavailable' and the loop reopens with backoff (250 ms doubling to 5 s) until close();
 * - `timeoutsBeforeUnavailable` find timeouts in a row (a reader that stopped answering) → 'unavailable'
 *   with 'timeout', then the same re-initialisation with backoff.
 *
 * Errors a desk sees (ReaderError, Chinese message): 'disconnected', 'timeout', 'checksum', 'frame',
 * 'card_removed' (select/read failed and the card is gone), 'unknown_card_type', 'reader_status' (an
 * SW3 the read cannot go on with), 'no_card' (read() only), 'card_not_removed' (read() only).
 * 'error' is only emitted when someone listens; listeners that throw are caught and logged. Every
 * emitted error also rejects the pending waitForCard() calls (with the same instance).
 */
import { EventEmitter } from 'node:events';
import { logger } from '../../base/logger';
import { parseCardText } from './card-parse';
import {
  decodeResponse,
  encodeCommand,
  FrameReassembler,
  parseReadPayload,
  SAM_COMMANDS,
  samIdToString,
  SW3,
  sw3Error,
  type SamCommandSpec,
  type SamResponse,
} from './sam-codec';
import {
  ReaderError,
  type CardData,
  type IdCardReader,
  type ReaderEvents,
  type ReaderStatus,
} from './reader';

/** How the bytes travel. Implementations: SerialPortTransport, the simulator's in-memory link. */
export interface SamTransport {
  isOpen(): boolean;
  /** Opens the link; rejects (any Error) when the device is not there. */
  open(): Promise<void>;
  write(bytes: Buffer): Promise<void>;
  /** Discard input not read yet (tcflush). */
  flushInput(): Promise<void>;
  close(): Promise<void>;
  /**
   * Set once, before open(): `data` for bytes from the reader; `disconnect` when the link closes
   * without close() having been called (cable pulled, USB unplugged, pty gone).
   */
  setHandlers(handlers: { data: (chunk: Buffer) => void; disconnect: (reason: string) => void }): void;
}

export interface SamTimeouts {
  /** Opening the transport. */
  open: number;
  /** 11 FF. */
  status: number;
  /** 12 FF. */
  samId: number;
  /** 20 01. */
  find: number;
  /** 20 02. */
  select: number;
  /** 30 01. */
  read: number;
  /** 30 10. */
  readWithFingerprint: number;
  /** 30 03. */
  appendedAddress: number;
  /** Flushing the input buffer. */
  flush: number;
  /** Closing the transport / stopping the loop. */
  close: number;
}

/** devices.md §1.7 ([U1]); status: [R3] uses 5 s for everything, 1 s is plenty for 11 FF. */
export const SAM_DEFAULT_TIMEOUTS: SamTimeouts = {
  open: 3000,
  status: 1000,
  samId: 300,
  find: 100,
  select: 100,
  read: 2000,
  readWithFingerprint: 3000,
  appendedAddress: 1500,
  flush: 500,
  close: 2000,
};

export type SamLog = (level: 'info' | 'warn' | 'error', message: string, extra?: unknown) => void;

export interface SamReaderOptions {
  timeouts?: Partial<SamTimeouts>;
  /** Card-presence polling (default 500 ms, §1.7 / [R3]). */
  pollIntervalMs?: number;
  /** waitForCard()'s default timeout (default 60 s). */
  waitTimeoutMs?: number;
  /** read(): find attempts before 'no_card' (default 3, with findRetryDelayMs between). */
  findAttempts?: number;
  findRetryDelayMs?: number;
  /** Ask for the appended address (30 03) after each read (default true). */
  readAppendedAddress?: boolean;
  /** Read with 30 10 (text + photo + fingerprints) instead of 30 01 (default false). */
  readFingerprint?: boolean;
  /** Failed reads of one card before the driver waits for it to be taken off (default 3). */
  attemptsPerCard?: number;
  /** Find timeouts/garbled answers in a row before the reader counts as unresponsive (default 3). */
  timeoutsBeforeUnavailable?: number;
  /** Reconnect backoff: first delay, doubling up to maxMs (default 250 ms → 5 s). */
  reconnect?: { initialMs?: number; maxMs?: number };
  /** Diagnostics; default the core logger. */
  log?: SamLog;
}

const defaultLog: SamLog = (level, message, extra) => logger[level](`idcard sam: ${message}`, extra);

function toReaderError(e: unknown): ReaderError {
  if (e instanceof ReaderError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new ReaderError('reader_status', `读卡器异常：${msg}`, msg);
}

export function abortedError(): ReaderError {
  return new ReaderError('timeout', '已取消读卡', 'aborted');
}

function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(abortedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError());
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

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(onTimeout()), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

interface Pending {
  command: SamCommandSpec;
  resolve: (r: SamResponse) => void;
  reject: (e: ReaderError) => void;
}

interface Waiter<T> {
  resolve: (v: T) => void;
  reject: (e: ReaderError) => void;
}

/** Errors after which the loop goes back to (re)opening/initialising instead of polling on. */
function isFatal(err: ReaderError): boolean {
  return err.code === 'disconnected' || err.code === 'not_open' || err.code === 'reader_status';
}

export class SamReaderCore extends EventEmitter<ReaderEvents> implements IdCardReader {
  readonly description: string;
  protected readonly t: SamTimeouts;
  private readonly link: SamTransport;
  private readonly pollMs: number;
  private readonly waitMs: number;
  private readonly findAttempts: number;
  private readonly findRetryDelayMs: number;
  private readonly wantAppended: boolean;
  private readonly wantFingerprint: boolean;
  private readonly attemptsPerCard: number;
  private readonly timeoutsBeforeUnavailable: number;
  private readonly backoffInitial: number;
  private readonly backoffMax: number;
  private readonly log: SamLog;

  private statusValue: ReaderStatus = { state: 'closed' };
  private wanted = false;
  private gen = 0;
  private loop: Promise<void> | null = null;
  private stop = new AbortController();
  private wakeSleep: (() => void) | null = null;
  private initialized = false;
  private samIdValue: string | null = null;
  private readonly reassembler = new FrameReassembler();
  private pending: Pending | null = null;
  /** Set after a timeout/garbled answer: flush input before the next command. */
  private dirty = false;
  private lockChain: Promise<unknown> = Promise.resolve();
  private awaitingRemoval = false;
  private attemptsForCard = 0;
  private consecutiveTimeouts = 0;
  private lastUnclaimed: CardData | null = null;
  private lastFailure: ReaderError | null = null;
  private readBusy = false;
  private readonly openWaiters = new Set<Waiter<void>>();
  private readonly cardWaiters = new Set<Waiter<CardData>>();
  private readonly emitted = new WeakSet<ReaderError>();

  constructor(transport: SamTransport, description: string, options: SamReaderOptions = {}) {
    super();
    this.link = transport;
    this.description = description;
    this.t = { ...SAM_DEFAULT_TIMEOUTS, ...options.timeouts };
    this.pollMs = options.pollIntervalMs ?? 500;
    this.waitMs = options.waitTimeoutMs ?? 60_000;
    this.findAttempts = Math.max(1, options.findAttempts ?? 3);
    this.findRetryDelayMs = options.findRetryDelayMs ?? 50;
    this.wantAppended = options.readAppendedAddress ?? true;
    this.wantFingerprint = options.readFingerprint ?? false;
    this.attemptsPerCard = Math.max(1, options.attemptsPerCard ?? 3);
    this.timeoutsBeforeUnavailable = Math.max(1, options.timeoutsBeforeUnavailable ?? 3);
    this.backoffInitial = options.reconnect?.initialMs ?? 250;
    this.backoffMax = options.reconnect?.maxMs ?? 5000;
    this.log = options.log ?? defaultLog;
    transport.setHandlers({
      data: (chunk) => this.onData(chunk),
      disconnect: (reason) => this.onDisconnect(reason),
    });
  }

  // ---- IdCardReader --------------------------------------------------------------------------------

  status(): ReaderStatus {
    return this.statusValue;
  }

  /**
   * Opens the reader. Resolves when it is ready (status and SAM id read); rejects with the reason
   * ('not_available' port cannot be opened, 'timeout' no answer, 'reader_status' SAM fault) — the driver
   * then keeps retrying in the background with backoff (status events tell when it is ready) until
   * close(). Calling open() again while unavailable retries at once.
   */
  async open(): Promise<void> {
    if (this.wanted && this.statusValue.state === 'ready') return;
    if (!this.wanted) {
      this.wanted = true;
      const gen = ++this.gen;
      this.stop = new AbortController();
      this.setStatus({ state: 'opening' });
      this.loop = this.run(gen).catch((e: unknown) => this.log('error', 'supervisor loop crashed', e));
    } else {
      this.wakeSleep?.();
    }
    const bound = this.t.open + this.t.flush + this.t.status + this.t.samId + 1000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.openWaiters.delete(waiter);
        reject(new ReaderError('timeout', `打开读卡器超时（${Math.round(bound / 1000)} 秒内未就绪）`));
      }, bound);
      const waiter: Waiter<void> = {
        resolve: () => {
          clearTimeout(timer);
          this.openWaiters.delete(waiter);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          this.openWaiters.delete(waiter);
          reject(e);
        },
      };
      this.openWaiters.add(waiter);
    });
  }

  /**
   * The next card laid on the reader. A card read while nobody waited and still on the reader is
   * returned at once. Rejects with the next error the reader reports (the same instance as the 'error'
   * event), with 'timeout' after `timeoutMs` (default 60 s; not emitted as an event), with 'timeout'
   * detail 'aborted' when `signal` fires, or 'not_open' before open()/after close().
   */
  waitForCard(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<CardData> {
    const { signal } = options;
    // Immediate rejections go through a macrotask: a caller that loops on waitForCard cannot spin.
    const later = (e: ReaderError) => new Promise<CardData>((_r, reject) => setTimeout(() => reject(e), 0));
    if (!this.wanted) return later(new ReaderError('not_open', '读卡器未打开'));
    if (signal?.aborted) return later(abortedError());
    if (this.lastUnclaimed) {
      const card = this.lastUnclaimed;
      this.lastUnclaimed = null;
      return Promise.resolve(card);
    }
    const timeoutMs = options.timeoutMs ?? this.waitMs;
    return new Promise<CardData>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.cardWaiters.delete(waiter);
      };
      const waiter: Waiter<CardData> = {
        resolve: (c) => {
          cleanup();
          resolve(c);
        },
        reject: (e) => {
          cleanup();
          reject(e);
        },
      };
      const onAbort = () => waiter.reject(abortedError());
      const span = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} 秒` : `${timeoutMs} 毫秒`;
      const timer = setTimeout(
        () => waiter.reject(new ReaderError('timeout', `等待放卡超时（${span}），请重新放卡`)),
        timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.cardWaiters.add(waiter);
    });
  }

  /**
   * One read of a card on the reader now: find (up to `findAttempts` tries) → select → read. Rejects
   * 'no_card' when there is none, 'card_not_removed' when the card there was already read, 'busy'
   * during another read(). On success 'card' is emitted too; failures (other than no_card,
   * card_not_removed and abort) are emitted as 'error'.
   */
  async read(options: { signal?: AbortSignal } = {}): Promise<CardData> {
    this.assertUsable();
    if (this.readBusy) throw new ReaderError('busy', '读卡器正忙，请稍候');
    if (this.awaitingRemoval) {
      throw new ReaderError('card_not_removed', '这张身份证已读取，请取走后再放下一张');
    }
    this.readBusy = true;
    const { signal } = options;
    const op = this.withLock(async () => {
      const check = () => {
        if (signal?.aborted) throw abortedError();
      };
      check();
      if (this.awaitingRemoval) {
        // The poll loop read it while this call waited for the lock.
        throw new ReaderError('card_not_removed', '这张身份证已读取，请取走后再放下一张');
      }
      await this.flushInput();
      let found = false;
      for (let i = 0; i < this.findAttempts && !found; i++) {
        if (i > 0) await this.delay(this.findRetryDelayMs);
        check();
        const r = await this.exchange(SAM_COMMANDS.find, this.t.find);
        if (r.sw3 === SW3.FIND_OK) found = true;
        else if (r.sw3 !== SW3.FIND_FAILED) throw sw3Error(r.sw3, SAM_COMMANDS.find);
      }
      if (!found) throw new ReaderError('no_card', '未检测到身份证，请将身份证放在读卡区');
      check();
      const card = await this.readSelected();
      this.cardRead(card, true);
      return card;
    });
    try {
      return await abortable(op, signal);
    } catch (e) {
      const err = toReaderError(e);
      if (err.code !== 'no_card' && err.code !== 'card_not_removed' && err.detail !== 'aborted') {
        this.emitError(err);
      }
      throw err;
    } finally {
      this.readBusy = false;
    }
  }

  async samId(options: { signal?: AbortSignal } = {}): Promise<string | null> {
    if (this.statusValue.state === 'ready' && this.samIdValue !== null) return this.samIdValue;
    this.assertUsable();
    return abortable(
      this.withLock(() => this.querySamId()),
      options.signal,
    );
  }

  async close(): Promise<void> {
    const loop = this.loop;
    this.wanted = false;
    this.gen++;
    this.stop.abort();
    this.loop = null;
    const err = new ReaderError('not_open', '读卡器已关闭');
    this.pending?.reject(err);
    for (const w of [...this.openWaiters]) w.reject(err);
    for (const w of [...this.cardWaiters]) w.reject(err);
    await withTimeout(this.link.close(), this.t.close, () => new Error('close timed out')).catch(
      (e: unknown) => this.log('warn', 'closing the transport failed', e),
    );
    if (loop) {
      await withTimeout(loop, this.t.close, () => new Error('loop did not stop')).catch((e: unknown) =>
        this.log('warn', 'stopping the poll loop', e),
      );
    }
    this.initialized = false;
    this.samIdValue = null;
    this.awaitingRemoval = false;
    this.attemptsForCard = 0;
    this.consecutiveTimeouts = 0;
    this.lastUnclaimed = null;
    this.lastFailure = null;
    this.reassembler.reset();
    this.setStatus({ state: 'closed' });
  }

  // ---- supervisor --------------------------------------------------------------------------------

  private alive(gen: number): boolean {
    return this.wanted && this.gen === gen;
  }

  private async run(gen: number): Promise<void> {
    let backoff = this.backoffInitial;
    while (this.alive(gen)) {
      try {
        if (!this.link.isOpen()) {
          this.initialized = false;
          await this.openTransport();
          if (!this.alive(gen)) break;
        }
        if (!this.initialized) {
          await this.withLock(() => this.initialise());
          backoff = this.backoffInitial;
          if (!this.alive(gen)) break;
          this.setStatus({ state: 'ready', samId: this.samIdValue });
          for (const w of [...this.openWaiters]) w.resolve();
        }
        await this.withLock(() => this.pollOnce());
        await this.sleep(this.pollMs);
      } catch (e) {
        if (!this.alive(gen)) break;
        const err = toReaderError(e);
        this.initialized = false;
        this.fail(err);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.backoffMax);
      }
    }
  }

  private async openTransport(): Promise<void> {
    try {
      await withTimeout(this.link.open(), this.t.open, () => new Error(`${this.t.open} 毫秒内未打开`));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new ReaderError('not_available', `无法打开读卡器（${this.description}）：${msg}`, msg);
    }
    this.reassembler.reset();
    this.dirty = true;
  }

  private async initialise(): Promise<void> {
    await this.flushInput();
    let r: SamResponse;
    try {
      r = await this.exchange(SAM_COMMANDS.status, this.t.status);
    } catch (e) {
      const err = toReaderError(e);
      if (err.code === 'timeout') {
        throw new ReaderError(
          'timeout',
          `读卡器无响应（SAM 状态检测 ${this.t.status} 毫秒内无应答），请检查串口和波特率`,
          err.detail,
        );
      }
      throw err;
    }
    if (r.sw3 !== SW3.OK) throw sw3Error(r.sw3, SAM_COMMANDS.status);
    try {
      this.samIdValue = await this.querySamId();
    } catch (e) {
      const err = toReaderError(e);
      if (err.code === 'disconnected') throw err;
      this.log('warn', 'SAM id not available', err.message);
      this.samIdValue = null;
    }
    this.consecutiveTimeouts = 0;
    this.initialized = true;
    this.lastFailure = null;
  }

  private async querySamId(): Promise<string | null> {
    const r = await this.exchange(SAM_COMMANDS.samId, this.t.samId);
    if (r.sw3 !== SW3.OK) throw sw3Error(r.sw3, SAM_COMMANDS.samId);
    return samIdToString(r.data);
  }

  /** One poll cycle (under the lock). Throws only what should send the loop back to (re)opening. */
  private async pollOnce(): Promise<void> {
    let present: boolean;
    try {
      if (!this.awaitingRemoval) await this.flushInput();
      const r = await this.exchange(SAM_COMMANDS.find, this.t.find);
      if (r.sw3 !== SW3.FIND_OK && r.sw3 !== SW3.FIND_FAILED) throw sw3Error(r.sw3, SAM_COMMANDS.find);
      present = r.sw3 === SW3.FIND_OK;
    } catch (e) {
      const err = toReaderError(e);
      if (err.code === 'timeout' || err.code === 'checksum' || err.code === 'frame') {
        this.consecutiveTimeouts++;
        this.log('warn', `find: ${err.message}`, { inARow: this.consecutiveTimeouts });
        if (this.consecutiveTimeouts >= this.timeoutsBeforeUnavailable) {
          throw new ReaderError(
            'timeout',
            `读卡器无响应（连续 ${this.consecutiveTimeouts} 次寻卡无有效应答）`,
            err.message,
          );
        }
        return;
      }
      throw err;
    }

    if (this.awaitingRemoval) {
      if (!present) {
        this.awaitingRemoval = false;
        this.attemptsForCard = 0;
        this.lastUnclaimed = null;
        this.emitSafe('removed');
      }
      return;
    }
    if (!present) {
      this.attemptsForCard = 0;
      return;
    }
    try {
      const card = await this.readSelected();
      this.cardRead(card, false);
    } catch (e) {
      const err = toReaderError(e);
      if (err.code === 'disconnected' || err.code === 'not_open') throw err;
      if (err.code === 'card_removed') {
        this.attemptsForCard = 0;
      } else {
        this.attemptsForCard++;
        // A card that cannot be read (unknown type, SAM refuses it) or keeps failing: wait until it
        // is taken off instead of reporting the same failure every poll.
        if (
          err.code === 'unknown_card_type' ||
          err.code === 'reader_status' ||
          this.attemptsForCard >= this.attemptsPerCard
        ) {
          this.awaitingRemoval = true;
        }
      }
      this.emitError(err);
    }
  }

  /** select → read → (appended address) → parse, for a card just found. */
  private async readSelected(): Promise<CardData> {
    const sel = await this.exchange(SAM_COMMANDS.select, this.t.select);
    if (sel.sw3 !== SW3.OK) {
      const err = sw3Error(sel.sw3, SAM_COMMANDS.select);
      throw sel.sw3 === SW3.SELECT_FAILED ? await this.removedOr(err) : err;
    }
    const cmd = this.wantFingerprint ? SAM_COMMANDS.readWithFingerprint : SAM_COMMANDS.read;
    const r = await this.exchange(cmd, this.wantFingerprint ? this.t.readWithFingerprint : this.t.read);
    if (r.sw3 !== SW3.OK) {
      const err = sw3Error(r.sw3, cmd);
      throw r.sw3 === SW3.READ_FAILED ? await this.removedOr(err) : err;
    }
    const payload = parseReadPayload(r.data, this.wantFingerprint);
    // Parse before asking for more: an unknown card type fails here.
    const card = parseCardText(payload.text, { photo: payload.photo });
    if (!this.wantAppended) return card;
    const appended = await this.queryAppendedAddress();
    if (appended === undefined) return card;
    return parseCardText(payload.text, { photo: payload.photo, appendedAddress: appended });
  }

  /** After a failed select/read: 'card_removed' when the card has left the field, else `err`. */
  private async removedOr(err: ReaderError): Promise<ReaderError> {
    try {
      const r = await this.exchange(SAM_COMMANDS.find, this.t.find);
      if (r.sw3 === SW3.FIND_FAILED) {
        return new ReaderError('card_removed', '读卡过程中身份证被移开，请重新放好身份证', err.message);
      }
    } catch (e) {
      const probe = toReaderError(e);
      if (probe.code === 'disconnected' || probe.code === 'not_open') return probe;
    }
    return err;
  }

  /** 30 03: the address, null when the card has none (91), undefined when it could not be read. */
  private async queryAppendedAddress(): Promise<Uint8Array | null | undefined> {
    try {
      const r = await this.exchange(SAM_COMMANDS.readAppendedAddress, this.t.appendedAddress);
      if (r.sw3 === SW3.OK) return r.data;
      if (r.sw3 === SW3.NO_CONTENT) return null;
      this.log('info', `appended address: ${sw3Error(r.sw3, SAM_COMMANDS.readAppendedAddress).message}`);
      return undefined;
    } catch (e) {
      const err = toReaderError(e);
      if (err.code === 'disconnected' || err.code === 'not_open') throw err;
      this.log('info', `appended address: ${err.message}`);
      return undefined;
    }
  }

  private cardRead(card: CardData, claimed: boolean): void {
    this.awaitingRemoval = true;
    this.attemptsForCard = 0;
    const waiters = [...this.cardWaiters];
    for (const w of waiters) w.resolve(card);
    this.lastUnclaimed = claimed || waiters.length > 0 ? null : card;
    this.emitSafe('card', card);
  }

  // ---- commands ----------------------------------------------------------------------------------

  /** Sends one command and waits for its answer (callers hold the lock: half duplex). */
  private async exchange(command: SamCommandSpec, timeoutMs: number): Promise<SamResponse> {
    if (!this.wanted) throw new ReaderError('not_open', '读卡器已关闭');
    if (!this.link.isOpen()) {
      throw this.lastFailure?.code === 'disconnected'
        ? this.lastFailure
        : new ReaderError('disconnected', '读卡器已断开连接（连接已关闭）');
    }
    if (this.dirty) await this.flushInput();
    const frame = encodeCommand(command.cmd, command.para);
    return new Promise<SamResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending !== pending) return;
        this.pending = null;
        this.reassembler.reset();
        this.dirty = true;
        reject(
          new ReaderError(
            'timeout',
            `读卡器响应超时：${command.name}（${timeoutMs} 毫秒内无应答）`,
            command.name,
          ),
        );
      }, timeoutMs);
      const pending: Pending = {
        command,
        resolve: (r) => {
          clearTimeout(timer);
          if (this.pending === pending) this.pending = null;
          this.consecutiveTimeouts = 0;
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          if (this.pending === pending) this.pending = null;
          this.dirty = true;
          reject(e);
        },
      };
      this.pending = pending;
      this.link.write(frame).catch((e: unknown) => {
        const msg = e instanceof Error ? e.message : String(e);
        if (this.pending === pending) {
          pending.reject(new ReaderError('disconnected', `读卡器已断开连接：写入失败（${msg}）`, msg));
        }
      });
    });
  }

  private onData(chunk: Buffer): void {
    for (const item of this.reassembler.push(chunk)) {
      const pending = this.pending;
      if (!pending) {
        this.log('info', item.ok ? 'discarding an unexpected frame' : `discarding: ${item.error.message}`);
        continue;
      }
      if (!item.ok) {
        pending.reject(item.error);
        continue;
      }
      try {
        pending.resolve(decodeResponse(item.frame));
      } catch (e) {
        pending.reject(toReaderError(e));
      }
    }
  }

  private onDisconnect(reason: string): void {
    this.initialized = false;
    this.reassembler.reset();
    if (!this.wanted) return;
    const err = new ReaderError('disconnected', `读卡器已断开连接（${reason}）`, reason);
    this.pending?.reject(err);
    this.fail(err);
    this.wakeSleep?.();
  }

  private async flushInput(): Promise<void> {
    this.reassembler.reset();
    this.dirty = false;
    try {
      await withTimeout(this.link.flushInput(), this.t.flush, () => new Error('flush timed out'));
    } catch (e) {
      this.log('info', 'flush failed', e instanceof Error ? e.message : String(e));
    }
    this.reassembler.reset();
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private withLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lockChain.then(fn, fn);
    this.lockChain = run.catch(() => undefined);
    return run;
  }

  private assertUsable(): void {
    if (!this.wanted) throw new ReaderError('not_open', '读卡器未打开');
    if (this.statusValue.state === 'unavailable') {
      throw this.lastFailure ?? new ReaderError('not_available', this.statusValue.reason);
    }
    if (this.statusValue.state !== 'ready') throw new ReaderError('not_available', '读卡器尚未就绪，请稍候');
  }

  /** Status 'unavailable' with err's message; emitted once per transition; rejects open() waiters. */
  private fail(err: ReaderError): void {
    this.lastFailure = err;
    const transition = this.statusValue.state !== 'unavailable';
    this.setStatus({ state: 'unavailable', reason: err.message });
    if (transition) this.emitError(err);
    for (const w of [...this.openWaiters]) w.reject(err);
    if (isFatal(err)) this.log('warn', err.message);
  }

  private setStatus(status: ReaderStatus): void {
    const prev = this.statusValue;
    this.statusValue = status;
    const same =
      prev.state === status.state &&
      (status.state !== 'unavailable' || (prev.state === 'unavailable' && prev.reason === status.reason)) &&
      (status.state !== 'ready' || (prev.state === 'ready' && prev.samId === status.samId));
    if (!same) this.emitSafe('status', status);
  }

  private emitError(err: ReaderError): void {
    if (this.emitted.has(err)) return;
    this.emitted.add(err);
    for (const w of [...this.cardWaiters]) w.reject(err);
    if (this.listenerCount('error') > 0) this.emitSafe('error', err);
  }

  private emitSafe<K extends keyof ReaderEvents>(event: K, ...args: ReaderEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: ReaderEvents[K]) => boolean)(event, ...args);
    } catch (e) {
      this.log('error', `a '${event}' listener threw`, e);
    }
  }

  /** Sleep in the supervisor loop; close() and open() (retry now) wake it. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const signal = this.stop.signal;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        if (this.wakeSleep === done) this.wakeSleep = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wakeSleep = done;
    });
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
