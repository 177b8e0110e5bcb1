// The browser host under attack, started as its own process: malformed frames, floods of frames and of
// sign-ins, too many connections, clients that stop reading. After each, the host still serves a normal client.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { E2E_PASSWORD, startHost, type RunningHost } from './harness.ts';
import { closeFrameOf, encodeFrame, rawUpgrade } from '../fixtures/raw-socket.ts';

let host: RunningHost;
beforeAll(async () => {
  host = await startHost();
});
afterAll(async () => {
  await host?.stop();
});

interface CallFailure extends Error {
  code: string;
  reason?: string;
  retryAfterS?: number;
}

/** A plain WebSocket client of the contract that counts events and remembers how it was closed. */
async function client() {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: String(reason) })));
  ws.on('error', () => undefined);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('close', (code, reason) => reject(new Error(`closed at once: ${code} ${reason}`)));
  });
  let id = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const events: string[] = [];
  ws.on('close', (code, reason) => {
    for (const p of pending.values()) p.reject(new Error(`connection closed: ${code} ${reason}`));
    pending.clear();
  });
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.kind === 'events') return void events.push(...frame.events.map((e: { event: string }) => e.event));
    const p = pending.get(frame.id);
    pending.delete(frame.id);
    if (frame.kind === 'result') p?.resolve(frame.result);
    else p?.reject(Object.assign(new Error(frame.error.message), frame.error));
  });
  const call = <T = unknown>(name: string, input: unknown = {}) =>
    new Promise<T>((resolve, reject) => {
      const my = ++id;
      pending.set(my, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ kind: 'call', id: my, name, input }));
    });
  return { ws, call, events, closed, close: () => ws.close() };
}

/** Passwords the accounts were given at their forced first change, in this host. */
const passwords = new Map<string, string>();
const NEW_PASSWORD = 'attack-test-pass-2';

/** A client signed in as `username`, having made the forced first password change if it was due. */
async function signedIn(username = 'admin') {
  const c = await client();
  const result = await c.call<{ mustChangePassword: boolean }>('session.login', { username, password: passwords.get(username) ?? E2E_PASSWORD });
  if (result.mustChangePassword) {
    await c.call('session.changePassword', { currentPassword: E2E_PASSWORD, newPassword: NEW_PASSWORD });
    passwords.set(username, NEW_PASSWORD);
  }
  return c;
}

