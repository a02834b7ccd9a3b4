/**
 * The 设备 page's procedures as one service: the ID card reader (through the ReaderManager), the serial
 * ports, the simulator, and the 开考前设备自检 that also looks at printers, disk, backups and the database.
 */
import type { z } from 'zod';
import type { ReaderConfig, simulateInputSchema } from '../../shared/contract/devices';
import type { Actor } from '../audit/chain';
import { appError } from '../base/errors';
import type { Kernel } from '../base/kernel';
import type { PrintingService } from '../printing/printing.service';
import type { SystemService } from '../system/system.service';
import { runDayCheck } from './day-check';
import { ReaderError } from './idcard/reader';
import type { ReaderManager } from './reader-manager';
import { listSerialPortsForUi, simulatedCard } from './reader-support';

export class DevicesService {
  constructor(
    private readonly kernel: Kernel,
    private readonly deps: {
      readers: ReaderManager;
      printing: PrintingService;
      system: Pick<SystemService, 'dataDir' | 'backupDir'>;
    },
  ) {}

  reader() {
    return this.deps.readers.info();
  }

  configureReader(actor: Actor, config: ReaderConfig) {
    return this.deps.readers.configure(actor, config);
  }

  serialPorts() {
    return listSerialPortsForUi();
  }

  selfTest() {
    return this.deps.readers.selfTest();
  }

  dayCheck(actor: Actor) {
    return runDayCheck(
      {
        kernel: this.kernel,
        readers: this.deps.readers,
        printing: this.deps.printing,
        dataDir: this.deps.system.dataDir,
        backupDir: this.deps.system.backupDir,
      },
      actor,
    );
  }

  /** The simulator's card inserted or removed (demo and tests); a reader that is not the simulator says so. */
  async simulate(input: z.infer<typeof simulateInputSchema>): Promise<{ ok: true }> {
    try {
      if (input.action === 'insert') {
        await this.deps.readers.simulate({ action: 'insert', card: simulatedCard(input.card) });
      } else {
        await this.deps.readers.simulate(input);
      }
    } catch (e) {
      if (e instanceof ReaderError) throw appError('BAD_REQUEST', e.message);
      throw e;
    }
    return { ok: true };
  }
}
