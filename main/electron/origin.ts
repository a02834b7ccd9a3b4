/**
 * The renderer is served from our own privileged scheme, app://renderer/… (never file://).
 * These helpers decide whether a URL belongs to it. They parse with URL, never with startsWith,
 * so that look-alikes such as app://renderer.evil/ or app://renderer@evil/ are rejected.
 *
 * Note: Node's URL reports origin 'null' for schemes it does not know, so we compare the
 * protocol and host instead of URL.origin. (In the renderer, Chromium knows the scheme is
 * standard and reports location.origin as 'app://renderer'.)
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Parse a URL, returning undefined instead of throwing on garbage. */
export function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** True when the URL is on our app:// origin (scheme app, host renderer, no port, no credentials). */
export function isAppUrl(raw: string): boolean {
  const url = parseUrl(raw);
  if (!url) return false;
  return (
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}
