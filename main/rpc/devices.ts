/** The `devices` procedures: the ID card reader, serial ports, the simulator and 开考前设备自检. */
import { actorOf } from '../auth/auth.service';
import { guarded, signedIn } from './base';

export const devices = {
  reader: guarded.devices.reader.handler(({ context }) => context.services.devices.reader()),
  configureReader: guarded.devices.configureReader.handler(({ context, input }) =>
    context.services.devices.configureReader(actorOf(signedIn(context)), input),
  ),
  serialPorts: guarded.devices.serialPorts.handler(({ context }) => context.services.devices.serialPorts()),
  selfTest: guarded.devices.selfTest.handler(({ context }) => context.services.devices.selfTest()),
  dayCheck: guarded.devices.dayCheck.handler(({ context }) =>
    context.services.devices.dayCheck(actorOf(signedIn(context))),
  ),
  simulate: guarded.devices.simulate.handler(({ context, input }) =>
    context.services.devices.simulate(input),
  ),
};
