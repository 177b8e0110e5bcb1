// The sign-in guard on a manual clock: one attempt in flight per connection, a hard exponential lock per
// connection, a soft per-account spacing capped at 30 s that a stranger cannot turn into a lockout, atomic
// reservation, and the administrator's unlock. And the password hasher's gate: bounded, refusing at once.
import { describe, expect, it } from 'vitest';
import type { ApiError, Session } from '../../src/main/core/calls.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { PasswordHasher, hashPassword } from '../../src/main/core/auth/password.ts';
import { SignInGuard } from '../../src/main/core/auth/sign-in-guard.ts';

const conn = (origin = 'ws:127.0.0.1'): Session => ({ user: null, origin });
const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (e) {
    return (e as ApiError).toBody() as { code: string; retryAfterS: number; reason: string };
  }
  throw new Error('not refused');
};
const fail = (g: SignInGuard, s: Session, account: string) => g.begin(s, account).finish('failure');

describe('sign-in guard', () => {
  it('allows one attempt in flight per connection and refuses the others at once', () => {
    const g = new SignInGuard(new ManualClock());
    const s = conn();
    const first = g.begin(s, 'drill');
    expect(refusal(() => g.begin(s, 'drill'))).toMatchObject({ code: 'rate-limited', retryAfterS: 1, reason: 'sign-in-pending' });
    expect(refusal(() => g.begin(s, 'duty'))).toMatchObject({ reason: 'sign-in-pending' });
    g.begin(conn(), 'duty').finish('success'); // another connection is not held up
    first.finish('failure');
    g.begin(s, 'drill').finish('success');
  });

  it('locks a connection after 3 failures, 1 s, 2 s, 4 s … and a success clears it', () => {
    const clock = new ManualClock();
    const g = new SignInGuard(clock);
    const s = conn();
    for (let i = 0; i < 3; i++) fail(g, s, `user${i}`);
    expect(refusal(() => g.begin(s, 'drill'))).toMatchObject({ code: 'rate-limited', retryAfterS: 1, reason: 'too-many-failures' });
    clock.advance(1000);
    fail(g, s, 'drill');
    expect(refusal(() => g.begin(s, 'drill')).retryAfterS).toBe(2);
    clock.advance(2000);
    fail(g, s, 'drill');
    expect(refusal(() => g.begin(s, 'drill')).retryAfterS).toBe(4);
    // The right password waits too: the lock is on the connection, not on the password.
    clock.advance(3000);
    expect(refusal(() => g.begin(s, 'drill')).retryAfterS).toBe(1);
    clock.advance(1000);
    g.begin(s, 'drill').finish('success');
    for (let i = 0; i < 3; i++) fail(g, s, 'drill');
    expect(refusal(() => g.begin(s, 'drill')).retryAfterS).toBe(1);
  });

  it('caps the connection lock at 15 minutes', () => {
    const clock = new ManualClock();
    const g = new SignInGuard(clock);
    const s = conn();
    for (let i = 0; i < 40; i++) {
      clock.advance(3_600_000);
      fail(g, s, 'x');
    }
    expect(refusal(() => g.begin(s, 'x')).retryAfterS).toBe(15 * 60);
  });

  it("slows an account that strangers hammer from many connections by at most 30 s, and never takes a colleague's turn", () => {
    const clock = new ManualClock();
    const g = new SignInGuard(clock);
    // A stranger keeps 64 connections (the host's cap) and guesses on each whenever it is let through.
    const pool = Array.from({ length: 64 }, () => conn());
    let attempts = 0;
    const hammer = (ms: number) => {
      for (let t = 0; t < ms; t += 500) {
        for (const s of pool) {
          try {
            fail(g, s, 'duty');
            attempts++;
          } catch {
            /* refused */
          }
        }
        clock.advance(500);
      }
    };
    hammer(10 * 60_000);
    // Without the guard: 64 × 1200 = 76 800 guesses in these 10 minutes.
    expect(attempts).toBeLessThan(1500);
    expect(g.status('duty')).toEqual({ failedSignIns: attempts, signInDelayS: 30 });
    // The duty operator on a fresh connection is told to wait at most 30 s, and then gets in whatever the
    // stranger does meanwhile: turns are per connection, so the stranger cannot take this one.
    const duty = conn();
    const wait = refusal(() => g.begin(duty, 'duty'));
    expect(wait).toMatchObject({ code: 'rate-limited', reason: 'account-slowed' });
    expect(wait.retryAfterS).toBeLessThanOrEqual(30);
    hammer(wait.retryAfterS * 1000);
    g.begin(duty, 'duty').finish('success');
  });

  it('counts per (account, origin): one origin is slowed sooner than the account as a whole', () => {
    const clock = new ManualClock();
    const g = new SignInGuard(clock);
    for (let i = 0; i < 6; i++) fail(g, conn('ipc:1'), 'drill'); // 6 failures from one origin (its free allowance is 5)
    expect(refusal(() => g.begin(conn('ipc:1'), 'drill'))).toMatchObject({ reason: 'account-slowed', retryAfterS: 1 });
    g.begin(conn('ipc:2'), 'drill').finish('success'); // another origin: the account's own allowance is 10
  });

  it('reserves before the password is checked: parallel attempts see each other', () => {
    const clock = new ManualClock();
    const g = new SignInGuard(clock);
    // Six connections start at once (each reserved synchronously); all fail afterwards.
    const attempts = Array.from({ length: 6 }, () => g.begin(conn(), 'command'));
    // The seventh, arriving while they are still being checked, is already slowed by them.
    expect(refusal(() => g.begin(conn(), 'command'))).toMatchObject({ reason: 'account-slowed' });
    for (const a of attempts) a.finish('failure');
    // A success refunds its reservation; a refusal by the busy hasher ('cancelled') too.
    const g2 = new SignInGuard(clock);
    for (let i = 0; i < 20; i++) g2.begin(conn(), 'command').finish(i % 2 ? 'success' : 'cancelled');
    expect(g2.status('command')).toEqual({ failedSignIns: 0, signInDelayS: 0 });
  });

  it('forgets failures after 15 quiet minutes, or when the administrator unlocks the account', () => {
    const clock = new ManualClock();
    const g = new SignInGuard(clock);
    for (let i = 0; i < 6; i++) fail(g, conn(), 'duty');
    expect(g.status('duty')).toEqual({ failedSignIns: 6, signInDelayS: 1 });
    expect(() => g.begin(conn(), 'duty')).toThrow();
    g.clear('duty');
    expect(g.status('duty')).toEqual({ failedSignIns: 0, signInDelayS: 0 });
    g.begin(conn(), 'duty').finish('success');
    for (let i = 0; i < 6; i++) fail(g, conn(), 'duty');
    clock.advance(15 * 60_000 + 1);
    expect(g.status('duty')).toEqual({ failedSignIns: 0, signInDelayS: 0 });
  });
});

describe('password hasher', () => {
  it('runs at most 2 scrypts at once, queues a few, and refuses the rest at once with a wait', async () => {
    const hasher = new PasswordHasher(2, 3);
    const stored = await hashPassword('right-password-1');
    const t0 = performance.now();
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => hasher.verify(i === 0 ? 'right-password-1' : 'wrong', stored)));
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBe(5);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: true });
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
    expect(refused.length).toBe(15);
    for (const r of refused) expect(r.toBody()).toMatchObject({ code: 'rate-limited', reason: 'busy', retryAfterS: expect.any(Number) });
    expect(hasher.load).toBe(0);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('spends no scrypt on an unknown account once it knows how long one takes, and says no', async () => {
    const hasher = new PasswordHasher();
    expect(await hasher.verify('anything', null)).toBe(false); // measured on the dummy hash
    const t0 = performance.now();
    expect(await hasher.verify('anything', null)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThan(5); // it took about as long as a real check
  });
});
