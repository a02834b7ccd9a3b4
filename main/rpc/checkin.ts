/** The `checkin` procedures: the desk stream, card and manual check-in, re-entry verification, look-ups. */
import { actorOf } from '../auth/auth.service';
import { guarded, signedIn } from './base';

export const checkin = {
  desk: guarded.checkin.desk.handler(({ context, input, signal }) =>
    context.services.checkin.desk(actorOf(signedIn(context)), input, signal ?? new AbortController().signal),
  ),
  byCard: guarded.checkin.byCard.handler(({ context, input }) =>
    context.services.checkin.byCard(actorOf(signedIn(context)), input),
  ),
  manual: guarded.checkin.manual.handler(({ context, input }) =>
    context.services.checkin.manual(actorOf(signedIn(context)), input),
  ),
  reverify: guarded.checkin.reverify.handler(({ context, input }) =>
    context.services.checkin.reverify(actorOf(signedIn(context)), input),
  ),
  attachPhoto: guarded.checkin.attachPhoto.handler(({ context, input }) =>
    context.services.checkin.attachPhoto(actorOf(signedIn(context)), input),
  ),
  findTicket: guarded.checkin.findTicket.handler(({ context, input }) =>
    context.services.checkin.findTicket(input.sessionId, input.ticketNo),
  ),
  search: guarded.checkin.search.handler(({ context, input }) =>
    context.services.checkin.search(input.sessionId, input.q),
  ),
  progress: guarded.checkin.progress.handler(({ context, input }) =>
    context.services.checkin.progress(input.sessionId),
  ),
};
