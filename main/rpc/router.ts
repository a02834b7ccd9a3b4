import { ORPCError, ValidationError } from '@orpc/server';
import { guarded, signedIn } from './base';
import { checkinRouter } from './checkin';
import { actorOf } from '../auth/auth.service';
import { appError } from '../core/errors';
import { SETTING_KEYS } from '../system/settings';
import { ReaderError } from '../devices/idcard/reader';
import { listSerialPortsForUi, simulatedCard } from '../devices/reader-support';
import { runDayCheck } from '../devices/day-check';
import { printing } from './printing';

export { mayAccess, type AuthedContext, type RequestContext } from './base';

export const router = guarded.router({
  auth: {
    status: guarded.auth.status.handler(async ({ context }) => {
      const org = await context.services.org.get();
      return {
        needsSetup: await context.services.auth.needsSetup(),
        siteName: org?.siteName ?? null,
        demo: context.services.demo,
      };
    }),
    setup: guarded.auth.setup.handler(({ context, input }) =>
      context.services.auth.setup(input, context.client),
    ),
    signIn: guarded.auth.signIn.handler(({ context, input }) =>
      context.services.auth.signIn(input.username, input.password, context.client),
    ),
    signOut: guarded.auth.signOut.handler(async ({ context }) => {
      await context.services.auth.signOut(context.token ?? '', signedIn(context));
      return { ok: true as const };
    }),
    me: guarded.auth.me.handler(({ context }) => context.services.users.get(signedIn(context).id)),
    changePassword: guarded.auth.changePassword.handler(async ({ context, input }) => {
      await context.services.auth.changePassword(signedIn(context), input.currentPassword, input.newPassword);
      return { ok: true as const };
    }),
  },
  users: {
    list: guarded.users.list.handler(({ context }) => context.services.users.list()),
    create: guarded.users.create.handler(({ context, input }) =>
      context.services.users.create(actorOf(signedIn(context)), input),
    ),
    update: guarded.users.update.handler(({ context, input }) =>
      context.services.users.update(actorOf(signedIn(context)), input),
    ),
    resetPassword: guarded.users.resetPassword.handler(async ({ context, input }) => {
      await context.services.users.resetPassword(actorOf(signedIn(context)), input.id, input.password);
      return { ok: true as const };
    }),
  },
  org: {
    get: guarded.org.get.handler(({ context }) => context.services.org.get()),
    update: guarded.org.update.handler(({ context, input }) =>
      context.services.org.update(actorOf(signedIn(context)), input),
    ),
  },
  occupations: {
    list: guarded.occupations.list.handler(({ context }) => context.services.occupations.list()),
    create: guarded.occupations.create.handler(({ context, input }) =>
      context.services.occupations.create(actorOf(signedIn(context)), input),
    ),
    update: guarded.occupations.update.handler(({ context, input }) => {
      const { id, ...data } = input;
      return context.services.occupations.update(actorOf(signedIn(context)), id, data);
    }),
  },
  sittings: {
    list: guarded.sittings.list.handler(({ context }) => context.services.sittings.list()),
    get: guarded.sittings.get.handler(({ context, input }) => context.services.sittings.get(input.id)),
    create: guarded.sittings.create.handler(async ({ context, input }) => {
      const s = await context.services.sittings.create(actorOf(signedIn(context)), input);
      context.services.events.publish({ type: 'sittings.changed', at: new Date().toISOString() });
      return s;
    }),
    update: guarded.sittings.update.handler(async ({ context, input }) => {
      const s = await context.services.sittings.update(actorOf(signedIn(context)), input.id, input.data);
      context.services.events.publish({ type: 'sittings.changed', at: new Date().toISOString() });
      return s;
    }),
  },
  candidates: {
    list: guarded.candidates.list.handler(({ context, input }) => context.services.candidates.list(input)),
    review: guarded.candidates.review.handler(async ({ context, input }) => {
      const r = await context.services.candidates.review(actorOf(signedIn(context)), input);
      for (const sittingId of r.sittingIds) {
        context.services.events.publish({
          type: 'candidates.changed',
          sittingId,
          at: new Date().toISOString(),
        });
      }
      return { updated: r.updated };
    }),
    importPhotos: guarded.candidates.importPhotos.handler(async ({ context, input }) => {
      const r = await context.services.candidates.importPhotos(actorOf(signedIn(context)), input);
      if (r.stored > 0) {
        const at = new Date().toISOString();
        context.services.events.publish({ type: 'candidates.changed', sittingId: input.sittingId, at });
      }
      return r;
    }),
    setPhoto: guarded.candidates.setPhoto.handler(async ({ context, input }) => {
      const r = await context.services.candidates.setPhoto(actorOf(signedIn(context)), input);
      const at = new Date().toISOString();
      context.services.events.publish({ type: 'candidates.changed', sittingId: r.sittingId, at });
      return { photoId: r.photoId };
    }),
  },
  roster: {
    preview: guarded.roster.preview.handler(({ context, input }) =>
      context.services.roster.preview(actorOf(signedIn(context)), input),
    ),
    commit: guarded.roster.commit.handler(async ({ context, input }) => {
      const r = await context.services.roster.commit(actorOf(signedIn(context)), input.importId);
      context.services.events.publish({
        type: 'candidates.changed',
        sittingId: r.sittingId,
        at: new Date().toISOString(),
      });
      context.services.events.publish({ type: 'sittings.changed', at: new Date().toISOString() });
      return { import: r.import, inserted: r.inserted };
    }),
    discard: guarded.roster.discard.handler(async ({ context, input }) => {
      await context.services.roster.discard(actorOf(signedIn(context)), input.importId);
      return { ok: true as const };
    }),
    rejectedFile: guarded.roster.rejectedFile.handler(({ context, input }) =>
      context.services.roster.rejectedFile(input.importId),
    ),
    list: guarded.roster.list.handler(({ context, input }) => context.services.roster.list(input.sittingId)),
  },
  audit: {
    list: guarded.audit.list.handler(({ context, input }) => context.services.audit.list(input)),
    verify: guarded.audit.verify.handler(({ context }) => context.services.audit.verify()),
  },
  system: {
    info: guarded.system.info.handler(({ context }) => context.services.system.info()),
    backupNow: guarded.system.backupNow.handler(({ context }) =>
      context.services.system.backupNow(actorOf(signedIn(context))),
    ),
    backups: guarded.system.backups.handler(({ context }) => context.services.system.listBackups()),
    settings: guarded.system.settings.handler(async ({ context }) => ({
      updaterUrl: (await context.services.settings.get(SETTING_KEYS.updaterUrl)) ?? '',
    })),
    updateSettings: guarded.system.updateSettings.handler(async ({ context, input }) => {
      await context.services.settings.set(
        actorOf(signedIn(context)),
        SETTING_KEYS.updaterUrl,
        input.updaterUrl,
      );
      return input;
    }),
    events: guarded.system.events.handler(({ context, signal }) => context.services.events.subscribe(signal)),
  },
  rooms: {
    list: guarded.rooms.list.handler(({ context }) => context.services.rooms.list()),
    create: guarded.rooms.create.handler(({ context, input }) =>
      context.services.rooms.create(actorOf(signedIn(context)), input),
    ),
    update: guarded.rooms.update.handler(({ context, input }) => {
      const { id, ...data } = input;
      return context.services.rooms.update(actorOf(signedIn(context)), id, data);
    }),
  },
  sessions: {
    list: guarded.sessions.list.handler(({ context, input }) =>
      context.services.sessions.list(input.sittingId),
    ),
    create: guarded.sessions.create.handler(({ context, input }) =>
      context.services.sessions.create(actorOf(signedIn(context)), input),
    ),
    plan: guarded.sessions.plan.handler(({ context, input }) =>
      context.services.sessions.plan(input.sessionId),
    ),
    assignSeats: guarded.sessions.assignSeats.handler(({ context, input }) =>
      context.services.sessions.assignSeats(actorOf(signedIn(context)), input),
    ),
    setStaff: guarded.sessions.setStaff.handler(({ context, input }) =>
      context.services.sessions.setStaff(actorOf(signedIn(context)), input),
    ),
    overrideStaffing: guarded.sessions.overrideStaffing.handler(({ context, input }) =>
      context.services.sessions.overrideStaffing(actorOf(signedIn(context)), input),
    ),
  },
  checkin: checkinRouter,
  devices: {
    reader: guarded.devices.reader.handler(({ context }) => context.services.readers.info()),
    configureReader: guarded.devices.configureReader.handler(({ context, input }) =>
      context.services.readers.configure(actorOf(signedIn(context)), input),
    ),
    serialPorts: guarded.devices.serialPorts.handler(() => listSerialPortsForUi()),
    selfTest: guarded.devices.selfTest.handler(({ context }) => context.services.readers.selfTest()),
    dayCheck: guarded.devices.dayCheck.handler(({ context }) => {
      const { services } = context;
      return runDayCheck(
        {
          knex: services.db.knex,
          readers: services.readers,
          printing: services.printing,
          dataDir: services.system.dataDir,
          backupDir: services.system.backupDir,
          clock: services.clock,
        },
        actorOf(signedIn(context)),
      );
    }),
    simulate: guarded.devices.simulate.handler(async ({ context, input }) => {
      try {
        if (input.action === 'insert') {
          await context.services.readers.simulate({ action: 'insert', card: simulatedCard(input.card) });
        } else {
          await context.services.readers.simulate(input);
        }
      } catch (e) {
        if (e instanceof ReaderError) throw appError('BAD_REQUEST', e.message);
        throw e;
      }
      return { ok: true as const };
    }),
  },
  photos: {
    get: guarded.photos.get.handler(({ context, input }) => context.services.photos.get(input.id)),
  },
  printing,
});

export type AppRouter = typeof router;

/**
 * Errors leave the server as a code, a Chinese message and the field at fault — never a stack trace.
 * Input validation failures name the first invalid field.
 */
export function toWireError(error: unknown): ORPCError<string, unknown> {
  if (error instanceof ORPCError) {
    if (error.code === 'BAD_REQUEST' && error.cause instanceof ValidationError) {
      const issue = error.cause.issues[0];
      const field =
        issue?.path?.map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.') ?? '';
      const message = issue ? `输入有误${field ? `（${field}）` : ''}：${issue.message}` : '输入有误';
      return appError('BAD_REQUEST', message, field ? { field } : {});
    }
    return error as ORPCError<string, unknown>;
  }
  return appError('INTERNAL_SERVER_ERROR', '服务器内部错误，请联系技术支持（详情已记入日志）');
}
