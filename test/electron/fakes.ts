/**
 * Stand-ins for the parts of 'electron' and 'electron-updater' that main/electron/* uses. There is no
 * Electron binary on the build machines (require('electron') starts a download and throws), so the unit
 * tests replace both modules with these fakes through vi.mock:
 *
 *   vi.mock('electron', async () => (await import('../../test/electron/fakes')).electronModule());
 *
 * The fakes record what our code registered (event listeners, handlers, options) so that the tests can
 * call those handlers exactly as Electron would and assert on the outcome.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export interface FakeNavigationEvent {
  url: string;
  preventDefault: () => void;
  defaultPrevented: boolean;
}

/** An event as Electron passes it to 'will-navigate' & co.: preventDefault() flips defaultPrevented. */
export function navigationEvent(url: string): FakeNavigationEvent {
  const event: FakeNavigationEvent = {
    url,
    defaultPrevented: false,
    preventDefault: () => {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export type PermissionRequestHandler = (
  webContents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string; mediaTypes?: Array<'video' | 'audio'>; isMainFrame?: boolean },
) => void;

export type PermissionCheckHandler = (
  webContents: unknown,
  permission: string,
  requestingOrigin: string,
  details: { mediaType?: 'video' | 'audio' | 'unknown'; isMainFrame?: boolean },
) => boolean;

export class FakeSession {
  requestHandler: PermissionRequestHandler | undefined;
  checkHandler: PermissionCheckHandler | undefined;
  deviceHandler: (() => boolean) | undefined;
  setPermissionRequestHandler = vi.fn((handler: PermissionRequestHandler) => {
    this.requestHandler = handler;
  });
  setPermissionCheckHandler = vi.fn((handler: PermissionCheckHandler) => {
    this.checkHandler = handler;
  });
  setDevicePermissionHandler = vi.fn((handler: () => boolean) => {
    this.deviceHandler = handler;
  });

  /** Ask the registered request handler, as Chromium would, and return its answer. */
  request(permission: string, details: Parameters<PermissionRequestHandler>[3]): boolean {
    let answer: boolean | undefined;
    if (!this.requestHandler) throw new Error('no permission request handler registered');
    this.requestHandler({}, permission, (granted) => (answer = granted), details);
    if (answer === undefined) throw new Error('the handler did not answer');
    return answer;
  }
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  processId: number;
  routingId: number;
}

let nextProcessId = 100;

export class FakeWebContents extends EventEmitter {
  readonly session = new FakeSession();
  readonly mainFrame: FakeFrame;
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;
  setWindowOpenHandler = vi.fn((handler: (details: { url: string }) => { action: 'allow' | 'deny' }) => {
    this.windowOpenHandler = handler;
  });
  loadURL = vi.fn((_url: string) => Promise.resolve());

  constructor(url = 'app://renderer/index.html') {
    super();
    this.mainFrame = { url, parent: null, processId: nextProcessId++, routingId: 1 };
  }

  /** A sub-frame (iframe) of this page. */
  subFrame(url: string): FakeFrame {
    return { url, parent: this.mainFrame, processId: this.mainFrame.processId, routingId: 2 };
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  destroyed = false;
  minimized = false;
  isDestroyed = vi.fn(() => this.destroyed);
  isMinimized = vi.fn(() => this.minimized);
  restore = vi.fn(() => {
    this.minimized = false;
  });
  show = vi.fn();
  focus = vi.fn();
  loadURL = vi.fn((url: string) => this.webContents.loadURL(url));

  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }

  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances.filter((w) => !w.destroyed);
  }
}

export class FakeMessagePort extends EventEmitter {
  start = vi.fn();
  close = vi.fn();
  postMessage = vi.fn();
}

export interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export class FakeApp extends EventEmitter {
  readonly ready = deferred();
  appPath = '/nonexistent-app';
  userDataPath = '/nonexistent-user-data';
  gotLock = true;
  isPackaged = false;
  requestSingleInstanceLock = vi.fn(() => this.gotLock);
  enableSandbox = vi.fn();
  setAppUserModelId = vi.fn();
  quit = vi.fn();
  exit = vi.fn();
  whenReady = vi.fn(() => this.ready.promise);
  getAppPath = vi.fn(() => this.appPath);
  getPath = vi.fn((name: string) => (name === 'userData' ? this.userDataPath : `/nonexistent-${name}`));
  setPath = vi.fn((name: string, value: string) => {
    if (name === 'userData') this.userDataPath = value;
  });
  getVersion = vi.fn(() => '0.1.0');
  getName = vi.fn(() => 'exam-site');
}

export type ProtocolHandler = (request: Request) => Promise<Response>;

/** Everything main/electron/* imports from 'electron', with the state the tests inspect. */
export interface FakeElectron {
  app: FakeApp;
  BrowserWindow: typeof FakeBrowserWindow;
  ipcMain: EventEmitter;
  ipcRenderer: { postMessage: ReturnType<typeof vi.fn> };
  contextBridge: { exposeInMainWorld: ReturnType<typeof vi.fn> };
  protocol: {
    handlers: Map<string, ProtocolHandler>;
    registerSchemesAsPrivileged: ReturnType<typeof vi.fn>;
    handle: ReturnType<typeof vi.fn>;
  };
  dialog: { showErrorBox: ReturnType<typeof vi.fn> };
}

let current: FakeElectron | undefined;

/** The fake electron of this module instance (fresh after vi.resetModules()). */
export function fakeElectron(): FakeElectron {
  if (!current) {
    FakeBrowserWindow.instances = [];
    const handlers = new Map<string, ProtocolHandler>();
    current = {
      app: new FakeApp(),
      BrowserWindow: FakeBrowserWindow,
      ipcMain: new EventEmitter(),
      ipcRenderer: { postMessage: vi.fn() },
      contextBridge: { exposeInMainWorld: vi.fn() },
      protocol: {
        handlers,
        registerSchemesAsPrivileged: vi.fn(),
        handle: vi.fn((scheme: string, handler: ProtocolHandler) => {
          handlers.set(scheme, handler);
        }),
      },
      dialog: { showErrorBox: vi.fn() },
    };
  }
  return current;
}

/** The module object for vi.mock('electron', …). */
export function electronModule(): FakeElectron & { default: FakeElectron } {
  const electron = fakeElectron();
  return { ...electron, default: electron };
}

// ---- electron-updater -----------------------------------------------------------------------------

export class FakeAutoUpdater extends EventEmitter {
  logger: unknown = null;
  autoDownload = true;
  autoInstallOnAppQuit = true;
  allowDowngrade = true;
  allowPrerelease = true;
  setFeedURL = vi.fn();
  checkForUpdates = vi.fn(() => Promise.resolve(null));
  downloadUpdate = vi.fn(() => Promise.resolve([] as string[]));
  quitAndInstall = vi.fn();
}

let currentUpdater: FakeAutoUpdater | undefined;

export function fakeAutoUpdater(): FakeAutoUpdater {
  currentUpdater ??= new FakeAutoUpdater();
  return currentUpdater;
}

/** The module object for vi.mock('electron-updater', …) (CommonJS: our code uses the default export). */
export function electronUpdaterModule(): {
  default: { autoUpdater: FakeAutoUpdater };
  autoUpdater: FakeAutoUpdater;
} {
  const autoUpdater = fakeAutoUpdater();
  return { default: { autoUpdater }, autoUpdater };
}

/** Let pending promise callbacks and setImmediate tasks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

// ---- core -------------------------------------------------------------------------------------------

export interface FakeCoreState {
  settings: Map<string, string>;
  activeExamSession: boolean;
}

export function fakeCore(state: FakeCoreState = { settings: new Map(), activeExamSession: false }) {
  return {
    state,
    attachMessagePort: vi.fn((_port: unknown) => undefined),
    handleHttp: vi.fn((_request: Request) => Promise.resolve(undefined as Response | undefined)),
    getSetting: vi.fn((key: string) => Promise.resolve(state.settings.get(key))),
    hasActiveExamSession: vi.fn(() => Promise.resolve(state.activeExamSession)),
    close: vi.fn(() => Promise.resolve()),
  };
}

export type FakeCore = ReturnType<typeof fakeCore>;
