// The unit terminals on the host: a unit hears only its own unit's events and none of the console's, may call
// only session.* and terminal.*; the terminals' listener admits unit accounts only (a console account is refused
// and the refusal recorded), needs no launch token, checks the origin, and survives hostile frames; the console's
// listener still needs its token; Electron's windows refuse unit accounts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { CALLS } from '../../src/shared/contract/index.ts';
import type { TerminalState } from '../../src/shared/response.ts';
import type { User } from '../../src/shared/domain.ts';
import { loadConfig } from '../../src/main/core/config.ts';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browser-host.ts';
import { startTerminalHost, type TerminalHost } from '../../src/main/host/terminal-host.ts';
import { CALL_CHANNEL, registerIpc, type IpcInvokeEventLike, type IpcMainLike, type IpcReply } from '../../src/main/ipc-bridge.ts';
import { testCore } from '../fixtures/core.ts';
import { CHANGED_PASSWORD } from '../fixtures/sessions.ts';
import { encodeFrame, rawUpgrade } from '../fixtures/raw-socket.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 }); // scrypt is slow on a shared machine

/** Unit accounts of this test, and the unit each speaks for. */
const UNIT_OF: Record<string, string> = { 'term-a': 'U-TEST-A', 'term-b': 'U-TEST-B' };

let t: Awaited<ReturnType<typeof testCore>>;
let rendererDir: string;
let consoleHost: BrowserHost;
let terminals: TerminalHost;
beforeAll(async () => {
  t = await testCore();
  for (const u of ['admin', 'duty']) await t.core.accounts.setOwnPassword(u, CHANGED_PASSWORD);
  // Unit accounts (the units feature creates them from units.json; here two of our own, made unit by hand).
  for (const [u, unitId] of Object.entries(UNIT_OF)) {
    await t.core.accounts.create(u, u, 'operator', CHANGED_PASSWORD, false);
    await t.core.db.transaction((tx) => tx.run("UPDATE users SET role = 'unit', unit_id = ? WHERE username = ?", [unitId, u]));
  }
  // A unit account's session carries its unitId (the units feature's accounts set it); this stands in for
  // that where the accounts do not carry it yet, and changes nothing where they do.
  const signIn = t.core.sessions.signIn.bind(t.core.sessions);
  t.core.sessions.signIn = (session, user: User, token, mustChange) =>
    signIn(session, user.role === 'unit' && !user.unitId ? { ...user, unitId: UNIT_OF[user.username] ?? null } : user, token, mustChange);
  rendererDir = mkdtempSync(join(tmpdir(), 'skyfence-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>terminal</title>');
  consoleHost = await startBrowserHost(t.core, { port: 0, rendererDir, log: () => undefined });
  terminals = await startTerminalHost(t.core, { address: '127.0.0.1', port: 0, rendererDir, log: () => undefined });
});
afterAll(async () => {
  await terminals?.close();
  await consoleHost?.close();
  await t?.dispose();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
});

type Frame = { kind: string; id?: number; result?: unknown; error?: { code: string; reason?: string }; events?: Array<{ event: string; payload: unknown }> };

async function client(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  ws.on('error', () => undefined);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
  });
  const frames: Frame[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d))));
  let id = 0;
  const call = async (name: string, input: unknown = {}) => {
    const my = ++id;
    ws.send(JSON.stringify({ kind: 'call', id: my, name, input }));
    await expect.poll(() => frames.find((f) => f.id === my), { timeout: 30_000 }).toBeTruthy();
    const f = frames.find((f) => f.id === my)!;
    if (f.kind === 'error') throw f.error;
    return f.result;
  };
  const events = () => frames.filter((f) => f.kind === 'events').flatMap((f) => f.events!);
  return { ws, call, events, close: () => ws.close() };
}
const onTerminals = () => client(`ws://127.0.0.1:${terminals.port}/api`);
const onConsole = () => client(`ws://127.0.0.1:${consoleHost.port}/api?token=${consoleHost.token}`);
const signIn = async (c: Awaited<ReturnType<typeof client>>, username: string) => c.call('session.login', { username, password: CHANGED_PASSWORD });

