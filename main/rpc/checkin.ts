/** The check-in desk's procedures (mounted in router.ts as `checkin`). */
import { ORPCError } from '@orpc/server';
import { guarded, signedIn } from './base';
import { actorOf } from '../auth/auth.service';
import type { Services } from '../core/services';
import type { CheckinResult } from '../../shared/contract/checkin';
import { maskIdNumber } from '../../shared/domain/id-types';

/** After a successful check-in commits, tell every proctor screen. */
export function publishCheckin(
  services: Services,
  desk: { sessionId: number; roomId: number },
  result: CheckinResult,
): CheckinResult {
  if (result.ok) {
    services.events.publish({
      type: 'checkin.changed',
      sessionId: desk.sessionId,
      roomId: desk.roomId,
      candidateId: result.candidateId,
      at: result.at,
    });
  }
  return result;
}

/** An error thrown while handling a card, as one Chinese line for the desk (never a stack trace). */
function deskErrorMessage(err: unknown): string {
  if (err instanceof ORPCError && err.status < 500) return err.message;
  return '服务器内部错误，请联系技术支持（详情已记入日志）';
}

export const checkinRouter = {
  desk: guarded.checkin.desk.handler(async function* ({ context, input, signal }) {
    const user = signedIn(context);
    const services = context.services;
    const stop = signal ?? new AbortController().signal;
    for await (const e of services.readers.watch(stop)) {
      if (e.type === 'status') {
        const info = await services.readers.info();
        yield {
          type: 'ready' as const,
          reader: info.description,
          state: e.status.state,
          reason: info.reason,
        };
      } else if (e.type === 'removed') {
        yield { type: 'removed' as const };
      } else if (e.type === 'error') {
        yield { type: 'reader-error' as const, code: e.error.code, message: e.error.message };
      } else {
        const card = {
          cardType: e.card.cardType,
          name: e.card.name,
          idNumber: e.card.idNumber,
          validUntil: e.card.validUntil,
          samId: e.samId,
        };
        const shown = {
          cardType: card.cardType,
          name: card.name,
          idNumberMasked: maskIdNumber(card.idNumber),
          validUntil: card.validUntil,
        };
        const desk = { sessionId: input.sessionId, roomId: input.roomId };
        try {
          if (input.mode === 'reverify') {
            const result = await services.checkin.reverifyByCard(actorOf(user), { ...desk, card });
            yield { type: 'reverify' as const, card: shown, result };
          } else {
            const result = publishCheckin(
              services,
              desk,
              await services.checkin.byCard(actorOf(user), {
                ...desk,
                card,
                cardPhoto: e.card.photo ? { bytes: e.card.photo.bytes } : null,
              }),
            );
            yield { type: 'card' as const, card: shown, result };
          }
        } catch (err) {
          yield { type: 'reader-error' as const, code: 'checkin', message: deskErrorMessage(err) };
        }
      }
    }
  }),
  byCard: guarded.checkin.byCard.handler(async ({ context, input }) =>
    publishCheckin(
      context.services,
      input,
      await context.services.checkin.byCard(actorOf(signedIn(context)), input),
    ),
  ),
  manual: guarded.checkin.manual.handler(async ({ context, input }) =>
    publishCheckin(
      context.services,
      input,
      await context.services.checkin.manual(actorOf(signedIn(context)), input),
    ),
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
