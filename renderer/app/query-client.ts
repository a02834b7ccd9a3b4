import { ORPCError } from '@orpc/client';
import { QueryClient } from '@tanstack/react-query';

/** Errors a retry cannot fix: the server answered with a 4xx. */
function isFinal(error: unknown): boolean {
  return error instanceof ORPCError && error.status >= 400 && error.status < 500;
}

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (failureCount, error) => !isFinal(error) && failureCount < 2,
      refetchOnWindowFocus: false,
      // Site events (use-site-events.ts) invalidate what changed; no need to refetch on a timer.
      staleTime: 30_000,
    },
    mutations: { retry: false },
  },
});
