import type { BrowserWindow, Session, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FakeBrowserWindow,
  FakeSession,
  FakeWebContents,
  fakeElectron,
  navigationEvent,
} from '../../test/electron/fakes';
import type { Logger } from './logger';
import {
  WINDOW_TITLE,
  createMainWindow,
  getOurWindows,
  hardenSession,
  hardenWebContents,
  mainWindowOptions,
} from './window';

vi.mock('electron', async () => (await import('../../test/electron/fakes')).electronModule());

const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() } satisfies Logger;

function asWebContents(fake: FakeWebContents): WebContents {
  return fake as unknown as WebContents;
}

describe('mainWindowOptions', () => {
  const options = mainWindowOptions({ preloadPath: '/app/out/preload/index.cjs', appVersion: '1.2.3' });

  it('sandboxes the renderer: sandbox, context isolation, no Node, web security on', () => {
    const prefs = options.webPreferences!;
    expect(prefs.sandbox).toBe(true);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
  });

  it('keeps the developer tools off unless asked for', () => {
    expect(options.webPreferences!.devTools).toBe(false);
    const dev = mainWindowOptions({ preloadPath: '/p', appVersion: '1', devTools: true });
    expect(dev.webPreferences!.devTools).toBe(true);
  });

  it('enables no experimental or Blink features', () => {
    const prefs = options.webPreferences!;
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.enableBlinkFeatures).toBeUndefined();
  });

  it('uses our preload, the Chinese title and passes the version to the preload', () => {
    expect(options.webPreferences!.preload).toBe('/app/out/preload/index.cjs');
    expect(options.title).toBe(WINDOW_TITLE);
    expect(WINDOW_TITLE).toBe('职业技能等级认定考点系统');
    expect(options.webPreferences!.additionalArguments).toEqual(['--exam-site-version=1.2.3']);
  });
});

describe('hardenWebContents', () => {
  let contents: FakeWebContents;
  beforeEach(() => {
    contents = new FakeWebContents();
    hardenWebContents(asWebContents(contents), logger);
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])(
    '%s: allows app://renderer URLs',
    (name) => {
      const event = navigationEvent('app://renderer/index.html#/roster');
      contents.emit(name, event);
      expect(event.defaultPrevented).toBe(false);
    },
  );

  it.each([
    'https://example.com/',
    'http://127.0.0.1:8080/',
    'file:///etc/passwd',
    'app://renderer.evil.example/index.html',
    'app://evil@renderer.attacker/',
    'app://renderer@evil.example/',
    'app://other/index.html',
    'app://renderer:8443/index.html',
    'javascript:alert(1)',
    'not a url',
  ])('will-navigate: blocks %s', (url) => {
    const event = navigationEvent(url);
    contents.emit('will-navigate', event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('blocks frame navigation and redirects to other origins', () => {
    const frame = navigationEvent('https://example.com/');
    contents.emit('will-frame-navigate', frame);
    const redirect = navigationEvent('https://example.com/');
    contents.emit('will-redirect', redirect);
    expect(frame.defaultPrevented).toBe(true);
    expect(redirect.defaultPrevented).toBe(true);
  });

  it('denies every window.open, even to our own origin', () => {
    expect(contents.windowOpenHandler).toBeDefined();
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'app://renderer/index.html' })).toEqual({ action: 'deny' });
  });

  it('prevents <webview> attachment', () => {
    const event = navigationEvent('');
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('refuses certificate errors', () => {
    const callback = vi.fn();
    const event = navigationEvent('');
    contents.emit(
      'certificate-error',
      event,
      'https://10.0.0.1/',
      'net::ERR_CERT_AUTHORITY_INVALID',
      {},
      callback,
    );
    expect(callback).toHaveBeenCalledWith(false);
    expect(event.defaultPrevented).toBe(false);
  });

  it('registers its listeners only once per webContents', () => {
    hardenWebContents(asWebContents(contents), logger);
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.setWindowOpenHandler).toHaveBeenCalledTimes(1);
  });
});

describe('hardenSession', () => {
  let session: FakeSession;
  beforeEach(() => {
    session = new FakeSession();
    hardenSession(session as unknown as Session, logger);
  });
  const page = 'app://renderer/index.html';

  it('allows the camera (media, video only) for our page', () => {
    expect(session.request('media', { requestingUrl: page, mediaTypes: ['video'] })).toBe(true);
  });

  it.each([
    ['media', ['audio']],
    ['media', ['video', 'audio']],
    ['media', []],
    ['media', undefined],
    ['display-capture', ['video']],
    ['notifications', undefined],
    ['geolocation', undefined],
    ['clipboard-read', undefined],
    ['openExternal', undefined],
    ['hid', undefined],
    ['serial', undefined],
  ] as const)('denies %s %j', (permission, mediaTypes) => {
    expect(
      session.request(permission, {
        requestingUrl: page,
        ...(mediaTypes ? { mediaTypes: [...mediaTypes] } : {}),
      }),
    ).toBe(false);
  });

  it('denies the camera to any other origin', () => {
    expect(session.request('media', { requestingUrl: 'https://example.com/', mediaTypes: ['video'] })).toBe(
      false,
    );
  });

  it('permission checks follow the same rule', () => {
    const check = session.checkHandler!;
    expect(check({}, 'media', 'app://renderer', { mediaType: 'video' })).toBe(true);
    expect(check({}, 'media', 'app://renderer', { mediaType: 'audio' })).toBe(false);
    expect(check({}, 'media', 'https://example.com', { mediaType: 'video' })).toBe(false);
    expect(check({}, 'notifications', 'app://renderer', {})).toBe(false);
  });

  it('denies device (HID/serial/USB) access', () => {
    expect(session.deviceHandler!()).toBe(false);
  });
});

describe('createMainWindow', () => {
  it('creates a hardened window, loads app://renderer/index.html and tracks it as ours', () => {
    const electron = fakeElectron();
    const win = createMainWindow({ preloadPath: '/p/index.cjs', appVersion: '0.1.0' }, logger);
    const fake = electron.BrowserWindow.instances.at(-1)!;
    expect(win).toBe(fake as unknown as BrowserWindow);
    expect(fake.options).toEqual(mainWindowOptions({ preloadPath: '/p/index.cjs', appVersion: '0.1.0' }));
    expect(fake.webContents.loadURL).toHaveBeenCalledWith('app://renderer/index.html');
    expect(fake.webContents.setWindowOpenHandler).toHaveBeenCalled();
    expect(fake.webContents.session.requestHandler).toBeDefined();
    expect(getOurWindows()).toContain(win);

    fake.emit('ready-to-show');
    expect(fake.show).toHaveBeenCalled();

    fake.destroyed = true;
    fake.emit('closed');
    expect(getOurWindows()).not.toContain(win);
    expect(FakeBrowserWindow.instances).toContain(fake);
  });
});
