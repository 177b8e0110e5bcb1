// User administration through the dispatcher: disable and enable, reset a password, change a role, unlock;
// each audited, each ending the user's live sessions where it must, and never leaving no administrator.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import type { SignedIn } from '../../src/shared/contract/session.ts';
import type { UserListEntry } from '../../src/shared/contract/users.ts';
import { TEST_PASSWORD, testCore } from '../fixtures/core.ts';
import { CHANGED_PASSWORD, signedIn } from '../fixtures/sessions.ts';

// scrypt is slow on a shared machine: every account made and every password checked costs a fraction of a second.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let t: Awaited<ReturnType<typeof testCore>>;
let admin: Session;
beforeEach(async () => {
  t = await testCore();
  admin = await signedIn(t.core, 'admin');
});
afterEach(() => t.dispose());

const call = (s: Session, name: string, input: unknown = {}) => dispatch(t.core, s, name, input);
const failure = (p: Promise<unknown>) => p.then(() => ({ code: 'none' }) as Record<string, unknown>, (e) => e.toBody() as Record<string, unknown>);
/** A signed-in session that records why the core ended it. */
async function live(username: string) {
  const s = await signedIn(t.core, username);
  const ended: string[] = [];
  s.end = (reason) => ended.push(reason);
  return Object.assign(s, { ended });
}
const row = async (username: string) => ((await call(admin, 'users.list')) as UserListEntry[]).find((u) => u.username === username)!;
const audited = async (action: string) => (await t.core.audit.entries()).filter((e) => e.action === action).map((e) => [e.actor, e.subject]);

