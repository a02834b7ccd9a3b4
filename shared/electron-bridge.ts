/**
 * Constants shared by the Electron preload (main/electron/preload.ts) and the renderer's RPC client
 * (renderer/app/rpc-client.ts). Pure TypeScript: no imports, no Node, no DOM.
 *
 * How the renderer reaches the core inside the desktop app (oRPC's documented Electron pattern):
 *
 *   renderer (page)                       preload (isolated world)              main process
 *   ───────────────                       ────────────────────────              ────────────
 *   const { port1, port2 } =
 *     new MessageChannel();
 *   window.postMessage(
 *     ORPC_CLIENT_START_MESSAGE,  ──────▶ checks source/origin, then
 *     '*', [port2]);                      ipcRenderer.postMessage(
 *   new RPCLink({ port: port1 });           ELECTRON_PORT_CHANNEL,  ──────────▶ validates the sender frame,
 *   port1.start();                          null, [port2]);                      core.attachMessagePort(port)
 */

/** The message the page posts to itself (with the server end of a MessageChannel) to open the RPC link. */
export const ORPC_CLIENT_START_MESSAGE = 'start-orpc-client';

/** The IPC channel on which the preload hands that port to the main process. */
export const ELECTRON_PORT_CHANNEL = 'exam-site:port';

/** The name of the object the preload exposes on `window` (through contextBridge). */
export const ELECTRON_BRIDGE_KEY = 'examSite';

/** What `window.examSite` holds inside the desktop app. It is absent in a plain browser (LAN clients). */
export interface ExamSiteBridge {
  readonly platform: 'electron';
  /** The application version (package.json "version"). */
  readonly version: string;
}

/** The command-line switch through which the main process passes the app version to the sandboxed preload. */
export const APP_VERSION_ARGUMENT = '--exam-site-version=';
