import { useSyncExternalStore } from 'react';

/**
 * The session token. It lives in sessionStorage (one browser tab = one session; closing the tab or the
 * desktop window signs out). The user and roles are never cached here: they come from `auth.me`.
 */
export const SESSION_STORAGE_KEY = 'exam-site.session';

type Listener = () => void;
const listeners = new Set<Listener>();

function readToken(): string | null {
  try {
    return window.sessionStorage.getItem(SESSION_STORAGE_KEY);
  } catch {
    return null;
  }
}

let token: string | null = readToken();

function emit(): void {
  for (const listener of listeners) listener();
}

export function getToken(): string | null {
  return token;
}

export function setToken(next: string): void {
  token = next;
  try {
    window.sessionStorage.setItem(SESSION_STORAGE_KEY, next);
  } catch {
    // Storage can be unavailable (private mode); the session then lasts as long as the page.
  }
  emit();
}

export function clearToken(): void {
  if (token === null) return;
  token = null;
  try {
    window.sessionStorage.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // see setToken
  }
  emit();
}

export function subscribeToken(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current session token, or null when signed out. Re-renders when it changes. */
export function useToken(): string | null {
  return useSyncExternalStore(subscribeToken, getToken, getToken);
}
