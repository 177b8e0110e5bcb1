// The Electron IPC registration, driven through a fake IpcMain: sender checked, payloads validated,
// events batched and only to logged-in windows, a session ended by the core told so.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CALL_CHANNEL, EVENT_CHANNEL, registerIpc, type IpcInvokeEventLike, type IpcMainLike, type IpcReply } from '../../src/main/ipc-bridge.ts';
import { TEST_PASSWORD, testCore } from '../fixtures/core.ts';
import { CHANGED_PASSWORD } from '../fixtures/sessions.ts';

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

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 }); // scrypt is slow on a shared machine

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
    expect(await invoke(a, 'alarms.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden', reason: 'must-change-password' } });
    expect(await invoke(a, 'session.changePassword', { currentPassword: TEST_PASSWORD, newPassword: CHANGED_PASSWORD })).toMatchObject({ ok: true });
    expect(await invoke(b, 'alarms.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const raised = await invoke(a, 'alarms.raiseManual', { position: { lon: 106.65, lat: 29.71 }, severity: 3, note: 'ipc' });
    expect(raised.ok).toBe(true);
    await new Promise((r) => setImmediate(r));
    // Window a is logged in and gets the event, in a batch; window b is not and gets nothing.
    expect(a.sent.map((s) => [s[0], (s[1] as Array<{ event: string }>).map((e) => e.event)])).toEqual([[EVENT_CHANNEL, ['alarm.changed']]]);
    expect(b.sent).toEqual([]);
  });

  it('sends what happens in one moment as one message, and tells a window its session was ended', async () => {
    const a = fakeWindow(1, 'app://skyfence/index.html');
    const b = fakeWindow(2, 'app://skyfence/index.html');
    await invoke(a, 'session.login', { username: 'admin', password: TEST_PASSWORD });
    await invoke(a, 'session.changePassword', { currentPassword: TEST_PASSWORD, newPassword: CHANGED_PASSWORD });
    await invoke(b, 'session.login', { username: 'admin', password: CHANGED_PASSWORD });
    for (let i = 0; i < 5; i++) t.core.bus.publish('status.changed', t.core.status());
    await new Promise((r) => setImmediate(r));
    expect(a.sent.length).toBe(1);
    expect((a.sent[0][1] as unknown[]).length).toBe(5);
    // A password change in window a ends the session of window b, which is told why.
    await invoke(a, 'session.changePassword', { currentPassword: CHANGED_PASSWORD, newPassword: 'another-password-1' });
    expect(b.sent.at(-1)).toEqual([EVENT_CHANNEL, [{ event: 'session.ended', payload: { reason: 'password-changed' } }]]);
    expect(await invoke(b, 'alarms.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});
