import { afterEach, describe, expect, it } from 'vitest';
import { SimulatorReader, type SimulatorReaderOptions } from './simulator-driver';
import { ReaderError } from './reader';
import { SAM_COMMANDS } from './sam-codec';
import {
  FOREIGN_2017,
  FOREIGN_2023,
  LI_SI_EXPIRED,
  PERMIT_HK,
  ZHANG_SAN,
  fakeWlt,
} from '../../../test/fixtures/idcard/cards';
import { nextEvent, record, rejectionOf, statusIs, until } from '../../../test/fixtures/idcard/events';

const FAST_DEVICE = {
  delays: { status: 2, samId: 2, find: 2, select: 2, read: 10, appendedAddress: 2, other: 2 },
  unplugMs: 200,
};

let readers: SimulatorReader[] = [];

function make(options: SimulatorReaderOptions = {}): SimulatorReader {
  const r = new SimulatorReader({
    pollIntervalMs: 30,
    // Generous: a loaded CI machine must not turn a slow answer into a test failure.
    timeouts: { find: 3000, select: 3000, read: 5000, samId: 3000, status: 3000, appendedAddress: 3000 },
    reconnect: { initialMs: 50, maxMs: 200 },
    log: () => undefined,
    ...options,
    device: { ...FAST_DEVICE, ...options.device },
  });
  readers.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(readers.map((r) => r.close()));
  readers = [];
});

