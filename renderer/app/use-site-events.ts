import { useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { SiteEvent } from '../../shared/contract/events';
import { useEventStream } from './event-stream';
import { client, orpc } from './rpc-client';

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
 * re-opened with a back-off when the connection drops (host restarted, WebSocket closed); see
 * event-stream.ts. An expired session ends it (the client goes back to sign-in).
 */
export function useSiteEvents(enabled: boolean): void {
  const queryClient = useQueryClient();
  useEventStream<SiteEvent>(enabled ? 'system.events' : null, {
    open: (signal) => client.system.events(undefined, { signal }),
    onEvent: (event, { reconnected }) => applySiteEvent(queryClient, event, reconnected),
  });
}
