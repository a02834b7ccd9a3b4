/**
 * The serial driver end to end over a REAL pty pair made by socat, with the real serialport bindings on
 * both ends: the SimulatedSamDevice opens one end, the driver the other. Killing socat is pulling the
 * reader's cable.
 *
 * socat is required: without it every test here FAILS with a message saying to install it (CI installs
 * socat); they are never skipped silently.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SamSerialReader } from './sam-serial-driver';
import { SimulatedSamDevice, type SimulatedSamDeviceOptions } from './simulated-sam-device';
import { LI_SI_EXPIRED, ZHANG_SAN } from '../../../test/fixtures/idcard/cards';
import { nextEvent, record, rejectionOf, statusIs } from '../../../test/fixtures/idcard/events';
import { attachDeviceToPort, requireSocat, SocatPair } from '../../../test/fixtures/idcard/serial-rigs';

let cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch {
      // best effort
    }
  }
  cleanups = [];
});

async function setup(device: SimulatedSamDeviceOptions = {}) {
  requireSocat();
  const pair = new SocatPair();
  cleanups.push(() => pair.dispose());
  await pair.start();
  const dev = new SimulatedSamDevice({
    delays: { status: 2, samId: 2, find: 2, select: 5, read: 20, appendedAddress: 5, other: 2 },
    // Answers in 2–3 chunks with small gaps, as USB-serial readers deliver them.
    chunks: 3,
    chunkGapMs: 4,
    unplugMs: null,
    ...device,
  });
  cleanups.push(() => dev.dispose());
  let side = await attachDeviceToPort(dev, pair.a);
  cleanups.push(() => side.close());
  const reader = new SamSerialReader({
    path: pair.b,
    pollIntervalMs: 50,
    // Generous timeouts: a loaded 2-core CI machine must not fail these tests.
    timeouts: {
      open: 5000,
      status: 3000,
      samId: 3000,
      find: 2000,
      select: 2000,
      read: 5000,
      appendedAddress: 3000,
    },
    reconnect: { initialMs: 100, maxMs: 500 },
    log: () => undefined,
  });
  cleanups.push(() => reader.close());
  return {
    pair,
    device: dev,
    reader,
    /** Re-attach the device to the (new) device end after socat was restarted. */
    async reattach() {
      await side.close();
      side = await attachDeviceToPort(dev, pair.a);
    },
    async detach() {
      await side.close();
    },
  };
}

describe('SamSerialReader over a socat pty pair (real serialport bindings)', () => {
  it('reads a card (answers in chunks), requires its removal, reads the next', async () => {
    const { reader, device } = await setup();
    const rec = record(reader);
    await reader.open();
    expect(reader.status()).toEqual({ state: 'ready', samId: '05.01-20201116-0000001234-0000005678' });

    const first = reader.waitForCard();
    device.insertCard(ZHANG_SAN.expected, { appendedAddress: '北京市朝阳区某路1号' });
    expect(await first).toEqual({ ...ZHANG_SAN.expected, appendedAddress: '北京市朝阳区某路1号' });

    // Still on the reader: not reported again.
    const stays = await rejectionOf(reader.waitForCard({ timeoutMs: 1000 }));
    expect(stays.message).toBe('等待放卡超时（1 秒），请重新放卡');

    const removed = nextEvent(reader, 'removed');
    device.removeCard();
    await removed;
    const second = reader.waitForCard();
    device.insertCard(LI_SI_EXPIRED.expected);
    expect((await second).validUntil).toBe('2020-03-01');
    expect(rec.log.filter((l) => !l.startsWith('status'))).toEqual([
      `card:${ZHANG_SAN.expected.idNumber}`,
      'removed',
      `card:${LI_SI_EXPIRED.expected.idNumber}`,
    ]);
    expect(rec.errors).toEqual([]);
  });

  it("unplugged mid-read (socat killed) → 'disconnected'; reconnects when the pty pair comes back", async () => {
    const ctx = await setup();
    const { reader, device, pair } = ctx;
    const rec = record(reader);
    await reader.open();

    // The device sends half of the read answer, then "unplugs": we kill socat at that moment.
    device.once('unplug', () => void pair.kill());
    const failed = reader.waitForCard();
    device.insertCard(ZHANG_SAN.expected);
    device.injectFault('disconnect');
    const err = await rejectionOf(failed);
    expect(err.code).toBe('disconnected');
    expect(err.message).toMatch(new RegExp(`^读卡器已断开连接（串口 ${pair.b} 已(断开|关闭)`));
    expect(reader.status()).toMatchObject({ state: 'unavailable' });

    // Reopening fails while the pty is gone (the port does not exist).
    await nextEvent(
      reader,
      'status',
      (s) => s.state === 'unavailable' && s.reason.startsWith('无法打开读卡器'),
    );

    await pair.start();
    device.plugIn();
    await ctx.reattach();
    await nextEvent(reader, 'status', statusIs('ready'), 30_000);
    // The card never left the reader and was never read: it is read now.
    expect((await reader.waitForCard({ timeoutMs: 30_000 })).name).toBe('张三');
    expect(rec.errors.map((e) => e.code)).toEqual(['disconnected']);
  });

  it('the device side closes (reader stops answering) → unavailable with a timeout; back when it answers', async () => {
    const ctx = await setup();
    const { reader } = ctx;
    const rec = record(reader);
    await reader.open();
    await ctx.detach();
    await nextEvent(reader, 'status', statusIs('unavailable'), 30_000);
    expect(rec.errors.map((e) => [e.code, e.message])).toEqual([
      ['timeout', '读卡器无响应（连续 3 次寻卡无有效应答）'],
    ]);
    await ctx.reattach();
    await nextEvent(reader, 'status', statusIs('ready'), 30_000);
  });

  it("a corrupted XOR → 'checksum' error naming the bytes; the desk keeps working", async () => {
    const { reader, device } = await setup();
    await reader.open();
    device.injectFault('checksum');
    const failed = reader.waitForCard();
    device.insertCard(ZHANG_SAN.expected);
    const err = await rejectionOf(failed);
    expect([err.code, err.message]).toEqual(['checksum', '数据帧校验和（XOR）错误：应为 0x80，实为 0xDA']);
    expect((await reader.waitForCard()).name).toBe('张三');
    expect(reader.status().state).toBe('ready');
  });

  it("card taken off mid-read → 'card_removed'", async () => {
    const { reader, device } = await setup();
    await reader.open();
    device.injectFault('card_removed_mid_read');
    const failed = reader.waitForCard();
    device.insertCard(ZHANG_SAN.expected);
    const err = await rejectionOf(failed);
    expect([err.code, err.message]).toEqual(['card_removed', '读卡过程中身份证被移开，请重新放好身份证']);
  });
});