describe('SimulatorReader', () => {
  it('opens: opening → ready with the SAM id from 12 FF', async () => {
    const reader = make();
    const rec = record(reader);
    expect(reader.status()).toEqual({ state: 'closed' });
    await reader.open();
    expect(reader.status()).toEqual({ state: 'ready', samId: '05.01-20201116-0000001234-0000005678' });
    expect(rec.log).toEqual(['status:opening', 'status:ready']);
    expect(await reader.samId()).toBe('05.01-20201116-0000001234-0000005678');
    expect(reader.description).toBe('模拟读卡器');
  });

  it('reads a laid card (find → select → read → appended address on the wire)', async () => {
    const reader = make();
    await reader.open();
    const waiting = reader.waitForCard();
    reader.insertCard(ZHANG_SAN.expected);
    const card = await waiting;
    expect(card).toEqual({ ...ZHANG_SAN.expected, appendedAddress: null });
    const cmds = reader.device.commandLog.map((c) => `${c.cmd.toString(16)} ${c.para.toString(16)}`);
    expect(cmds.slice(0, 2)).toEqual(['11 ff', '12 ff']);
    const i = cmds.lastIndexOf('20 1');
    expect(cmds.slice(i, i + 4)).toEqual(['20 1', '20 2', '30 1', '30 3']);
  });

  it('reads a raw 256-byte text, the photo blob and the appended address', async () => {
    const reader = make();
    await reader.open();
    const wlt = fakeWlt(3);
    const waiting = reader.waitForCard();
    reader.insertCard(ZHANG_SAN.text, { photo: wlt, appendedAddress: '北京市海淀区某路9号' });
    const card = await waiting;
    expect(card.name).toBe('张三');
    expect(card.photoWlt).toEqual(wlt);
    expect(card.appendedAddress).toBe('北京市海淀区某路9号');
  });

  it.each([
    ['residence permit', PERMIT_HK],
    ['foreign PR 2017', FOREIGN_2017],
    ['foreign PR 2023', FOREIGN_2023],
  ])('reads a %s', async (_n, fixture) => {
    const reader = make();
    await reader.open();
    const waiting = reader.waitForCard();
    reader.insertCard(fixture.text);
    expect(await waiting).toEqual({ ...fixture.expected, appendedAddress: null });
  });

  it('requires the card to leave the field before the next card is reported', async () => {
    const reader = make();
    const rec = record(reader);
    await reader.open();
    const first = reader.waitForCard();
    reader.insertCard(ZHANG_SAN.expected);
    await first;
    // The card stays: many polls later, no second report.
    const findsBefore = reader.device.commandLog.length;
    await until(() => reader.device.commandLog.length > findsBefore + 10, 20_000, 'ten more polls');
    const again = await rejectionOf(reader.waitForCard({ timeoutMs: 300 }));
    expect([again.code, again.message]).toEqual(['timeout', '等待放卡超时（300 毫秒），请重新放卡']);
    expect(rec.cards).toEqual([ZHANG_SAN.expected.idNumber]);
    expect(rec.errors).toEqual([]); // the wait timeout is the caller's, not a reader error

    const removed = nextEvent(reader, 'removed');
    reader.removeCard();
    await removed;
    const second = reader.waitForCard();
    reader.insertCard(LI_SI_EXPIRED.expected);
    expect((await second).idNumber).toBe(LI_SI_EXPIRED.expected.idNumber);
    expect(rec.log.filter((l) => !l.startsWith('status'))).toEqual([
      `card:${ZHANG_SAN.expected.idNumber}`,
      'removed',
      `card:${LI_SI_EXPIRED.expected.idNumber}`,
    ]);
  });

  it('readers with the protection design (find fails after a read) report the card once', async () => {
    const reader = make({ device: { haltAfterRead: true } });
    const rec = record(reader);
    await reader.open();
    const first = reader.waitForCard();
    reader.insertCard(ZHANG_SAN.expected);
    await first;
    await nextEvent(reader, 'removed'); // the next find fails although the card lies there
    const n = reader.device.commandLog.length;
    await until(() => reader.device.commandLog.length > n + 10, 20_000, 'ten more polls');
    expect(rec.cards).toHaveLength(1);
    const second = reader.waitForCard();
    reader.insertCard(ZHANG_SAN.expected); // laid again
    await second;
    expect(rec.cards).toHaveLength(2);
  });

  it('a card laid before anyone waits is handed to the next waitForCard', async () => {
    const reader = make();
    await reader.open();
    const read = nextEvent(reader, 'card');
    reader.insertCard(PERMIT_HK.expected);
    await read;
    expect((await reader.waitForCard({ timeoutMs: 1 })).idNumber).toBe(PERMIT_HK.expected.idNumber);
  });

  describe('faults', () => {
    it("'timeout': the read is not answered → 'timeout' error; the desk keeps working", async () => {
      const reader = make({ timeouts: { read: 800 } });
      const rec = record(reader);
      await reader.open();
      reader.injectFault('timeout');
      const failed = reader.waitForCard();
      reader.insertCard(ZHANG_SAN.expected);
      const err = await rejectionOf(failed);
      expect(err).toBeInstanceOf(ReaderError);
      expect([err.code, err.message]).toEqual([
        'timeout',
        '读卡器响应超时：读卡（文字和照片）（800 毫秒内无应答）',
      ]);
      expect(rec.errors).toEqual([err]); // the same instance as the event
      expect((await reader.waitForCard()).idNumber).toBe(ZHANG_SAN.expected.idNumber);
      expect(reader.status().state).toBe('ready');
    });

    it("'checksum': a corrupted XOR → 'checksum' error naming both bytes; then the card", async () => {
      const reader = make();
      await reader.open();
      reader.injectFault('checksum');
      const failed = reader.waitForCard();
      reader.insertCard(ZHANG_SAN.expected);
      const err = await rejectionOf(failed);
      expect(err.code).toBe('checksum');
      // ZHANG_SAN with a zero photo has CHK 0x80; the device XORs it with 0x5A.
      expect(err.message).toBe('数据帧校验和（XOR）错误：应为 0x80，实为 0xDA');
      expect((await reader.waitForCard()).name).toBe('张三');
    });

    it("'frame': an answer with an impossible length → 'frame' error; then the card", async () => {
      const reader = make();
      await reader.open();
      reader.injectFault('frame');
      const failed = reader.waitForCard();
      reader.insertCard(ZHANG_SAN.expected);
      const err = await rejectionOf(failed);
      expect([err.code, err.message]).toEqual([
        'frame',
        '数据帧长度不可能：长度字段为 1（0x0001），小于最小值 4',
      ]);
      expect((await reader.waitForCard()).name).toBe('张三');
    });

    it("'card_removed_mid_read' → 'card_removed'; laid again → read", async () => {
      const reader = make();
      await reader.open();
      reader.injectFault('card_removed_mid_read');
      const failed = reader.waitForCard();
      reader.insertCard(ZHANG_SAN.expected);
      const err = await rejectionOf(failed);
      expect([err.code, err.message]).toEqual(['card_removed', '读卡过程中身份证被移开，请重新放好身份证']);
      expect(err.detail).toBe('读卡（文字和照片）失败：读证/卡操作失败（SW3=0x41）');
      expect(reader.device.cardPresent).toBe(false);
      const next = reader.waitForCard();
      reader.insertCard(ZHANG_SAN.expected);
      expect((await next).name).toBe('张三');
    });

    it("'unknown_card_type' → error naming the flag; the card must be taken off before the next", async () => {
      const reader = make();
      const rec = record(reader);
      await reader.open();
      reader.injectFault('unknown_card_type');
      const failed = reader.waitForCard();
      reader.insertCard(ZHANG_SAN.expected);
      const err = await rejectionOf(failed);
      expect(err.code).toBe('unknown_card_type');
      expect(err.message).toContain('0x5A 0x00（字符“Z”）');
      // Not retried every poll: one error until the card leaves.
      const n = reader.device.commandLog.length;
      await until(() => reader.device.commandLog.length > n + 10, 20_000, 'ten more polls');
      expect(rec.errors).toHaveLength(1);
      const removed = nextEvent(reader, 'removed');
      reader.removeCard();
      await removed;
      const next = reader.waitForCard();
      reader.insertCard(ZHANG_SAN.expected);
      expect((await next).name).toBe('张三');
    });

    it("'disconnect' mid-read → 'disconnected', status unavailable, then back to ready and the card is read", async () => {
      const reader = make();
      const rec = record(reader);
      await reader.open();
      const failed = reader.waitForCard();
      reader.insertCard(ZHANG_SAN.expected);
      reader.injectFault('disconnect'); // a card not read yet: the fault hits its read
      const err = await rejectionOf(failed);
      expect([err.code, err.message]).toEqual(['disconnected', '读卡器已断开连接（模拟读卡器已拔出）']);
      expect(reader.status()).toMatchObject({ state: 'unavailable' });
      // While unplugged, read() says why at once.
      const now = await rejectionOf(reader.read());
      expect(now.code).toMatch(/disconnected|not_available/);
      await nextEvent(reader, 'status', statusIs('ready'));
      expect((await reader.waitForCard()).name).toBe('张三');
      expect(rec.log.filter((l) => l === 'error:disconnected')).toHaveLength(1);
      const order = ['error:disconnected', 'status:ready', `card:${ZHANG_SAN.expected.idNumber}`];
      expect(order.map((l) => rec.log.lastIndexOf(l))).toEqual(
        [...order.map((l) => rec.log.lastIndexOf(l))].sort((a, b) => a - b),
      );
      expect(rec.cards).toEqual([ZHANG_SAN.expected.idNumber]);
    });

    it("'disconnect' with no card unplugs at once", async () => {
      const reader = make();
      await reader.open();
      const down = nextEvent(reader, 'error');
      reader.injectFault('disconnect');
      const [err] = await down;
      expect(err.code).toBe('disconnected');
      await nextEvent(reader, 'status', statusIs('ready'));
    });
  });

  describe('read()', () => {
    it("no card → 'no_card' after the find retries; card → card; same card again → 'card_not_removed'", async () => {
      const reader = make({ findAttempts: 3, findRetryDelayMs: 5 });
      await reader.open();
      // Let the poll loop settle so counting finds is meaningful.
      const err = await rejectionOf(reader.read());
      expect([err.code, err.message]).toEqual(['no_card', '未检测到身份证，请将身份证放在读卡区']);
      reader.insertCard(FOREIGN_2017.expected);
      let card;
      try {
        card = await reader.read();
      } catch (e) {
        // The poll loop may have read it first: then the card is waiting for removal.
        expect((e as ReaderError).code).toBe('card_not_removed');
        card = await reader.waitForCard();
      }
      expect(card.englishName).toBe('SMITH JOHN WILLIAM');
      const again = await rejectionOf(reader.read());
      expect([again.code, again.message]).toEqual([
        'card_not_removed',
        '这张身份证已读取，请取走后再放下一张',
      ]);
    });

    it('before open() → not_open', async () => {
      const reader = make();
      const err = await rejectionOf(reader.read());
      expect([err.code, err.message]).toEqual(['not_open', '读卡器未打开']);
      const w = await rejectionOf(reader.waitForCard());
      expect(w.code).toBe('not_open');
    });
  });

  it('waitForCard is cancelled by its AbortSignal', async () => {
    const reader = make();
    await reader.open();
    const ac = new AbortController();
    const p = reader.waitForCard({ signal: ac.signal });
    ac.abort();
    const err = await rejectionOf(p);
    expect([err.code, err.message, err.detail]).toEqual(['timeout', '已取消读卡', 'aborted']);
    const pre = new AbortController();
    pre.abort();
    expect((await rejectionOf(reader.waitForCard({ signal: pre.signal }))).detail).toBe('aborted');
  });

  it('a SAM that fails its self-test: open() rejects with the SW3 message; ready once it recovers', async () => {
    const reader = make();
    reader.device.statusSw3 = 0x60;
    const err = await rejectionOf(reader.open());
    expect([err.code, err.message]).toEqual([
      'reader_status',
      'SAM 状态检测失败：SAM 自检失败，不能接收命令（SW3=0x60）',
    ]);
    expect(reader.status()).toEqual({ state: 'unavailable', reason: err.message });
    reader.device.statusSw3 = 0x90;
    await nextEvent(reader, 'status', statusIs('ready'));
  });

  it('close() rejects waiters, stops polling, and the reader can be opened again', async () => {
    const reader = make();
    await reader.open();
    const w = reader.waitForCard();
    await reader.close();
    expect((await rejectionOf(w)).code).toBe('not_open');
    expect(reader.status()).toEqual({ state: 'closed' });
    const n = reader.device.commandLog.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(reader.device.commandLog.length).toBe(n);
    await reader.open();
    const again = reader.waitForCard();
    reader.insertCard(ZHANG_SAN.expected);
    expect((await again).name).toBe('张三');
  });

  it('the wire protocol is the real one: commands logged by the device are §1.4 frames', async () => {
    const reader = make();
    await reader.open();
    await until(
      () => reader.device.commandLog.some((c) => c.cmd === SAM_COMMANDS.find.cmd),
      20_000,
      'a find',
    );
    expect(reader.device.commandLog.find((c) => c.cmd === SAM_COMMANDS.find.cmd)).toMatchObject({
      cmd: 0x20,
      para: 0x01,
    });
  });
});
