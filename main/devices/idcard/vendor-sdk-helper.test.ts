/**
 * The helper side of the vendor-SDK driver: the protocol codec, the DLL backends with fake bindings,
 * the field mapping, DLL discovery, and — where a C compiler exists — the real helper program and its
 * koffi bindings against fake sdtapi/termb shared libraries built from test/fixtures/idcard-helper/*.c.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cString,
  HelperFailure,
  HuashiTermbBackend,
  scanPorts,
  SdtapiBackend,
  TERMB_TEXT_FILE,
  type HuashiTermbBinding,
  type SdtapiBinding,
  type TermbGetter,
} from './helper/backends';
import {
  encodeError,
  encodeHello,
  encodeRequest,
  encodeResult,
  LineSplitter,
  parseHelperLine,
  parseRequestLine,
  parseResult,
} from './helper/protocol';
import {
  ANY_OS_ENV,
  describeLoadError,
  dllCandidates,
  parseHelperArgs,
  prepareBackend,
  serve,
  type HelperIo,
} from './helper/serve';
import { ReaderError, type CardData } from './reader';
import {
  cardFromFields,
  developmentHelperLaunch,
  helperEnv,
  normaliseDate,
  VendorSdkReader,
  type DriverLogEvent,
  type HelperSpawner,
  type TextParser,
} from './vendor-sdk-driver';
import {
  SYNTHETIC_FIELDS,
  SYNTHETIC_SAM_ID,
  syntheticCardText,
  syntheticWlt,
} from '../../../test/fixtures/idcard-helper/synthetic-card';
import { buildFakeDll, cCompiler } from '../../../test/fixtures/idcard-helper/compiler';

const tmpDirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'idcard-helper-'));
  tmpDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

async function failure(fn: () => unknown): Promise<HelperFailure> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HelperFailure);
    return e as HelperFailure;
  }
  throw new Error('expected a HelperFailure');
}

// ---- protocol ------------------------------------------------------------------------------------

describe('protocol', () => {
  it('round-trips hello, results and errors; every helper message starts on a fresh line', () => {
    const hello = encodeHello({
      protocol: 1,
      flavour: 'termb',
      dllPath: 'C:\\x\\termb.dll',
      arch: 'ia32',
      pid: 7,
    });
    expect(hello.startsWith('\n')).toBe(true);
    expect(parseHelperLine(hello.trim())).toEqual({
      kind: 'hello',
      hello: { protocol: 1, flavour: 'termb', dllPath: 'C:\\x\\termb.dll', arch: 'ia32', pid: 7 },
    });
    expect(parseHelperLine(encodeHello({ protocol: 1, unavailable: '不可用', pid: 7 }).trim())).toEqual({
      kind: 'hello',
      hello: { protocol: 1, unavailable: '不可用', pid: 7 },
    });
    expect(parseHelperLine(encodeResult(3, { samId: null }).trim())).toEqual({
      kind: 'response',
      response: { id: 3, ok: true, result: { samId: null } },
    });
    expect(parseHelperLine(encodeError(4, { code: 'no_card', message: '无卡' }).trim())).toEqual({
      kind: 'response',
      response: { id: 4, ok: false, error: { code: 'no_card', message: '无卡' } },
    });
    expect(parseRequestLine(encodeRequest(5, 'open', { port: 1001 }).trim())).toEqual({
      kind: 'request',
      request: { id: 5, method: 'open', params: { port: 1001 } },
    });
  });

  it.each([
    ['not JSON', 'DLL says hi'],
    ['truncated JSON', '{"id":1,"ok":tru'],
    ['an array', '[1,2]'],
    ['a string id', '{"id":"1","ok":true,"result":{}}'],
    ['ok without result or error', '{"id":1,"ok":false}'],
    ['an extra key', '{"id":1,"ok":true,"result":{},"x":1}'],
    ['a hello with a wrong protocol', '{"hello":{"protocol":2,"unavailable":"x","pid":1}}'],
    [
      'a hello with an unknown flavour',
      '{"hello":{"protocol":1,"flavour":"x","dllPath":"a","arch":"x","pid":1}}',
    ],
  ])('reports %s from the helper as garbage, never throws', (_name, line) => {
    expect(parseHelperLine(line).kind).toBe('garbage');
  });

  it('validates results per method', () => {
    expect(parseResult('open', { port: 1001, samId: 'x' }).ok).toBe(true);
    expect(parseResult('open', { port: '1001', samId: 'x' }).ok).toBe(false);
    expect(parseResult('read', { text: null, photoWlt: null, photoBmp: null, fields: null }).ok).toBe(false);
    expect(
      parseResult('read', { text: 'not base64!', photoWlt: null, photoBmp: null, fields: null }).ok,
    ).toBe(false);
    const ok = parseResult('read', {
      text: syntheticCardText().toString('base64'),
      photoWlt: null,
      photoBmp: null,
      fields: SYNTHETIC_FIELDS,
    });
    expect(ok.ok).toBe(true);
  });

  it('answers a malformed request that has an id, and drops one that has none', () => {
    expect(parseRequestLine('{"id":9,"method":"format-disk","params":{}}')).toMatchObject({
      kind: 'invalid',
      id: 9,
    });
    expect(parseRequestLine('{"id":9,"method":"open","params":{"port":"COM3"}}')).toMatchObject({
      kind: 'invalid',
      id: 9,
    });
    expect(parseRequestLine('{"method":"open"}').kind).toBe('garbage');
    expect(parseRequestLine('rm -rf /').kind).toBe('garbage');
  });

  it('splits lines across chunks, keeps split UTF-8 characters whole, skips blank lines, drops over-long ones', () => {
    const lines: string[] = [];
    const overflows: number[] = [];
    const s = new LineSplitter(
      (l) => lines.push(l),
      (n) => overflows.push(n),
      64,
    );
    const bytes = Buffer.from('{"a":"张三"}\r\n\n\nsecond', 'utf8');
    for (const b of bytes) s.push(Buffer.from([b])); // one byte at a time
    s.push(`\n${'x'.repeat(100)}`);
    s.push('y'.repeat(100));
    s.push('\nafter\n');
    s.push('tail without newline');
    s.end();
    expect(lines).toEqual(['{"a":"张三"}', 'second', 'after', 'tail without newline']);
    expect(overflows).toEqual([200]);
  });
});

// ---- sdtapi backend ------------------------------------------------------------------------------

interface SdtFake {
  binding: SdtapiBinding;
  calls: string[];
  set: (patch: Partial<{ find: number; select: number; read: number; textLen: number }>) => void;
}

function fakeSdtapi(readerPort: number | null): SdtFake {
  const calls: string[] = [];
  const rc = { find: 0x9f, select: 0x90, read: 0x90, textLen: 256 };
  const binding: SdtapiBinding = {
    SDT_OpenPort: (port) => {
      calls.push(`open ${port}`);
      return port === readerPort ? 0x90 : 0x01;
    },
    SDT_ClosePort: (port) => {
      calls.push(`close ${port}`);
      return 0x90;
    },
    SDT_StartFindIDCard: () => rc.find,
    SDT_SelectIDCard: () => rc.select,
    SDT_ReadBaseMsg: (_port, text, textLen, photo, photoLen) => {
      if (rc.read !== 0x90) return rc.read;
      syntheticCardText().copy(text);
      textLen.writeUInt32LE(rc.textLen, 0);
      syntheticWlt().copy(photo);
      photoLen.writeUInt32LE(1024, 0);
      return 0x90;
    },
    SDT_GetSAMIDToStr: (_port, buf) => {
      buf.write(`${SYNTHETIC_SAM_ID}\0garbage`, 'latin1');
      return 0x90;
    },
    SDT_GetSAMStatus: () => 0x90,
  };
  return { binding, calls, set: (patch) => Object.assign(rc, patch) };
}

describe('SdtapiBackend', () => {
  it('scans USB 1001–1016 first, then COM1–COM16, and reports the SAM id', () => {
    expect(scanPorts()).toEqual([
      ...Array.from({ length: 16 }, (_, i) => 1001 + i),
      ...Array.from({ length: 16 }, (_, i) => 1 + i),
    ]);
    const fake = fakeSdtapi(3);
    const backend = new SdtapiBackend(fake.binding);
    expect(backend.open({})).toEqual({ port: 3, samId: SYNTHETIC_SAM_ID });
    expect(fake.calls.slice(0, 2)).toEqual(['open 1001', 'open 1002']);
    expect(fake.calls.at(-1)).toBe('open 3');
    expect(fake.calls).toHaveLength(19);
    expect(backend.status()).toEqual({ open: true, port: 3, healthy: true });
    backend.close();
    expect(fake.calls.at(-1)).toBe('close 3');
    expect(backend.status()).toEqual({ open: false, port: null, healthy: null });
  });

  it('opens only the configured port, and says in Chinese when no reader answers', async () => {
    const fake = fakeSdtapi(null);
    const backend = new SdtapiBackend(fake.binding);
    const single = await failure(() => backend.open({ port: 1001 }));
    expect(fake.calls).toEqual(['open 1001']);
    expect(single.code).toBe('not_available');
    expect(single.message).toContain('端口 1001');
    const scan = await failure(() => backend.open({}));
    expect(scan.message).toContain('未检测到身份证读卡器');
    expect(scan.message).toContain('USB 1001–1016');
  });

  it('returns the raw text and the WLT photo as base64, untouched', () => {
    const backend = new SdtapiBackend(fakeSdtapi(1001).binding);
    backend.open({});
    const r = backend.read();
    expect(Buffer.from(r.text!, 'base64')).toEqual(syntheticCardText());
    expect(Buffer.from(r.photoWlt!, 'base64')).toEqual(syntheticWlt());
    expect(r.fields).toBeNull();
  });

  it.each([
    ['find', 0x80, 'no_card', '未检测到身份证'],
    ['select', 0x81, 'no_card', '选卡失败'],
    ['read', 0x41, 'reader_status', '读卡失败'],
    ['read', 0x01, 'disconnected', '端口'],
    ['read', 0x02, 'timeout', '超时'],
    ['find', 0x40, 'unknown_card_type', '卡片类型'],
    ['read', 0x77, 'reader_status', '0x77'],
  ] as const)('maps %s → %d to %s', async (stage, code, expected, text) => {
    const fake = fakeSdtapi(1001);
    const backend = new SdtapiBackend(fake.binding);
    backend.open({});
    fake.set({ [stage]: code });
    const err = await failure(() => backend.read());
    expect(err.code).toBe(expected);
    expect(err.message).toContain(text);
  });

  it('rejects a short text and a read before open', async () => {
    const fake = fakeSdtapi(1001);
    const backend = new SdtapiBackend(fake.binding);
    expect((await failure(() => backend.read())).code).toBe('not_open');
    backend.open({});
    fake.set({ textLen: 100 });
    expect((await failure(() => backend.read())).code).toBe('frame');
  });
});

// ---- Huashi termb backend ------------------------------------------------------------------------

function gbkGetter(value: string | null, opts: { leaveLen?: boolean } = {}): TermbGetter {
  return (buf, len) => {
    if (value === null) return 0;
    const bytes = iconv.encode(value, 'gbk');
    bytes.copy(buf);
    buf[bytes.length] = 0;
    if (!opts.leaveLen) len.writeInt32LE(bytes.length, 0);
    return 1;
  };
}

function fakeTermb(workDir: string, patch: Partial<HuashiTermbBinding> = {}): HuashiTermbBinding {
  return {
    CVR_InitComm: (port) => (port === 1001 ? 1 : 0),
    CVR_Authenticate: () => 1,
    CVR_Read_Content: () => {
      fs.writeFileSync(path.join(workDir, TERMB_TEXT_FILE), syntheticCardText());
      return 1;
    },
    CVR_CloseComm: () => 1,
    CVR_GetSAMID: (buf) => {
      buf.write(`${SYNTHETIC_SAM_ID}\0`, 'latin1');
      return 1;
    },
    GetPeopleName: gbkGetter('张三'),
    GetPeopleSex: gbkGetter('男'),
    GetPeopleNation: gbkGetter('汉'),
    GetPeopleBirthday: gbkGetter('19491231'),
    GetPeopleAddress: gbkGetter('北京市西城区某街道1号   ', { leaveLen: true }),
    GetPeopleIDCode: gbkGetter('11010519491231002X'),
    GetDepartment: gbkGetter('北京市公安局西城分局'),
    GetStartDate: gbkGetter('20200101'),
    GetEndDate: gbkGetter('长期'),
    GetCertType: null,
    GetPeopleChineseName: null,
    GetNationCode: gbkGetter('01'),
    GetBMPData: null,
    ...patch,
  };
}

describe('HuashiTermbBackend', () => {
  it('decodes the GBK getters, reads wz.txt, and tolerates missing optional exports', () => {
    const dir = tmpDir();
    const backend = new HuashiTermbBackend(fakeTermb(dir), dir);
    expect(backend.open({})).toEqual({ port: 1001, samId: SYNTHETIC_SAM_ID });
    const r = backend.read();
    expect(r.fields).toEqual({ ...SYNTHETIC_FIELDS, ethnicityCode: '01' });
    expect(Buffer.from(r.text!, 'base64')).toEqual(syntheticCardText());
    expect(r.photoBmp).toBeNull();
  });

  it('never takes a previous card’s wz.txt for this card', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, TERMB_TEXT_FILE), Buffer.alloc(256, 0x41));
    const backend = new HuashiTermbBackend(fakeTermb(dir, { CVR_Read_Content: () => 1 }), dir);
    backend.open({});
    const r = backend.read();
    expect(r.text).toBeNull();
    expect(r.fields?.idNumber).toBe('11010519491231002X');
  });

  it('returns a BMP from GetBMPData when the DLL has it', () => {
    const dir = tmpDir();
    const bmp = Buffer.concat([Buffer.from('BM'), Buffer.alloc(100, 7)]);
    const backend = new HuashiTermbBackend(
      fakeTermb(dir, {
        GetBMPData: (buf, len) => {
          bmp.copy(buf);
          len.writeInt32LE(bmp.length, 0);
          return 1;
        },
      }),
      dir,
    );
    backend.open({});
    expect(Buffer.from(backend.read().photoBmp!, 'base64')).toEqual(bmp);
  });

  it.each([
    [2, 'no_card'],
    [3, 'no_card'],
    [0, 'disconnected'],
    [5, 'reader_status'],
  ] as const)('maps CVR_Authenticate → %s to %s', async (code, expected) => {
    const dir = tmpDir();
    const backend = new HuashiTermbBackend(fakeTermb(dir, { CVR_Authenticate: () => code }), dir);
    backend.open({});
    const err = await failure(() => backend.read());
    expect(err.code).toBe(expected);
  });

  it('fails a read whose CVR_Read_Content fails or that yields no ID number', async () => {
    const dir = tmpDir();
    const b1 = new HuashiTermbBackend(fakeTermb(dir, { CVR_Read_Content: () => 99 }), dir);
    b1.open({});
    expect((await failure(() => b1.read())).message).toContain('99');
    const b2 = new HuashiTermbBackend(fakeTermb(dir, { GetPeopleIDCode: gbkGetter(null) }), dir);
    b2.open({});
    expect((await failure(() => b2.read())).message).toContain('证件号码');
  });

  it('cString stops at NUL, honours the length, trims', () => {
    expect(cString(Buffer.from('ab\0cd'))).toBe('ab');
    expect(cString(Buffer.from(' abcd '), 3)).toBe('ab');
    expect(cString(iconv.encode('张三  ', 'gbk'), 100, 'gbk')).toBe('张三');
  });
});

// ---- field mapping -------------------------------------------------------------------------------

describe('cardFromFields', () => {
  it('maps the Huashi fields of a resident card', () => {
    const card: CardData = cardFromFields({ ...SYNTHETIC_FIELDS, ethnicityCode: '01' });
    expect(card).toEqual({
      cardType: 'resident',
      name: '张三',
      englishName: null,
      gender: '男',
      ethnicity: '汉',
      birthDate: '1949-12-31',
      address: '北京市西城区某街道1号',
      idNumber: '11010519491231002X',
      issuingAuthority: '北京市公安局西城分局',
      validFrom: '2020-01-01',
      validUntil: 'long-term',
      extra: { genderCode: '1', ethnicityCode: '01' },
      photoWlt: null,
      photo: null,
    });
    // Without a code the DLL's own name is kept; with one, the vetted table wins.
    expect(cardFromFields({ ...SYNTHETIC_FIELDS, ethnicity: '汉族', ethnicityCode: null }).ethnicity).toBe(
      '汉族',
    );
    expect(cardFromFields({ ...SYNTHETIC_FIELDS, ethnicity: '汉族', ethnicityCode: '01' }).ethnicity).toBe(
      '汉',
    );
  });

  it('maps a 2017 foreign PR card (English name kept with its spaces) and an HMT permit', () => {
    const foreign = cardFromFields({
      ...SYNTHETIC_FIELDS,
      certType: 'I',
      name: 'SMITH JOHN PAUL',
      chineseName: '史密斯',
      gender: '1',
      ethnicity: '美国',
      ethnicityCode: 'USA',
      address: null,
      idNumber: 'usa123456789012',
    });
    expect(foreign).toMatchObject({
      cardType: 'foreign_pr_2017',
      name: '史密斯',
      englishName: 'SMITH JOHN PAUL',
      gender: '男',
      ethnicity: null,
      idNumber: 'USA123456789012',
      extra: { genderCode: '1', nationality: 'USA', nationalityName: '美国' },
    });
    const permit = cardFromFields({ ...SYNTHETIC_FIELDS, idNumber: '810000199001010019', ethnicity: null });
    expect(permit.cardType).toBe('residence_permit');
    expect(permit.ethnicity).toBeNull();
  });

  it.each([
    ['19491231', '1949-12-31'],
    ['1949-12-31', '1949-12-31'],
    ['1949.12.31', '1949-12-31'],
    ['1949年12月31日', '1949-12-31'],
    ['', null],
    ['长期', null],
    ['19491331', null],
    ['abc', null],
  ])('normaliseDate(%j) = %j', (input, expected) => {
    expect(normaliseDate(input)).toBe(expected);
  });

  it('normaliseDate accepts 长期 for the end of validity', () => {
    expect(normaliseDate('长期', true)).toBe('long-term');
  });
});

// ---- finding and loading the DLL -----------------------------------------------------------------

describe('helper configuration and DLL loading', () => {
  it('parses its arguments and rejects unknown ones in Chinese', () => {
    expect(parseHelperArgs([])).toEqual({ flavour: 'sdtapi', dll: 'sdtapi.dll', dllDirs: [] });
    expect(parseHelperArgs(['--flavour=termb', '--dll-dir=C:\\a', '--dll-dir=C:\\b'])).toEqual({
      flavour: 'termb',
      dll: 'termb.dll',
      dllDirs: ['C:\\a', 'C:\\b'],
    });
    expect(parseHelperArgs(['--flavour=synjones'])).toEqual({
      error: expect.stringContaining('未知的读卡器驱动类型') as unknown,
    });
    expect(parseHelperArgs(['--bogus'])).toEqual({ error: expect.stringContaining('参数错误') as unknown });
  });

  it('looks for a bare DLL name in --dll-dir, the helper folder and System32 — never the writable CWD', () => {
    const c = dllCandidates(
      { flavour: 'termb', dll: 'termb.dll', dllDirs: ['/vendor'] },
      { SystemRoot: '/win' },
      '/helper',
      '/cwd',
    );
    expect(c).toEqual([
      path.join('/vendor', 'termb.dll'),
      path.join('/helper', 'termb.dll'),
      path.join('/win', 'System32', 'termb.dll'),
    ]);
    expect(dllCandidates({ flavour: 'termb', dll: '/abs/termb.dll', dllDirs: [] }, {}, '/h', '/c')).toEqual([
      '/abs/termb.dll',
    ]);
  });

  it('is unavailable off Windows, with the reason in Chinese', async () => {
    const state = await prepareBackend({ flavour: 'termb', dll: 'termb.dll', dllDirs: [] }, {}, 'linux');
    expect(state).toEqual({ unavailable: '未找到读卡器厂商驱动 termb.dll（仅支持 Windows）' });
  });

  it('is unavailable when the DLL is nowhere, listing where it looked', async () => {
    const dir = tmpDir();
    const state = await prepareBackend({ flavour: 'sdtapi', dll: 'sdtapi.dll', dllDirs: [dir] }, {}, 'win32');
    expect(state).toEqual({
      unavailable: expect.stringContaining('未找到读卡器厂商驱动 sdtapi.dll（已查找：') as unknown,
    });
    expect('unavailable' in state && state.unavailable).toContain(path.join(dir, 'sdtapi.dll'));
  });

  it('explains load failures: wrong bitness, missing dependencies, anything else', () => {
    expect(
      describeLoadError(
        'Failed to load shared library: %1 is not a valid Win32 application. (193)',
        'C:\\a\\termb.dll',
        'x64',
      ),
    ).toContain('位数不一致（助手为 64 位）');
    expect(
      describeLoadError('The specified module could not be found.', 'C:\\a\\termb.dll', 'ia32'),
    ).toContain('依赖的 DLL 缺失');
    expect(describeLoadError('boom', 'C:\\a\\termb.dll', 'ia32')).toBe(
      '无法加载读卡器厂商驱动 termb.dll：boom',
    );
  });

  it('an unloadable file is reported as unavailable, not thrown', async () => {
    const dir = tmpDir();
    const bogus = path.join(dir, 'sdtapi.dll');
    fs.writeFileSync(bogus, 'not a library');
    const state = await prepareBackend({ flavour: 'sdtapi', dll: bogus, dllDirs: [] }, { [ANY_OS_ENV]: '1' });
    expect(state).toEqual({
      unavailable: expect.stringContaining('无法加载读卡器厂商驱动 sdtapi.dll') as unknown,
    });
  });
});

// ---- a custom spawner -----------------------------------------------------------------------------

describe('a custom spawner (the seam for an Electron utilityProcess adapter)', () => {
  it('drives the real request loop in-process over whole-line string messages', async () => {
    let launched: string | null = null;
    const spawner: HelperSpawner = (launch) => {
      launched = [launch.command, ...launch.args].join(' ');
      let output: ((chunk: string) => void) | null = null;
      let toHelper: ((line: string) => void) | null = null;
      let endOfInput: (() => void) | null = null;
      let exitListener: ((code: number | null, signal: string | null) => void) | null = null;
      let exited = false;
      const exit = (code: number | null, signal: string | null) => {
        if (exited) return;
        exited = true;
        exitListener?.(code, signal);
      };
      // Like parentPortIo: one message per line, no newlines on the wire.
      const io: HelperIo = {
        onLine: (l) => (toHelper = l),
        onEnd: (l) => (endOfInput = l),
        send: (text) => text.split('\n').forEach((line) => line !== '' && output?.(line)),
        flush: (done) => done(),
      };
      queueMicrotask(() => {
        io.send(encodeHello({ protocol: 1, flavour: 'sdtapi', dllPath: 'in-process', arch: 'x64', pid: 1 }));
        serve(
          io,
          { backend: new SdtapiBackend(fakeSdtapi(1001).binding), dllPath: 'in-process' },
          () => {},
          () => exit(0, null),
        );
      });
      return {
        pid: 1,
        onOutput: (l) => (output = l),
        onDiagnostic: () => undefined,
        onExit: (l) => (exitListener = l),
        onSpawnError: () => undefined,
        write: (text) => text.split('\n').forEach((line) => line !== '' && toHelper?.(line)),
        endInput: () => endOfInput?.(),
        kill: () => exit(null, 'SIGKILL'),
      };
    };
    const reader = new VendorSdkReader({
      flavour: 'sdtapi',
      dll: 'C:\\vendor\\sdtapi.dll',
      helper: { command: 'utility', args: ['helper-main.mjs'] },
      spawn: spawner,
      log: () => undefined,
    });
    await reader.open();
    expect(launched).toBe('utility helper-main.mjs --flavour=sdtapi --dll=C:\\vendor\\sdtapi.dll');
    const card = await reader.read();
    expect(card).toMatchObject({ name: '张三', idNumber: '11010519491231002X', validUntil: 'long-term' });
    await reader.close();
    expect(reader.status()).toEqual({ state: 'closed' });
  });
});

// ---- the real helper and koffi against fake shared libraries -------------------------------------

const CC = cCompiler();

describe.skipIf(CC === null)(
  'the real helper with koffi and a fake vendor library (needs a C compiler)',
  () => {
    const libDir = CC === null ? '' : tmpDir();
    const build = (name: 'fake-sdtapi' | 'fake-termb'): string => {
      const out = path.join(libDir, `${name}.so`);
      if (!fs.existsSync(out)) buildFakeDll(CC!, name, out);
      return out;
    };
    const textFile = (): string => {
      const f = path.join(libDir, 'card.bin');
      fs.writeFileSync(f, syntheticCardText());
      return f;
    };

    /** The real helper program (helper-main.ts), started the development way, on a fake library. */
    function realReader(
      flavour: 'sdtapi' | 'termb',
      dll: string,
      options: { parseText?: TextParser | null; env?: Record<string, string> } = {},
    ) {
      const logs: DriverLogEvent[] = [];
      const cwd = tmpDir();
      const reader = new VendorSdkReader({
        flavour,
        dll,
        helper: {
          ...developmentHelperLaunch(),
          env: { ...helperEnv(), [ANY_OS_ENV]: '1', FAKE_SDT_TEXT: textFile(), ...options.env },
          cwd,
        },
        timeouts: { helloMs: 90_000, openMs: 30_000, readMs: 30_000, queryMs: 30_000, closeMs: 5_000 },
        ...(options.parseText !== undefined ? { parseText: options.parseText } : {}),
        log: (e) => logs.push(e),
      });
      readers.push(reader);
      return { reader, logs, cwd };
    }
    const readers: VendorSdkReader[] = [];
    afterAll(async () => {
      for (const r of readers) await r.close();
    });

    function stubCard(name: string): CardData {
      return {
        cardType: 'resident',
        name,
        englishName: null,
        gender: null,
        ethnicity: null,
        birthDate: null,
        address: null,
        idNumber: '11010519491231002X',
        issuingAuthority: null,
        validFrom: null,
        validUntil: null,
        extra: {},
        photoWlt: null,
        photo: null,
      };
    }

    it('sdtapi: opens USB 1001, reads the SAM id, passes the raw text and photo through byte for byte', async () => {
      const texts: Uint8Array[] = [];
      const { reader, logs } = realReader('sdtapi', build('fake-sdtapi'), {
        parseText: (t, { photo }) => {
          texts.push(t);
          return { ...stubCard('parsed'), photoWlt: photo };
        },
      });
      await reader.open();
      expect(reader.status()).toEqual({ state: 'ready', samId: SYNTHETIC_SAM_ID });
      expect(reader.diagnostics().hello).toMatchObject({ flavour: 'sdtapi', arch: process.arch });
      const card = await reader.read();
      expect(card.name).toBe('parsed');
      expect(Buffer.from(texts[0]!)).toEqual(syntheticCardText());
      expect(Buffer.from(card.photoWlt!)).toEqual(syntheticWlt());
      expect(logs.filter((l) => l.kind === 'garbage')).toEqual([]);
      await reader.close();
      expect(reader.status()).toEqual({ state: 'closed' });
    });

    it('sdtapi with the default parser (card-parse): the whole synthetic card', async () => {
      const { reader } = realReader('sdtapi', build('fake-sdtapi'));
      await reader.open();
      const card = await reader.read();
      expect(card).toMatchObject({
        cardType: 'resident',
        name: '张三',
        gender: '男',
        ethnicity: '汉',
        birthDate: '1949-12-31',
        address: '北京市西城区某街道1号',
        idNumber: '11010519491231002X',
        issuingAuthority: '北京市公安局西城分局',
        validFrom: '2020-01-01',
        validUntil: 'long-term',
      });
      expect(Buffer.from(card.photoWlt!)).toEqual(syntheticWlt());
    });

    it('sdtapi without a text parser: the read fails and says why; no card maps to no_card', async () => {
      const { reader } = realReader('sdtapi', build('fake-sdtapi'), { parseText: null });
      await reader.open();
      const err = await reader.read().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReaderError);
      expect((err as ReaderError).code).toBe('frame');
      expect((err as ReaderError).message).toContain('无法解析');

      const empty = realReader('sdtapi', build('fake-sdtapi'), { env: { FAKE_SDT_NO_CARD: '1' } }).reader;
      await empty.open();
      const none = await empty.read().catch((e: unknown) => e);
      expect(none).toMatchObject({ code: 'no_card', message: '未检测到身份证，请将证件放在读卡区' });
    });

    it('Huashi termb: GBK getters decoded into the card; wz.txt handed to the parser when it works', async () => {
      const { reader, cwd } = realReader('termb', build('fake-termb'), { parseText: null });
      await reader.open();
      expect(reader.status()).toEqual({ state: 'ready', samId: SYNTHETIC_SAM_ID });
      const card = await reader.read();
      expect(card).toMatchObject({
        cardType: 'resident',
        name: '张三',
        gender: '男',
        ethnicity: '汉',
        birthDate: '1949-12-31',
        address: '北京市西城区某街道1号',
        idNumber: '11010519491231002X',
        issuingAuthority: '北京市公安局西城分局',
        validFrom: '2020-01-01',
        validUntil: 'long-term',
        photo: null,
      });
      expect(fs.readFileSync(path.join(cwd, 'wz.txt'))).toEqual(syntheticCardText());

      const texts: Uint8Array[] = [];
      const withParser = realReader('termb', build('fake-termb'), {
        parseText: (t) => {
          texts.push(t);
          return stubCard('parsed');
        },
      }).reader;
      await withParser.open();
      expect((await withParser.read()).name).toBe('parsed');
      expect(Buffer.from(texts[0]!)).toEqual(syntheticCardText());
    });

    it('the wrong flavour for the DLL is reported unavailable, naming the missing function', async () => {
      const { reader } = realReader('sdtapi', build('fake-termb'));
      const err = await reader.open().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'not_available' });
      expect(reader.status()).toEqual({
        state: 'unavailable',
        reason: expect.stringContaining('缺少函数 SDT_OpenPort') as unknown,
      });
    });
  },
);
