/** The `rooms` procedures: the site's exam rooms and their seats. */
import { actorOf } from '../auth/auth.service';
import { guarded, signedIn } from './base';

export const rooms = {
  list: guarded.rooms.list.handler(({ context }) => context.services.rooms.list()),
  create: guarded.rooms.create.handler(({ context, input }) =>
    context.services.rooms.create(actorOf(signedIn(context)), input),
  ),
  update: guarded.rooms.update.handler(({ context, input }) => {
    const { id, ...data } = input;
    return context.services.rooms.update(actorOf(signedIn(context)), id, data);
  }),
};
