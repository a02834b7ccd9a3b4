import { useMemo, useSyncExternalStore } from 'react';

/**
 * A tiny hash router: URLs look like `#/candidates?sitting=3`. Hash URLs work the same under the
 * Electron app:// scheme, a LAN browser and the Vite dev server, with no server-side routes.
 */
export interface Route {
  /** The path without the leading '#', always starting with '/' (e.g. '/candidates'). */
  path: string;
  query: URLSearchParams;
}

function currentHash(): string {
  return window.location.hash;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function parseHash(hash: string): Route {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const path = pathPart.startsWith('/') ? pathPart : `/${pathPart}`;
  return { path: path.length > 1 ? path.replace(/\/+$/, '') : path, query: new URLSearchParams(queryPart) };
}

/** Build an href for a path and optional query parameters (undefined/null/'' values are left out). */
export function href(path: string, query?: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `#${path}${search ? `?${search}` : ''}`;
}

export function navigate(target: string, options: { replace?: boolean } = {}): void {
  const hash = target.startsWith('#') ? target : `#${target}`;
  if (options.replace) {
    const url = new URL(window.location.href);
    url.hash = hash;
    window.history.replaceState(window.history.state, '', url);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = hash;
  }
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash, currentHash);
  return useMemo(() => parseHash(hash), [hash]);
}

/** A positive integer query parameter, or null. */
export function intParam(query: URLSearchParams, name: string): number | null {
  const value = query.get(name);
  if (value === null || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
