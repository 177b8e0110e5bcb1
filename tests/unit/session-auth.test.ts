// Signing in and changing passwords through the dispatcher, as both transports do: floods and parallel
// attempts are throttled, a stranger cannot lock a colleague out, a forced password change comes first, and
// the core ends a user's other sessions when it must.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import type { SignedIn } from '../../src/shared/contract/session.ts';
import { TEST_PASSWORD, testCore } from '../fixtures/core.ts';
import { CHANGED_PASSWORD, signedIn } from '../fixtures/sessions.ts';
import { SessionRegistry } from '../../src/main/core/auth/session-registry.ts';
import { ResumeTokens } from '../../src/main/core/auth/resume-tokens.ts';
import { ManualClock } from '../../src/main/core/clock.ts';

// scrypt is slow on a shared machine: every account made and every password checked costs a fraction of a second.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let t: Awaited<ReturnType<typeof testCore>>;
beforeEach(async () => {
  t = await testCore();
});
afterEach(() => t.dispose());

/** A connection whose `end` hook records why the core ended its session. */
const connection = (origin = 'ws:127.0.0.1') => {
  const ended: string[] = [];
  const s: Session = { user: null, origin, end: (reason) => ended.push(reason) };
  return Object.assign(s, { ended });
};
const call = (s: Session, name: string, input: unknown = {}) => dispatch(t.core, s, name, input);
const failure = (p: Promise<unknown>) => p.then(() => ({ code: 'none' }) as Record<string, unknown>, (e) => e.toBody() as Record<string, unknown>);
const raise = (s: Session) => call(s, 'alarms.raiseManual', { position: { lon: 106.65, lat: 29.71 }, severity: 3, note: 'test' });

describe('sign-in throttling', () => {
  it('60 wrong passwords and the right one in parallel on one connection: the right one does not get in', async () => {
    const s = connection();
    const attempts = Array.from({ length: 60 }, (_, i) => failure(call(s, 'session.login', { username: 'drill', password: `wrong-${i}` })));
    attempts.push(failure(call(s, 'session.login', { username: 'drill', password: TEST_PASSWORD })));
    const outcomes = await Promise.all(attempts);
    expect(outcomes.at(-1)).toMatchObject({ code: 'rate-limited', reason: 'sign-in-pending', retryAfterS: 1 });
    expect(outcomes.filter((o) => o.code === 'none')).toEqual([]);
    expect(s.user).toBeNull();
    // Only one was checked; the others cost nothing and were not counted.
    expect(outcomes.filter((o) => o.reason === 'wrong-credentials').length).toBe(1);
    expect(t.core.signIns.status('drill').failedSignIns).toBe(1);
  });

  it("a stranger's 100 failures for duty on another connection do not keep duty out", async () => {
    const stranger = connection();
    await Promise.all(Array.from({ length: 100 }, (_, i) => failure(call(stranger, 'session.login', { username: 'duty', password: `guess-${i}` }))));
    for (let i = 0; i < 100; i++) await failure(call(stranger, 'session.login', { username: 'duty', password: `again-${i}` }));
    expect(await failure(call(stranger, 'session.login', { username: 'duty', password: TEST_PASSWORD }))).toMatchObject({ code: 'rate-limited', reason: 'too-many-failures' });
    const duty = connection();
    expect(await call(duty, 'session.login', { username: 'duty', password: TEST_PASSWORD })).toMatchObject({ username: 'duty' });
  });

  it('keeps the database and the event loop free while 400 sign-ins flood in from 40 connections', async () => {
    const operator = await signedIn(t.core, 'command');
    const flood = Array.from({ length: 40 }, (_, k) => connection(`ws:flood-${k}`)).flatMap((s, k) =>
      Array.from({ length: 10 }, (_, i) => failure(call(s, 'session.login', { username: i % 2 ? 'duty' : `nobody-${k}`, password: `flood-${i}` }))),
    );
    const t0 = performance.now();
    await raise(operator);
    const took = performance.now() - t0;
    const outcomes = await Promise.all(flood);
    expect(took).toBeLessThan(2000);
    const refused = outcomes.filter((o) => o.code === 'rate-limited');
    expect(refused.length).toBeGreaterThanOrEqual(400 - 10); // 2 checked at once, 8 waiting, the rest refused at once
    expect(refused.filter((o) => o.reason === 'busy').length).toBeGreaterThan(0);
    for (const r of refused) expect(r.retryAfterS).toBeGreaterThan(0);
  });

  it('throttles password changes like sign-ins: one at a time per connection, then a lock', async () => {
    const s = connection();
    await call(s, 'session.login', { username: 'drill', password: TEST_PASSWORD });
    const parallel = await Promise.all(
      Array.from({ length: 10 }, (_, i) => failure(call(s, 'session.changePassword', { currentPassword: `wrong-${i}`, newPassword: 'new-password-1' }))),
    );
    expect(parallel.filter((o) => o.reason === 'wrong-current-password').length).toBe(1);
    expect(parallel.filter((o) => o.reason === 'sign-in-pending').length).toBe(9);
    for (let i = 0; i < 3; i++) await failure(call(s, 'session.changePassword', { currentPassword: `wrong-${i}`, newPassword: 'new-password-1' }));
    expect(await failure(call(s, 'session.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'new-password-1' }))).toMatchObject({
      code: 'rate-limited', reason: 'too-many-failures',
    });
  });
});

describe('passwords', () => {
  it('refuses ten spaces, a short password and the current one, each with a reason the UI can word', async () => {
    const s = connection();
    await call(s, 'session.login', { username: 'drill', password: TEST_PASSWORD });
    for (const newPassword of [' '.repeat(10), '   short   ']) {
      expect(await failure(call(s, 'session.changePassword', { currentPassword: TEST_PASSWORD, newPassword }))).toMatchObject({
        code: 'bad-request', fields: [{ path: 'newPassword' }],
      });
    }
    expect(await failure(call(s, 'session.changePassword', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }))).toMatchObject({
      code: 'bad-request', reason: 'same-password',
    });
    // Nor may an administrator give ten spaces as someone's first password.
    const admin = await signedIn(t.core, 'admin');
    expect(await failure(call(admin, 'users.create', { username: 'blank', displayName: 'B', role: 'operator', password: ' '.repeat(12) }))).toMatchObject({
      code: 'bad-request', fields: [{ path: 'password' }],
    });
  });

  it('lets an account that must change its password do nothing else, and sends it no events', async () => {
    const s = connection();
    const result = (await call(s, 'session.login', { username: 'duty', password: TEST_PASSWORD })) as SignedIn;
    expect(result.mustChangePassword).toBe(true);
    expect(await failure(call(s, 'alarms.list'))).toMatchObject({ code: 'forbidden', reason: 'must-change-password' });
    expect(await failure(raise(s))).toMatchObject({ code: 'forbidden', reason: 'must-change-password' });
    expect(await call(s, 'session.current')).toMatchObject({ username: 'duty' });
    expect(t.core.sessions.receivesEvents(s)).toBe(false);
    // A reload (resume) does not get around it.
    const again = connection();
    expect(await call(again, 'session.resume', { token: result.resumeToken })).toMatchObject({ mustChangePassword: true });
    expect(await failure(call(again, 'alarms.list'))).toMatchObject({ reason: 'must-change-password' });
    await call(s, 'session.changePassword', { currentPassword: TEST_PASSWORD, newPassword: CHANGED_PASSWORD });
    expect(await call(s, 'alarms.list')).toMatchObject({ alarms: [] });
    expect(t.core.sessions.receivesEvents(s)).toBe(true);
    const fresh = connection();
    expect(await call(fresh, 'session.login', { username: 'duty', password: CHANGED_PASSWORD })).toMatchObject({ mustChangePassword: false });
  });

  it('tells a disabled account so only when the password is right', async () => {
    const admin = await signedIn(t.core, 'admin');
    await call(admin, 'users.disable', { username: 'drill' });
    expect(await failure(call(connection(), 'session.login', { username: 'drill', password: 'wrong-password' }))).toMatchObject({ reason: 'wrong-credentials' });
    expect(await failure(call(connection(), 'session.login', { username: 'drill', password: TEST_PASSWORD }))).toMatchObject({
      code: 'forbidden', reason: 'account-disabled',
    });
  });
});

