/**
 * The site's time zone on screens: one value for the whole signed-in app, from `auth.status` (public,
 * fetched before the shell shows; SignedIn in app.tsx provides it). Every time shown goes through
 * format.ts with this zone; what staff type as a time is read in it (sessions/session-format.ts).
 */
import { createContext, useContext } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import { DEFAULT_TIME_ZONE } from '../../shared/domain/site-time';
import { orpc } from './rpc-client';

export const SiteTimeZoneContext = createContext<string>(DEFAULT_TIME_ZONE);

/** The site's IANA time zone, e.g. Asia/Shanghai. */
export function useSiteTimeZone(): string {
  return useContext(SiteTimeZoneContext);
}

/**
 * `auth.status` as the signed-in app reads it. It changes only when an administrator saves the settings
 * (siteTimeZoneSaved below) or after the event stream was down (every query is refreshed then).
 */
export function siteStatusQueryOptions() {
  return orpc.auth.status.queryOptions({ staleTime: Infinity });
}

/** After `system.updateSettings`: screens use the saved zone at once; system.info reloads (it shows it). */
export function siteTimeZoneSaved(queryClient: QueryClient, timeZone: string): void {
  queryClient.setQueryData(orpc.auth.status.queryKey(), (status) =>
    status ? { ...status, timeZone } : status,
  );
  void queryClient.invalidateQueries({ queryKey: orpc.system.info.key() });
}
