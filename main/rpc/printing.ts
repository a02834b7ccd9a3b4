/** The `printing` procedures (settings, printers, calibration, documents), mounted in router.ts. */
import { actorOf } from '../auth/auth.service';
import { guarded, signedIn } from './base';

export const printing = {
  printers: guarded.printing.printers.handler(({ context }) => context.services.printing.printers()),
  settings: guarded.printing.settings.handler(({ context }) => context.services.printing.settings()),
  updateSettings: guarded.printing.updateSettings.handler(({ context, input }) =>
    context.services.printing.updateSettings(actorOf(signedIn(context)), input),
  ),
  printCalibration: guarded.printing.printCalibration.handler(({ context, input }) =>
    context.services.printing.printCalibration(actorOf(signedIn(context)), input.printer),
  ),
  saveCalibration: guarded.printing.saveCalibration.handler(({ context, input }) =>
    context.services.printing.saveCalibration(actorOf(signedIn(context)), input),
  ),
  preview: guarded.printing.preview.handler(({ context, input }) =>
    context.services.printing.preview(input.document),
  ),
  print: guarded.printing.print.handler(({ context, input }) =>
    context.services.printing.print(actorOf(signedIn(context)), input),
  ),
};
