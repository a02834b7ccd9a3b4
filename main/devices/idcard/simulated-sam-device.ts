/**
 * A simulated SAM reader that speaks the GA/T 467 wire protocol (devices.md §1): it takes command frames
 * in (`receive`, any chunking) and answers with response frames (`data` events), with small delays,
 * optionally split into chunks with gaps, as real readers over USB-serial do (§1.7).
 *
 * The same device sits behind the simulator driver (in memory), behind the serial driver on a
 * SerialPortMock, and on one end of a socat pty pair — so the serial driver is tested against the
 * protocol, not against a shortcut.
 *
 * Behaviour:
 * - 11 FF → 90 (or `statusSw3`); 12 FF → 90 + 16-byte SAM id; 10 FF → 90;
 * - 20 01 → 9F + 4 bytes when a card is in the field, else 80; 20 02 → 90 + 8 bytes after a successful
 *   find, else 81; 30 01 / 30 10 → 90 + text/photo after a select, else 41; 30 03 → 90 + 70 bytes, or
 *   91 when the card has no appended address;
 * - `haltAfterRead`: the "protection design" of real readers (§1.7): after a successful read, find
 *   fails until the card is taken off and laid on again;
 * - a damaged command frame → SW3 10 (checksum) or 11 (length); an unknown command → 21.
 *
 * Faults (`injectFault`) apply once, to the next read (30 01/30 10):
 * - 'timeout': no answer at all;
 * - 'checksum': the answer's XOR byte is wrong;
 * - 'frame': an answer with an impossible length;
 * - 'card_removed_mid_read': the card leaves the field during the read: answer 41, card gone;
 * - 'unknown_card_type': the card text comes back with type flag 'Z';
 * - 'disconnect': half of the answer is sent, then the device is unplugged (`unplug` event) for
 *   `unplugMs`. With no unread card on the reader, 'disconnect' unplugs at once.
 */
import { EventEmitter } from 'node:events';
import {
  decodeCommand,
  encodeFrame,
  encodeReadPayload,
  encodeResponse,
  FrameReassembler,
  MIN_COMMAND_LEN,
  SAM_COMMANDS,
  SW3,
  type SamCommandFrame,
} from './sam-codec';
import {
  APPENDED_ADDRESS_SIZE,
  CARD_TEXT_SIZE,
  CARD_TYPE_FLAG_OFFSET,
  encodeAppendedAddress,
  encodeCardText,
  PHOTO_SIZE,
} from './card-parse';
import type { CardData } from './reader';

export type SimulatorFault =
  'timeout' | 'checksum' | 'disconnect' | 'card_removed_mid_read' | 'unknown_card_type' | 'frame';

export const SIMULATOR_FAULTS: readonly SimulatorFault[] = [
  'timeout',
  'checksum',
  'disconnect',
  'card_removed_mid_read',
  'unknown_card_type',
  'frame',
];

export interface DeviceDelays {
  status: number;
  samId: number;
  find: number;
  select: number;
  read: number;
  appendedAddress: number;
  other: number;
}

/** Delays of a real reader, roughly (a read takes a few hundred ms). */
export const REALISTIC_DELAYS: DeviceDelays = {
  status: 10,
  samId: 15,
  find: 15,
  select: 20,
  read: 300,
  appendedAddress: 60,
  other: 10,
};

export interface SimulatedSamDeviceOptions {
  /** 16 bytes; default a synthetic id. */
  samId?: Uint8Array;
  delays?: Partial<DeviceDelays>;
  /** Split every answer into this many chunks (1 = whole frames). */
  chunks?: number;
  /** Gap between chunks. */
  chunkGapMs?: number;
  /** Real readers' protection design: after a read, find fails until the card is re-laid. */
  haltAfterRead?: boolean;
  /** How long a 'disconnect' fault keeps the device unplugged; null = until plugIn(). */
  unplugMs?: number | null;
}

/** A card on the simulated reader: the files the SAM returns. */
export interface SimulatedCardFiles {
  text: Uint8Array;
  photo: Uint8Array;
  appendedAddress: Uint8Array | null;
}

