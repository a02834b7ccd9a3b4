import { ipcMain, type BrowserWindow, type IpcMainEvent } from 'electron';
import { ELECTRON_PORT_CHANNEL } from '../../shared/electron-bridge';
import type { Core } from '../core/types';
import type { Logger } from './logger';
import { isAppUrl } from './origin';

/**
 * The MessagePort bridge. The page creates a MessageChannel and posts one end to itself; the preload
 * forwards that port on ELECTRON_PORT_CHANNEL (see shared/electron-bridge.ts); here the sender is checked
 * and the port is handed to the core, which serves the typed contract over it. The core still checks
 * the caller's session and role on every call: the renderer is untrusted, exactly like a LAN client.
 */

/** The parts of an IPC event that decide whether its sender is trusted. */
export type SenderEventLike = Pick<IpcMainEvent, 'sender' | 'senderFrame'>;
/** The parts of a window that decide whether it is ours. */
export type WindowLike = Pick<BrowserWindow, 'isDestroyed' | 'webContents'>;

/**
 * True only when the message comes from the main frame (not a sub-frame) of one of our own windows, and
 * that frame shows a page on our app:// origin. Everything else — iframes, foreign origins, devtools,
 * windows we did not create, frames already gone — is untrusted.
 */
export function isTrustedSender(event: SenderEventLike, windows: readonly WindowLike[]): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  const win = windows.find((w) => !w.isDestroyed() && w.webContents === event.sender);
  if (!win) return false;
  const main = win.webContents.mainFrame;
  const isMainFrame =
    frame === main || (frame.processId === main.processId && frame.routingId === main.routingId);
  if (!isMainFrame) return false;
  return isAppUrl(frame.url);
}

function describeSender(event: SenderEventLike): string {
  const frame = event.senderFrame;
  if (!frame) return 'frame gone';
  return `${frame.parent === null ? 'main frame' : 'sub-frame'} ${frame.url}`;
}

/**
 * Listen for port requests from our windows and attach each accepted port to the core.
 * Returns a function that removes the listener.
 */
export function registerPortBridge(
  core: Pick<Core, 'attachMessagePort'>,
  getWindows: () => readonly WindowLike[],
  logger: Logger,
): () => void {
  const listener = (event: IpcMainEvent): void => {
    if (!isTrustedSender(event, getWindows())) {
      logger.warn(`ignored a port request from an untrusted sender (${describeSender(event)})`);
      for (const port of event.ports) port.close();
      return;
    }
    const [port, ...extra] = event.ports;
    if (!port || extra.length > 0) {
      logger.warn(`ignored a port request carrying ${event.ports.length} ports (expected 1)`);
      for (const p of event.ports) p.close();
      return;
    }
    // The core upgrades the port to an oRPC server and starts it.
    core.attachMessagePort(port);
  };
  ipcMain.on(ELECTRON_PORT_CHANNEL, listener);
  return () => {
    ipcMain.removeListener(ELECTRON_PORT_CHANNEL, listener);
  };
}
