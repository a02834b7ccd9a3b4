import {
  BrowserWindow,
  type BrowserWindowConstructorOptions,
  type PermissionCheckHandlerHandlerDetails,
  type Session,
  type WebContents,
} from 'electron';
import { APP_VERSION_ARGUMENT } from '../../shared/electron-bridge';
import type { Logger } from './logger';
import { APP_ENTRY_URL, isAppUrl } from './origin';

/** The window title (and the product name). */
export const WINDOW_TITLE = '职业技能等级认定考点系统';

export interface MainWindowSettings {
  /** Absolute path of the built, CommonJS preload (out/preload/index.cjs). */
  preloadPath: string;
  /** Shown to the renderer as window.examSite.version. */
  appVersion: string;
  /** Allow the developer tools (development builds only). Default false. */
  devTools?: boolean;
}

/**
 * The options of every window we open: sandboxed renderer, context isolation, no Node, web security on,
 * no experimental or Blink features, no <webview>, and only our preload.
 */
export function mainWindowOptions({
  preloadPath,
  appVersion,
  devTools = false,
}: MainWindowSettings): BrowserWindowConstructorOptions {
  return {
    title: WINDOW_TITLE,
    width: 1366,
    height: 860,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools,
      additionalArguments: [`${APP_VERSION_ARGUMENT}${appVersion}`],
    },
  };
}

// ---- permissions -------------------------------------------------------------------------------

/** The details Electron passes with a permission request (the fields we look at). */
export interface PermissionRequestDetailsLike {
  requestingUrl?: string;
  mediaTypes?: ReadonlyArray<'video' | 'audio'>;
}

/**
 * Permission requests: everything is denied except the camera ('media' asking for video only) for the
 * candidate photo, and only from our own pages. Microphone, screen capture, notifications, geolocation,
 * HID/serial/USB and the rest are refused.
 */
export function isPermissionRequestAllowed(
  permission: string,
  details: PermissionRequestDetailsLike,
): boolean {
  if (permission !== 'media') return false;
  const types = details.mediaTypes ?? [];
  if (types.length === 0 || !types.every((t) => t === 'video')) return false;
  return details.requestingUrl !== undefined && isAppUrl(details.requestingUrl);
}

/** Permission checks (navigator.permissions, device enumeration…): the same rule as requests. */
export function isPermissionCheckAllowed(
  permission: string,
  requestingOrigin: string,
  details: Pick<PermissionCheckHandlerHandlerDetails, 'mediaType'>,
): boolean {
  return permission === 'media' && details.mediaType === 'video' && isAppUrl(requestingOrigin);
}

/** Install the permission handlers on a session (idempotent: Electron keeps one handler per session). */
export function hardenSession(session: Session, logger: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = isPermissionRequestAllowed(permission, details);
    if (!allowed) logger.warn(`permission request denied: ${permission}`, details.requestingUrl);
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionCheckAllowed(permission, requestingOrigin, details),
  );
  session.setDevicePermissionHandler(() => false);
}

// ---- webContents -------------------------------------------------------------------------------

const hardened = new WeakSet<WebContents>();

/**
 * Lock down one webContents: navigation only within app://renderer, no new windows, no <webview>,
 * certificate errors refused. Safe to call twice (the second call does nothing).
 */
export function hardenWebContents(contents: WebContents, logger: Logger): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);

  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      logger.warn('navigation blocked', event.url);
    }
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      logger.warn('frame navigation blocked', event.url);
    }
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      logger.warn('redirect blocked', event.url);
    }
  });
  contents.setWindowOpenHandler(({ url }) => {
    logger.warn('window.open denied', url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('<webview> refused');
  });
  contents.on('certificate-error', (_event, url, error, _certificate, callback) => {
    // Not calling event.preventDefault() keeps Chromium's refusal; the callback says so explicitly.
    logger.warn(`certificate error refused: ${error}`, url);
    callback(false);
  });
}

// ---- windows -------------------------------------------------------------------------------------

const ourWindows = new Set<BrowserWindow>();

/** The windows this app created and that are still open (the only trusted IPC senders). */
export function getOurWindows(): BrowserWindow[] {
  return [...ourWindows].filter((w) => !w.isDestroyed());
}

/** Create the main window, harden it, and load app://renderer/index.html. */
export function createMainWindow(settings: MainWindowSettings, logger: Logger): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(settings));
  ourWindows.add(win);
  win.on('closed', () => ourWindows.delete(win));
  hardenWebContents(win.webContents, logger);
  hardenSession(win.webContents.session, logger);
  win.once('ready-to-show', () => win.show());
  win.webContents.on('render-process-gone', (_event, details) => {
    logger.error(`renderer process gone: ${details.reason} (exit code ${details.exitCode})`);
  });
  win.loadURL(APP_ENTRY_URL).catch((error: unknown) => logger.error('could not load the renderer', error));
  return win;
}
