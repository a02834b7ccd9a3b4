import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ELECTRON_BRIDGE_KEY,
  ELECTRON_PORT_CHANNEL,
  ORPC_CLIENT_START_MESSAGE,
  type ExamSiteBridge,
} from '../../shared/electron-bridge';
import { fakeElectron } from '../../test/electron/fakes';
import type { PageMessageEventLike, PreloadWindowLike } from './preload-bridge';

vi.mock('electron', async () => (await import('../../test/electron/fakes')).electronModule());

type Listener = (event: PageMessageEventLike) => void;

/** The page's window as the preload sees it: an origin and 'message' listeners. */
class FakePageWindow implements PreloadWindowLike {
  readonly location = { origin: 'app://renderer' };
  readonly listeners: Listener[] = [];
  addEventListener(_type: 'message', listener: Listener): void {
    this.listeners.push(listener);
  }
  dispatch(event: PageMessageEventLike): void {
    for (const listener of this.listeners) listener(event);
  }
}

const page = new FakePageWindow();
const port = { id: 'server-port' };

beforeAll(async () => {
  vi.stubGlobal('window', page);
  process.argv.push('--exam-site-version=1.4.2');
  await import('./preload');
});

afterAll(() => {
  vi.unstubAllGlobals();
  process.argv.splice(process.argv.indexOf('--exam-site-version=1.4.2'), 1);
});

function message(overrides: Partial<PageMessageEventLike>): PageMessageEventLike {
  return {
    data: ORPC_CLIENT_START_MESSAGE,
    origin: 'app://renderer',
    source: page,
    ports: [port],
    ...overrides,
  };
}

describe('preload', () => {
  it('exposes only window.examSite = { platform: "electron", version }', () => {
    const { contextBridge } = fakeElectron();
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [key, value] = contextBridge.exposeInMainWorld.mock.calls[0] as [string, ExamSiteBridge];
    expect(key).toBe(ELECTRON_BRIDGE_KEY);
    expect(key).toBe('examSite');
    expect(value).toEqual({ platform: 'electron', version: '1.4.2' });
    expect(Object.isFrozen(value)).toBe(true);
  });

  it('forwards the port the page posts to itself with the start message', () => {
    const { ipcRenderer } = fakeElectron();
    ipcRenderer.postMessage.mockClear();
    page.dispatch(message({}));
    expect(ipcRenderer.postMessage).toHaveBeenCalledTimes(1);
    expect(ipcRenderer.postMessage).toHaveBeenCalledWith(ELECTRON_PORT_CHANNEL, null, [port]);
  });

  it('ignores other messages, other windows (iframes), other origins, and missing or extra ports', () => {
    const { ipcRenderer } = fakeElectron();
    ipcRenderer.postMessage.mockClear();
    page.dispatch(message({ data: 'hello' }));
    page.dispatch(message({ data: { type: ORPC_CLIENT_START_MESSAGE } }));
    page.dispatch(message({ source: { fake: 'iframe window' } }));
    page.dispatch(message({ source: null }));
    page.dispatch(message({ origin: 'https://evil.example' }));
    page.dispatch(message({ ports: [] }));
    page.dispatch(message({ ports: [port, port] }));
    expect(ipcRenderer.postMessage).not.toHaveBeenCalled();
  });
});
