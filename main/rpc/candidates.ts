/** The `candidates` procedures: the list, eligibility review and roster photos. */
import { actorOf } from '../auth/auth.service';
import { guarded, signedIn } from './base';

export const candidates = {
  assignTicketNumbers: guarded.candidates.assignTicketNumbers.handler(({ context, input }) =>
    context.services.candidates.assignTicketNumbers(actorOf(signedIn(context)), input.sittingId),
  ),
  list: guarded.candidates.list.handler(({ context, input }) => context.services.candidates.list(input)),
  review: guarded.candidates.review.handler(async ({ context, input }) => {
    const r = await context.services.candidates.review(actorOf(signedIn(context)), input);
    return { updated: r.updated };
  }),
  importPhotos: guarded.candidates.importPhotos.handler(({ context, input }) =>
    context.services.candidates.importPhotos(actorOf(signedIn(context)), input),
  ),
  setPhoto: guarded.candidates.setPhoto.handler(async ({ context, input }) => {
    const r = await context.services.candidates.setPhoto(actorOf(signedIn(context)), input);
    return { photoId: r.photoId };
  }),
};
