/**
 * The preload of every window. It runs sandboxed (one CommonJS file, out/preload/index.cjs) in an isolated
 * world, and does exactly two things:
 *
 * 1. exposes `window.examSite = { platform: 'electron', version }` so the renderer knows it runs in the
 *    desktop app (nothing else: no ipcRenderer, no Node);
 * 2. forwards the one MessagePort the page offers to the main process, where the core serves the typed
 *    oRPC contract over it (oRPC's documented Electron pattern; main/electron/ipc.ts checks the sender).
 *
 * The renderer's half (renderer/app/rpc-client.ts) looks like this:
 *
 *   import { RPCLink } from '@orpc/client/message-port';
 *   import { ORPC_CLIENT_START_MESSAGE } from '../../shared/electron-bridge';
 *
 *   const { port1: clientPort, port2: serverPort } = new MessageChannel();
 *   window.postMessage(ORPC_CLIENT_START_MESSAGE, '*', [serverPort]); // to itself only
 *   const link = new RPCLink({ port: clientPort });
 *   clientPort.start();
 *
 * Every page load does this anew (e.g. after a reload); each message yields a new port, served separately.
 * This file has no exports on purpose: a sandboxed preload is a plain script.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  ELECTRON_BRIDGE_KEY,
  ELECTRON_PORT_CHANNEL,
  type ExamSiteBridge,
} from '../../shared/electron-bridge';
import { appVersionFromArgv, portToForward, type PreloadWindowLike } from './preload-bridge';

declare const window: PreloadWindowLike;

const bridge: ExamSiteBridge = Object.freeze({
  platform: 'electron' as const,
  version: appVersionFromArgv(process.argv),
});
contextBridge.exposeInMainWorld(ELECTRON_BRIDGE_KEY, bridge);

window.addEventListener('message', (event) => {
  const port = portToForward(event, window);
  if (port) ipcRenderer.postMessage(ELECTRON_PORT_CHANNEL, null, [port]);
});
