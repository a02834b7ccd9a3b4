/** The `org` procedures: the organisation and site the certificates are issued by. */
import { actorOf } from '../auth/auth.service';
import { guarded, signedIn } from './base';

export const org = {
  get: guarded.org.get.handler(({ context }) => context.services.org.get()),
  update: guarded.org.update.handler(({ context, input }) =>
    context.services.org.update(actorOf(signedIn(context)), input),
  ),
};
