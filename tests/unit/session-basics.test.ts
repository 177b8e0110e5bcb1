// Sign-in, password change and account creation through the dispatcher (the basics; throttling and
// administration have their own tests).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { TEST_PASSWORD, testCore } from '../fixtures/core.ts';

let t: Awaited<ReturnType<typeof testCore>>;
beforeEach(async () => {
  t = await testCore();
});
afterEach(() => t.dispose());

const session = async (username: string): Promise<Session> => {
  const s: Session = { user: null, origin: 'test' };
  await dispatch(t.core, s, 'session.login', { username, password: TEST_PASSWORD });
  return s;
};

describe('accounts', () => {
  it('refuses a username for a minute after five failed sign-ins, even with the right password', async () => {
    const s: Session = { user: null, origin: 'test' };
    for (let i = 0; i < 5; i++) {
      await expect(dispatch(t.core, s, 'session.login', { username: 'duty', password: `guess-${i}` })).rejects.toMatchObject({ code: 'unauthenticated' });
    }
    await expect(dispatch(t.core, s, 'session.login', { username: 'duty', password: TEST_PASSWORD })).rejects.toMatchObject({
      code: 'rate-limited', message: expect.stringContaining('try again in 60 s'),
    });
    // Other accounts are not affected.
    expect(await dispatch(t.core, { user: null, origin: 'test' }, 'session.login', { username: 'drill', password: TEST_PASSWORD })).toMatchObject({ role: 'coordinator' });
    t.clock.advance(61_000);
    expect(await dispatch(t.core, s, 'session.login', { username: 'duty', password: TEST_PASSWORD })).toMatchObject({ role: 'operator' });
  });

  it('changes a password only with the current one, and the new one works', async () => {
    const s = await session('duty');
    await expect(dispatch(t.core, s, 'session.changePassword', { currentPassword: 'wrong', newPassword: 'a-new-password-2' })).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(dispatch(t.core, s, 'session.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'short' })).rejects.toMatchObject({ code: 'bad-request' });
    await dispatch(t.core, s, 'session.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'a-new-password-2' });
    const fresh: Session = { user: null, origin: 'test' };
    await expect(dispatch(t.core, fresh, 'session.login', { username: 'duty', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(await dispatch(t.core, fresh, 'session.login', { username: 'duty', password: 'a-new-password-2' })).toMatchObject({ username: 'duty' });
    const audit = (await t.core.audit.entries()).map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['session.change-password', 'session.change-password-failed']));
  });
});

describe('user administration', () => {
  it('lets an administrator create accounts, and nobody else', async () => {
    const admin = await session('admin');
    const created = await dispatch(t.core, admin, 'users.create', { username: 'zhang.wei', displayName: '张伟', role: 'commander', password: 'a-long-password' });
    expect(created).toMatchObject({ username: 'zhang.wei', displayName: '张伟', role: 'commander', disabled: false, mustChangePassword: true });
    await expect(dispatch(t.core, admin, 'users.create', { username: 'zhang.wei', displayName: 'x', role: 'operator', password: 'a-long-password' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(dispatch(t.core, admin, 'users.create', { username: 'Bad Name', displayName: 'x', role: 'operator', password: 'a-long-password' })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('username') });
    await expect(dispatch(t.core, admin, 'users.create', { username: 'x2', displayName: 'x', role: 'root', password: 'a-long-password' })).rejects.toMatchObject({ code: 'bad-request' });
    const list = (await dispatch(t.core, admin, 'users.list', {})) as Array<{ username: string }>;
    expect(list.map((u) => u.username)).toEqual(['admin', 'duty', 'drill', 'command', 'zhang.wei']);
    const commander = await session('command');
    await expect(dispatch(t.core, commander, 'users.list', {})).rejects.toMatchObject({ code: 'forbidden' });
    const fresh: Session = { user: null, origin: 'test' };
    expect(await dispatch(t.core, fresh, 'session.login', { username: 'zhang.wei', password: 'a-long-password' })).toMatchObject({ role: 'commander' });
  });
});

