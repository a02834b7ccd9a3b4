/** The `users` procedures: staff accounts and their roles. */
import { actorOf } from '../auth/auth.service';
import { guarded, signedIn } from './base';

export const users = {
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
};
