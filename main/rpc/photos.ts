/** The `photos` procedures: one stored photo, for the staff roles that may see it. */
import { guarded } from './base';

export const photos = {
  get: guarded.photos.get.handler(({ context, input }) => context.services.photos.get(input.id)),
};
