import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Fakes from '../../test/electron/fakes';
import type { FakeCore, FakeElectron } from '../../test/electron/fakes';

// main.ts runs at import, like the real entry, and keeps module state; so every test loads it afresh
// (vi.resetModules) with fresh fakes registered through vi.doMock (see loadMain). 'electron' is never
// imported for real: there is no Electron binary here.

const base = mkdtempSync(path.join(tmpdir(), 'exam-site-main-'));
const appPath = path.join(base, 'app');
const userData = path.join(base, 'user-data');
mkdirSync(path.join(appPath, 'out', 'renderer'), { recursive: true });
writeFileSync(path.join(appPath, 'out', 'renderer', 'index.html'), '<!doctype html><title>考点</title>');
writeFileSync(path.join(base, 'passwd'), 'root:x:0:0');

afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Loaded {
  electron: FakeElectron;
  fakes: typeof Fakes;
  core: FakeCore;
  openCore: ReturnType<typeof vi.fn>;
}

/** Load main.ts afresh with fresh fakes, the single-instance lock granted or not. */
async function loadMain(gotLock: boolean): Promise<Loaded> {
  vi.resetModules();
  const fakes = await import('../../test/electron/fakes');
  const electron = fakes.fakeElectron();
  electron.app.gotLock = gotLock;
  electron.app.appPath = appPath;
  electron.app.userDataPath = userData;
  const core = fakes.fakeCore();
  const openCore = vi.fn((_options: unknown) => Promise.resolve(core));
  vi.doMock('electron', () => fakes.electronModule());
  vi.doMock('electron-updater', () => fakes.electronUpdaterModule());
  vi.doMock('../core/index', () => ({ openCore }));
  await import('./main');
  return { electron, fakes, core, openCore };
}

/** Resolve app.whenReady() and wait until the window exists. */
async function becomeReady({ electron }: Loaded): Promise<void> {
  electron.app.ready.resolve();
  await vi.waitFor(() => expect(electron.BrowserWindow.instances).toHaveLength(1));
}

const savedDatabaseUrl = process.env.DATABASE_URL;
const savedUserDataDir = process.env.EXAM_SITE_USER_DATA_DIR;
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  if (savedDatabaseUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedDatabaseUrl;
  if (savedUserDataDir === undefined) delete process.env.EXAM_SITE_USER_DATA_DIR;
  else process.env.EXAM_SITE_USER_DATA_DIR = savedUserDataDir;
});

describe('main process: single instance', () => {
  it('quits a second instance at once, before it registers anything', async () => {
    const { electron, openCore } = await loadMain(false);
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.app.whenReady).not.toHaveBeenCalled();
    expect(electron.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(electron.app.listenerCount('second-instance')).toBe(0);
    expect(openCore).not.toHaveBeenCalled();
  });

  it('focuses (and restores) the existing window when a second instance starts', async () => {
    const loaded = await loadMain(true);
    expect(loaded.electron.app.quit).not.toHaveBeenCalled();
    await becomeReady(loaded);
    const win = loaded.electron.BrowserWindow.instances[0]!;
    win.minimized = true;
    loaded.electron.app.emit('second-instance', {}, ['exam-site.exe'], 'C:\\');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });
});

describe('main process: before ready', () => {
  it('EXAM_SITE_USER_DATA_DIR moves the profile (and the lock) before the lock is taken', async () => {
    const profile = path.join(base, 'profile-b');
    process.env.EXAM_SITE_USER_DATA_DIR = profile;
    const loaded = await loadMain(true);
    const { app } = loaded.electron;
    expect(app.setPath).toHaveBeenCalledWith('userData', profile);
    expect(app.setPath.mock.invocationCallOrder[0]).toBeLessThan(
      app.requestSingleInstanceLock.mock.invocationCallOrder[0]!,
    );
    await becomeReady(loaded);
    expect(loaded.openCore).toHaveBeenCalledWith(
      expect.objectContaining({ dataDir: path.join(profile, 'data') }),
    );
  });

  it('enables the sandbox and registers app:// as a privileged scheme before ready', async () => {
    const { electron } = await loadMain(true);
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    // Nothing that needs 'ready' has happened yet.
    expect(electron.protocol.handle).not.toHaveBeenCalled();
    expect(electron.BrowserWindow.instances).toHaveLength(0);
  });
});

