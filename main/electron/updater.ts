import electronUpdater, { type AppUpdater, type UpdateInfo } from 'electron-updater';
import type { Core } from '../core/types';
import type { Logger } from './logger';

/**
 * Updates from the site's intranet server (electron-updater, generic provider).
 *
 * - The server URL is the core setting 'updater.url' (read again before every check, so changing it in
 *   the settings takes effect without a restart). No URL: the updater does nothing at all.
 * - It checks at start and then every few hours, and downloads an update as soon as one is available.
 * - It never installs by itself (autoInstallOnAppQuit is off). Only when the app quits does main.ts ask
 *   canInstallOnQuit(), which says yes only if no exam session is running at this site; main.ts then
 *   closes the core and calls install(). During an exam session the update waits for a later quit.
 * - The downloaded installer is still checked by electron-updater (sha512 from latest.yml and, on Windows,
 *   the code signature against publisherName in app-update.yml).
 */

export const UPDATER_URL_SETTING = 'updater.url';
export const DEFAULT_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

export interface UpdaterOptions {
  core: Pick<Core, 'getSetting' | 'hasActiveExamSession'>;
  logger: Logger;
  /** Time between checks; default 4 hours. */
  intervalMs?: number;
}

export interface Updater {
  /** Read 'updater.url' and ask the server for an update (no URL: nothing happens). */
  check(): Promise<void>;
  /** True once an update has been downloaded and waits to be installed. */
  readonly hasDownloadedUpdate: boolean;
  /**
   * Asked while the app quits: true when a downloaded update may be installed now, that is when no exam
   * session is running at this site. When the session state cannot be read the answer is false.
   */
  canInstallOnQuit(): Promise<boolean>;
  /**
   * Run the downloaded installer silently (it replaces the app after the process exits) and quit.
   * Call it only after canInstallOnQuit() said true and the core has been closed.
   */
  install(): void;
  /** Stop the periodic checks. */
  stop(): void;
}

function getAutoUpdater(): AppUpdater {
  // electron-updater is CommonJS; its autoUpdater getter requires 'electron', so read it only here.
  return electronUpdater.autoUpdater;
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export function startUpdater({
  core,
  logger,
  intervalMs = DEFAULT_CHECK_INTERVAL_MS,
}: UpdaterOptions): Updater {
  const updater = getAutoUpdater();
  updater.logger = logger;
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = false;
  updater.allowPrerelease = false;

  let feedUrl: string | undefined;
  let downloading = false;
  let downloaded: UpdateInfo | undefined;

  updater.on('update-available', (info) => {
    if (downloading || downloaded) return;
    downloading = true;
    logger.info(`update ${info.version} available; downloading`);
    updater
      .downloadUpdate()
      .catch((error: unknown) => logger.error('update download failed', error))
      .finally(() => {
        downloading = false;
      });
  });
  updater.on('update-downloaded', (info) => {
    downloaded = info;
    logger.info(
      `update ${info.version} downloaded; it will be installed when the app quits outside an exam session`,
    );
  });
  updater.on('error', (error) => logger.error('updater error', error));

  async function check(): Promise<void> {
    let url: string | undefined;
    try {
      url = (await core.getSetting(UPDATER_URL_SETTING))?.trim();
    } catch (error) {
      logger.warn(`could not read the setting ${UPDATER_URL_SETTING}`, error);
      return;
    }
    if (!url) {
      logger.debug(`${UPDATER_URL_SETTING} is not set: no update check`);
      return;
    }
    if (!isHttpUrl(url)) {
      logger.warn(`${UPDATER_URL_SETTING} is not an http(s) URL: no update check`, url);
      return;
    }
    if (url !== feedUrl) {
      updater.setFeedURL({ provider: 'generic', url });
      feedUrl = url;
    }
    try {
      await updater.checkForUpdates();
    } catch (error) {
      logger.warn('update check failed', error);
    }
  }

  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  void check();

  return {
    check,
    get hasDownloadedUpdate() {
      return downloaded !== undefined;
    },
    async canInstallOnQuit() {
      if (!downloaded) return false;
      let active: boolean;
      try {
        active = await core.hasActiveExamSession();
      } catch (error) {
        logger.error('could not tell whether an exam session is running; the update is not installed', error);
        return false;
      }
      if (active) {
        logger.warn(`an exam session is running: update ${downloaded.version} waits for a later quit`);
        return false;
      }
      return true;
    },
    install() {
      if (!downloaded) return;
      logger.info(`installing update ${downloaded.version}`);
      updater.quitAndInstall(true, false);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
