import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeCommand,
  decodeResponse,
  describeSw3,
  encodeCommand,
  encodeReadPayload,
  encodeResponse,
  FrameReassembler,
  MIN_COMMAND_LEN,
  parseReadPayload,
  SAM_COMMANDS,
  samIdToString,
  sw3Error,
  SW3_TABLE,
  type ReassembledItem,
} from './sam-codec';
import { ReaderError } from './reader';
import {
  readResponseFrame,
  ZHANG_SAN,
  ZHANG_SAN_FRAME_CHK,
  ZHANG_SAN_FRAME_SHA256,
} from '../../../test/fixtures/idcard/cards';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const frames = (items: ReassembledItem[]) => items.filter((i) => i.ok).map((i) => (i.ok ? i.frame : null));
const errors = (items: ReassembledItem[]) => items.flatMap((i) => (i.ok ? [] : [i.error]));

describe('command frames (§1.4 vectors)', () => {
  it.each([
    ['reset', 0x10, 0xff, 'AA AA AA 96 69 00 03 10 FF EC'],
    ['status', 0x11, 0xff, 'AA AA AA 96 69 00 03 11 FF ED'],
    ['samId', 0x12, 0xff, 'AA AA AA 96 69 00 03 12 FF EE'],
    ['find', 0x20, 0x01, 'AA AA AA 96 69 00 03 20 01 22'],
    ['select', 0x20, 0x02, 'AA AA AA 96 69 00 03 20 02 21'],
    ['read', 0x30, 0x01, 'AA AA AA 96 69 00 03 30 01 32'],
    ['readAppendedAddress', 0x30, 0x03, 'AA AA AA 96 69 00 03 30 03 30'],
    ['readWithFingerprint', 0x30, 0x10, 'AA AA AA 96 69 00 03 30 10 23'],
    ['baud 115200', 0x60, 0x00, 'AA AA AA 96 69 00 03 60 00 63'],
    ['baud 9600', 0x60, 0x04, 'AA AA AA 96 69 00 03 60 04 67'],
  ])('%s → %s', (_name, cmd, para, expected) => {
    expect(encodeCommand(cmd, para)).toEqual(hex(expected));
  });

  it('encodes a command with data (set max RF byte, 61 FF 50)', () => {
    expect(encodeCommand(0x61, 0xff, Uint8Array.of(0x50))).toEqual(hex('AA AA AA 96 69 00 04 61 FF 50 CA'));
  });

  it('the named commands match the table', () => {
    const f = SAM_COMMANDS.find;
    expect(encodeCommand(f.cmd, f.para)).toEqual(hex('AA AA AA 96 69 00 03 20 01 22'));
    expect(decodeCommand(hex('AA AA AA 96 69 00 04 61 FF 50 CA'))).toEqual({
      cmd: 0x61,
      para: 0xff,
      data: Buffer.from([0x50]),
    });
  });
});

