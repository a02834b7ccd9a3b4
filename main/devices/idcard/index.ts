/**
 * ID card readers: one factory for the three drivers (design.md §5, devices.md §0).
 *
 * - 'sam-serial': a reader on a COM port speaking GA/T 467 (sam-serial-driver.ts);
 * - 'simulator': the simulated reader for the demo and tests (simulator-driver.ts);
 * - 'vendor-sdk': USB readers through the vendor's Windows SDK in a helper process
 *   (vendor-sdk-driver.ts); raw card text is parsed with parseCardText unless `parseText` says otherwise.
 *
 * The shared contract's ReaderConfig (shared/contract/devices.ts) is assignable to ReaderFactoryConfig.
 */
import { parseCardText } from './card-parse';
import type { IdCardReader } from './reader';
import { SamSerialReader, type SamSerialReaderOptions } from './sam-serial-driver';
import { SimulatorReader, type SimulatorReaderOptions } from './simulator-driver';
import { createVendorSdkReader, type VendorSdkReaderOptions } from './vendor-sdk-driver';

export type ReaderFactoryConfig =
  | ({ driver: 'sam-serial'; path: string; baudRate?: number } & Omit<
      SamSerialReaderOptions,
      'path' | 'baudRate'
    >)
  | ({ driver: 'simulator' } & SimulatorReaderOptions)
  | ({ driver: 'vendor-sdk' } & VendorSdkReaderOptions);

/** A reader for `config` (not opened yet: call open()). */
export function createReader(config: ReaderFactoryConfig): IdCardReader {
  switch (config.driver) {
    case 'sam-serial': {
      const { driver: _driver, ...options } = config;
      return new SamSerialReader(options);
    }
    case 'simulator': {
      const { driver: _driver, ...options } = config;
      return new SimulatorReader(options);
    }
    case 'vendor-sdk': {
      const { driver: _driver, ...options } = config;
      return createVendorSdkReader({
        ...options,
        parseText: options.parseText === undefined ? (text) => parseCardText(text) : options.parseText,
      });
    }
  }
}

export * from './reader';
export {
  CARD_TYPE_NAMES,
  encodeCardText,
  ETHNICITIES,
  ethnicityName,
  parseAppendedAddress,
  parseCardText,
} from './card-parse';
export { describeSw3, SW3_TABLE } from './sam-codec';
export { SAM_DEFAULT_TIMEOUTS, type SamReaderOptions, type SamTimeouts } from './sam-reader-core';
export {
  listSerialPorts,
  SamSerialReader,
  type SamSerialReaderOptions,
  type SerialPortInfo,
  type SerialPortList,
} from './sam-serial-driver';
export { SimulatorReader, type SimulatorReaderOptions } from './simulator-driver';
export { SIMULATOR_FAULTS, SimulatedSamDevice, type SimulatorFault } from './simulated-sam-device';
