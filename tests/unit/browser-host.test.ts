// The browser host in this process, on shortened timers: heartbeat, the sign-in deadline, batched events,
// `session.ended` to one connection, and slow readers dropped before they cost the host its memory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost, type HostLimits } from '../../src/main/host/browser-host.ts';
import { testCore } from '../fixtures/core.ts';
import { CHANGED_PASSWORD } from '../fixtures/sessions.ts';
import { encodeFrame, rawUpgrade } from '../fixtures/raw-socket.ts';

let t: Awaited<ReturnType<typeof testCore>>;
let rendererDir: string;
beforeAll(async () => {
  t = await testCore();
  for (const u of ['admin', 'duty']) await t.core.accounts.setOwnPassword(u, CHANGED_PASSWORD);
  rendererDir = mkdtempSync(join(tmpdir(), 'skyfence-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
});
afterAll(async () => {
  await t.dispose();
  rmSync(rendererDir, { recursive: true, force: true });
});

async function host(limits: Partial<HostLimits>, work: (h: BrowserHost, log: string[]) => Promise<void>): Promise<void> {
  const log: string[] = [];
  const h = await startBrowserHost(t.core, { port: 0, rendererDir, log: (l) => log.push(l), limits });
  try {
    await work(h, log);
  } finally {
    await h.close();
  }
}

async function client(h: BrowserHost) {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}/api?token=${h.token}`);
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: String(reason) })));
  await new Promise((r) => ws.once('open', r));
  const frames: Array<{ kind: string; id?: number; result?: unknown; error?: unknown; events?: Array<{ event: string; payload: unknown }> }> = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d))));
  let id = 0;
  const call = async (name: string, input: unknown = {}) => {
    const my = ++id;
    ws.send(JSON.stringify({ kind: 'call', id: my, name, input }));
    await expect.poll(() => frames.find((f) => f.id === my), { timeout: 15_000 }).toBeTruthy();
    const f = frames.find((f) => f.id === my)!;
    if (f.kind === 'error') throw f.error;
    return f.result;
  };
  const events = () => frames.filter((f) => f.kind === 'events');
  return { ws, closed, call, events };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('browser host', () => {
  it("keeps a fresh connection open while it waits out the account's slowing, so a stranger cannot keep duty out", async () => {
    await host({ signInTimeoutMs: 2000 }, async (h) => {
      // A stranger's failures on duty, from fresh connections, until the account is slowed to several seconds.
      let waitS = 0;
      for (let i = 0; i < 20 && waitS < 4; i++) {
        const stranger = await client(h);
        const guess = () => stranger.call('session.login', { username: 'duty', password: `guess-${i}` }).catch((e) => e as { code: string; retryAfterS: number });
        const refusal = (await guess()) as { code: string; retryAfterS: number };
        if (refusal.code === 'rate-limited') {
          waitS = refusal.retryAfterS;
          if (waitS < 4) {
            t.clock.advance(waitS * 1000); // the stranger waits it out and fails again
            await guess();
          }
        }
        stranger.ws.close();
      }
      expect(waitS).toBeGreaterThanOrEqual(4);
      const duty = await client(h);
      const told = (await duty.call('session.login', { username: 'duty', password: CHANGED_PASSWORD }).catch((e) => e)) as { code: string; retryAfterS: number };
      expect(told).toMatchObject({ code: 'rate-limited', reason: 'account-slowed' });
      await sleep(2600); // past the 2 s sign-in deadline: still open, because it was told to wait
      expect(duty.ws.readyState).toBe(WebSocket.OPEN);
      t.clock.advance(told.retryAfterS * 1000); // the wait, on the core's clock
      expect(await duty.call('session.login', { username: 'duty', password: CHANGED_PASSWORD })).toMatchObject({ username: 'duty' });
      t.core.signIns.clear('duty');
      duty.ws.close();
    });
  });

  it('cuts off a client that misses two pongs, and keeps one that answers', async () => {
    await host({ pingIntervalMs: 100, signInTimeoutMs: 60_000 }, async (h) => {
      const silent = await rawUpgrade(h.port, h.token); // never answers a ping
      const alive = await client(h);
      const t0 = Date.now();
      await silent.ended;
      expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(await alive.call('session.current')).toBeNull();
      expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    });
  });

  it('closes a connection that does not sign in in time, and again after signing out', async () => {
    await host({ signInTimeoutMs: 3000 }, async (h) => {
      const signed = await client(h);
      await signed.call('session.login', { username: 'admin', password: CHANGED_PASSWORD });
      const idle = await client(h);
      const t0 = Date.now();
      expect(await idle.closed).toEqual({ code: 4001, reason: 'not signed in within 3 s' });
      expect(Date.now() - t0).toBeGreaterThan(2500);
      expect(signed.ws.readyState).toBe(WebSocket.OPEN);
      await signed.call('session.logout');
      expect((await signed.closed).code).toBe(4001);
    });
  }, 30_000);

  it('batches the events of one moment into one frame, for signed-in clients past the forced password change', async () => {
    await host({}, async (h) => {
      const admin = await client(h);
      await admin.call('session.login', { username: 'admin', password: CHANGED_PASSWORD });
      const mustChange = await client(h);
      await mustChange.call('session.login', { username: 'drill', password: 'test-password-1' });
      const anonymous = await client(h);
      for (let i = 0; i < 10; i++) t.core.bus.publish('status.changed', t.core.status());
      await expect.poll(() => admin.events().length).toBe(1);
      expect(admin.events()[0].events!.length).toBe(10);
      await sleep(50);
      expect(mustChange.events()).toEqual([]);
      expect(anonymous.events()).toEqual([]);
    });
  });

  it('tells the other connections of a user that their session ended, and why', async () => {
    await host({}, async (h) => {
      const a = await client(h);
      const b = await client(h);
      await a.call('session.login', { username: 'duty', password: CHANGED_PASSWORD });
      await b.call('session.login', { username: 'duty', password: CHANGED_PASSWORD });
      await a.call('session.changePassword', { currentPassword: CHANGED_PASSWORD, newPassword: 'duty-new-password' });
      await expect.poll(() => b.events().flatMap((f) => f.events!)).toEqual([{ event: 'session.ended', payload: { reason: 'password-changed' } }]);
      expect(await b.call('session.current')).toBeNull();
      expect(await a.call('session.current')).toMatchObject({ username: 'duty' });
      await a.call('session.changePassword', { currentPassword: 'duty-new-password', newPassword: CHANGED_PASSWORD });
    });
  });

  it('drops a client that stops reading once its backlog passes the cap, and keeps serving the others', async () => {
    await host({ maxBufferedBytes: 1024 * 1024 }, async (h, log) => {
      const raw = await rawUpgrade(h.port, h.token);
      const login = JSON.stringify({ kind: 'call', id: 1, name: 'session.login', input: { username: 'admin', password: CHANGED_PASSWORD } });
      raw.socket.write(encodeFrame({ opcode: 0x1, payload: Buffer.from(login) }));
      await expect.poll(() => raw.received().toString()).toContain('"kind":"result"');
      raw.socket.pause();
      const reader = await client(h);
      await reader.call('session.login', { username: 'admin', password: CHANGED_PASSWORD });
      const big = { updated: [], removed: Array.from({ length: 20_000 }, (_, i) => `manual-feed/padding-${i}`) }; // about 0.5 MB
      for (let i = 0; i < 100 && !log.some((l) => l.includes('dropped a slow client')); i++) {
        t.core.bus.publish('tracks.changed', big);
        await sleep(5);
      }
      expect(log.filter((l) => l.includes('dropped a slow client'))).toHaveLength(1);
      raw.socket.resume();
      await raw.ended;
      await expect.poll(() => reader.events().length).toBeGreaterThan(5); // the reader got them all along
      expect(await reader.call('session.current')).toMatchObject({ username: 'admin' });
    });
  });
});
