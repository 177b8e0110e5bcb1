// The session calls of the contract, served: sign in, resume, sign out, change one's own password.
// (Sign-in calls run before there is a user: they read `session`, not `user`.) Password checks go through the
// sign-in guard (throttling) and the password hasher's gate (bounded scrypt); see sign-in-guard.ts.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sessionCalls } from '../../../shared/contract/session.ts';
import type { User } from '../../../shared/domain.ts';
import { ApiError, type Handlers } from '../calls.ts';
import type { UserRecord } from '../../../shared/contract/users.ts';
import type { SignInAttempt } from './sign-in-guard.ts';

const toUser = (a: UserRecord): User => ({ username: a.username, displayName: a.displayName, role: a.role, ...(a.unitId ? { unitId: a.unitId } : {}) });

/** Checks a password inside a reserved attempt: a refusal by the hasher's gate does not count as a failure. */
async function checked(attempt: SignInAttempt, check: () => Promise<UserRecord | null>): Promise<UserRecord | null> {
  let account: UserRecord | null;
  try {
    account = await check();
  } catch (err) {
    attempt.finish('cancelled');
    throw err;
  }
  attempt.finish(account ? 'success' : 'failure');
  return account;
}

export const sessionHandlers: Handlers<typeof sessionCalls> = {
  'session.login': async ({ core, session }, { username, password }) => {
    const attempt = core.signIns.begin(session, username);
    const account = await checked(attempt, () => core.accounts.verify(username, password));
    await core.audit.record(username, account ? 'session.login' : 'session.login-failed', null, { origin: session.origin });
    if (!account) throw new ApiError('unauthenticated', 'wrong username or password', { reason: 'wrong-credentials' });
    // Said only to whoever knows the password.
    if (account.disabled) throw new ApiError('forbidden', 'this account is disabled', { reason: 'account-disabled' });
    const user = toUser(account);
    core.sessions.signIn(session, user, core.resumeTokens.issue(user), account.mustChangePassword);
    return { ...user, resumeToken: session.resumeToken!, mustChangePassword: account.mustChangePassword };
  },
  'session.resume': async ({ core, session }, { token }) => {
    const known = core.resumeTokens.resume(token);
    const account = known && (await core.accounts.find(known.username));
    if (!account || account.disabled) throw new ApiError('unauthenticated', 'the session has ended; sign in again', { reason: 'session-ended' });
    const user = toUser(account);
    core.sessions.signIn(session, user, token, account.mustChangePassword);
    return { ...user, resumeToken: token, mustChangePassword: account.mustChangePassword };
  },
  'session.logout': async ({ core, session, user }) => {
    await core.audit.record(user.username, 'session.logout', null);
    core.sessions.signOut(session);
    return { ok: true };
  },
  'session.current': async ({ session }) => session.user,
  'session.changePassword': async ({ core, session, user }, { currentPassword, newPassword }) => {
    if (newPassword === currentPassword) throw new ApiError('bad-request', 'the new password must differ from the current one', { reason: 'same-password' });
    const attempt = core.signIns.begin(session, user.username);
    if (!(await checked(attempt, () => core.accounts.verify(user.username, currentPassword)))) {
      await core.audit.record(user.username, 'session.change-password-failed', user.username);
      throw new ApiError('unauthenticated', 'the current password is wrong', { reason: 'wrong-current-password' });
    }
    await core.accounts.setOwnPassword(user.username, newPassword);
    await core.audit.record(user.username, 'session.change-password', user.username);
    // Every other window of this user must sign in again; this one carries on with a new resume token.
    core.resumeTokens.revokeUser(user.username);
    core.sessions.endAll(user.username, 'password-changed', session);
    core.sessions.signIn(session, user, core.resumeTokens.issue(user), false);
    // The first-run password file has served its purpose once the administrator has chosen a password.
    if (user.role === 'admin') rmSync(join(core.config.dataDir, 'initial-password.txt'), { force: true });
    return { ok: true, resumeToken: session.resumeToken! };
  },
};
