/** The `sittings` procedures: exam batches (批次) of one occupation. */
import { actorOf } from '../auth/auth.service';
import { guarded, signedIn } from './base';

export const sittings = {
  list: guarded.sittings.list.handler(({ context }) => context.services.sittings.list()),
  get: guarded.sittings.get.handler(({ context, input }) => context.services.sittings.get(input.id)),
  create: guarded.sittings.create.handler(({ context, input }) =>
    context.services.sittings.create(actorOf(signedIn(context)), input),
  ),
  update: guarded.sittings.update.handler(({ context, input }) =>
    context.services.sittings.update(actorOf(signedIn(context)), input.id, input.data),
  ),
};
