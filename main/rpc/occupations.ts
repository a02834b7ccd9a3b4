/** The `occupations` procedures: the editable occupation catalogue. */
import { actorOf } from '../auth/auth.service';
import { guarded, signedIn } from './base';

export const occupations = {
  list: guarded.occupations.list.handler(({ context }) => context.services.occupations.list()),
  create: guarded.occupations.create.handler(({ context, input }) =>
    context.services.occupations.create(actorOf(signedIn(context)), input),
  ),
  update: guarded.occupations.update.handler(({ context, input }) => {
    const { id, ...data } = input;
    return context.services.occupations.update(actorOf(signedIn(context)), id, data);
  }),
};