describe('user administration', () => {
  it('disables an account: its open sessions end and it cannot sign in; enabling lets it back', async () => {
    const duty = await live('duty');
    expect(await call(admin, 'users.disable', { username: 'duty' })).toMatchObject({ username: 'duty', disabled: true });
    expect(duty.ended).toEqual(['account-changed']);
    expect(duty.user).toBeNull();
    expect(await failure(call(duty, 'alarms.list'))).toMatchObject({ code: 'unauthenticated' });
    expect(await failure(call({ user: null, origin: 't' }, 'session.login', { username: 'duty', password: CHANGED_PASSWORD }))).toMatchObject({ reason: 'account-disabled' });
    expect((await row('duty')).disabled).toBe(true);
    await call(admin, 'users.enable', { username: 'duty' });
    expect(await call({ user: null, origin: 't' }, 'session.login', { username: 'duty', password: CHANGED_PASSWORD })).toMatchObject({ username: 'duty' });
    expect(await audited('users.disable')).toEqual([['admin', 'duty']]);
    expect(await audited('users.enable')).toEqual([['admin', 'duty']]);
  });

  it('resets a password to a temporary one: sessions end, resume tokens die, a change is due at sign-in', async () => {
    const drill = await live('drill');
    const token = drill.resumeToken!;
    await call(admin, 'users.resetPassword', { username: 'drill', password: 'temporary-pass-1' });
    expect(drill.ended).toEqual(['account-changed']);
    expect(await failure(call({ user: null, origin: 't' }, 'session.resume', { token }))).toMatchObject({ code: 'unauthenticated' });
    const again = (await call({ user: null, origin: 't' }, 'session.login', { username: 'drill', password: 'temporary-pass-1' })) as SignedIn;
    expect(again.mustChangePassword).toBe(true);
    expect((await row('drill')).mustChangePassword).toBe(true);
    expect(await failure(call(admin, 'users.resetPassword', { username: 'drill', password: ' '.repeat(10) }))).toMatchObject({ code: 'bad-request' });
    expect(await audited('users.reset-password')).toEqual([['admin', 'drill']]);
  });

  it('changes a role (ending the sessions that had the old one), never its own, never leaving no administrator', async () => {
    const command = await live('command');
    expect(await call(admin, 'users.setRole', { username: 'command', role: 'admin' })).toMatchObject({ role: 'admin' });
    expect(command.ended).toEqual(['account-changed']);
    expect(await failure(call(admin, 'users.setRole', { username: 'admin', role: 'operator' }))).toMatchObject({ code: 'forbidden', reason: 'own-account' });
    // Two administrators: one may be demoted; then the other is the last one.
    const other = await signedIn(t.core, 'command');
    expect(await call(other, 'users.setRole', { username: 'admin', role: 'operator' })).toMatchObject({ role: 'operator' });
    const admin2 = await signedIn(t.core, 'command');
    expect(await failure(call(admin2, 'users.disable', { username: 'command' }))).toMatchObject({ reason: 'own-account' });
    const back = await signedIn(t.core, 'command');
    await call(back, 'users.setRole', { username: 'admin', role: 'admin' });
    const a = await signedIn(t.core, 'admin');
    await call(a, 'users.disable', { username: 'command' });
    // Now admin is the only enabled administrator: the database refuses to lose it, even to another admin.
    await t.core.accounts.setRole('duty', 'admin');
    const duty = await signedIn(t.core, 'duty');
    await call(a, 'users.setRole', { username: 'duty', role: 'operator' });
    expect(await failure(call(duty, 'alarms.list'))).toMatchObject({ code: 'unauthenticated' });
    expect(await t.core.accounts.setRole('admin', 'operator')).toBe('last-admin');
    expect(await t.core.accounts.setDisabled('admin', true)).toBe('last-admin');
    expect(await failure(call(a, 'users.setRole', { username: 'nobody', role: 'operator' }))).toMatchObject({ code: 'not-found', reason: 'no-such-user' });
    expect((await audited('users.set-role')).length).toBe(4);
  });

  it('never lets two administrators demote each other at once into none', async () => {
    await call(admin, 'users.setRole', { username: 'command', role: 'admin' });
    const other = await signedIn(t.core, 'command');
    const outcomes = await Promise.all([
      failure(call(admin, 'users.setRole', { username: 'command', role: 'operator' })),
      failure(call(other, 'users.setRole', { username: 'admin', role: 'operator' })),
    ]);
    expect(outcomes.map((o) => o.code).sort()).toEqual(['conflict', 'none']);
    const admins = (await t.core.accounts.list()).filter((u) => u.role === 'admin' && !u.disabled);
    expect(admins.length).toBe(1);
  });

  it("shows an account's failed sign-ins and slowing, and unlocks it", async () => {
    for (let i = 0; i < 7; i++) {
      await failure(call({ user: null, origin: 'ws:127.0.0.1' }, 'session.login', { username: 'duty', password: `guess-${i}` }));
    }
    expect(await row('duty')).toMatchObject({ failedSignIns: 6, signInDelayS: 1 });
    expect(await failure(call({ user: null, origin: 'ws:127.0.0.1' }, 'session.login', { username: 'duty', password: TEST_PASSWORD }))).toMatchObject({
      code: 'rate-limited', reason: 'account-slowed',
    });
    await call(admin, 'users.unlock', { username: 'duty' });
    expect(await row('duty')).toMatchObject({ failedSignIns: 0, signInDelayS: 0 });
    expect(await call({ user: null, origin: 'ws:127.0.0.1' }, 'session.login', { username: 'duty', password: TEST_PASSWORD })).toMatchObject({ username: 'duty' });
    expect(await audited('users.unlock')).toEqual([['admin', 'duty']]);
  });

  it('is for administrators only', async () => {
    const duty = await signedIn(t.core, 'duty');
    for (const name of ['users.disable', 'users.enable', 'users.unlock']) {
      expect(await failure(call(duty, name, { username: 'drill' }))).toMatchObject({ code: 'forbidden' });
    }
    expect(await failure(call(duty, 'users.setRole', { username: 'drill', role: 'admin' }))).toMatchObject({ code: 'forbidden' });
  });
});