const stateOf = (unitId: string) => ({ unit: { id: unitId, callSign: unitId }, orders: [] }) as unknown as TerminalState;
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('unit terminals on the host', () => {
  it('gives a unit session only its own unit events, and console sessions none of them', async () => {
    const a = await onTerminals();
    const b = await onTerminals();
    const aOnConsole = await onConsole(); // a unit on the console's listener is routed the same way
    const duty = await onConsole();
    await signIn(a, 'term-a');
    await signIn(b, 'term-b');
    await signIn(aOnConsole, 'term-a');
    await signIn(duty, 'duty');
    await duty.call('alarms.raiseManual', { position: { lon: 106.65, lat: 29.71 }, severity: 3, note: 'terminal test' });
    t.core.bus.publish('terminal.changed', stateOf('U-TEST-A'));
    t.core.bus.publish('terminal.changed', stateOf('U-TEST-B'));
    await expect.poll(() => duty.events().some((e) => e.event === 'alarm.changed')).toBe(true);
    await expect.poll(() => b.events().length).toBe(1);
    await settle();
    const names = (c: Awaited<ReturnType<typeof client>>) => c.events().map((e) => `${e.event}:${(e.payload as TerminalState).unit?.id ?? ''}`);
    expect(names(a)).toEqual(['terminal.changed:U-TEST-A']);
    expect(names(aOnConsole)).toEqual(['terminal.changed:U-TEST-A']);
    expect(names(b)).toEqual(['terminal.changed:U-TEST-B']);
    expect(duty.events().map((e) => e.event)).not.toContain('terminal.changed');
    for (const c of [a, b, aOnConsole, duty]) c.close();
  });

  it('lets a unit call session.* and terminal.* only, as the contract says', async () => {
    const forUnits = Object.entries(CALLS).filter(([, spec]) => spec.roles === null || spec.roles.includes('unit')).map(([name]) => name);
    expect(forUnits.every((n) => n.startsWith('session.') || n.startsWith('terminal.'))).toBe(true);
    expect(forUnits).toEqual(expect.arrayContaining(['terminal.state', 'terminal.report', 'session.login', 'session.changePassword']));
    const a = await onTerminals();
    await signIn(a, 'term-a');
    for (const name of ['alarms.list', 'units.list', 'dispatch.send', 'users.list']) {
      await expect(a.call(name, {})).rejects.toMatchObject({ code: 'forbidden' });
    }
    a.close();
  });

  it("meters a unit terminal's call rate (a small burst, then 20 a second): refused with the wait, never disconnected; a console is not metered", async () => {
    const a = await onTerminals();
    await signIn(a, 'term-a');
    const fire = (c: Awaited<ReturnType<typeof client>>, n: number) =>
      Promise.all(Array.from({ length: n }, () => c.call('session.current').then(() => null, (e: { code: string; reason?: string; retryAfterS?: number }) => e)));
    const answers = await fire(a, 60);
    const metered = answers.filter((e) => e?.reason === 'call-rate');
    expect(metered.length).toBeGreaterThanOrEqual(10);
    expect(metered[0]).toMatchObject({ code: 'rate-limited', retryAfterS: 1 });
    expect(answers.filter((e) => e === null).length).toBeGreaterThanOrEqual(20);
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await a.call('session.current')).toMatchObject({ username: 'term-a' });
    const duty = await onConsole();
    await signIn(duty, 'duty');
    expect((await fire(duty, 30)).every((e) => e === null)).toBe(true);
    for (const c of [a, duty]) c.close();
  });

  it('refuses a console account on the terminal listener like a wrong password, records why, and leaves the connection signed out', async () => {
    const c = await onTerminals(); // no token at all
    const wrong = await c.call('session.login', { username: 'duty', password: 'not-the-password' }).catch((e) => e);
    const right = await signIn(c, 'duty').catch((e) => e);
    // The same answer either way: the police network learns nothing about a console password.
    expect(right).toEqual(wrong);
    expect(right).toMatchObject({ code: 'unauthenticated', reason: 'wrong-credentials' });
    await expect(c.call('alarms.list', {})).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(await c.call('session.current')).toBeNull();
    const rows = await t.core.db.all<{ actor: string; action: string; details: string }>(
      "SELECT actor, action, details FROM audit_log WHERE action = 'session.login-refused' ORDER BY id DESC LIMIT 1",
    );
    expect(rows[0]).toMatchObject({ actor: 'duty' });
    expect(JSON.parse(rows[0].details)).toMatchObject({ role: 'operator', transport: 'terminal listener', reason: 'role-not-allowed-here' });
    // A unit account on the same connection is let in.
    expect(await signIn(c, 'term-a')).toMatchObject({ username: 'term-a', role: 'unit' });
    c.close();
  });

  it("refuses a console's resume token on the terminal listener and revokes it", async () => {
    const duty = await onConsole();
    const { resumeToken } = (await signIn(duty, 'duty')) as { resumeToken: string };
    const c = await onTerminals();
    await expect(c.call('session.resume', { token: resumeToken })).rejects.toMatchObject({ code: 'unauthenticated', reason: 'session-ended' });
    const again = await onConsole();
    await expect(again.call('session.resume', { token: resumeToken })).rejects.toMatchObject({ code: 'unauthenticated' });
    for (const x of [duty, c, again]) x.close();
  });

  it('still requires the launch token on the console listener', async () => {
    await expect(client(`ws://127.0.0.1:${consoleHost.port}/api`)).rejects.toThrow('refused: 401');
    await expect(client(`ws://127.0.0.1:${consoleHost.port}/api?token=wrong`)).rejects.toThrow('refused: 401');
  });

  it('admits pages of its own origin only', async () => {
    await expect(client(`ws://127.0.0.1:${terminals.port}/api`, { Origin: 'http://evil.example' })).rejects.toThrow('refused: 403');
    await expect(client(`ws://127.0.0.1:${terminals.port}/api`, { Origin: `http://127.0.0.1:${consoleHost.port}` })).rejects.toThrow('refused: 403');
    const own = await client(`ws://127.0.0.1:${terminals.port}/api`, { Origin: `http://127.0.0.1:${terminals.port}` });
    own.close();
  });

  it('serves the page, and nothing of the media routes', async () => {
    const page = await fetch(`http://127.0.0.1:${terminals.port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('terminal');
    expect((await fetch(`http://127.0.0.1:${terminals.port}/media/whatever`)).status).toBe(404);
  });

  it('survives malformed and hostile frames on the terminal listener', async () => {
    const c = await onTerminals();
    c.ws.send('{ not json');
    c.ws.send(JSON.stringify({ kind: 'call', id: 'x', name: 7 }));
    await expect.poll(() => c.events().length + 0).toBe(0);
    await expect(c.call('session.current')).resolves.toBeNull(); // still served after two bad frames
    const big = await rawUpgrade(terminals.port, '');
    big.socket.write(encodeFrame({ opcode: 1, payload: Buffer.alloc(300 * 1024, 0x61) })); // over the 256 KiB cap
    await big.ended;
    const badOpcode = await rawUpgrade(terminals.port, '');
    badOpcode.socket.write(encodeFrame({ opcode: 0x3, payload: Buffer.from('??') }));
    await badOpcode.ended;
    const unmasked = await rawUpgrade(terminals.port, '');
    unmasked.socket.write(encodeFrame({ opcode: 1, payload: Buffer.from('{}'), mask: false }));
    await unmasked.ended;
    // The listener is up and the first connection still works.
    const fresh = await onTerminals();
    expect(await signIn(fresh, 'term-b')).toMatchObject({ role: 'unit' });
    await expect(c.call('session.current')).resolves.toBeNull();
    fresh.close();
    c.close();
  });
});

