/**
 * The serial driver over @serialport/binding-mock (SerialPortMock), with a SimulatedSamDevice answering
 * the bytes the driver writes. Proves the driver's wire behaviour (exact frames, in order), chunked
 * input, removal, unplug/replug, checksum errors, an unresponsive reader, and listSerialPorts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SerialPortMock } from 'serialport';
import {
  listSerialPorts,
  SamSerialReader,
  type SamSerialReaderOptions,
  type SerialPortInfo,
} from './sam-serial-driver';
import { SimulatedSamDevice, type SimulatedSamDeviceOptions } from './simulated-sam-device';
import { encodeCommand, SAM_COMMANDS, toHex } from './sam-codec';
import { FOREIGN_2023, PERMIT_HK, ZHANG_SAN } from '../../../test/fixtures/idcard/cards';
import { nextEvent, record, rejectionOf, statusIs, until } from '../../../test/fixtures/idcard/events';
import { mockBinding, mockPortOf, MockSerialRig } from '../../../test/fixtures/idcard/serial-rigs';

let seq = 0;
let cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function setup(
  device: SimulatedSamDeviceOptions = {},
  options: Partial<SamSerialReaderOptions> = {},
): { reader: SamSerialReader; device: SimulatedSamDevice; rig: MockSerialRig } {
  const dev = new SimulatedSamDevice({
    delays: { status: 2, samId: 2, find: 2, select: 2, read: 10, appendedAddress: 2, other: 2 },
    unplugMs: null,
    ...device,
  });
  const rig = new MockSerialRig(`/dev/ttyMOCK${++seq}`, dev);
  const reader = new SamSerialReader({
    path: rig.path,
    portFactory: rig.factory,
    pollIntervalMs: 30,
    timeouts: { find: 3000, select: 3000, read: 5000, samId: 3000, status: 3000, appendedAddress: 3000 },
    reconnect: { initialMs: 30, maxMs: 200 },
    log: () => undefined,
    ...options,
  });
  cleanups.push(async () => {
    await reader.close();
    dev.dispose();
  });
  return { reader, device: dev, rig };
}

const frame = (name: keyof typeof SAM_COMMANDS) =>
  toHex(encodeCommand(SAM_COMMANDS[name].cmd, SAM_COMMANDS[name].para));

describe('SamSerialReader over SerialPortMock', () => {
  it('status → SAM id → find → select → read → appended address, with the exact §1.4 frames', async () => {
    const { reader, device, rig } = setup();
    expect(reader.description).toBe(`SAM 串口 ${rig.path}`);
    await reader.open();
    expect(reader.status()).toEqual({ state: 'ready', samId: '05.01-20201116-0000001234-0000005678' });
    expect(rig.current?.baudRate).toBe(115200);
    const waiting = reader.waitForCard();
    device.insertCard(ZHANG_SAN.expected, { appendedAddress: '北京市东城区某胡同3号' });
    const card = await waiting;
    expect(card).toEqual({ ...ZHANG_SAN.expected, appendedAddress: '北京市东城区某胡同3号' });

    const sent = rig.written.map((b) => toHex(b));
    expect(sent.slice(0, 3)).toEqual([frame('status'), frame('samId'), frame('find')]);
    expect(sent.slice(0, 3)).toEqual([
      'AA AA AA 96 69 00 03 11 FF ED',
      'AA AA AA 96 69 00 03 12 FF EE',
      'AA AA AA 96 69 00 03 20 01 22',
    ]);
    const i = sent.indexOf(frame('select'));
    expect(sent.slice(i - 1, i + 3)).toEqual([
      'AA AA AA 96 69 00 03 20 01 22',
      'AA AA AA 96 69 00 03 20 02 21',
      'AA AA AA 96 69 00 03 30 01 32',
      'AA AA AA 96 69 00 03 30 03 30',
    ]);
    // The mock binding's own recording agrees.
    expect(toHex(mockPortOf(rig.current!).recording.subarray(0, 10))).toBe(frame('status'));
  });

  it('the baud rate comes from the options', async () => {
    const { reader, rig } = setup({}, { baudRate: 57600 });
    await reader.open();
    expect(rig.current?.baudRate).toBe(57600);
  });

  it.each([2, 3])('reassembles answers that arrive in %i chunks with gaps', async (chunks) => {
    const { reader, device } = setup({ chunks, chunkGapMs: 3 });
    await reader.open();
    const waiting = reader.waitForCard();
    device.insertCard(FOREIGN_2023.text);
    expect((await waiting).englishName).toBe('VAN DER BERG JOHANNA CORNELIA MARIE LOUISE');
  });

  it('the card must leave the field before the next one is reported', async () => {
    const { reader, device } = setup();
    const rec = record(reader);
    await reader.open();
    const first = reader.waitForCard();
    device.insertCard(ZHANG_SAN.expected);
    await first;
    const n = device.commandLog.length;
    await until(() => device.commandLog.length > n + 10, 20_000, 'ten more polls');
    expect(rec.cards).toHaveLength(1);
    const removed = nextEvent(reader, 'removed');
    device.removeCard();
    await removed;
    const second = reader.waitForCard();
    device.insertCard(PERMIT_HK.expected);
    expect((await second).cardType).toBe('residence_permit');
  });

  it("unplugged mid-read → 'disconnected'; reopen fails while gone; back → ready and the card is read", async () => {
    const { reader, device, rig } = setup();
    const rec = record(reader);
    await reader.open();
    const failed = reader.waitForCard();
    device.insertCard(ZHANG_SAN.expected);
    device.injectFault('disconnect'); // half the read answer, then the plug is pulled
    const err = await rejectionOf(failed);
    expect(err.code).toBe('disconnected');
    expect(err.message).toBe(`读卡器已断开连接（串口 ${rig.path} 已断开：USB 设备已移除）`);
    expect(reader.status()).toEqual({ state: 'unavailable', reason: err.message });
    // Reopen attempts fail while the port is gone (status reason says so), with backoff.
    await until(() => rig.ports.length >= 3, 20_000, 'two reopen attempts');
    await until(
      () => reader.status().state === 'unavailable' && /无法打开读卡器/.test(JSON.stringify(reader.status())),
    );
    rig.plugIn();
    await nextEvent(reader, 'status', statusIs('ready'));
    expect((await reader.waitForCard()).name).toBe('张三');
    expect(rec.errors.map((e) => e.code)).toEqual(['disconnected']); // one error for the whole outage
  });

  it("a corrupted XOR → 'checksum' error; the desk keeps working", async () => {
    const { reader, device } = setup();
    await reader.open();
    device.injectFault('checksum');
    const failed = reader.waitForCard();
    device.insertCard(ZHANG_SAN.expected);
    const err = await rejectionOf(failed);
    expect([err.code, err.message]).toEqual(['checksum', '数据帧校验和（XOR）错误：应为 0x80，实为 0xDA']);
    expect((await reader.waitForCard()).name).toBe('张三');
    expect(reader.status().state).toBe('ready');
  });

  it('a reader that stops answering → unavailable (timeout) → ready again when it answers', async () => {
    const { reader, rig } = setup({}, { timeouts: { find: 200, status: 500 } });
    const rec = record(reader);
    await reader.open();
    rig.mute = true;
    await nextEvent(reader, 'status', statusIs('unavailable'));
    expect(rec.errors.map((e) => [e.code, e.message])).toEqual([
      ['timeout', '读卡器无响应（连续 3 次寻卡无有效应答）'],
    ]);
    rig.mute = false;
    await nextEvent(reader, 'status', statusIs('ready'));
  });

  it("open() on a port that does not exist → 'not_available' naming the port; ready once it appears", async () => {
    const { reader, rig } = setup();
    rig.unplugged = true;
    const err = await rejectionOf(reader.open());
    expect(err.code).toBe('not_available');
    expect(err.message).toMatch(new RegExp(`^无法打开读卡器（SAM 串口 ${rig.path}）：Port does not exist`));
    expect(reader.status()).toEqual({ state: 'unavailable', reason: err.message });
    rig.plugIn();
    await nextEvent(reader, 'status', statusIs('ready'));
  });

  it('a port with nothing answering: open() rejects with a timeout that says what to check', async () => {
    const path = `/dev/ttyMOCK-silent${++seq}`;
    mockBinding().createPort(path);
    const reader = new SamSerialReader({
      path,
      portFactory: ({ path: p, baudRate }) => new SerialPortMock({ path: p, baudRate, autoOpen: false }),
      timeouts: { status: 300 },
      reconnect: { initialMs: 1000, maxMs: 1000 },
      log: () => undefined,
    });
    cleanups.push(() => reader.close());
    const err = await rejectionOf(reader.open());
    expect([err.code, err.message]).toEqual([
      'timeout',
      '读卡器无响应（SAM 状态检测 300 毫秒内无应答），请检查串口和波特率',
    ]);
  });

  it('read() is cancellable by AbortSignal while it waits for a slow answer', async () => {
    const { reader, device } = setup({ delays: { read: 3000 } });
    await reader.open();
    device.insertCard(ZHANG_SAN.expected);
    // The poll loop is now busy with a 3-second read; read() queues behind it and is aborted.
    await until(() => device.commandLog.some((c) => c.cmd === 0x30), 20_000, 'the slow read to start');
    const ac = new AbortController();
    const p = rejectionOf(reader.read({ signal: ac.signal }));
    ac.abort();
    const err = await p;
    expect([err.code, err.message, err.detail]).toEqual(['timeout', '已取消读卡', 'aborted']);
    // The poll loop's read still completes, once.
    expect((await reader.waitForCard()).name).toBe('张三');
    const again = await rejectionOf(reader.read());
    expect(again.code).toBe('card_not_removed');
  });
});

describe('listSerialPorts', () => {
  it('returns [] with the reason when the list fails (no udevadm on Linux)', async () => {
    const r = await listSerialPorts({
      list: () => Promise.reject(new Error('spawn udevadm ENOENT')),
    });
    expect(r.ports).toEqual([]);
    expect(r.reason).toBe(
      '无法列出串口：spawn udevadm ENOENT（Linux 上列出串口需要 udevadm，即 udev/systemd 软件包；也可以直接填写串口路径，如 /dev/ttyUSB0）',
    );
  });

  it('is bounded by a timeout', async () => {
    const r = await listSerialPorts({ list: () => new Promise(() => undefined), timeoutMs: 50 });
    expect(r).toEqual({ ports: [], reason: '无法列出串口：50 毫秒内没有结果' });
  });

  it('passes the ports through', async () => {
    const ports: SerialPortInfo[] = [
      {
        path: 'COM3',
        manufacturer: 'Prolific',
        serialNumber: undefined,
        pnpId: undefined,
        locationId: undefined,
        productId: '2303',
        vendorId: '067B',
      },
    ];
    expect(await listSerialPorts({ list: () => Promise.resolve(ports) })).toEqual({ ports, reason: null });
  });

  it('on this machine: never throws', async () => {
    const r = await listSerialPorts();
    expect(Array.isArray(r.ports)).toBe(true);
    if (r.ports.length === 0) expect(r.reason).toMatch(/串口/);
  });
});
