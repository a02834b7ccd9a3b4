/** The `sessions` procedures: exam sessions (场次), seating, staff and staffing overrides. */
import { actorOf } from '../auth/auth.service';
import { guarded, signedIn } from './base';

export const sessions = {
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
};
