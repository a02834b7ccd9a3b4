import { useEffect, useReducer } from 'react';
import { ORPCError } from '@orpc/client';
import { useQueryClient } from '@tanstack/react-query';
import type { DeskMode } from '../../../shared/contract/checkin';
import { client, isUnauthorized, orpc } from '../../app/rpc-client';
import { deskReducer, INITIAL_DESK_STATE, type DeskResult } from './desk-state';

export type { DeskCard, DeskConnection, DeskEntry, DeskResult, DeskState } from './desk-state';

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** A 4xx answer (no such session, not allowed, reader taken…): reconnecting would get the same. */
function isFinal(error: unknown): boolean {
  return error instanceof ORPCError && error.status >= 400 && error.status < 500;
}

/**
 * Open the check-in desk for one session and room: subscribe to `checkin.desk` until unmount (or a
 * different desk), and re-subscribe with a back-off when the stream ends or breaks unexpectedly.
 * `attempt` re-opens a desk that failed for good (the Retry button). Switching `mode` (签到 / 复核)
 * re-opens the stream in that mode; the results shown so far stay.
 */
export function useDesk(desk: { sessionId: number; roomId: number; mode: DeskMode }, attempt: number) {
  const queryClient = useQueryClient();
  const [state, dispatch] = useReducer(deskReducer, INITIAL_DESK_STATE);
  const { sessionId, roomId, mode } = desk;

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const run = async (): Promise<void> => {
      let delay = FIRST_RETRY_MS;
      while (!signal.aborted) {
        try {
          const events = await client.checkin.desk({ sessionId, roomId, mode }, { signal });
          for await (const event of events) {
            dispatch({ type: 'event', event });
            delay = FIRST_RETRY_MS;
            if (event.type === 'card' || event.type === 'reverify') {
              // The search list shows who has checked in.
              void queryClient.invalidateQueries({ queryKey: orpc.checkin.search.key() });
            }
            if (event.type === 'card' && !event.result.ok && event.result.code === 'room_staffing') {
              // The room's staffing may have changed since the desk opened.
              void queryClient.invalidateQueries({ queryKey: orpc.sessions.plan.key() });
            }
          }
        } catch (error) {
          // An expired session is handled by the client (back to sign-in).
          if (signal.aborted || isUnauthorized(error)) return;
          if (isFinal(error)) {
            dispatch({ type: 'failed', error });
            return;
          }
        }
        if (signal.aborted) return;
        dispatch({ type: 'reconnecting' });
        await wait(delay, signal);
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    };
    void run();
    return () => controller.abort();
  }, [sessionId, roomId, mode, attempt, queryClient]);

  return {
    state,
    /** Show a result that did not come through the stream (manual check-in or verification). */
    showResult: (r: DeskResult) => dispatch({ type: 'result', ...r, card: null }),
    /** The live photo of entry `seq` was stored. */
    photoStored: (seq: number, photoId: number) => dispatch({ type: 'photo', seq, photoId }),
    retry: () => dispatch({ type: 'connecting' }),
  };
}