describe('response frames (§1.5 vectors)', () => {
  it.each([
    ['find failed', 0x80, '00 04 00 00 80 84'],
    ['select failed', 0x81, '00 04 00 00 81 85'],
    ['read failed', 0x41, '00 04 00 00 41 45'],
    ['SAM→card auth failed', 0x32, '00 04 00 00 32 36'],
    ['plain OK', 0x90, '00 04 00 00 90 94'],
  ])('%s: encode and decode', (_n, sw3, tail) => {
    const frame = hex(`AA AA AA 96 69 ${tail}`);
    expect(encodeResponse({ sw3 })).toEqual(frame);
    expect(decodeResponse(frame)).toEqual({ sw1: 0, sw2: 0, sw3, data: Buffer.alloc(0) });
  });

  it('find OK: 15 bytes, SW3 9F and 4 data bytes', () => {
    const frame = hex('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97');
    expect(encodeResponse({ sw3: 0x9f, data: new Uint8Array(4) })).toEqual(frame);
    expect(decodeResponse(frame)).toMatchObject({ sw3: 0x9f, data: Buffer.alloc(4) });
  });

  it('select OK: 19 bytes, SW3 90 and 8 data bytes', () => {
    const frame = hex('AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C');
    expect(encodeResponse({ sw3: 0x90, data: new Uint8Array(8) })).toEqual(frame);
    expect(decodeResponse(frame)).toMatchObject({ sw3: 0x90, data: Buffer.alloc(8) });
  });

  it('the §1.9 read response: 1295 bytes, Len 05 08, CHK 0x80, the published SHA-256', () => {
    const frame = readResponseFrame(ZHANG_SAN.text);
    expect(frame.length).toBe(1295);
    expect(frame.subarray(5, 7)).toEqual(hex('05 08'));
    expect(frame[frame.length - 1]).toBe(ZHANG_SAN_FRAME_CHK);
    expect(createHash('sha256').update(frame).digest('hex')).toBe(ZHANG_SAN_FRAME_SHA256);
    // The codec builds the same bytes.
    expect(
      encodeResponse({ sw3: 0x90, data: encodeReadPayload(ZHANG_SAN.text, new Uint8Array(1024)) }),
    ).toEqual(frame);
    const r = decodeResponse(frame);
    expect(r.sw3).toBe(0x90);
    const payload = parseReadPayload(r.data);
    expect(payload.text).toEqual(Buffer.from(ZHANG_SAN.text));
    expect(payload.photo).toEqual(Buffer.alloc(1024));
    expect(payload.fingerprint).toBeNull();
  });

  it('a 30 10 payload with fingerprints (three lengths)', () => {
    const data = Buffer.concat([
      hex('01 00 04 00 02 00'),
      Buffer.alloc(256, 1),
      Buffer.alloc(1024, 2),
      Buffer.alloc(512, 3),
    ]);
    const p = parseReadPayload(data, true);
    expect([p.text.length, p.photo.length, p.fingerprint?.length]).toEqual([256, 1024, 512]);
    expect(p.fingerprint?.[0]).toBe(3);
    expect(encodeResponse({ sw3: 0x90, data }).length).toBe(1809);
  });

  it('rejects a read payload whose lengths do not add up', () => {
    const data = Buffer.concat([hex('01 00 04 00'), Buffer.alloc(256), Buffer.alloc(1000)]);
    expect(() => parseReadPayload(data)).toThrow(
      expect.objectContaining({
        code: 'frame',
        message: '读卡应答数据长度不符：文字 256 + 照片 1024 字节，应共 1284 字节，实为 1260 字节',
      }),
    );
  });

  it('decodeResponse names the expected and actual XOR byte', () => {
    const frame = readResponseFrame(ZHANG_SAN.text);
    frame[frame.length - 1] = 0x81;
    expect(() => decodeResponse(frame)).toThrow(ReaderError);
    expect(() => decodeResponse(frame)).toThrow('数据帧校验和（XOR）错误：应为 0x80，实为 0x81');
  });

  it('decodeResponse rejects a frame whose Len disagrees with its size, and a missing preamble', () => {
    expect(() => decodeResponse(hex('AA AA AA 96 69 00 05 00 00 90 94'))).toThrow(
      expect.objectContaining({ code: 'frame', message: '数据帧长度错误：长度字段为 5，实际为 4 字节' }),
    );
    expect(() => decodeResponse(hex('AA AA AA 96 68 00 04 00 00 90 94'))).toThrow(
      expect.objectContaining({ code: 'frame' }),
    );
  });
});

describe('SAM id (§1.6)', () => {
  it('renders HH.HH-N-NNNNNNNNNN-NNNNNNNNNN with little-endian uint32s', () => {
    const d = Buffer.alloc(16);
    d[0] = 0x05;
    d[1] = 0x99;
    d[2] = 0x01;
    d.writeUInt32LE(20101116, 4);
    d.writeUInt32LE(12345678, 8);
    d.writeUInt32LE(4294967295, 12);
    expect(samIdToString(d)).toBe('05.01-20101116-0012345678-4294967295');
  });

  it('rejects a short id', () => {
    expect(() => samIdToString(new Uint8Array(8))).toThrow('SAM 编号长度错误：应为 16 字节，实为 8 字节');
  });
});