describe('terminal listener configuration', () => {
  it('is off by default, and read from flags or config.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyfence-config-'));
    try {
      expect(loadConfig(['--data-dir', dir], {}).terminal).toBeNull();
      expect(loadConfig(['--data-dir', dir, '--terminal-address', '10.1.2.3', '--terminal-port', '8443'], {}).terminal).toEqual({ address: '10.1.2.3', port: 8443 });
      expect(() => loadConfig(['--data-dir', dir, '--terminal-port', '8443'], {})).toThrow(/needs --terminal-address/);
      expect(() => loadConfig(['--data-dir', dir, '--terminal-address', 'police.local'], {})).toThrow(/IP address/);
      expect(() => loadConfig(['--data-dir', dir, '--terminal-address', '10.1.2.3', '--terminal-port', '99999'], {})).toThrow(/0–65535/);
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ host: { terminal: { address: '0.0.0.0', port: 8088, origin: 'https://terminal.police.example/' } } }));
      expect(loadConfig(['--data-dir', dir], {}).terminal).toEqual({ address: '0.0.0.0', port: 8088, origin: 'https://terminal.police.example' });
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ host: { terminal: { address: '0.0.0.0', port: 'x' } } }));
      expect(() => loadConfig(['--data-dir', dir], {})).toThrow(/host\.terminal\.port/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Electron windows', () => {
  it('refuse a unit account, and never pass on a unit event', async () => {
    const handlers = new Map<string, (e: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
    const ipc: IpcMainLike = { handle: (ch, l) => void handlers.set(ch, l), removeHandler: (ch) => void handlers.delete(ch) };
    const stop = registerIpc(ipc, t.core, () => true);
    const sent: unknown[][] = [];
    const event: IpcInvokeEventLike = { sender: { id: 91, send: (...a: unknown[]) => sent.push(a), isDestroyed: () => false, once: () => undefined }, senderFrame: { url: 'app://skyfence/' } };
    const invoke = (name: string, input: unknown) => handlers.get(CALL_CHANNEL)!(event, name, input) as Promise<IpcReply>;
    try {
      expect(await invoke('session.login', { username: 'term-a', password: CHANGED_PASSWORD })).toMatchObject({ ok: false, error: { code: 'unauthenticated', reason: 'wrong-credentials' } });
      expect(await invoke('session.current', {})).toEqual({ ok: true, value: null });
      expect(await invoke('session.login', { username: 'duty', password: CHANGED_PASSWORD })).toMatchObject({ ok: true });
      t.core.bus.publish('terminal.changed', stateOf('U-TEST-A'));
      await settle();
      expect(sent).toEqual([]);
    } finally {
      stop();
    }
  });
});
