import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { desktopReaderFactory, helperResourcesRoot } from './reader-launch';

const installed = {
  isPackaged: true,
  resourcesPath: path.join('C:', 'Program Files', 'exam-site', 'resources'),
  appPath: path.join('C:', 'Program Files', 'exam-site', 'resources', 'app.asar'),
  userDataPath: path.join('C:', 'Users', 'kaowu', 'AppData', 'Roaming', 'exam-site'),
};

describe('the desktop reader factory', () => {
  it('starts the shipped helper from resources when installed, the staged one from .tmp in development', () => {
    expect(helperResourcesRoot(installed)).toBe(installed.resourcesPath);
    expect(helperResourcesRoot({ ...installed, isPackaged: false, appPath: '/src/exam-site' })).toBe(
      path.join('/src/exam-site', '.tmp'),
    );
  });

  it('builds the simulator and serial readers as usual, without any helper', async () => {
    const make = desktopReaderFactory(installed);
    const sim = make({ driver: 'simulator' });
    await sim.open();
    expect(sim.status().state).toBe('ready');
    await sim.close();
    const serial = make({ driver: 'sam-serial', path: 'COM9', baudRate: 115200 });
    expect(serial.status().state).toBe('closed');
  });

  it('a vendor-SDK reader whose helper is missing says so instead of starting a second app', async () => {
    const make = desktopReaderFactory({
      ...installed,
      resourcesPath: path.join('/nonexistent', 'resources'),
    });
    const reader = make({ driver: 'vendor-sdk', flavour: 'sdtapi' });
    const error = await reader.open().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not_available' });
    expect(String((error as Error).message)).toMatch(/node\.exe|读卡器助手/);
    await reader.close();
  });
});
