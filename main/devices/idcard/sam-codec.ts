/**
 * GA/T 467 "business terminal interface" framing (devices.md §1.3–§1.6): the serial protocol between a
 * host and the SAM of a second-generation ID card reader.
 *
 *   AA AA AA 96 69 | Len (2 B, big-endian) | body … | CHK
 *
 * Len counts everything after itself including CHK; CHK is the XOR of every byte after the preamble
 * (Len1 … last body byte). A command body is CMD PARA [data]; a response body is SW1 SW2 SW3 [data].
 * Frames arrive in chunks of any size (§1.7): `FrameReassembler` turns a byte stream back into frames.
 *
 * Pure functions and a small state machine, no I/O: used by the serial driver, the simulated device and
 * the tests alike.
 */
import { ReaderError } from './reader';

export const PREAMBLE: readonly number[] = [0xaa, 0xaa, 0xaa, 0x96, 0x69];
const PREAMBLE_BUF = Buffer.from(PREAMBLE);
/** Preamble + Len. */
export const HEADER_SIZE = 7;
/** Smallest Len of a command (CMD PARA CHK) and of a response (SW1 SW2 SW3 CHK). */
export const MIN_COMMAND_LEN = 3;
export const MIN_RESPONSE_LEN = 4;
/**
 * Largest Len a reader sends: text + photo + two fingerprints = 2321-byte frame, Len 2314 (§1.6).
 * Anything longer is treated as an impossible length (a false preamble in noise, or a corrupt Len).
 */
export const MAX_FRAME_LEN = 4096;

