import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedSamDevice } from './simulated-sam-device';
import { decodeResponse, encodeCommand, FrameReassembler, parseReadPayload, toHex } from './sam-codec';
import { ZHANG_SAN, readResponseFrame } from '../../../test/fixtures/idcard/cards';

const devices: SimulatedSamDevice[] = [];
afterEach(() => {
  for (const d of devices.splice(0)) d.dispose();
});

/** Sends `frames` one by one and collects the answers (reassembled from the device's chunks). */
async function talk(device: SimulatedSamDevice, ...frames: Buffer[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const r = new FrameReassembler();
  const onData = (chunk: Buffer) => {
    for (const item of r.push(chunk)) if (item.ok) out.push(item.frame);
  };
  device.on('data', onData);
  try {
    for (const [i, f] of frames.entries()) {
      device.receive(f);
      const deadline = Date.now() + 10_000;
      while (out.length <= i) {
        if (Date.now() > deadline) throw new Error(`no answer to ${toHex(f)}`);
        await new Promise((res) => setTimeout(res, 2));
      }
    }
  } finally {
    device.off('data', onData);
  }
  return out;
}

function make(options: ConstructorParameters<typeof SimulatedSamDevice>[0] = {}) {
  const d = new SimulatedSamDevice({
    delays: { status: 1, samId: 1, find: 1, select: 1, read: 1, appendedAddress: 1, other: 1 },
    ...options,
  });
  devices.push(d);
  return d;
}

const cmd = (c: number, p: number) => encodeCommand(c, p);

describe('SimulatedSamDevice (the wire protocol it speaks)', () => {
  it('answers the §1.5 frames: find fails without a card, plain OK to status', async () => {
    const d = make();
    const [status, find, select, read] = await talk(
      d,
      cmd(0x11, 0xff),
      cmd(0x20, 0x01),
      cmd(0x20, 0x02),
      cmd(0x30, 0x01),
    );
    expect(toHex(status!)).toBe('AA AA AA 96 69 00 04 00 00 90 94');
    expect(toHex(find!)).toBe('AA AA AA 96 69 00 04 00 00 80 84');
    expect(toHex(select!)).toBe('AA AA AA 96 69 00 04 00 00 81 85');
    expect(toHex(read!)).toBe('AA AA AA 96 69 00 04 00 00 41 45');
  });

  it('with a card: find OK / select OK as captured, then the §1.9 1295-byte read response', async () => {
    const d = make({ chunks: 3 });
    d.insertCard(ZHANG_SAN.text);
    const [find, select, read, addr] = await talk(
      d,
      cmd(0x20, 0x01),
      cmd(0x20, 0x02),
      cmd(0x30, 0x01),
      cmd(0x30, 0x03),
    );
    expect(toHex(find!)).toBe('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97');
    expect(toHex(select!)).toBe('AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C');
    expect(read!.equals(readResponseFrame(ZHANG_SAN.text))).toBe(true);
    expect(toHex(addr!)).toBe('AA AA AA 96 69 00 04 00 00 91 95'); // no appended address
  });

  it('30 10 returns text, photo and an empty fingerprint (three lengths)', async () => {
    const d = make();
    d.insertCard(ZHANG_SAN.text);
    const [, , read] = await talk(d, cmd(0x20, 0x01), cmd(0x20, 0x02), cmd(0x30, 0x10));
    const r = decodeResponse(read!);
    expect(read!.length).toBe(1297);
    expect(parseReadPayload(r.data, true).fingerprint?.length).toBe(0);
  });

  it('a damaged command gets SW3 10 (checksum) or 11 (length); an unknown one 21', async () => {
    const d = make();
    const bad = cmd(0x20, 0x01);
    bad[bad.length - 1] = 0x00;
    const [a, b, c] = await talk(d, bad, Buffer.from('AAAAAA9669000100', 'hex'), cmd(0x77, 0x01));
    expect(decodeResponse(a!).sw3).toBe(0x10);
    expect(decodeResponse(b!).sw3).toBe(0x11);
    expect(decodeResponse(c!).sw3).toBe(0x21);
  });

  it('a command split byte by byte is understood', async () => {
    const d = make();
    const out: Buffer[] = [];
    d.on('data', (c) => out.push(c));
    for (const b of cmd(0x11, 0xff)) d.receive(Uint8Array.of(b));
    const deadline = Date.now() + 10_000;
    while (out.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    expect(toHex(Buffer.concat(out))).toBe('AA AA AA 96 69 00 04 00 00 90 94');
  });

  it('haltAfterRead: find fails after a read until the card is laid again', async () => {
    const d = make({ haltAfterRead: true });
    d.insertCard(ZHANG_SAN.text);
    const answers = await talk(d, cmd(0x20, 0x01), cmd(0x20, 0x02), cmd(0x30, 0x01), cmd(0x20, 0x01));
    expect(decodeResponse(answers[3]!).sw3).toBe(0x80);
    d.removeCard();
    d.insertCard(ZHANG_SAN.text);
    const [again] = await talk(d, cmd(0x20, 0x01));
    expect(decodeResponse(again!).sw3).toBe(0x9f);
  });

  it("'disconnect' with no card unplugs at once and plugs back after unplugMs", async () => {
    const d = make({ unplugMs: 20 });
    const events: string[] = [];
    d.on('unplug', () => events.push('unplug'));
    d.on('plug', () => events.push('plug'));
    d.injectFault('disconnect');
    expect(d.connected).toBe(false);
    const deadline = Date.now() + 10_000;
    while (!d.connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(events).toEqual(['unplug', 'plug']);
  });
});