export interface InsertCardOptions {
  photo?: Uint8Array;
  appendedAddress?: string | null;
}

/** A synthetic SAM id: 05.01-20201116-0000001234-0000005678. */
export function syntheticSamId(): Uint8Array {
  const b = Buffer.alloc(16);
  b[0] = 0x05;
  b[2] = 0x01;
  b.writeUInt32LE(20201116, 4);
  b.writeUInt32LE(1234, 8);
  b.writeUInt32LE(5678, 12);
  return new Uint8Array(b);
}

export interface SimulatedSamDeviceEvents {
  /** Bytes the reader sends to the host. */
  data: [Buffer];
  /** The device was unplugged (a 'disconnect' fault or unplug()). */
  unplug: [];
  /** The device is back. */
  plug: [];
  /** Every command frame received (for assertions). */
  command: [SamCommandFrame];
}

export class SimulatedSamDevice extends EventEmitter<SimulatedSamDeviceEvents> {
  /** SW3 answered to 11 FF (e.g. 0x60 to simulate a failed self-test). */
  statusSw3: number = SW3.OK;
  readonly options: Required<Omit<SimulatedSamDeviceOptions, 'delays' | 'samId'>> & {
    delays: DeviceDelays;
    samId: Uint8Array;
  };

  private readonly reassembler = new FrameReassembler({ minLen: MIN_COMMAND_LEN });
  private card: SimulatedCardFiles | null = null;
  private found = false;
  private selected = false;
  private halted = false;
  /** The current card was read successfully at least once. */
  private cardRead = false;
  private faults: SimulatorFault[] = [];
  private connectedState = true;
  private queue: Buffer[] = [];
  private busy = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Commands received, oldest first (last 500). */
  readonly commandLog: SamCommandFrame[] = [];

  constructor(options: SimulatedSamDeviceOptions = {}) {
    super();
    this.options = {
      samId: options.samId ?? syntheticSamId(),
      delays: { ...REALISTIC_DELAYS, ...options.delays },
      chunks: Math.max(1, Math.floor(options.chunks ?? 1)),
      chunkGapMs: options.chunkGapMs ?? 5,
      haltAfterRead: options.haltAfterRead ?? false,
      unplugMs: options.unplugMs === undefined ? 1000 : options.unplugMs,
    };
  }

  get connected(): boolean {
    return this.connectedState;
  }

  get cardPresent(): boolean {
    return this.card !== null;
  }

  /** Faults injected but not yet applied. */
  get pendingFaults(): readonly SimulatorFault[] {
    return this.faults;
  }

  // ---- controls ----------------------------------------------------------------------------------

  /** Lay a card on the reader (replaces any card there). */
  insertCard(card: CardData | Uint8Array, options: InsertCardOptions = {}): void {
    let text: Uint8Array;
    let photo: Uint8Array | undefined = options.photo;
    let appended: string | null | undefined = options.appendedAddress;
    if (card instanceof Uint8Array) {
      if (card.length !== CARD_TEXT_SIZE) {
        throw new RangeError(`card text must be ${CARD_TEXT_SIZE} bytes, got ${card.length}`);
      }
      text = Uint8Array.from(card);
    } else {
      text = encodeCardText(card);
      photo ??= card.photoWlt ?? undefined;
      if (appended === undefined && typeof card.appendedAddress === 'string') appended = card.appendedAddress;
    }
    this.card = {
      text,
      photo: photo ? Uint8Array.from(photo) : new Uint8Array(PHOTO_SIZE),
      appendedAddress: appended ? encodeAppendedAddress(appended) : null,
    };
    this.found = false;
    this.selected = false;
    this.halted = false;
    this.cardRead = false;
  }

  /** Take the card off the reader. */
  removeCard(): void {
    this.card = null;
    this.found = false;
    this.selected = false;
    this.halted = false;
    this.cardRead = false;
  }

