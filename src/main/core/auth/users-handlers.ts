// The user-administration calls of the contract, served (administrator only: checked by the dispatcher).
// Every change is audited; every change that affects a user ends that user's live sessions and resume tokens.
import { usersCalls, type UserRecord } from '../../../shared/contract/users.ts';
import { ApiError, type CallContext, type Handlers } from '../calls.ts';
import type { AccountChange } from './accounts.ts';

const notYourself = (ctx: CallContext, username: string, what: string) => {
  if (username === ctx.user.username) throw new ApiError('forbidden', `you cannot ${what} your own account`, { reason: 'own-account' });
};

/** The account after a change, or the reason it was refused. */
async function changed(ctx: CallContext, username: string, outcome: AccountChange): Promise<UserRecord> {
  if (outcome === 'last-admin') throw new ApiError('conflict', 'the console must keep at least one enabled administrator', { reason: 'last-admin' });
  if (outcome === 'unit-account') throw new ApiError('conflict', "a unit's terminal account keeps the role unit, and no other account takes it", { reason: 'unit-account' });
  const record = outcome === 'ok' ? await ctx.core.accounts.find(username) : null;
  if (!record) throw new ApiError('not-found', `there is no user ${username}`, { reason: 'no-such-user' });
  return record;
}

/** The user must sign in again (their role, password or access changed). */
function endSessions(ctx: CallContext, username: string): void {
  ctx.core.resumeTokens.revokeUser(username);
  ctx.core.sessions.endAll(username, 'account-changed');
}

export const usersHandlers: Handlers<typeof usersCalls> = {
  'users.list': async ({ core }) => (await core.accounts.list()).map((a) => ({ ...a, ...core.signIns.status(a.username) })),
  'users.create': async ({ core, user }, { username, displayName, role, password }) => {
    if (role === 'unit') {
      throw new ApiError('bad-request', 'unit accounts come from the site units file', { fields: [{ path: 'role', problem: 'unit accounts are made from the site units file' }] });
    }
    if (await core.accounts.exists(username)) throw new ApiError('conflict', `the username ${username} is taken`, { reason: 'username-taken' });
    const created = await core.accounts.create(username, displayName, role, password, true);
    await core.audit.record(user.username, 'users.create', username, { role });
    return created;
  },
  'users.disable': async (ctx, { username }) => {
    notYourself(ctx, username, 'disable');
    const record = await changed(ctx, username, await ctx.core.accounts.setDisabled(username, true));
    endSessions(ctx, username);
    await ctx.core.audit.record(ctx.user.username, 'users.disable', username);
    return record;
  },
  'users.enable': async (ctx, { username }) => {
    const record = await changed(ctx, username, await ctx.core.accounts.setDisabled(username, false));
    await ctx.core.audit.record(ctx.user.username, 'users.enable', username);
    return record;
  },
  'users.resetPassword': async (ctx, { username, password }) => {
    notYourself(ctx, username, 'reset the password of'); // one's own: session.changePassword
    const record = await changed(ctx, username, await ctx.core.accounts.resetPassword(username, password));
    endSessions(ctx, username);
    await ctx.core.audit.record(ctx.user.username, 'users.reset-password', username);
    return record;
  },
  'users.setRole': async (ctx, { username, role }) => {
    notYourself(ctx, username, 'change the role of');
    const before = await ctx.core.accounts.find(username);
    const record = await changed(ctx, username, await ctx.core.accounts.setRole(username, role));
    if (before?.role !== role) endSessions(ctx, username);
    await ctx.core.audit.record(ctx.user.username, 'users.set-role', username, { from: before?.role, to: role });
    return record;
  },
  'users.unlock': async ({ core, user }, { username }) => {
    if (!(await core.accounts.exists(username))) throw new ApiError('not-found', `there is no user ${username}`, { reason: 'no-such-user' });
    core.signIns.clear(username);
    await core.audit.record(user.username, 'users.unlock', username);
    return { ok: true };
  },
};
