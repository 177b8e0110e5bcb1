// The Electron IPC registration, driven through a fake IpcMain: sender checked, payloads validated,
// events only to logged-in windows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALL_CHANNEL, EVENT_CHANNEL, registerIpc, type IpcInvokeEventLike, type IpcMainLike, type IpcReply } from '../../src/main/ipc-bridge.ts';
import { TEST_PASSWORD, testCore } from '../fixtures/core.ts';

class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>) {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
}
const fakeWindow = (id: number, url: string) => {
  const sent: unknown[][] = [];
  const event: IpcInvokeEventLike = {
    sender: { id, send: (...args: unknown[]) => sent.push(args), isDestroyed: () => false, once: () => undefined },
    senderFrame: { url },
  };
  return { event, sent };
};

let t: Awaited<ReturnType<typeof testCore>>;
let ipc: FakeIpcMain;
beforeEach(async () => {
  t = await testCore();
  ipc = new FakeIpcMain();
  registerIpc(ipc, t.core, (url) => url.startsWith('app://skyfence/'));
});
afterEach(() => t.dispose());
const invoke = (w: ReturnType<typeof fakeWindow>, name: unknown, input: unknown) => ipc.handlers.get(CALL_CHANNEL)!(w.event, name, input) as Promise<IpcReply>;

describe('IPC bridge', () => {
  it('refuses calls from frames that are not the console', async () => {
    const evil = fakeWindow(7, 'https://example.invalid/page');
    expect(await invoke(evil, 'session.login', { username: 'duty', password: TEST_PASSWORD })).toEqual({
      ok: false, error: { code: 'forbidden', message: 'untrusted sender' },
    });
  });

  it('validates payloads and keeps one session per window', async () => {
    const a = fakeWindow(1, 'app://skyfence/index.html');
    const b = fakeWindow(2, 'app://skyfence/index.html');
    expect(await invoke(a, 42, {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await invoke(a, 'session.login', { username: 'duty' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await invoke(a, 'session.login', { username: 'duty', password: TEST_PASSWORD })).toMatchObject({ ok: true, value: { role: 'operator' } });
    expect(await invoke(b, 'alarms.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const raised = await invoke(a, 'alarms.raiseManual', { position: { lon: 106.65, lat: 29.71 }, severity: 3, note: 'ipc' });
    expect(raised.ok).toBe(true);
    // Window a is logged in and gets the event; window b is not and gets nothing.
    expect(a.sent.map((s) => [s[0], s[1]])).toEqual([[EVENT_CHANNEL, 'alarm.changed']]);
    expect(b.sent).toEqual([]);
  });
});
