/**
 * The Electron main process (built by electron-vite to out/main/index.js).
 *
 * Order matters: the single-instance lock, the sandbox switch and the app:// scheme privileges are set
 * before 'ready'; after 'ready' the app:// protocol is served, the core is opened on
 * <userData>/data (or on DATABASE_URL), the MessagePort bridge is registered and then the window opens.
 * On quit the core is closed, and a downloaded update is installed only if no exam session is running.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { app, dialog, protocol, type BrowserWindow } from 'electron';
import { openCore } from '../core/index';
import type { Core } from '../core/types';
import { registerPortBridge } from './ipc';
import { desktopReaderFactory } from './reader-launch';
import { createLogger, setLogFile } from './logger';
import { APP_SCHEME } from './origin';
import { APP_SCHEME_PRIVILEGES, createRendererProtocolHandler } from './protocol';
import { startUpdater, type Updater } from './updater';
import { createMainWindow, getOurWindows, hardenWebContents } from './window';

const APP_USER_MODEL_ID = 'cn.examsite.desktop';
/**
 * Run with a separate profile (Chromium data and the exam data under <dir>/data): end-to-end tests and
 * support staff use it. It also scopes the single-instance lock, which Electron keys on this folder.
 */
const USER_DATA_DIR_ENV = 'EXAM_SITE_USER_DATA_DIR';
const logger = createLogger('main');

let mainWindow: BrowserWindow | undefined;
let corePromise: Promise<Core> | undefined;
let updater: Updater | undefined;
let shutdown: 'running' | 'closing' | 'done' = 'running';

/** Where electron-vite put the built files: <app>/out/{main,preload,renderer}. */
function outDir(...parts: string[]): string {
  return path.join(app.getAppPath(), 'out', ...parts);
}

function focusMainWindow(): void {
  const win = mainWindow;
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

/** process.resourcesPath; undefined when not run by Electron (the mocked-electron tests). */
function resourcesPath(): string {
  const resources: string | undefined = process.resourcesPath;
  return resources ?? app.getAppPath();
}

async function onReady(): Promise<void> {
  const dataDir = path.join(app.getPath('userData'), 'data');
  await mkdir(path.join(dataDir, 'logs'), { recursive: true });
  setLogFile(path.join(dataDir, 'logs', 'electron.log'));
  logger.info(`starting ${app.getName()} ${app.getVersion()} (Electron ${process.versions.electron})`);

  protocol.handle(APP_SCHEME, createRendererProtocolHandler(outDir('renderer')));

  const opening = openCore({
    dataDir,
    databaseUrl: process.env.DATABASE_URL || undefined,
    demo: process.env.EXAM_SITE_DEMO === '1',
    readerFactory: desktopReaderFactory({
      isPackaged: app.isPackaged,
      resourcesPath: resourcesPath(),
      appPath: app.getAppPath(),
      userDataPath: app.getPath('userData'),
    }),
  });
  corePromise = opening;
  const core = await opening;

  registerPortBridge(core, getOurWindows, createLogger('ipc'));
  mainWindow = createMainWindow(
    {
      preloadPath: outDir('preload', 'index.cjs'),
      appVersion: app.getVersion(),
      devTools: !app.isPackaged || process.env.EXAM_SITE_DEVTOOLS === '1',
    },
    createLogger('window'),
  );
  mainWindow.on('closed', () => {
    mainWindow = undefined;
  });
  updater = startUpdater({ core, logger: createLogger('updater') });
}

function failStart(error: unknown): void {
  logger.error('start-up failed', error);
  const detail = error instanceof Error ? error.message : String(error);
  dialog.showErrorBox('职业技能等级认定考点系统无法启动', `启动时出错：${detail}\n\n请联系考点技术人员。`);
  app.exit(1);
}

/** Close the core, then either install a waiting update (outside exam sessions only) or just quit. */
async function shutDown(): Promise<void> {
  updater?.stop();
  let install = false;
  try {
    install = (await updater?.canInstallOnQuit()) ?? false;
  } catch (error) {
    logger.error('update decision failed', error);
  }
  try {
    const core = await corePromise;
    await core?.close();
  } catch (error) {
    logger.error('closing the core failed', error);
  }
  shutdown = 'done';
  // install() spawns the installer synchronously; it takes over once this process has exited.
  if (install) updater?.install();
  app.quit();
}

export function runMainProcess(): void {
  const userDataDir = process.env[USER_DATA_DIR_ENV];
  if (userDataDir) app.setPath('userData', path.resolve(userDataDir));

  if (!app.requestSingleInstanceLock()) {
    // Another instance owns the data folder: it focuses its window ('second-instance'); this one leaves.
    app.quit();
    return;
  }

  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  app.on('second-instance', () => focusMainWindow());
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, createLogger('window')));
  app.on('certificate-error', (_event, _contents, url, error, _certificate, callback) => {
    logger.warn(`certificate error refused: ${error}`, url);
    callback(false);
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (shutdown === 'done') return;
    event.preventDefault();
    if (shutdown === 'closing') return;
    shutdown = 'closing';
    void shutDown();
  });

  app.whenReady().then(onReady).catch(failStart);
}

runMainProcess();