describe('live sessions', () => {
  it("sign-out ends that session only; a password change ends the user's other sessions and their resume tokens", async () => {
    const a = connection();
    const b = connection();
    const c = connection();
    const first = (await call(a, 'session.login', { username: 'command', password: TEST_PASSWORD })) as SignedIn;
    await call(a, 'session.changePassword', { currentPassword: TEST_PASSWORD, newPassword: CHANGED_PASSWORD });
    const tokenB = ((await call(b, 'session.login', { username: 'command', password: CHANGED_PASSWORD })) as SignedIn).resumeToken;
    await call(c, 'session.login', { username: 'command', password: CHANGED_PASSWORD });
    expect(first.resumeToken).toBeTruthy();
    expect(t.core.sessions.count('command')).toBe(3);

    await call(c, 'session.logout');
    expect(c.user).toBeNull();
    expect(a.user).not.toBeNull();
    expect(t.core.sessions.count('command')).toBe(2);
    expect([a.ended, b.ended, c.ended]).toEqual([[], [], []]);

    const changed = (await call(a, 'session.changePassword', { currentPassword: CHANGED_PASSWORD, newPassword: 'third-password-1' })) as { resumeToken: string };
    expect(b.ended).toEqual(['password-changed']);
    expect(b.user).toBeNull();
    expect(a.ended).toEqual([]);
    expect(await call(a, 'alarms.list')).toBeTruthy(); // the window that changed it carries on
    expect(await failure(call(connection(), 'session.resume', { token: tokenB }))).toMatchObject({ code: 'unauthenticated' });
    expect(await call(connection(), 'session.resume', { token: changed.resumeToken })).toMatchObject({ username: 'command' });
  });
});

describe('a user gone', () => {
  it('is told when the last session of a user ends (signed out or its connection gone), not before', () => {
    const registry = new SessionRegistry(new ResumeTokens(new ManualClock()));
    const gone: string[] = [];
    registry.onUserGone((u) => gone.push(u));
    const user = { username: 'duty', displayName: '值班员', role: 'operator' as const };
    const console1 = { user: null, origin: 'a' } as Session;
    const wall = { user: null, origin: 'b' } as Session;
    registry.signIn(console1, user, 't1', false);
    registry.signIn(wall, user, 't2', false);
    registry.signOut(console1);
    expect(gone).toEqual([]); // the wall window still has the user
    registry.forget(wall);
    expect(gone).toEqual(['duty']);
  });
});
