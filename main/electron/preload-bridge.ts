import { APP_VERSION_ARGUMENT, ORPC_CLIENT_START_MESSAGE } from '../../shared/electron-bridge';

/**
 * The decisions the preload makes, kept apart from preload.ts so that the entry has no exports (a
 * sandboxed preload is one CommonJS script) and so that they can be unit tested.
 */

/** A transferable MessagePort of the page (opaque here: the preload only passes it on). */
export type TransferablePort = object;

/** The fields of a window 'message' event the preload reads. */
export interface PageMessageEventLike {
  readonly data: unknown;
  readonly origin: string;
  readonly source: unknown;
  readonly ports: readonly TransferablePort[];
}

/** The bit of `window` the preload uses (the main tsconfig has no DOM lib). */
export interface PreloadWindowLike {
  readonly location: { readonly origin: string };
  addEventListener(type: 'message', listener: (event: PageMessageEventLike) => void): void;
}

/** The app version passed by the main process as --exam-site-version=… (webPreferences.additionalArguments). */
export function appVersionFromArgv(argv: readonly string[]): string {
  const arg = argv.find((a) => a.startsWith(APP_VERSION_ARGUMENT));
  return arg ? arg.slice(APP_VERSION_ARGUMENT.length) : 'unknown';
}

/**
 * The port to forward, or undefined. Only the start message the page posted to itself counts: same
 * window (not an iframe), same origin, exactly one port.
 */
export function portToForward(
  event: PageMessageEventLike,
  self: PreloadWindowLike,
): TransferablePort | undefined {
  if (event.data !== ORPC_CLIENT_START_MESSAGE) return undefined;
  if (event.source !== self || event.origin !== self.location.origin) return undefined;
  const [port, ...extra] = event.ports;
  if (!port || extra.length > 0) return undefined;
  return port;
}
