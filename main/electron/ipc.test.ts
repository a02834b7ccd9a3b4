import type { IpcMainEvent } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ELECTRON_PORT_CHANNEL } from '../../shared/electron-bridge';
import {
  FakeBrowserWindow,
  FakeMessagePort,
  FakeWebContents,
  fakeCore,
  fakeElectron,
  type FakeFrame,
} from '../../test/electron/fakes';
import { isTrustedSender, registerPortBridge, type SenderEventLike, type WindowLike } from './ipc';
import type { Logger } from './logger';

vi.mock('electron', async () => (await import('../../test/electron/fakes')).electronModule());

const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() } satisfies Logger;

function senderEvent(sender: FakeWebContents, frame: FakeFrame | null, ports: FakeMessagePort[] = []) {
  return { sender, senderFrame: frame, ports };
}

function asEvent(event: ReturnType<typeof senderEvent>): SenderEventLike & IpcMainEvent {
  return event as unknown as SenderEventLike & IpcMainEvent;
}

function asWindows(windows: FakeBrowserWindow[]): WindowLike[] {
  return windows as unknown as WindowLike[];
}

describe('isTrustedSender', () => {
  let win: FakeBrowserWindow;
  beforeEach(() => {
    win = new FakeBrowserWindow({});
  });

  it('accepts the main frame of our window showing app://renderer', () => {
    const event = senderEvent(win.webContents, win.webContents.mainFrame);
    expect(isTrustedSender(asEvent(event), asWindows([win]))).toBe(true);
  });

  it('accepts a main frame object that is equal by process and routing id', () => {
    const frame = { ...win.webContents.mainFrame };
    expect(isTrustedSender(asEvent(senderEvent(win.webContents, frame)), asWindows([win]))).toBe(true);
  });

  it('rejects a sub-frame (iframe) of our window, even on our origin', () => {
    const frame = win.webContents.subFrame('app://renderer/embedded.html');
    expect(isTrustedSender(asEvent(senderEvent(win.webContents, frame)), asWindows([win]))).toBe(false);
  });

  it('rejects any frame that has a parent, whatever ids it reports', () => {
    const frame = { ...win.webContents.mainFrame, parent: win.webContents.mainFrame };
    expect(isTrustedSender(asEvent(senderEvent(win.webContents, frame)), asWindows([win]))).toBe(false);
  });

  it('rejects a main frame on a foreign origin', () => {
    win.webContents.mainFrame.url = 'https://evil.example/';
    const event = senderEvent(win.webContents, win.webContents.mainFrame);
    expect(isTrustedSender(asEvent(event), asWindows([win]))).toBe(false);
  });

  it.each([
    'app://renderer.evil/',
    'app://other/index.html',
    'file:///C:/app/index.html',
    'http://renderer/',
  ])('rejects look-alike origin %s', (url) => {
    win.webContents.mainFrame.url = url;
    const event = senderEvent(win.webContents, win.webContents.mainFrame);
    expect(isTrustedSender(asEvent(event), asWindows([win]))).toBe(false);
  });

  it('rejects a webContents that is not one of our windows', () => {
    const stranger = new FakeWebContents();
    expect(isTrustedSender(asEvent(senderEvent(stranger, stranger.mainFrame)), asWindows([win]))).toBe(false);
  });

  it('rejects a frame claiming our window but not being its main frame', () => {
    const other = new FakeWebContents();
    expect(isTrustedSender(asEvent(senderEvent(win.webContents, other.mainFrame)), asWindows([win]))).toBe(
      false,
    );
  });

  it('rejects a destroyed window and a frame that is gone', () => {
    win.destroyed = true;
    expect(
      isTrustedSender(asEvent(senderEvent(win.webContents, win.webContents.mainFrame)), asWindows([win])),
    ).toBe(false);
    win.destroyed = false;
    expect(isTrustedSender(asEvent(senderEvent(win.webContents, null)), asWindows([win]))).toBe(false);
  });
});

describe('registerPortBridge', () => {
  it('hands a port from a trusted sender to the core', () => {
    const { ipcMain } = fakeElectron();
    const core = fakeCore();
    const win = new FakeBrowserWindow({});
    const unregister = registerPortBridge(core, () => asWindows([win]), logger);

    const port = new FakeMessagePort();
    ipcMain.emit(ELECTRON_PORT_CHANNEL, senderEvent(win.webContents, win.webContents.mainFrame, [port]));

    expect(core.attachMessagePort).toHaveBeenCalledTimes(1);
    expect(core.attachMessagePort).toHaveBeenCalledWith(port);
    expect(port.close).not.toHaveBeenCalled();
    unregister();
    expect(ipcMain.listenerCount(ELECTRON_PORT_CHANNEL)).toBe(0);
  });

  it('ignores (and closes) ports from a sub-frame, a foreign origin or an unknown window', () => {
    const { ipcMain } = fakeElectron();
    const core = fakeCore();
    const win = new FakeBrowserWindow({});
    const foreign = new FakeBrowserWindow({});
    foreign.webContents.mainFrame.url = 'https://evil.example/';
    const stranger = new FakeWebContents();
    const unregister = registerPortBridge(core, () => asWindows([win, foreign]), logger);

    const ports = [new FakeMessagePort(), new FakeMessagePort(), new FakeMessagePort()];
    ipcMain.emit(
      ELECTRON_PORT_CHANNEL,
      senderEvent(win.webContents, win.webContents.subFrame('app://renderer/x'), [ports[0]!]),
    );
    ipcMain.emit(
      ELECTRON_PORT_CHANNEL,
      senderEvent(foreign.webContents, foreign.webContents.mainFrame, [ports[1]!]),
    );
    ipcMain.emit(ELECTRON_PORT_CHANNEL, senderEvent(stranger, stranger.mainFrame, [ports[2]!]));

    expect(core.attachMessagePort).not.toHaveBeenCalled();
    for (const port of ports) expect(port.close).toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalled();
    unregister();
  });

  it('ignores a trusted message that carries no port or several ports', () => {
    const { ipcMain } = fakeElectron();
    const core = fakeCore();
    const win = new FakeBrowserWindow({});
    const unregister = registerPortBridge(core, () => asWindows([win]), logger);
    ipcMain.emit(ELECTRON_PORT_CHANNEL, senderEvent(win.webContents, win.webContents.mainFrame, []));
    const two = [new FakeMessagePort(), new FakeMessagePort()];
    ipcMain.emit(ELECTRON_PORT_CHANNEL, senderEvent(win.webContents, win.webContents.mainFrame, two));
    expect(core.attachMessagePort).not.toHaveBeenCalled();
    expect(two[0]!.close).toHaveBeenCalled();
    unregister();
  });
});