describe('SW3 status table (§1.5)', () => {
  const expected: [number, string, boolean][] = [
    [0x90, '操作成功', true],
    [0x9f, '寻找证/卡成功', true],
    [0x91, '证/卡中此项无内容', false],
    [0x10, '读卡器收到的数据校验和错误', false],
    [0x11, '读卡器收到的数据长度错误', false],
    [0x21, '读卡器收到的命令错误（参数或组合不对）', false],
    [0x23, '越权操作', false],
    [0x24, '无法识别的错误', false],
    [0x31, '证/卡认证机具失败', false],
    [0x32, '机具认证证/卡失败', false],
    [0x33, '信息验证错误', false],
    [0x40, '无法识别的卡类型', false],
    [0x41, '读证/卡操作失败', false],
    [0x47, '取随机数失败', false],
    [0x60, 'SAM 自检失败，不能接收命令', false],
    [0x66, 'SAM 未经授权，无法使用', false],
    [0x80, '寻找证/卡失败（读卡区无卡）', false],
    [0x81, '选取证/卡失败', false],
  ];

  it('has exactly the 18 codes of §1.5', () => {
    expect(
      Object.keys(SW3_TABLE)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(expected.map(([c]) => c).sort((a, b) => a - b));
  });

  it.each(expected)('SW3 0x%s: %s', (code, message, ok) => {
    expect(describeSw3(code)).toBe(message);
    expect(SW3_TABLE[code]?.ok).toBe(ok);
    // The error a driver reports carries the message and the code in hex.
    const err = sw3Error(code, SAM_COMMANDS.read);
    const hexCode = `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
    expect(err.message).toBe(`读卡（文字和照片）失败：${message}（SW3=${hexCode}）`);
    const kind =
      code === 0x10
        ? 'checksum'
        : code === 0x11
          ? 'frame'
          : code === 0x40
            ? 'unknown_card_type'
            : 'reader_status';
    expect(err.code).toBe(kind);
  });

  it('names an unknown code in hex', () => {
    expect(describeSw3(0x55)).toBe('未知的状态码 0x55');
    expect(sw3Error(0x05, SAM_COMMANDS.find).message).toBe('寻卡失败：未知的状态码 0x05（SW3=0x05）');
  });
});

describe('FrameReassembler', () => {
  const big = readResponseFrame(ZHANG_SAN.text);
  const find = hex('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97');
  const fail = hex('AA AA AA 96 69 00 04 00 00 80 84');

  it('a whole frame in one chunk', () => {
    const r = new FrameReassembler();
    expect(frames(r.push(big))).toEqual([big]);
    expect(r.pending).toBe(0);
  });

  it(`a 1295-byte frame split at every one of its ${big.length - 1} split points`, () => {
    for (let i = 1; i < big.length; i++) {
      const r = new FrameReassembler();
      const first = r.push(big.subarray(0, i));
      expect(first, `split at ${i}`).toEqual([]);
      const second = r.push(big.subarray(i));
      expect(second.length, `split at ${i}`).toBe(1);
      expect(frames(second)[0]?.equals(big), `split at ${i}`).toBe(true);
      expect(r.pending).toBe(0);
    }
  });

  it('three-way splits (every first cut, second cut stepping through the rest)', () => {
    for (let i = 1; i < big.length - 1; i += 7) {
      for (let j = i + 1; j < big.length; j += 97) {
        const r = new FrameReassembler();
        const got = [
          ...r.push(big.subarray(0, i)),
          ...r.push(big.subarray(i, j)),
          ...r.push(big.subarray(j)),
        ];
        expect(got.length, `cuts ${i},${j}`).toBe(1);
        expect(frames(got)[0]?.equals(big)).toBe(true);
      }
    }
  });

  it('byte by byte, several frames', () => {
    const r = new FrameReassembler();
    const stream = Buffer.concat([find, big, fail]);
    const got: ReassembledItem[] = [];
    for (const b of stream) got.push(...r.push(Uint8Array.of(b)));
    expect(frames(got)).toEqual([find, big, fail]);
  });

  it('several frames in one chunk, and a frame that ends in the next chunk', () => {
    const r = new FrameReassembler();
    const stream = Buffer.concat([find, fail, big]);
    expect(frames(r.push(stream.subarray(0, find.length + fail.length + 100)))).toEqual([find, fail]);
    expect(r.pending).toBe(100);
    expect(frames(r.push(stream.subarray(find.length + fail.length + 100)))).toEqual([big]);
  });

  it('a frame whose Len says more than has arrived waits for the rest', () => {
    const r = new FrameReassembler();
    expect(r.push(big.subarray(0, 7))).toEqual([]); // header only: Len 0x0508 announced
    expect(r.push(big.subarray(7, 1000))).toEqual([]);
    expect(r.pending).toBe(1000);
    expect(frames(r.push(big.subarray(1000)))).toEqual([big]);
  });

  it('drops garbage before a preamble, between frames, and partial preambles', () => {
    const r = new FrameReassembler();
    const junk1 = hex('00 FF 13 AA AA 96 69 AA'); // looks almost like a preamble
    const junk2 = hex('AA AA AA 96'); // a preamble that never completes …
    const junk3 = hex('42 42');
    const got = [
      ...r.push(Buffer.concat([junk1, find])),
      ...r.push(Buffer.concat([junk3, junk2])),
      ...r.push(Buffer.concat([junk3, big.subarray(0, 3)])),
      ...r.push(big.subarray(3)),
      ...r.push(Buffer.concat([hex('AA AA'), fail])),
    ];
    expect(errors(got)).toEqual([]);
    expect(frames(got)).toEqual([find, big, fail]);
    expect(r.discarded).toBeGreaterThan(0);
  });

  it('a preamble split across chunks right after noise ending in AA', () => {
    const r = new FrameReassembler();
    expect(r.push(hex('13 37 AA AA'))).toEqual([]);
    expect(frames(r.push(Buffer.concat([hex('AA 96 69'), find.subarray(5)])))).toEqual([find]);
  });

  it('rejects an XOR mismatch naming expected and actual bytes in hex, then continues', () => {
    const r = new FrameReassembler();
    const bad = Buffer.from(big);
    bad[bad.length - 1] = 0x7f;
    const got = r.push(Buffer.concat([bad, find]));
    expect(got).toHaveLength(2);
    const [first] = errors(got);
    expect(first?.code).toBe('checksum');
    expect(first?.message).toBe('数据帧校验和（XOR）错误：应为 0x80，实为 0x7F');
    expect(frames(got)).toEqual([find]);
  });

  it('a flipped data byte is a checksum error too', () => {
    const r = new FrameReassembler();
    const bad = Buffer.from(big);
    bad[500] = bad[500]! ^ 0x01;
    const [err] = errors(r.push(bad));
    expect(err?.message).toBe('数据帧校验和（XOR）错误：应为 0x81，实为 0x80');
  });

  it('rejects impossible lengths (too small, too large) and resynchronises on the next preamble', () => {
    const r = new FrameReassembler();
    const tooSmall = hex('AA AA AA 96 69 00 02 00 02');
    const tooLarge = hex('AA AA AA 96 69 FF FF 00');
    const got = r.push(Buffer.concat([tooSmall, tooLarge, fail]));
    const errs = errors(got);
    expect(errs.map((e) => [e.code, e.message])).toEqual([
      ['frame', '数据帧长度不可能：长度字段为 2（0x0002），小于最小值 4'],
      ['frame', '数据帧长度不可能：长度字段为 65535（0xFFFF），超过最大值 4096'],
    ]);
    expect(frames(got)).toEqual([fail]);
  });

  it('commands: Len 3 is fine with minLen 3', () => {
    const r = new FrameReassembler({ minLen: MIN_COMMAND_LEN });
    const cmd = encodeCommand(0x20, 0x01);
    expect(frames(r.push(Buffer.concat([cmd, cmd])))).toEqual([cmd, cmd]);
  });

  it('reset() forgets a partial frame', () => {
    const r = new FrameReassembler();
    r.push(big.subarray(0, 600));
    r.reset();
    expect(r.pending).toBe(0);
    expect(frames(r.push(find))).toEqual([find]);
  });
});
