/**
 * The vendor-SDK driver against a fake helper process (test/fixtures/idcard-helper/fake-helper.ts) that
 * speaks the real protocol and misbehaves on request: crashes, hangs, garbage output, half a line,
 * "unavailable", no reader attached. Every helper is a real child process started the way development
 * starts the real helper (this Node + tsx loader), so spawning, pipes, kills and exits are real.
 *
 * No assertion depends on how long something takes: timeouts are generous (a loaded 2-core machine
 * starts a tsx process in seconds) and waits are for events or files, bounded by vi.waitFor.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReaderError, type CardData, type ReaderStatus } from './reader';
import {
  cardFromFields,
  developmentHelperLaunch,
  helperEnv,
  VendorSdkReader,
  type DriverLogEvent,
  type VendorSdkReaderOptions,
} from './vendor-sdk-driver';
import { SYNTHETIC_FIELDS, syntheticCardText } from '../../../test/fixtures/idcard-helper/synthetic-card';

const FAKE_HELPER = fileURLToPath(
  new URL('../../../test/fixtures/idcard-helper/fake-helper.ts', import.meta.url),
);
const CHINESE = /[\u4e00-\u9fff]/u;
/** Long enough for a cold tsx start on a busy machine; the waits end as soon as the event happens. */
const WAIT = { timeout: 60_000, interval: 50 };
/** Per test: some tests start two or three helper processes. */
const SUITE = { timeout: 180_000 };

