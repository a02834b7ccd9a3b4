import { QueryClient } from '@tanstack/react-query';
import { isClientError } from './errors';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (failureCount, error) => !isClientError(error) && failureCount < 2,
      refetchOnWindowFocus: false,
      // Site events (use-site-events.ts) invalidate what changed; no need to refetch on a timer.
      staleTime: 30_000,
    },
    mutations: { retry: false },
  },
});
