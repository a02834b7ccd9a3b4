/**
 * One reconnecting subscription for any oRPC event-iterator stream (`system.events`, the check-in desk's
 * `checkin.desk`, and next the exam terminal, proctor console and tablets).
 *
 * The core is a pure transition function (`streamStep`) and a loop (`runEventStream`) that knows nothing of
 * React, so both are unit-tested; `useEventStream` runs the loop for a component. Behaviour:
 * - the stream is re-opened after it ends or breaks, waiting 1 s, 2 s, 4 s … up to 30 s between attempts;
 *   any event received puts the wait back to 1 s;
 * - events that arrive on a connection after one that had delivered events are flagged `reconnected`:
 *   events may have been missed in the gap, so the caller refreshes what it shows;
 * - it stops for good when the signal is aborted (unmount, another stream), on UNAUTHORIZED (the RPC client
 *   already sends the user back to sign-in) and on any other 4xx answer (no such session, not allowed,
 *   reader taken…): asking again would get the same answer.
 */
import { useEffect, useEffectEvent, useState } from 'react';
import { isClientError, isUnauthorized } from './errors';

export const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 30_000;

export type StreamStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';

/** Why a stream stopped: aborted by its owner, the session is gone, or the server refused it (4xx). */
export type StopReason = 'aborted' | 'unauthorized' | 'refused';

export interface StreamState {
  status: StreamStatus;
  /** How long to wait before the next attempt (meaningful while reconnecting). */
  waitMs: number;
  /** The wait after the next drop: doubles with every drop, back to the first after an event. */
  nextWaitMs: number;
  /** An earlier connection delivered events: this connection's events come after a gap. */
  afterGap: boolean;
  /** The current connection has delivered an event. */
  delivered: boolean;
  /** Set once stopped; `error` is the answer that stopped it (null when aborted). */
  stop: { reason: StopReason; error: unknown } | null;
  /** The last error that made the stream reconnect (cleared by the next event). */
  lastError: unknown;
}

export const INITIAL_STREAM_STATE: StreamState = {
  status: 'connecting',
  waitMs: 0,
  nextWaitMs: FIRST_RETRY_MS,
  afterGap: false,
  delivered: false,
  stop: null,
  lastError: null,
};

export type StreamInput =
  /** An event arrived. */
  | { type: 'event' }
  /** The server closed the stream without an error. */
  | { type: 'ended' }
  /** Opening or reading the stream failed. */
  | { type: 'error'; error: unknown }
  /** The owner aborted. */
  | { type: 'aborted' };

function dropped(state: StreamState, lastError: unknown): StreamState {
  return {
    ...state,
    status: 'reconnecting',
    waitMs: state.nextWaitMs,
    nextWaitMs: Math.min(state.nextWaitMs * 2, MAX_RETRY_MS),
    afterGap: state.afterGap || state.delivered,
    delivered: false,
    lastError,
  };
}

/** The stream's next state. A stopped stream stays stopped. */
export function streamStep(state: StreamState, input: StreamInput): StreamState {
  if (state.status === 'stopped') return state;
  switch (input.type) {
    case 'event':
      // Further events on an open connection change nothing (no re-render per event).
      if (state.status === 'open' && state.delivered) return state;
      return {
        ...state,
        status: 'open',
        waitMs: 0,
        nextWaitMs: FIRST_RETRY_MS,
        delivered: true,
        lastError: null,
      };
    case 'ended':
      return dropped(state, null);
    case 'error':
      if (isUnauthorized(input.error)) {
        return { ...state, status: 'stopped', stop: { reason: 'unauthorized', error: input.error } };
      }
      if (isClientError(input.error)) {
        return { ...state, status: 'stopped', stop: { reason: 'refused', error: input.error } };
      }
      return dropped(state, input.error);
    case 'aborted':
      return { ...state, status: 'stopped', stop: { reason: 'aborted', error: null } };
  }
}

export interface EventStreamHandlers<T> {
  /** Open the stream, e.g. `(signal) => client.system.events(undefined, { signal })`. */
  open: (signal: AbortSignal) => Promise<AsyncIterable<T>>;
  /** Every event; `reconnected` when it came after a gap (see the module comment). */
  onEvent: (event: T, info: { reconnected: boolean }) => void;
  /** Every change of state after the initial `connecting`, the final `stopped` included. */
  onState?: (state: StreamState) => void;
}

/** Resolve after `ms`, or at once when the signal aborts. */
export function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
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

/**
 * Keep the stream open until the signal aborts or the server refuses it; resolves with the final
 * (stopped) state. Never rejects: what goes wrong is in the state.
 */
export async function runEventStream<T>(
  handlers: EventStreamHandlers<T>,
  signal: AbortSignal,
): Promise<StreamState> {
  let state = INITIAL_STREAM_STATE;
  const advance = (input: StreamInput): void => {
    const next = streamStep(state, input);
    if (next === state) return;
    state = next;
    handlers.onState?.(state);
  };
  while (state.status !== 'stopped') {
    if (signal.aborted) {
      advance({ type: 'aborted' });
      break;
    }
    try {
      const events = await handlers.open(signal);
      for await (const event of events) {
        if (signal.aborted) break;
        const reconnected = state.afterGap;
        advance({ type: 'event' });
        handlers.onEvent(event, { reconnected });
      }
      advance(signal.aborted ? { type: 'aborted' } : { type: 'ended' });
    } catch (error) {
      advance(signal.aborted ? { type: 'aborted' } : { type: 'error', error });
    }
    if (state.status === 'reconnecting') await wait(state.waitMs, signal);
  }
  return state;
}

/**
 * Run `runEventStream` while the component is mounted. `key` names what is subscribed to: a new key
 * closes the old stream and opens a new one; null means no stream. `open`, `onEvent` and `onState` are
 * always called in their latest version (they need not be stable). Returns the stream's state.
 */
export function useEventStream<T>(key: string | null, handlers: EventStreamHandlers<T>): StreamState {
  const [current, setCurrent] = useState<{ key: string | null; state: StreamState }>({
    key,
    state: INITIAL_STREAM_STATE,
  });
  const open = useEffectEvent((signal: AbortSignal) => handlers.open(signal));
  const onEvent = useEffectEvent((event: T, info: { reconnected: boolean }) => handlers.onEvent(event, info));
  const onState = useEffectEvent((forKey: string, state: StreamState) => {
    setCurrent({ key: forKey, state });
    handlers.onState?.(state);
  });

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    void runEventStream<T>(
      {
        open: (signal) => open(signal),
        onEvent: (event, info) => onEvent(event, info),
        // After unmount (or a new key) the stopped state is nobody's business.
        onState: (state) => {
          if (!controller.signal.aborted) onState(key, state);
        },
      },
      controller.signal,
    );
    return () => controller.abort();
  }, [key]);

  return current.key === key ? current.state : INITIAL_STREAM_STATE;
}