interface Harness {
  reader: VendorSdkReader;
  logs: DriverLogEvent[];
  statuses: ReaderStatus[];
  stateDir: string;
  pids: () => number[];
  reads: () => string[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function harness(env: Record<string, string>, options: Partial<VendorSdkReaderOptions> = {}): Harness {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idcard-fake-'));
  const logs: DriverLogEvent[] = [];
  const statuses: ReaderStatus[] = [];
  const reader = new VendorSdkReader({
    flavour: 'sdtapi',
    helper: {
      ...developmentHelperLaunch(FAKE_HELPER),
      env: { ...helperEnv(), FAKE_HELPER_STATE_DIR: stateDir, ...env },
      cwd: stateDir,
    },
    timeouts: { helloMs: 90_000, openMs: 30_000, readMs: 30_000, queryMs: 30_000, closeMs: 5_000 },
    restart: { initialMs: 20, maxMs: 200 },
    pollIntervalMs: 30,
    log: (e) => logs.push(e),
    ...options,
  });
  reader.on('status', (s) => statuses.push(s));
  const lines = (file: string) =>
    fs.existsSync(path.join(stateDir, file))
      ? fs.readFileSync(path.join(stateDir, file), 'utf8').split('\n').filter(Boolean)
      : [];
  cleanups.push(async () => {
    await reader.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });
  return {
    reader,
    logs,
    statuses,
    stateDir,
    pids: () => lines('pids').map(Number),
    reads: () => lines('reads'),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function rejection(p: Promise<unknown>): Promise<ReaderError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ReaderError);
    return e as ReaderError;
  }
  throw new Error('expected a rejection');
}

function expectSyntheticCard(card: CardData): void {
  expect(card).toMatchObject({
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
  });
  expect(card.photoWlt?.length).toBe(1024);
}

describe('VendorSdkReader with a well-behaved helper', SUITE, () => {
  it('opens, reads the synthetic card, reports the SAM id, and emits status and card events', async () => {
    const { reader, statuses, logs } = harness({ FAKE_HELPER_MODE: 'normal' });
    const cards: CardData[] = [];
    reader.on('card', (c) => cards.push(c));
    expect(reader.status()).toEqual({ state: 'closed' });

    await reader.open();
    expect(reader.status()).toEqual({ state: 'ready', samId: '05.01-20101010-0012345678-1234567890' });
    expect(statuses.map((s) => s.state)).toEqual(['opening', 'ready']);
    expect(reader.diagnostics().hello).toMatchObject({ flavour: 'sdtapi', arch: 'ia32' });

    // The raw text went through card-parse (the default parser): it keeps the codes in `extra`.
    const card = await reader.read();
    expectSyntheticCard(card);
    expect(card.extra).toMatchObject({ ethnicityCode: '01' });
    expect(cards).toEqual([card]);
    expect(await reader.samId()).toBe('05.01-20101010-0012345678-1234567890');
    expect(logs.filter((l) => l.kind === 'garbage')).toEqual([]);
  });

  it('maps the vendor fields when told not to parse the raw text (parseText: null)', async () => {
    const { reader } = harness({ FAKE_HELPER_MODE: 'normal' }, { parseText: null });
    await reader.open();
    const card = await reader.read();
    expectSyntheticCard(card);
    expect(card.extra).toEqual({ genderCode: '1', ethnicityCode: '01' });
  });

  it('uses a custom parseText for the raw card text, handing it the WLT photo', async () => {
    const seen: Uint8Array[] = [];
    const { reader } = harness(
      { FAKE_HELPER_MODE: 'normal' },
      {
        parseText: (text, { photo }) => {
          seen.push(text);
          expect(photo?.length).toBe(1024);
          return {
            cardType: 'resident',
            name: 'from parser',
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
            photoWlt: photo,
            photo: null,
          };
        },
      },
    );
    await reader.open();
    const card = await reader.read();
    expect(card.name).toBe('from parser');
    expect(card.photoWlt?.length).toBe(1024);
    expect(Buffer.from(seen[0]!)).toEqual(syntheticCardText());
  });

  it('keeps the WLT photo when a custom parser ignores it', async () => {
    const { reader } = harness(
      { FAKE_HELPER_MODE: 'normal' },
      {
        parseText: (text) => ({
          ...cardFromFields(SYNTHETIC_FIELDS),
          photoWlt: null,
          extra: { n: `${text.length}` },
        }),
      },
    );
    await reader.open();
    const card = await reader.read();
    expect(card.extra).toEqual({ n: '256' });
    expect(card.photoWlt?.length).toBe(1024);
  });

  it('falls back to the vendor fields when parseText throws, and logs why', async () => {
    const { reader, logs } = harness(
      { FAKE_HELPER_MODE: 'normal' },
      {
        parseText: () => {
          throw new ReaderError('unknown_card_type', '无法识别的证件类型');
        },
      },
    );
    await reader.open();
    expectSyntheticCard(await reader.read());
    expect(logs.some((l) => l.kind === 'parse' && l.detail === '无法识别的证件类型')).toBe(true);
  });

  it('close() ends the helper: its pid is gone and reads reject with not_open', async () => {
    const { reader, pids } = harness({ FAKE_HELPER_MODE: 'normal' });
    await reader.open();
    const pid = reader.diagnostics().pid!;
    expect(pids()).toEqual([pid]);
    expect(alive(pid)).toBe(true);

    await reader.close();
    expect(alive(pid)).toBe(false);
    expect(reader.status()).toEqual({ state: 'closed' });
    expect(reader.diagnostics().pid).toBeNull();
    expect((await rejection(reader.read())).code).toBe('not_open');
  });

  it('close() kills a helper that ignores the end of its input', async () => {
    const { reader, pids } = harness(
      { FAKE_HELPER_MODE: 'normal', FAKE_HELPER_IGNORE_EOF: '1' },
      { timeouts: { helloMs: 90_000, openMs: 30_000, readMs: 30_000, queryMs: 30_000, closeMs: 1_000 } },
    );
    await reader.open();
    await reader.close();
    expect(pids()).toHaveLength(1);
    expect(alive(pids()[0]!)).toBe(false);
  });

  it('a throwing listener is logged and does not break the read', async () => {
    const { reader, logs } = harness({ FAKE_HELPER_MODE: 'normal' });
    reader.on('card', () => {
      throw new Error('listener bug');
    });
    await reader.open();
    expectSyntheticCard(await reader.read());
    expect(logs.some((l) => l.kind === 'listener' && l.detail?.includes('listener bug'))).toBe(true);
  });
});

describe('VendorSdkReader when the helper fails', SUITE, () => {
  it('a crash rejects the pending read with disconnected, restarts the helper, and the next read works', async () => {
    // Request 1 is open, request 2 the first read: the helper exits on it without answering.
    const { reader, pids, statuses } = harness({
      FAKE_HELPER_MODE: 'crash-after',
      FAKE_HELPER_N: '2',
      FAKE_HELPER_ONCE: '1',
    });
    const errors: ReaderError[] = [];
    reader.on('error', (e) => errors.push(e));
    await reader.open();
    const first = reader.diagnostics().pid!;

    const err = await rejection(reader.read());
    expect(err.code).toBe('disconnected');
    expect(err.message).toMatch(CHINESE);
    expect(err.message).toContain('退出码 3');
    expect(errors).toEqual([err]);

    expectSyntheticCard(await reader.read());
    expect(reader.diagnostics().starts).toBe(2);
    expect(pids()).toHaveLength(2);
    expect(alive(first)).toBe(false);
    expect(statuses.map((s) => s.state)).toEqual(['opening', 'ready', 'opening', 'ready']);
  });

  it('a hang rejects the read with timeout, kills the helper, restarts it, and the next read works', async () => {
    const { reader, pids, logs } = harness(
      { FAKE_HELPER_MODE: 'hang-on-read', FAKE_HELPER_ONCE: '1' },
      // The fake answers in milliseconds when it answers at all; 4 s only bounds the hung read.
      { timeouts: { helloMs: 90_000, openMs: 30_000, readMs: 4_000, queryMs: 30_000, closeMs: 5_000 } },
    );
    await reader.open();
    const hung = reader.diagnostics().pid!;

    const err = await rejection(reader.read());
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(CHINESE);
    expect(logs.some((l) => l.kind === 'timeout')).toBe(true);

    expectSyntheticCard(await reader.read());
    expect(pids()).toHaveLength(2);
    expect(alive(hung)).toBe(false);
  });

  it('garbage lines are reported and ignored; the driver keeps working', async () => {
    const { reader, logs } = harness({ FAKE_HELPER_MODE: 'garbage' });
    await reader.open();
    expectSyntheticCard(await reader.read());
    expectSyntheticCard(await reader.read());
    expect(await reader.samId()).toBe('05.01-20101010-0012345678-1234567890');

    const garbage = logs.filter((l) => l.kind === 'garbage');
    // Seven stray lines before each of the 3 answers the test waited for (open, read, read; samId is cached).
    expect(garbage.length).toBeGreaterThanOrEqual(21);
    expect(reader.diagnostics().garbageLines).toBe(garbage.length);
    const details = garbage.map((g) => g.detail ?? '');
    expect(details).toContain('DLL debug: SDT_OpenPort ok');
    expect(details).toContain('printf from the DLL without a newline');
    expect(garbage.some((g) => g.message.includes('unknown or expired request 99999'))).toBe(true);
    expect(reader.diagnostics().starts).toBe(1);
  });

  it('half a JSON line and an exit: the read rejects with disconnected, the fragment is reported', async () => {
    const { reader, logs } = harness({ FAKE_HELPER_MODE: 'partial-exit', FAKE_HELPER_ONCE: '1' });
    await reader.open();
    const err = await rejection(reader.read());
    expect(err.code).toBe('disconnected');
    expect(err.message).toMatch(CHINESE);
    expect(logs.some((l) => l.kind === 'garbage' && l.detail?.includes('"ok":tru'))).toBe(true);
    expectSyntheticCard(await reader.read());
  });

  it('an unavailable helper: status unavailable with its reason, not_available everywhere, no restarts', async () => {
    const reason = '未找到读卡器厂商驱动 termb.dll（仅支持 Windows）';
    const { reader, pids } = harness({ FAKE_HELPER_MODE: 'unavailable' }, { flavour: 'termb' });

    const openErr = await rejection(reader.open());
    expect(openErr.code).toBe('not_available');
    expect(openErr.message).toBe(reason);
    expect(reader.status()).toEqual({ state: 'unavailable', reason });

    const readErr = await rejection(reader.read());
    expect(readErr.code).toBe('not_available');
    expect(readErr.message).toBe(reason);
    expect((await rejection(reader.waitForCard())).code).toBe('not_available');
    expect((await rejection(reader.samId())).code).toBe('not_available');

    // The unavailable helper was shut down and not restarted.
    expect(reader.diagnostics()).toMatchObject({ pid: null, starts: 1 });
    expect(pids()).toHaveLength(1);
    expect(alive(pids()[0]!)).toBe(false);
  });

  it('a helper that cannot be started is reported unavailable, not thrown', async () => {
    const reader = new VendorSdkReader({
      flavour: 'sdtapi',
      helper: { command: path.join(os.tmpdir(), 'no-such-helper.exe'), args: [] },
      log: () => undefined,
    });
    cleanups.push(() => reader.close());
    const err = await rejection(reader.open());
    expect(err.code).toBe('not_available');
    expect(err.message).toContain('无法启动读卡器助手进程');
    expect(reader.status().state).toBe('unavailable');
  });

  it('no reader attached yet: open rejects not_available, then the status turns ready by itself', async () => {
    const { reader, statuses } = harness({ FAKE_HELPER_MODE: 'no-reader', FAKE_HELPER_N: '2' });
    const err = await rejection(reader.open());
    expect(err.code).toBe('not_available');
    expect(err.message).toContain('未检测到身份证读卡器');

    await vi.waitFor(() => expect(reader.status().state).toBe('ready'), WAIT);
    expect(statuses.map((s) => s.state)).toEqual(['opening', 'unavailable', 'ready']);
    expectSyntheticCard(await reader.read());
    expect(reader.diagnostics().starts).toBe(1);
  });
});

describe('VendorSdkReader.waitForCard', SUITE, () => {
  it('waits for a card, then for its removal before the next card', async () => {
    const cardFile = path.join(os.tmpdir(), `idcard-present-${process.pid}-${Date.now()}`);
    const { reader, reads } = harness({ FAKE_HELPER_MODE: 'normal', FAKE_HELPER_CARD_FILE: cardFile });
    cleanups.push(() => {
      fs.rmSync(cardFile, { force: true });
      return Promise.resolve();
    });
    const events: string[] = [];
    reader.on('card', () => events.push('card'));
    reader.on('removed', () => events.push('removed'));
    await reader.open();

    // No card: the driver polls (the fake logs 'none').
    const first = reader.waitForCard({ timeoutMs: 120_000 });
    await vi.waitFor(() => expect(reads()).toContain('none'), WAIT);
    fs.writeFileSync(cardFile, '');
    expectSyntheticCard(await first);

    // The same card still lies on the reader: reads succeed but waitForCard must not return it again.
    let settled = false;
    const second = reader.waitForCard({ timeoutMs: 120_000 });
    void second.then(() => (settled = true)).catch(() => (settled = true));
    const before = reads().length;
    await vi.waitFor(
      () =>
        expect(
          reads()
            .slice(before)
            .filter((r) => r === 'card').length,
        ).toBeGreaterThanOrEqual(3),
      WAIT,
    );
    expect(settled).toBe(false);

    fs.rmSync(cardFile);
    await vi.waitFor(() => expect(events).toContain('removed'), WAIT);
    fs.writeFileSync(cardFile, '');
    expectSyntheticCard(await second);
    expect(events).toEqual(['card', 'removed', 'card']);
  });

  it('rejects a concurrent read with busy, and an aborted wait with a ReaderError', async () => {
    const cardFile = path.join(os.tmpdir(), `idcard-absent-${process.pid}-${Date.now()}`);
    const { reader, reads } = harness({ FAKE_HELPER_MODE: 'normal', FAKE_HELPER_CARD_FILE: cardFile });
    await reader.open();
    const controller = new AbortController();
    const waiting = reader.waitForCard({ signal: controller.signal, timeoutMs: 120_000 });
    expect((await rejection(reader.read())).code).toBe('busy');
    await vi.waitFor(() => expect(reads()).toContain('none'), WAIT);
    controller.abort();
    const err = await rejection(waiting);
    expect(err.detail).toBe('aborted');
    expect(err.message).toMatch(CHINESE);
  });

  it('times out with a ReaderError when no card comes', async () => {
    const cardFile = path.join(os.tmpdir(), `idcard-never-${process.pid}-${Date.now()}`);
    const { reader } = harness({ FAKE_HELPER_MODE: 'normal', FAKE_HELPER_CARD_FILE: cardFile });
    await reader.open();
    const err = await rejection(reader.waitForCard({ timeoutMs: 300 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(CHINESE);
  });
});
