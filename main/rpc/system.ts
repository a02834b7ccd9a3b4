/** The `system` procedures: version and time, backups, site settings, and the event stream. */
import { actorOf } from '../auth/auth.service';
import { guarded, signedIn } from './base';

export const system = {
  info: guarded.system.info.handler(({ context }) => context.services.system.info()),
  backupNow: guarded.system.backupNow.handler(({ context }) =>
    context.services.system.backupNow(actorOf(signedIn(context))),
  ),
  backups: guarded.system.backups.handler(({ context }) => context.services.system.listBackups()),
  settings: guarded.system.settings.handler(({ context }) => context.services.system.siteSettings()),
  updateSettings: guarded.system.updateSettings.handler(({ context, input }) =>
    context.services.system.updateSiteSettings(actorOf(signedIn(context)), input),
  ),
  events: guarded.system.events.handler(({ context, signal }) => context.services.events.subscribe(signal)),
};
