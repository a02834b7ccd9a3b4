import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ORPCError } from '@orpc/client';
import {
  FIRST_RETRY_MS,
  INITIAL_STREAM_STATE,
  MAX_RETRY_MS,
  runEventStream,
  streamStep,
  type StreamInput,
  type StreamState,
} from './event-stream';

const unauthorized = () => new ORPCError('UNAUTHORIZED', { status: 401, message: '请先登录' });
const conflict = () => new ORPCError('CONFLICT', { status: 409, message: '读卡器已被其他签到台使用' });
const serverError = () => new ORPCError('INTERNAL_SERVER_ERROR', { status: 500 });

function steps(...inputs: StreamInput[]): StreamState {
  return inputs.reduce(streamStep, INITIAL_STREAM_STATE);
}

describe('stream state', () => {
  it('starts connecting and is open once an event arrives', () => {
    expect(INITIAL_STREAM_STATE.status).toBe('connecting');
    expect(steps({ type: 'event' }).status).toBe('open');
  });

  it('does not change on further events of an open connection', () => {
    const open = steps({ type: 'event' });
    expect(streamStep(open, { type: 'event' })).toBe(open);
  });

  it('reconnects after 1 s, 2 s, 4 s … up to 30 s, and back to 1 s after an event', () => {
    let state = INITIAL_STREAM_STATE;
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      state = streamStep(
        state,
        i % 2 ? { type: 'ended' } : { type: 'error', error: new Error('socket closed') },
      );
      expect(state.status).toBe('reconnecting');
      waits.push(state.waitMs);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, MAX_RETRY_MS, MAX_RETRY_MS]);
    state = streamStep(state, { type: 'event' });
    expect(state.status).toBe('open');
    expect(state.lastError).toBeNull();
    expect(streamStep(state, { type: 'ended' }).waitMs).toBe(FIRST_RETRY_MS);
  });

  it('keeps the error that made it reconnect', () => {
    const error = serverError();
    expect(steps({ type: 'error', error })).toMatchObject({ status: 'reconnecting', lastError: error });
  });

  it('marks connections after one that delivered events as after a gap', () => {
    // The first connection failed before saying anything: nothing shown came from it.
    expect(steps({ type: 'ended' }).afterGap).toBe(false);
    expect(steps({ type: 'event' }).afterGap).toBe(false);
    expect(steps({ type: 'event' }, { type: 'ended' }).afterGap).toBe(true);
    expect(steps({ type: 'event' }, { type: 'ended' }, { type: 'ended' }, { type: 'event' }).afterGap).toBe(
      true,
    );
  });

  it('stops on UNAUTHORIZED, on other 4xx answers and on abort, and stays stopped', () => {
    const gone = unauthorized();
    expect(steps({ type: 'event' }, { type: 'error', error: gone })).toMatchObject({
      status: 'stopped',
      stop: { reason: 'unauthorized', error: gone },
    });
    const taken = conflict();
    expect(steps({ type: 'error', error: taken })).toMatchObject({
      status: 'stopped',
      stop: { reason: 'refused', error: taken },
    });
    const aborted = steps({ type: 'event' }, { type: 'aborted' });
    expect(aborted).toMatchObject({ status: 'stopped', stop: { reason: 'aborted', error: null } });
    expect(streamStep(aborted, { type: 'event' })).toBe(aborted);
    expect(streamStep(aborted, { type: 'ended' })).toBe(aborted);
  });
});

/** One scripted connection: the events it delivers, then how it ends (undefined: the server closes it). */
interface Connection {
  events?: string[];
  fail?: Error;
  /** Fail to open at all. */
  refuse?: Error;
  /** Stay open (until aborted) after the events. */
  hang?: boolean;
}