/** The host is alive and serves a normal client: sign in, read the status. */
async function stillServes(): Promise<void> {
  expect(host.process.exitCode).toBeNull();
  const c = await signedIn('admin');
  expect(await c.call<{ mode: string }>('system.status')).toMatchObject({ mode: 'live' });
  c.close();
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${host.process.pid}/status`, 'utf8'))![1]) / 1024;

describe('malformed frames', () => {
  const cases: Array<[string, Buffer, number]> = [
    ['a frame over the size cap', encodeFrame({ opcode: 0x1, payload: Buffer.from('{"kind":'), declaredLength: 1 << 20 }), 1009],
    ['invalid UTF-8 in a text frame', encodeFrame({ opcode: 0x1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }), 1007],
    ['an unmasked client frame', encodeFrame({ opcode: 0x1, payload: Buffer.from('{}'), mask: false }), 1002],
    ['an unknown opcode', encodeFrame({ opcode: 0x3, payload: Buffer.from('{}') }), 1002],
    ['RSV bits without an extension', encodeFrame({ opcode: 0x1, payload: Buffer.from('{}'), rsv: 0b100 }), 1002],
    ['a fragmented control frame', encodeFrame({ opcode: 0x9, payload: Buffer.from('x'), fin: false }), 1002],
  ];
  for (const [what, bytes, code] of cases) {
    it(`closes only that connection on ${what} (close code ${code}) and keeps serving`, async () => {
      const bystander = await signedIn('admin');
      const raw = await rawUpgrade(host.port, host.token);
      raw.socket.write(bytes);
      await raw.ended;
      expect(closeFrameOf(raw.received())?.code).toBe(code);
      await stillServes();
      // The other connection was not touched.
      expect(await bystander.call('session.current')).toMatchObject({ username: 'admin' });
      bystander.close();
      expect(host.output()).not.toContain('Unhandled');
    });
  }

  it('logs each bad frame once, in one line', async () => {
    const lines = host.output().split('\n').filter((l) => l.includes('closed a connection'));
    expect(lines.length).toBe(cases.length);
    expect(lines.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('closes on an oversized JSON frame and answers JSON that is not a call with an error', async () => {
    const big = await client();
    big.ws.send(JSON.stringify({ kind: 'call', id: 1, name: 'system.status', input: { pad: 'x'.repeat(300_000) } }));
    expect((await big.closed).code).toBe(1009);

    const c = await client();
    const errors: unknown[] = [];
    c.ws.on('message', (d) => errors.push(JSON.parse(String(d))));
    for (const text of ['42', 'null', '[]', '"call"', 'true', '{"kind":"call"}', '{"kind":"call","id":"1","name":"x"}', '[' .repeat(5000)]) c.ws.send(text);
    await expect.poll(() => errors.length).toBe(8);
    for (const e of errors) expect(e).toMatchObject({ kind: 'error', id: -1, error: { code: 'bad-request' } });
    expect(await c.call('session.current')).toBeNull(); // still open
    c.close();
    await stillServes();
  });
});

describe('floods', () => {
  it('stays responsive for another client while one client sends thousands of frames a second', async () => {
    const flooder = await signedIn('admin');
    const other = await signedIn('admin');
    let refused = 0;
    flooder.ws.on('message', (d) => String(d).includes('"rate-limited"') && refused++);
    const latencies: number[] = [];
    const until = Date.now() + 3000;
    const flood = (async () => {
      while (Date.now() < until) {
        for (let i = 0; i < 500; i++) flooder.ws.send(JSON.stringify({ kind: 'call', id: 1e6 + i, name: 'alarms.list', input: { includeClosed: true, limit: 2000 } }));
        await new Promise((r) => setTimeout(r, 50)); // about 10 000 frames a second
      }
    })();
    while (Date.now() < until) {
      latencies.push(await timed(() => other.call('system.status')));
      latencies.push(await timed(() => other.call('alarms.list', {})));
      await new Promise((r) => setTimeout(r, 100));
    }
    await flood;
    expect(Math.max(...latencies)).toBeLessThan(2000);
    expect(refused).toBeGreaterThan(0); // beyond the calls in flight allowed per connection, refused at once
    flooder.close();
    other.close();
    await stillServes();
  });

  it('refuses connections beyond the cap with a clear close reason, and accepts again once they go', async () => {
    const sockets: WebSocket[] = [];
    const refusals: Array<{ code: number; reason: string }> = [];
    await Promise.all(
      Array.from({ length: 80 }, () =>
        new Promise<void>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
          sockets.push(ws);
          ws.on('error', () => resolve());
          ws.once('close', (code, reason) => {
            refusals.push({ code, reason: String(reason) });
            resolve();
          });
          ws.once('open', () => setTimeout(resolve, 300));
          setTimeout(resolve, 10_000); // whatever happens
        }),
      ),
    );
    expect(sockets.filter((ws) => ws.readyState === WebSocket.CONNECTING)).toEqual([]);
    expect(refusals.length).toBeGreaterThanOrEqual(16);
    for (const r of refusals) expect(r).toEqual({ code: 1013, reason: 'too many connections (at most 64): try again later' });
    for (const ws of sockets) ws.close();
    await expect.poll(async () => {
      try {
        await stillServes();
        return true;
      } catch {
        return false;
      }
    }, { timeout: 10_000 }).toBe(true);
  });
});

describe('sign-in throttling', () => {
  it('60 wrong passwords and the right one, sent together on one connection: the right one does not get in', async () => {
    const c = await client();
    const attempts = Array.from({ length: 60 }, (_, i) => c.call('session.login', { username: 'drill', password: `wrong-${i}` }));
    attempts.push(c.call('session.login', { username: 'drill', password: E2E_PASSWORD }));
    const settled = await Promise.allSettled(attempts);
    const right = settled.at(-1)!;
    expect(right.status).toBe('rejected');
    expect((right as PromiseRejectedResult).reason).toMatchObject({ code: 'rate-limited' });
    expect((right as PromiseRejectedResult).reason.retryAfterS).toBeGreaterThan(0);
    expect(settled.filter((s) => s.status === 'fulfilled')).toEqual([]);
    expect(await c.call('session.current')).toBeNull();
    // Sent one after another, the failures lock this connection: the right password waits too.
    for (let i = 0; i < 5; i++) await c.call('session.login', { username: 'drill', password: `wrong-again-${i}` }).catch(() => undefined);
    const locked = await c.call('session.login', { username: 'drill', password: E2E_PASSWORD }).catch((e: CallFailure) => e);
    expect(locked).toMatchObject({ code: 'rate-limited' });
    c.close();
  });

  it("a stranger's 100 failures for duty on another connection do not keep duty out", async () => {
    const stranger = await client();
    await Promise.allSettled(Array.from({ length: 100 }, (_, i) => stranger.call('session.login', { username: 'duty', password: `guess-${i}` })));
    for (let i = 0; i < 100; i++) await stranger.call('session.login', { username: 'duty', password: `guess-again-${i}` }).catch(() => undefined);
    const duty = await client();
    const took = await timed(() => duty.call('session.login', { username: 'duty', password: E2E_PASSWORD }));
    expect(took).toBeLessThan(3000);
    expect(await duty.call('session.current')).toMatchObject({ username: 'duty' });
    stranger.close();
    duty.close();
  });

  it('a manual alarm completes in under 2 s while 400 sign-in frames flood in', async () => {
    const operator = await signedIn('admin');
    const floods = await Promise.all(Array.from({ length: 8 }, () => client()));
    const flood = floods.flatMap((c, k) =>
      Array.from({ length: 50 }, (_, i) => c.call('session.login', { username: i % 2 ? 'command' : `nobody${k}`, password: `flood-${i}` }).catch((e: CallFailure) => e)),
    );
    await new Promise((r) => setTimeout(r, 20));
    const took = await timed(() => operator.call('alarms.raiseManual', { position: { lon: 106.65, lat: 29.71 }, severity: 3, note: 'during a sign-in flood' }));
    const outcomes = await Promise.all(flood);
    expect(took).toBeLessThan(2000);
    // Nearly all refused at once, each saying how long to wait.
    const limited = outcomes.filter((o) => (o as CallFailure).code === 'rate-limited') as CallFailure[];
    expect(limited.length).toBeGreaterThan(350);
    for (const l of limited) expect(l.retryAfterS).toBeGreaterThan(0);
    for (const c of floods) c.close();
    operator.close();
  });
});

describe('slow clients', () => {
  it('drops clients that stop reading while events flow, and its memory stays bounded', async () => {
    (await signedIn('admin')).close(); // its first password change made
    const before = rssMiB();
    const stalled = [];
    for (let i = 0; i < 10; i++) {
      const raw = await rawUpgrade(host.port, host.token);
      const login = JSON.stringify({ kind: 'call', id: 1, name: 'session.login', input: { username: 'admin', password: passwords.get('admin') } });
      raw.socket.write(encodeFrame({ opcode: 0x1, payload: Buffer.from(login) }));
      await expect.poll(() => raw.received().toString(), { timeout: 10_000 }).toContain('"kind":"result"');
      raw.socket.pause(); // never reads again
      stalled.push(raw);
    }
    const feeders = await Promise.all(Array.from({ length: 4 }, () => signedIn('admin')));
    const drops = () => host.output().match(/dropped a slow client/g)?.length ?? 0;
    let peak = before;
    let n = 0;
    const until = Date.now() + 60_000;
    while (drops() < stalled.length && Date.now() < until) {
      await Promise.all(
        feeders.flatMap((f, k) =>
          Array.from({ length: 30 }, () => f.call('tracks.report', { trackId: `SLOW-${k}-${n++ % 120}`, position: { lon: 105.5 + Math.random() * 0.1, lat: 28.5, altM: 120 } })),
        ),
      );
      peak = Math.max(peak, rssMiB());
    }
    expect(drops()).toBe(stalled.length);
    expect(peak - before).toBeLessThan(150);
    for (const raw of stalled) {
      raw.socket.resume();
      await raw.ended;
    }
    for (const f of feeders) f.close();
    await stillServes();
  });
});
