import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronBinary = { found: true; executablePath: string } | { found: false; reason: string };

/** The executable inside an Electron dist folder, by platform (as the electron package names it). */
function executableName(): string {
  if (process.platform === 'win32') return 'electron.exe';
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return 'electron';
}

/**
 * Locate the Electron executable WITHOUT triggering a download. (require('electron') — and Playwright's
 * _electron.launch() without executablePath, which requires it — starts a download from GitHub when the
 * binary is missing, and fails on machines without internet access.)
 *
 * Order: ELECTRON_OVERRIDE_DIST_PATH, then node_modules/electron/path.txt → node_modules/electron/dist/….
 */
export function findElectronBinary(): ElectronBinary {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executablePath = path.join(override, executableName());
    return existsSync(executablePath)
      ? { found: true, executablePath }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${executablePath} does not exist` };
  }
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { found: false, reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      found: false,
      reason: `${path.relative(process.cwd(), pathFile)} is missing: the Electron binary was never downloaded (no access to GitHub); set ELECTRON_OVERRIDE_DIST_PATH to a local Electron dist folder to run these tests`,
    };
  }
  const executablePath = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executablePath)
    ? { found: true, executablePath }
    : { found: false, reason: `${executablePath} (named in path.txt) does not exist` };
}
