import { useReducer } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { DeskEvent, DeskMode } from '../../../shared/contract/checkin';
import { useEventStream } from '../../app/event-stream';
import { client, orpc } from '../../app/rpc-client';
import { deskReducer, INITIAL_DESK_STATE, type DeskResult } from './desk-state';

export type { DeskCard, DeskConnection, DeskEntry, DeskResult, DeskState } from './desk-state';

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

  useEventStream<DeskEvent>(`${sessionId}:${roomId}:${mode}:${attempt}`, {
    open: (signal) => client.checkin.desk({ sessionId, roomId, mode }, { signal }),
    onEvent: (event) => {
      dispatch({ type: 'event', event });
      if (event.type === 'card' || event.type === 'reverify') {
        // The search list shows who has checked in.
        void queryClient.invalidateQueries({ queryKey: orpc.checkin.search.key() });
      }
      if (event.type === 'card' && !event.result.ok && event.result.code === 'room_staffing') {
        // The room's staffing may have changed since the desk opened.
        void queryClient.invalidateQueries({ queryKey: orpc.sessions.plan.key() });
      }
    },
    onState: (stream) => {
      if (stream.status === 'reconnecting') dispatch({ type: 'reconnecting' });
      // An expired session is handled by the client (back to sign-in); a 4xx answer is shown with Retry.
      if (stream.stop?.reason === 'refused') dispatch({ type: 'failed', error: stream.stop.error });
    },
  });

  return {
    state,
    /** Show a result that did not come through the stream (manual check-in or verification). */
    showResult: (r: DeskResult) => dispatch({ type: 'result', ...r, card: null }),
    /** The live photo of entry `seq` was stored. */
    photoStored: (seq: number, photoId: number) => dispatch({ type: 'photo', seq, photoId }),
    retry: () => dispatch({ type: 'connecting' }),
  };
}