  injectFault(fault: SimulatorFault): void {
    if (fault === 'disconnect' && (this.card === null || this.cardRead)) {
      this.unplug();
      return;
    }
    this.faults.push(fault);
  }

  /** Unplug the device: no more answers; pending work is dropped. Plugged in again after `ms`. */
  unplug(ms: number | null = this.options.unplugMs): void {
    if (!this.connectedState) return;
    this.connectedState = false;
    this.clearTimers();
    this.queue = [];
    this.busy = false;
    this.reassembler.reset();
    this.found = false;
    this.selected = false;
    this.emit('unplug');
    if (ms !== null) this.later(ms, () => this.plugIn());
  }

  plugIn(): void {
    if (this.connectedState) return;
    this.connectedState = true;
    this.emit('plug');
  }

  /** Stop all timers (end of a test, or when the simulator driver closes). */
  dispose(): void {
    this.clearTimers();
    this.queue = [];
    this.busy = false;
  }

  // ---- protocol ----------------------------------------------------------------------------------

  /** Bytes from the host. */
  receive(chunk: Uint8Array): void {
    if (!this.connectedState) return;
    for (const item of this.reassembler.push(chunk)) {
      if (item.ok) {
        this.queue.push(item.frame);
      } else {
        // A damaged command: the SAM answers 10 (checksum) or 11 (length).
        const sw3 = item.error.code === 'checksum' ? SW3.HOST_CHECKSUM : SW3.HOST_LENGTH;
        this.queue.push(Buffer.from([sw3])); // marker, answered in order
      }
    }
    this.pump();
  }

  private pump(): void {
    if (this.busy || !this.connectedState) return;
    const next = this.queue.shift();
    if (next === undefined) return;
    this.busy = true;
    if (next.length === 1) {
      this.later(this.options.delays.other, () =>
        this.send(encodeResponse({ sw3: next[0] ?? SW3.UNRECOGNISED })),
      );
      return;
    }
    const command = decodeCommand(next);
    this.commandLog.push(command);
    if (this.commandLog.length > 500) this.commandLog.shift();
    this.emit('command', command);
    this.later(this.delayFor(command), () => this.answer(command));
  }

  private delayFor(c: SamCommandFrame): number {
    const d = this.options.delays;
    const is = (s: { cmd: number; para: number }) => c.cmd === s.cmd && c.para === s.para;
    if (is(SAM_COMMANDS.status)) return d.status;
    if (is(SAM_COMMANDS.samId)) return d.samId;
    if (is(SAM_COMMANDS.find)) return d.find;
    if (is(SAM_COMMANDS.select)) return d.select;
    if (is(SAM_COMMANDS.read) || is(SAM_COMMANDS.readWithFingerprint)) return d.read;
    if (is(SAM_COMMANDS.readAppendedAddress)) return d.appendedAddress;
    return d.other;
  }

  private answer(c: SamCommandFrame): void {
    const is = (s: { cmd: number; para: number }) => c.cmd === s.cmd && c.para === s.para;
    if (is(SAM_COMMANDS.reset)) {
      this.found = false;
      this.selected = false;
      return this.send(encodeResponse({ sw3: SW3.OK }));
    }
    if (is(SAM_COMMANDS.status)) return this.send(encodeResponse({ sw3: this.statusSw3 }));
    if (is(SAM_COMMANDS.samId)) return this.send(encodeResponse({ sw3: SW3.OK, data: this.options.samId }));
    if (is(SAM_COMMANDS.find)) {
      this.selected = false;
      this.found = this.card !== null && !this.halted;
      return this.send(
        this.found
          ? encodeResponse({ sw3: SW3.FIND_OK, data: new Uint8Array(4) })
          : encodeResponse({ sw3: SW3.FIND_FAILED }),
      );
    }
    if (is(SAM_COMMANDS.select)) {
      this.selected = this.card !== null && this.found;
      return this.send(
        this.selected
          ? encodeResponse({ sw3: SW3.OK, data: new Uint8Array(8) })
          : encodeResponse({ sw3: SW3.SELECT_FAILED }),
      );
    }
    if (is(SAM_COMMANDS.read) || is(SAM_COMMANDS.readWithFingerprint)) {
      return this.answerRead(is(SAM_COMMANDS.readWithFingerprint));
    }
    if (is(SAM_COMMANDS.readAppendedAddress)) {
      if (this.card === null || !this.selected) return this.send(encodeResponse({ sw3: SW3.READ_FAILED }));
      const a = this.card.appendedAddress;
      return this.send(
        a
          ? encodeResponse({ sw3: SW3.OK, data: a.subarray(0, APPENDED_ADDRESS_SIZE) })
          : encodeResponse({ sw3: SW3.NO_CONTENT }),
      );
    }
    if (c.cmd === 0x60 || c.cmd === 0x61) return this.send(encodeResponse({ sw3: SW3.OK }));
    return this.send(encodeResponse({ sw3: SW3.COMMAND }));
  }