function scripted(connections: Connection[]) {
  let opened = 0;
  const open = vi.fn((signal: AbortSignal): Promise<AsyncIterable<string>> => {
    const c = connections[opened++] ?? { hang: true };
    if (c.refuse) return Promise.reject(c.refuse);
    async function* events(): AsyncGenerator<string> {
      for (const e of c.events ?? []) yield e;
      if (c.fail) throw c.fail;
      if (c.hang) {
        await new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        throw new DOMException('aborted', 'AbortError');
      }
    }
    return Promise.resolve(events());
  });
  return open;
}

describe('runEventStream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('re-opens with the back-off, flags events after a gap, and stops on abort', async () => {
    const open = scripted([
      { events: ['hello', 'a'], fail: new Error('socket closed') },
      { refuse: new TypeError('Failed to fetch') },
      { events: [] },
      { events: ['hello', 'b'], hang: true },
    ]);
    const received: Array<[string, boolean]> = [];
    const statuses: string[] = [];
    const controller = new AbortController();
    const done = runEventStream(
      {
        open,
        onEvent: (e, { reconnected }) => received.push([e, reconnected]),
        onState: (s) => statuses.push(s.status),
      },
      controller.signal,
    );

    await vi.advanceTimersByTimeAsync(0);
    expect(open).toHaveBeenCalledTimes(1);
    expect(received).toEqual([
      ['hello', false],
      ['a', false],
    ]);
    await vi.advanceTimersByTimeAsync(FIRST_RETRY_MS - 1);
    expect(open).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(open).toHaveBeenCalledTimes(2); // refused to open: wait 2 s
    await vi.advanceTimersByTimeAsync(2_000);
    expect(open).toHaveBeenCalledTimes(3); // closed at once: wait 4 s
    await vi.advanceTimersByTimeAsync(3_999);
    expect(open).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(open).toHaveBeenCalledTimes(4);
    expect(received.slice(2)).toEqual([
      ['hello', true],
      ['b', true],
    ]);

    controller.abort();
    const final = await done;
    expect(final.stop).toEqual({ reason: 'aborted', error: null });
    // A drop, a refusal to open and an empty stream: three waits, each longer.
    expect(statuses).toEqual(['open', 'reconnecting', 'reconnecting', 'reconnecting', 'open', 'stopped']);
    expect(open).toHaveBeenCalledTimes(4);
  });

  it('stops without retrying on UNAUTHORIZED and on a 4xx answer', async () => {
    for (const [error, reason] of [
      [unauthorized(), 'unauthorized'],
      [conflict(), 'refused'],
    ] as const) {
      const open = scripted([{ events: ['ready'], fail: error }]);
      const final = await runEventStream({ open, onEvent: () => {} }, new AbortController().signal);
      expect(final.stop).toEqual({ reason, error });
      await vi.advanceTimersByTimeAsync(MAX_RETRY_MS * 2);
      expect(open).toHaveBeenCalledTimes(1);
    }
  });

  it('keeps retrying on 5xx and network errors', async () => {
    const open = scripted([{ refuse: serverError() }, { refuse: new TypeError('Failed to fetch') }]);
    const controller = new AbortController();
    const done = runEventStream({ open, onEvent: () => {} }, controller.signal);
    await vi.advanceTimersByTimeAsync(FIRST_RETRY_MS + 2_000);
    expect(open).toHaveBeenCalledTimes(3);
    controller.abort();
    expect((await done).stop?.reason).toBe('aborted');
  });

  it('stops during the wait when aborted, without opening again', async () => {
    const open = scripted([{ events: ['hello'] }]);
    const controller = new AbortController();
    const done = runEventStream({ open, onEvent: () => {} }, controller.signal);
    await vi.advanceTimersByTimeAsync(500);
    controller.abort();
    expect((await done).stop?.reason).toBe('aborted');
    await vi.advanceTimersByTimeAsync(MAX_RETRY_MS);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('does not open at all when already aborted', async () => {
    const open = scripted([]);
    const controller = new AbortController();
    controller.abort();
    expect((await runEventStream({ open, onEvent: () => {} }, controller.signal)).status).toBe('stopped');
    expect(open).not.toHaveBeenCalled();
  });
});
