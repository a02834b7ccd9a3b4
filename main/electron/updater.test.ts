import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  fakeAutoUpdater,
  fakeCore,
  settle,
  type FakeAutoUpdater,
  type FakeCore,
} from '../../test/electron/fakes';
import type { Logger } from './logger';
import { UPDATER_URL_SETTING, startUpdater, type Updater } from './updater';

vi.mock('electron', async () => (await import('../../test/electron/fakes')).electronModule());
vi.mock('electron-updater', async () => (await import('../../test/electron/fakes')).electronUpdaterModule());

const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() } satisfies Logger;
const UPDATE = { version: '0.2.0', files: [], path: 'x.exe', sha512: 'abc', releaseDate: '2026-11-22' };

let autoUpdater: FakeAutoUpdater;
let core: FakeCore;
let updater: Updater | undefined;

beforeEach(() => {
  autoUpdater = fakeAutoUpdater();
  autoUpdater.removeAllListeners();
  vi.clearAllMocks();
  core = fakeCore();
});

afterEach(() => updater?.stop());

describe('startUpdater', () => {
  it('never downloads or installs on its own', () => {
    updater = startUpdater({ core, logger });
    expect(autoUpdater.autoDownload).toBe(false);
    expect(autoUpdater.autoInstallOnAppQuit).toBe(false);
    expect(autoUpdater.allowDowngrade).toBe(false);
    expect(autoUpdater.logger).toBe(logger);
  });

  it('does nothing when updater.url is not set', async () => {
    updater = startUpdater({ core, logger });
    await settle();
    await updater.check();
    expect(core.getSetting).toHaveBeenCalledWith(UPDATER_URL_SETTING);
    expect(autoUpdater.setFeedURL).not.toHaveBeenCalled();
    expect(autoUpdater.checkForUpdates).not.toHaveBeenCalled();
    expect(autoUpdater.downloadUpdate).not.toHaveBeenCalled();
  });

  it('ignores a URL that is not http(s)', async () => {
    core.state.settings.set(UPDATER_URL_SETTING, 'file:///C:/updates');
    updater = startUpdater({ core, logger });
    await settle();
    expect(autoUpdater.setFeedURL).not.toHaveBeenCalled();
    expect(autoUpdater.checkForUpdates).not.toHaveBeenCalled();
  });

  it('checks the generic server from updater.url at start, and again on the interval', async () => {
    vi.useFakeTimers();
    try {
      core.state.settings.set(UPDATER_URL_SETTING, ' https://updates.site.lan/exam-site/ ');
      updater = startUpdater({ core, logger, intervalMs: 1000 });
      await vi.advanceTimersByTimeAsync(0);
      expect(autoUpdater.setFeedURL).toHaveBeenCalledWith({
        provider: 'generic',
        url: 'https://updates.site.lan/exam-site/',
      });
      expect(autoUpdater.checkForUpdates).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1000);
      expect(autoUpdater.checkForUpdates).toHaveBeenCalledTimes(2);
      expect(autoUpdater.setFeedURL).toHaveBeenCalledTimes(1);
    } finally {
      updater?.stop();
      vi.useRealTimers();
    }
  });

  it('downloads as soon as an update is available', async () => {
    updater = startUpdater({ core, logger });
    autoUpdater.emit('update-available', UPDATE);
    autoUpdater.emit('update-available', UPDATE);
    await settle();
    expect(autoUpdater.downloadUpdate).toHaveBeenCalledTimes(1);
  });

  it('a failed check or download is logged, not thrown', async () => {
    core.state.settings.set(UPDATER_URL_SETTING, 'https://updates.site.lan/');
    autoUpdater.checkForUpdates.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    autoUpdater.downloadUpdate.mockRejectedValueOnce(new Error('sha512 mismatch'));
    updater = startUpdater({ core, logger });
    await settle();
    autoUpdater.emit('update-available', UPDATE);
    await settle();
    expect(logger.warn).toHaveBeenCalledWith('update check failed', expect.any(Error));
    expect(logger.error).toHaveBeenCalledWith('update download failed', expect.any(Error));
  });
});

describe('install on quit', () => {
  it('has nothing to install before a download finished', async () => {
    updater = startUpdater({ core, logger });
    expect(updater.hasDownloadedUpdate).toBe(false);
    expect(await updater.canInstallOnQuit()).toBe(false);
    updater.install();
    expect(autoUpdater.quitAndInstall).not.toHaveBeenCalled();
  });

  it('does not install while an exam session is running', async () => {
    updater = startUpdater({ core, logger });
    autoUpdater.emit('update-downloaded', UPDATE);
    core.state.activeExamSession = true;
    expect(updater.hasDownloadedUpdate).toBe(true);
    expect(await updater.canInstallOnQuit()).toBe(false);
    expect(core.hasActiveExamSession).toHaveBeenCalled();
    expect(autoUpdater.quitAndInstall).not.toHaveBeenCalled();
  });

  it('does not install when the session state cannot be read', async () => {
    updater = startUpdater({ core, logger });
    autoUpdater.emit('update-downloaded', UPDATE);
    core.hasActiveExamSession.mockRejectedValueOnce(new Error('database is closed'));
    expect(await updater.canInstallOnQuit()).toBe(false);
  });

  it('installs silently, without relaunching, once no exam session is running', async () => {
    updater = startUpdater({ core, logger });
    autoUpdater.emit('update-downloaded', UPDATE);
    core.state.activeExamSession = false;
    expect(await updater.canInstallOnQuit()).toBe(true);
    updater.install();
    expect(autoUpdater.quitAndInstall).toHaveBeenCalledWith(true, false);
  });
});