  private answerRead(withFingerprint: boolean): void {
    const card = this.card;
    if (card === null || !this.selected) {
      this.found = false;
      this.selected = false;
      return this.send(encodeResponse({ sw3: SW3.READ_FAILED }));
    }
    const fault = this.faults.shift();
    if (fault === 'card_removed_mid_read') {
      this.removeCard();
      return this.send(encodeResponse({ sw3: SW3.READ_FAILED }));
    }
    let text = card.text;
    if (fault === 'unknown_card_type') {
      text = Uint8Array.from(text);
      text[CARD_TYPE_FLAG_OFFSET] = 0x5a; // 'Z'
      text[CARD_TYPE_FLAG_OFFSET + 1] = 0x00;
    }
    let data: Buffer;
    if (withFingerprint) {
      data = Buffer.alloc(6 + text.length + card.photo.length);
      data.writeUInt16BE(text.length, 0);
      data.writeUInt16BE(card.photo.length, 2);
      data.writeUInt16BE(0, 4);
      data.set(text, 6);
      data.set(card.photo, 6 + text.length);
    } else {
      data = encodeReadPayload(text, card.photo);
    }
    const frame = encodeResponse({ sw3: SW3.OK, data });
    switch (fault) {
      case 'timeout':
        this.busy = false; // swallowed: no answer
        this.pump();
        return;
      case 'checksum':
        frame[frame.length - 1] = (frame[frame.length - 1] ?? 0) ^ 0x5a;
        return this.send(frame);
      case 'frame': {
        const bad = encodeFrame(new Uint8Array(0)); // Len 1: impossible for a response
        return this.send(bad);
      }
      case 'disconnect':
        this.emit('data', frame.subarray(0, Math.floor(frame.length / 2)));
        this.unplug();
        return;
      default:
        break;
    }
    if (fault !== 'unknown_card_type') {
      this.cardRead = true;
      if (this.options.haltAfterRead) this.halted = true;
    }
    this.send(frame);
  }

  /** Emit a frame, in `chunks` parts with gaps; then take the next command. */
  private send(frame: Buffer): void {
    const parts = Math.min(this.options.chunks, frame.length);
    if (parts <= 1) {
      this.emit('data', frame);
      this.done();
      return;
    }
    const cuts: number[] = [];
    for (let i = 1; i < parts; i++) cuts.push(Math.floor((frame.length * i) / parts) - (i % 2) * 3);
    const pieces: Buffer[] = [];
    let from = 0;
    for (const cut of [...cuts, frame.length]) {
      const to = Math.max(from + 1, Math.min(cut, frame.length));
      pieces.push(frame.subarray(from, to));
      from = to;
    }
    const emitNext = (i: number) => {
      if (!this.connectedState) return;
      const piece = pieces[i];
      if (piece && piece.length > 0) this.emit('data', piece);
      if (i + 1 < pieces.length) this.later(this.options.chunkGapMs, () => emitNext(i + 1));
      else this.done();
    };
    emitNext(0);
  }

  private done(): void {
    this.busy = false;
    this.pump();
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
