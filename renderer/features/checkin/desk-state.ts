/** The check-in desk screen's state: pure, so that it can be tested without a browser. */
import type { CheckinResult, DeskEvent, ReverifyResult } from '../../../shared/contract/checkin';

const HISTORY_LENGTH = 10;

export type DeskCard = Extract<DeskEvent, { type: 'card' }>['card'];

/** A check-in (签到) or a re-entry verification (复核) result. */
export type DeskResult =
  { kind: 'checkin'; result: CheckinResult } | { kind: 'reverify'; result: ReverifyResult };

export type DeskEntry = DeskResult & {
  /** Increases with every result shown at this desk (tests and screen readers can tell results apart). */
  seq: number;
  /** The card as read; null for a manual check-in. */
  card: DeskCard | null;
};

export type DeskConnection = 'connecting' | 'open' | 'reconnecting' | 'failed';

export interface DeskState {
  connection: DeskConnection;
  /** Why the desk could not be opened (an answer a retry will not change). */
  failure: unknown;
  reader: { description: string; state: string; reason: string | null } | null;
  readerError: string | null;
  cardPresent: boolean;
  current: DeskEntry | null;
  /** Newest first, at most 10. */
  history: DeskEntry[];
  nextSeq: number;
}

type Action =
  | { type: 'connecting' }
  | { type: 'reconnecting' }
  | { type: 'failed'; error: unknown }
  | { type: 'event'; event: DeskEvent }
  | ({ type: 'result'; card: DeskCard | null } & DeskResult)
  /** The live photo of entry `seq` was stored (or retaken). */
  | { type: 'photo'; seq: number; photoId: number };

export const INITIAL_DESK_STATE: DeskState = {
  connection: 'connecting',
  failure: null,
  reader: null,
  readerError: null,
  cardPresent: false,
  current: null,
  history: [],
  nextSeq: 1,
};

function withResult(state: DeskState, r: DeskResult, card: DeskCard | null): DeskState {
  const entry: DeskEntry = { ...r, seq: state.nextSeq, card };
  return {
    ...state,
    current: entry,
    history: [entry, ...state.history].slice(0, HISTORY_LENGTH),
    nextSeq: state.nextSeq + 1,
  };
}

export function deskReducer(state: DeskState, action: Action): DeskState {
  switch (action.type) {
    case 'connecting':
      return { ...state, connection: 'connecting', failure: null };
    case 'reconnecting':
      return { ...state, connection: 'reconnecting' };
    case 'failed':
      return { ...state, connection: 'failed', failure: action.error };
    case 'result':
      return withResult(
        state,
        action.kind === 'checkin'
          ? { kind: 'checkin', result: action.result }
          : { kind: 'reverify', result: action.result },
        action.card,
      );
    case 'photo': {
      const withPhoto = (e: DeskEntry): DeskEntry =>
        e.seq !== action.seq || !e.result.ok
          ? e
          : e.kind === 'checkin'
            ? { ...e, result: { ...e.result, livePhotoId: action.photoId } }
            : { ...e, result: { ...e.result, livePhotoId: action.photoId } };
      return {
        ...state,
        current: state.current ? withPhoto(state.current) : null,
        history: state.history.map(withPhoto),
      };
    }
    case 'event': {
      const open = { ...state, connection: 'open' as const, failure: null };
      const event = action.event;
      switch (event.type) {
        case 'ready':
          return {
            ...open,
            reader: { description: event.reader, state: event.state, reason: event.reason },
            readerError: null,
          };
        case 'removed':
          return { ...open, cardPresent: false };
        case 'reader-error':
          return { ...open, readerError: event.message };
        case 'card':
          return {
            ...withResult(open, { kind: 'checkin', result: event.result }, event.card),
            cardPresent: true,
            readerError: null,
          };
        case 'reverify':
          return {
            ...withResult(open, { kind: 'reverify', result: event.result }, event.card),
            cardPresent: true,
            readerError: null,
          };
      }
    }
  }
  return state;
}
