import { afterEach, describe, expect, it } from 'vitest';
import type { ReaderConfig } from '../../../shared/contract/devices';
import { createReader, type ReaderFactoryConfig, SamSerialReader, SimulatorReader } from './index';
import { VendorSdkReader } from './vendor-sdk-driver';
import type { IdCardReader } from './reader';

const made: IdCardReader[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((r) => r.close()));
});

describe('createReader', () => {
  it("'simulator' → SimulatorReader", () => {
    const r = createReader({ driver: 'simulator' });
    made.push(r);
    expect(r).toBeInstanceOf(SimulatorReader);
    expect(r.description).toBe('模拟读卡器');
    expect(r.status()).toEqual({ state: 'closed' });
  });

  it("'sam-serial' → SamSerialReader on the path (baud rate optional)", () => {
    const r = createReader({ driver: 'sam-serial', path: 'COM3' });
    made.push(r);
    expect(r).toBeInstanceOf(SamSerialReader);
    expect(r.description).toBe('SAM 串口 COM3');
    expect((r as SamSerialReader).serial.baudRate).toBe(115200);
    const r2 = createReader({ driver: 'sam-serial', path: '/dev/ttyUSB0', baudRate: 9600 });
    made.push(r2);
    expect((r2 as SamSerialReader).serial.baudRate).toBe(9600);
  });

  it("'vendor-sdk' → the vendor SDK driver", () => {
    const r = createReader({ driver: 'vendor-sdk', flavour: 'sdtapi' });
    made.push(r);
    expect(r).toBeInstanceOf(VendorSdkReader);
  });

  it('accepts the shared contract ReaderConfig', () => {
    const configs: ReaderConfig[] = [
      { driver: 'simulator' },
      { driver: 'sam-serial', path: 'COM4', baudRate: 115200 },
    ];
    for (const c of configs) {
      const cfg: ReaderFactoryConfig = c;
      const r = createReader(cfg);
      made.push(r);
      expect(r.status().state).toBe('closed');
    }
  });
});