describe('main process: after ready', () => {
  it('opens the core on <userData>/data with DATABASE_URL, then the window on app://renderer', async () => {
    process.env.DATABASE_URL = 'postgres://exam@db.site.lan/exam';
    const loaded = await loadMain(true);
    await becomeReady(loaded);
    expect(loaded.openCore).toHaveBeenCalledWith({
      dataDir: path.join(userData, 'data'),
      databaseUrl: 'postgres://exam@db.site.lan/exam',
      demo: false,
      readerFactory: expect.any(Function) as unknown,
    });
    const win = loaded.electron.BrowserWindow.instances[0]!;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs.sandbox).toBe(true);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.preload).toBe(path.join(appPath, 'out', 'preload', 'index.cjs'));
    expect(prefs.devTools).toBe(true); // not packaged in this test
    expect(win.webContents.loadURL).toHaveBeenCalledWith('app://renderer/index.html');
    // The core was opened before the window was created.
    expect(loaded.openCore.mock.invocationCallOrder[0]).toBeLessThan(
      win.webContents.loadURL.mock.invocationCallOrder[0]!,
    );
  });

  it('turns the developer tools off in a packaged app', async () => {
    const loaded = await loadMain(true);
    loaded.electron.app.isPackaged = true;
    await becomeReady(loaded);
    const prefs = loaded.electron.BrowserWindow.instances[0]!.options.webPreferences as Record<
      string,
      unknown
    >;
    expect(prefs.devTools).toBe(false);
  });

  it('serves out/renderer through app:// with the CSP and refuses traversal', async () => {
    const loaded = await loadMain(true);
    await becomeReady(loaded);
    const handler = loaded.electron.protocol.handlers.get('app');
    expect(handler).toBeDefined();
    const ok = await handler!(new Request('app://renderer/index.html'));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('考点');
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const url of [
      'app://renderer/../../passwd',
      'app://renderer/../../etc/passwd',
      'app://renderer/..%2F..%2F..%2Fpasswd',
      'app://renderer/%2e%2e%5C%2e%2e%5C..%5Cpasswd',
    ]) {
      const refused = await handler!(new Request(url));
      expect(refused.status, url).toBeGreaterThanOrEqual(400);
      expect(await refused.text()).not.toContain('root:x');
    }
  });

  it('hardens every webContents that is created, and wires the port bridge to the core', async () => {
    const loaded = await loadMain(true);
    await becomeReady(loaded);
    const stray = new loaded.fakes.FakeWebContents();
    loaded.electron.app.emit('web-contents-created', {}, stray);
    const nav = loaded.fakes.navigationEvent('https://example.com/');
    stray.emit('will-navigate', nav);
    expect(nav.defaultPrevented).toBe(true);

    const win = loaded.electron.BrowserWindow.instances[0]!;
    const port = new loaded.fakes.FakeMessagePort();
    loaded.electron.ipcMain.emit('exam-site:port', {
      sender: win.webContents,
      senderFrame: win.webContents.mainFrame,
      ports: [port],
    });
    expect(loaded.core.attachMessagePort).toHaveBeenCalledWith(port);
  });

  it('refuses certificate errors app-wide', async () => {
    const { electron } = await loadMain(true);
    const callback = vi.fn();
    electron.app.emit(
      'certificate-error',
      { preventDefault: vi.fn() },
      {},
      'https://x/',
      'ERR',
      {},
      callback,
    );
    expect(callback).toHaveBeenCalledWith(false);
  });

  it('shows a Chinese error and exits when the core cannot be opened', async () => {
    const loaded = await loadMain(true);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    loaded.openCore.mockRejectedValueOnce(new Error('数据库版本高于程序版本'));
    loaded.electron.app.ready.resolve();
    await vi.waitFor(() => expect(loaded.electron.app.exit).toHaveBeenCalledWith(1));
    const [title, text] = loaded.electron.dialog.showErrorBox.mock.calls[0] as [string, string];
    expect(title).toContain('无法启动');
    expect(text).toContain('数据库版本高于程序版本');
    expect(loaded.electron.BrowserWindow.instances).toHaveLength(0);
  });
});

describe('main process: quitting and updates', () => {
  async function quit(loaded: Loaded): Promise<{ preventDefault: ReturnType<typeof vi.fn> }> {
    const event = { preventDefault: vi.fn() };
    loaded.electron.app.emit('before-quit', event);
    await vi.waitFor(() => expect(loaded.electron.app.quit).toHaveBeenCalled());
    return event;
  }

  it('closes the core before the app goes away', async () => {
    const loaded = await loadMain(true);
    await becomeReady(loaded);
    const event = await quit(loaded);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(loaded.core.close).toHaveBeenCalledTimes(1);
    // The second before-quit (from app.quit()) goes through.
    const again = { preventDefault: vi.fn() };
    loaded.electron.app.emit('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('does not install a downloaded update while an exam session is active', async () => {
    const loaded = await loadMain(true);
    await becomeReady(loaded);
    const autoUpdater = loaded.fakes.fakeAutoUpdater();
    autoUpdater.emit('update-downloaded', { version: '0.2.0' });
    loaded.core.state.activeExamSession = true;
    await quit(loaded);
    expect(loaded.core.hasActiveExamSession).toHaveBeenCalled();
    expect(autoUpdater.quitAndInstall).not.toHaveBeenCalled();
    expect(loaded.core.close).toHaveBeenCalled();
  });

  it('installs a downloaded update on quit, after closing the core, when no exam session runs', async () => {
    const loaded = await loadMain(true);
    await becomeReady(loaded);
    const autoUpdater = loaded.fakes.fakeAutoUpdater();
    autoUpdater.emit('update-downloaded', { version: '0.2.0' });
    loaded.core.state.activeExamSession = false;
    await quit(loaded);
    expect(autoUpdater.quitAndInstall).toHaveBeenCalledWith(true, false);
    expect(loaded.core.close.mock.invocationCallOrder[0]).toBeLessThan(
      autoUpdater.quitAndInstall.mock.invocationCallOrder[0]!,
    );
  });

  it('the updater stays idle when updater.url is not set', async () => {
    const loaded = await loadMain(true);
    await becomeReady(loaded);
    await loaded.fakes.settle();
    const autoUpdater = loaded.fakes.fakeAutoUpdater();
    expect(loaded.core.getSetting).toHaveBeenCalledWith('updater.url');
    expect(autoUpdater.setFeedURL).not.toHaveBeenCalled();
    expect(autoUpdater.checkForUpdates).not.toHaveBeenCalled();
  });
});
