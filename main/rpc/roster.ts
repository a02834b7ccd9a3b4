/** The `roster` procedures: import a 花名册 through a preview, commit or discard it. */
import { actorOf } from '../auth/auth.service';
import { guarded, signedIn } from './base';

export const roster = {
  preview: guarded.roster.preview.handler(({ context, input }) =>
    context.services.roster.preview(actorOf(signedIn(context)), input),
  ),
  commit: guarded.roster.commit.handler(async ({ context, input }) => {
    const r = await context.services.roster.commit(actorOf(signedIn(context)), input.importId);
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
};
