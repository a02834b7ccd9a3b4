import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { SiteEvent } from '../../shared/contract/events';
import { client, isUnauthorized, orpc } from './rpc-client';

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

export function applySiteEvent(queryClient: QueryClient, event: SiteEvent, reconnected: boolean): void {
  switch (event.type) {
    case 'hello':
      // Events may have been missed while the connection was down: refresh everything on screen.
      if (reconnected) void queryClient.invalidateQueries();
      break;
    case 'candidates.changed':
      void queryClient.invalidateQueries({
        queryKey: orpc.candidates.list.key({ input: { sittingId: event.sittingId } }),
      });
      // The sittings list shows candidate counts.
      void queryClient.invalidateQueries({ queryKey: orpc.sittings.key() });
      break;
    case 'sittings.changed':
      void queryClient.invalidateQueries({ queryKey: orpc.sittings.key() });
      break;
    case 'checkin.changed':
      void queryClient.invalidateQueries({
        queryKey: orpc.checkin.progress.key({ input: { sessionId: event.sessionId } }),
      });
      // The sessions list shows how many have checked in.
      void queryClient.invalidateQueries({ queryKey: orpc.sessions.list.key() });
      break;
  }
}

/**
 * Subscribe to `system.events` while signed in and keep the query cache fresh. The subscription is
 * re-opened with a back-off when the connection drops (host restarted, WebSocket closed).
 */
export function useSiteEvents(enabled: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    const { signal } = controller;
    const run = async (): Promise<void> => {
      let delay = FIRST_RETRY_MS;
      let connectedBefore = false;
      while (!signal.aborted) {
        try {
          const events = await client.system.events(undefined, { signal });
          for await (const event of events) {
            applySiteEvent(queryClient, event, connectedBefore);
            connectedBefore = true;
            delay = FIRST_RETRY_MS;
          }
        } catch (error) {
          // An expired session is handled by the client (back to sign-in); stop here.
          if (signal.aborted || isUnauthorized(error)) return;
        }
        await wait(delay, signal);
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    };
    void run();
    return () => controller.abort();
  }, [enabled, queryClient]);
}
