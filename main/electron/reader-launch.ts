/**
 * How the desktop app builds its ID card reader. The simulator and the SAM serial driver need nothing from
 * Electron; the vendor-SDK driver needs its helper program, which under Electron cannot be started the
 * development way (process.execPath is the Electron binary and the runAsNode fuse is off). So the desktop
 * app always starts the staged helper: resources/idcard-helper when installed (electron-builder.yml
 * extraResources), <project>/.tmp/idcard-helper when run from the sources after
 * `node scripts/stage-idcard-helper.mjs`. Its working directory is <userData>/idcard-helper (the Huashi DLL
 * writes wz.txt and zp.bmp there). No `electron` import: main.ts passes the paths in.
 */
import path from 'node:path';
import type { ReaderConfig } from '../../shared/contract/devices';
import { createReader } from '../devices/idcard/index';
import type { IdCardReader } from '../devices/idcard/reader';
import { packagedHelperLaunch } from '../devices/idcard/vendor-sdk-driver';

export interface DesktopPaths {
  isPackaged: boolean;
  /** process.resourcesPath. */
  resourcesPath: string;
  /** app.getAppPath(): the project folder when run from the sources. */
  appPath: string;
  /** app.getPath('userData'). */
  userDataPath: string;
}

/** Where the staged helper (helper-main.mjs, node-win-x86/, node_modules/) is. */
export function helperResourcesRoot(paths: DesktopPaths): string {
  return paths.isPackaged ? paths.resourcesPath : path.join(paths.appPath, '.tmp');
}

export function desktopReaderFactory(paths: DesktopPaths): (config: ReaderConfig) => IdCardReader {
  return (config) => {
    if (config.driver !== 'vendor-sdk') return createReader(config);
    return createReader({
      ...config,
      helper: {
        ...packagedHelperLaunch(helperResourcesRoot(paths)),
        cwd: path.join(paths.userDataPath, 'idcard-helper'),
      },
    });
  };
}