export function hex2(n: number): string {
  return `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('hex')
    .toUpperCase()
    .replace(/(..)(?=.)/g, '$1 ');
}

/** XOR of bytes[from, to). */
export function xorChecksum(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i] ?? 0;
  return x;
}

/** A whole frame from its body (CMD PARA data, or SW1 SW2 SW3 data): preamble, Len, body, CHK. */
export function encodeFrame(body: Uint8Array): Buffer {
  const len = body.length + 1;
  if (len > 0xffff) throw new RangeError(`frame body too long: ${body.length} bytes`);
  const frame = Buffer.alloc(HEADER_SIZE + len);
  PREAMBLE_BUF.copy(frame, 0);
  frame.writeUInt16BE(len, 5);
  frame.set(body, HEADER_SIZE);
  frame[frame.length - 1] = xorChecksum(frame, 5, frame.length - 1);
  return frame;
}

// ---- commands ------------------------------------------------------------------------------------

export interface SamCommandSpec {
  readonly cmd: number;
  readonly para: number;
  /** Chinese name for messages. */
  readonly name: string;
}

/** The commands of §1.4. */
export const SAM_COMMANDS = {
  reset: { cmd: 0x10, para: 0xff, name: '复位 SAM' },
  status: { cmd: 0x11, para: 0xff, name: 'SAM 状态检测' },
  samId: { cmd: 0x12, para: 0xff, name: '读 SAM 编号' },
  find: { cmd: 0x20, para: 0x01, name: '寻卡' },
  select: { cmd: 0x20, para: 0x02, name: '选卡' },
  read: { cmd: 0x30, para: 0x01, name: '读卡（文字和照片）' },
  readAppendedAddress: { cmd: 0x30, para: 0x03, name: '读追加住址' },
  readWithFingerprint: { cmd: 0x30, para: 0x10, name: '读卡（文字、照片和指纹）' },
} as const satisfies Record<string, SamCommandSpec>;

export type SamCommandName = keyof typeof SAM_COMMANDS;

/** The Chinese name of a CMD/PARA pair, or its hex when it is not one of §1.4. */
export function commandName(cmd: number, para: number): string {
  for (const spec of Object.values(SAM_COMMANDS)) {
    if (spec.cmd === cmd && spec.para === para) return spec.name;
  }
  return `命令 ${hex2(cmd)} ${hex2(para)}`;
}

export function encodeCommand(cmd: number, para: number, data: Uint8Array = new Uint8Array(0)): Buffer {
  const body = new Uint8Array(2 + data.length);
  body[0] = cmd;
  body[1] = para;
  body.set(data, 2);
  return encodeFrame(body);
}

export interface SamCommandFrame {
  cmd: number;
  para: number;
  data: Buffer;
}

export interface SamResponse {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Buffer;
}

export function encodeResponse(r: { sw1?: number; sw2?: number; sw3: number; data?: Uint8Array }): Buffer {
  const data = r.data ?? new Uint8Array(0);
  const body = new Uint8Array(3 + data.length);
  body[0] = r.sw1 ?? 0;
  body[1] = r.sw2 ?? 0;
  body[2] = r.sw3;
  body.set(data, 3);
  return encodeFrame(body);
}

/** Checks preamble, Len and XOR of one whole frame; returns its body (without CHK). */
function checkFrame(frame: Uint8Array, minLen: number): Buffer {
  const buf = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (buf.length < HEADER_SIZE + minLen || !buf.subarray(0, 5).equals(PREAMBLE_BUF)) {
    throw new ReaderError(
      'frame',
      `数据帧格式错误：应以 AA AA AA 96 69 开头且至少 ${HEADER_SIZE + minLen} 字节`,
      toHex(buf.subarray(0, 16)),
    );
  }
  const len = buf.readUInt16BE(5);
  if (len !== buf.length - HEADER_SIZE) {
    throw new ReaderError(
      'frame',
      `数据帧长度错误：长度字段为 ${len}，实际为 ${buf.length - HEADER_SIZE} 字节`,
      toHex(buf.subarray(0, 16)),
    );
  }
  checkXor(buf);
  return buf.subarray(HEADER_SIZE, buf.length - 1);
}

function checkXor(frame: Buffer): void {
  const expected = xorChecksum(frame, 5, frame.length - 1);
  const actual = frame[frame.length - 1] ?? 0;
  if (expected !== actual) {
    throw new ReaderError(
      'checksum',
      `数据帧校验和（XOR）错误：应为 ${hex2(expected)}，实为 ${hex2(actual)}`,
      `expected ${hex2(expected)}, actual ${hex2(actual)}, frame of ${frame.length} bytes`,
    );
  }
}

/** Decode a reader → host frame. Throws ReaderError 'frame' or 'checksum'. */
export function decodeResponse(frame: Uint8Array): SamResponse {
  const body = checkFrame(frame, MIN_RESPONSE_LEN);
  return { sw1: body[0] ?? 0, sw2: body[1] ?? 0, sw3: body[2] ?? 0, data: body.subarray(3) };
}

/** Decode a host → reader frame (used by the simulated device). Throws ReaderError 'frame' or 'checksum'. */
export function decodeCommand(frame: Uint8Array): SamCommandFrame {
  const body = checkFrame(frame, MIN_COMMAND_LEN);
  return { cmd: body[0] ?? 0, para: body[1] ?? 0, data: body.subarray(2) };
}

// ---- reassembly ----------------------------------------------------------------------------------

export type ReassembledItem = { ok: true; frame: Buffer } | { ok: false; error: ReaderError };

export interface FrameReassemblerOptions {
  /** Smallest acceptable Len: MIN_RESPONSE_LEN (default) for responses, MIN_COMMAND_LEN for commands. */
  minLen?: number;
  maxLen?: number;
}

/**
 * Turns a byte stream into frames. Push chunks as they arrive (split anywhere, several frames per chunk,
 * noise before a preamble); each push returns the frames completed by it, in order, and an error item
 * for each frame that could not be accepted:
 *
 * - Len below the minimum or above MAX_FRAME_LEN → 'frame' error; scanning resumes after that preamble;
 * - XOR mismatch → 'checksum' error naming the expected and the actual byte; the frame is dropped.
 *
 * A frame whose Len says more than has arrived waits for the rest. Bytes that are not part of a frame
 * are dropped silently (counted in `discarded`). `reset()` forgets a partial frame (after a timeout).
 */
export class FrameReassembler {
  private buf: Buffer = Buffer.alloc(0);
  private readonly minLen: number;
  private readonly maxLen: number;
  /** Bytes dropped because they were not part of any frame. */
  discarded = 0;

  constructor(options: FrameReassemblerOptions = {}) {
    this.minLen = options.minLen ?? MIN_RESPONSE_LEN;
    this.maxLen = options.maxLen ?? MAX_FRAME_LEN;
  }

  /** Bytes held for a frame not complete yet. */
  get pending(): number {
    return this.buf.length;
  }

  reset(): void {
    this.buf = Buffer.alloc(0);
  }

  push(chunk: Uint8Array): ReassembledItem[] {
    if (chunk.length > 0) {
      this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    }
    const out: ReassembledItem[] = [];
    for (;;) {
      const start = this.buf.indexOf(PREAMBLE_BUF);
      if (start < 0) {
        // Keep the longest tail that may be the beginning of a preamble.
        const keep = partialPreambleTail(this.buf);
        this.discarded += this.buf.length - keep;
        this.buf = this.buf.subarray(this.buf.length - keep);
        break;
      }
      if (start > 0) {
        this.discarded += start;
        this.buf = this.buf.subarray(start);
      }
      if (this.buf.length < HEADER_SIZE) break;
      const len = this.buf.readUInt16BE(5);
      if (len < this.minLen || len > this.maxLen) {
        const bound = len < this.minLen ? `小于最小值 ${this.minLen}` : `超过最大值 ${this.maxLen}`;
        out.push({
          ok: false,
          error: new ReaderError(
            'frame',
            `数据帧长度不可能：长度字段为 ${len}（0x${len.toString(16).toUpperCase().padStart(4, '0')}），${bound}`,
            toHex(this.buf.subarray(0, HEADER_SIZE)),
          ),
        });
        this.discarded += 1;
        this.buf = this.buf.subarray(1);
        continue;
      }
      const total = HEADER_SIZE + len;
      if (this.buf.length < total) break;
      const frame = Buffer.from(this.buf.subarray(0, total));
      this.buf = this.buf.subarray(total);
      try {
        checkXor(frame);
        out.push({ ok: true, frame });
      } catch (e) {
        out.push({ ok: false, error: e as ReaderError });
      }
    }
    if (this.buf.length === 0) this.buf = Buffer.alloc(0);
    return out;
  }
}

function partialPreambleTail(buf: Buffer): number {
  const max = Math.min(PREAMBLE.length - 1, buf.length);
  for (let k = max; k > 0; k--) {
    let match = true;
    for (let i = 0; i < k; i++) {
      if (buf[buf.length - k + i] !== PREAMBLE[i]) {
        match = false;
        break;
      }
    }
    if (match) return k;
  }
  return 0;
}

// ---- SW3 -----------------------------------------------------------------------------------------

export const SW3 = {
  OK: 0x90,
  FIND_OK: 0x9f,
  NO_CONTENT: 0x91,
  HOST_CHECKSUM: 0x10,
  HOST_LENGTH: 0x11,
  COMMAND: 0x21,
  NOT_PERMITTED: 0x23,
  UNRECOGNISED: 0x24,
  CARD_AUTH_SAM: 0x31,
  SAM_AUTH_CARD: 0x32,
  VERIFY: 0x33,
  CARD_TYPE: 0x40,
  READ_FAILED: 0x41,
  RANDOM: 0x47,
  SELF_TEST: 0x60,
  NOT_AUTHORISED: 0x66,
  FIND_FAILED: 0x80,
  SELECT_FAILED: 0x81,
} as const;

export interface Sw3Entry {
  /** Chinese message shown to the operator. */
  message: string;
  /** Whether the code reports success. */
  ok: boolean;
}

/** Every SAM status byte of devices.md §1.5. */
export const SW3_TABLE: Readonly<Record<number, Sw3Entry>> = {
  [SW3.OK]: { ok: true, message: '操作成功' },
  [SW3.FIND_OK]: { ok: true, message: '寻找证/卡成功' },
  [SW3.NO_CONTENT]: { ok: false, message: '证/卡中此项无内容' },
  [SW3.HOST_CHECKSUM]: { ok: false, message: '读卡器收到的数据校验和错误' },
  [SW3.HOST_LENGTH]: { ok: false, message: '读卡器收到的数据长度错误' },
  [SW3.COMMAND]: { ok: false, message: '读卡器收到的命令错误（参数或组合不对）' },
  [SW3.NOT_PERMITTED]: { ok: false, message: '越权操作' },
  [SW3.UNRECOGNISED]: { ok: false, message: '无法识别的错误' },
  [SW3.CARD_AUTH_SAM]: { ok: false, message: '证/卡认证机具失败' },
  [SW3.SAM_AUTH_CARD]: { ok: false, message: '机具认证证/卡失败' },
  [SW3.VERIFY]: { ok: false, message: '信息验证错误' },
  [SW3.CARD_TYPE]: { ok: false, message: '无法识别的卡类型' },
  [SW3.READ_FAILED]: { ok: false, message: '读证/卡操作失败' },
  [SW3.RANDOM]: { ok: false, message: '取随机数失败' },
  [SW3.SELF_TEST]: { ok: false, message: 'SAM 自检失败，不能接收命令' },
  [SW3.NOT_AUTHORISED]: { ok: false, message: 'SAM 未经授权，无法使用' },
  [SW3.FIND_FAILED]: { ok: false, message: '寻找证/卡失败（读卡区无卡）' },
  [SW3.SELECT_FAILED]: { ok: false, message: '选取证/卡失败' },
};

/** The Chinese message for an SW3 byte; unknown codes are named in hex. */
export function describeSw3(sw3: number): string {
  return SW3_TABLE[sw3]?.message ?? `未知的状态码 ${hex2(sw3)}`;
}

/**
 * The ReaderError for an unexpected SW3 after `command`: 10 → 'checksum', 11 → 'frame' (the reader
 * received a damaged frame), 40 → 'unknown_card_type', others → 'reader_status'.
 */
export function sw3Error(sw3: number, command: SamCommandSpec): ReaderError {
  const code =
    sw3 === SW3.HOST_CHECKSUM
      ? 'checksum'
      : sw3 === SW3.HOST_LENGTH
        ? 'frame'
        : sw3 === SW3.CARD_TYPE
          ? 'unknown_card_type'
          : 'reader_status';
  return new ReaderError(
    code,
    `${command.name}失败：${describeSw3(sw3)}（SW3=${hex2(sw3)}）`,
    `SW3=${hex2(sw3)}`,
  );
}

// ---- response payloads ---------------------------------------------------------------------------

/**
 * The SAM id (12 FF, 16 data bytes) as vendor tools print it (§1.6):
 * `HH.HH-N-NNNNNNNNNN-NNNNNNNNNN` — hex of bytes 0 and 2, then three little-endian uint32 from bytes
 * 4–7, 8–11 and 12–15 in decimal, the last two zero-padded to 10 digits.
 */
export function samIdToString(data: Uint8Array): string {
  if (data.length < 16) {
    throw new ReaderError('frame', `SAM 编号长度错误：应为 16 字节，实为 ${data.length} 字节`);
  }
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const h = (n: number) => (b[n] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  const u32 = (o: number) => b.readUInt32LE(o);
  return `${h(0)}.${h(2)}-${u32(4)}-${String(u32(8)).padStart(10, '0')}-${String(u32(12)).padStart(10, '0')}`;
}

export interface ReadPayload {
  /** The card text file (normally 256 bytes, UCS-2LE). */
  text: Buffer;
  /** The WLT photo (normally 1024 bytes). */
  photo: Buffer;
  /** Fingerprint data (30 10 only; 0, 512 or 1024 bytes). */
  fingerprint: Buffer | null;
}

/**
 * The data of a 30 01 response (text length, photo length, both big-endian, then text and photo), or of
 * a 30 10 response when `withFingerprint` (a third length and the fingerprint data).
 */
export function parseReadPayload(data: Uint8Array, withFingerprint = false): ReadPayload {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const head = withFingerprint ? 6 : 4;
  if (b.length < head) {
    throw new ReaderError('frame', `读卡应答数据太短：${b.length} 字节，至少应有 ${head} 字节长度信息`);
  }
  const textLen = b.readUInt16BE(0);
  const photoLen = b.readUInt16BE(2);
  const fpLen = withFingerprint ? b.readUInt16BE(4) : 0;
  const expected = head + textLen + photoLen + fpLen;
  if (b.length !== expected) {
    throw new ReaderError(
      'frame',
      `读卡应答数据长度不符：文字 ${textLen} + 照片 ${photoLen}${withFingerprint ? ` + 指纹 ${fpLen}` : ''} 字节，应共 ${expected} 字节，实为 ${b.length} 字节`,
    );
  }
  const text = Buffer.from(b.subarray(head, head + textLen));
  const photo = Buffer.from(b.subarray(head + textLen, head + textLen + photoLen));
  const fingerprint = withFingerprint ? Buffer.from(b.subarray(head + textLen + photoLen)) : null;
  return { text, photo, fingerprint };
}

/** Builds the data of a 30 01 response (used by the simulated device and the tests). */
export function encodeReadPayload(text: Uint8Array, photo: Uint8Array): Buffer {
  const b = Buffer.alloc(4 + text.length + photo.length);
  b.writeUInt16BE(text.length, 0);
  b.writeUInt16BE(photo.length, 2);
  b.set(text, 4);
  b.set(photo, 4 + text.length);
  return b;
}
