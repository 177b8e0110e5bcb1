// The session calls of the contract, served: sign in, resume, sign out, change one's own password.
// (Sign-in calls run before there is a user: they read `session`, not `user`.)
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sessionCalls } from '../../../shared/contract/session.ts';
import { ApiError, type Handlers } from '../calls.ts';

export const sessionHandlers: Handlers<typeof sessionCalls> = {
  'session.login': async ({ core, session }, { username, password }) => {
    const wait = core.loginThrottle.retryAfterS(username);
    if (wait > 0) throw new ApiError('rate-limited', `too many failed sign-ins for ${username}; try again in ${wait} s`, { retryAfterS: wait });
    const account = await core.accounts.verify(username, password);
    await core.audit.record(username, account ? 'session.login' : 'session.login-failed', null, { origin: session.origin });
    if (!account || account.disabled) {
      core.loginThrottle.recordFailure(username);
      throw new ApiError('unauthenticated', 'wrong username or password', { reason: 'wrong-credentials' });
    }
    core.loginThrottle.recordSuccess(username);
    const user = { username: account.username, displayName: account.displayName, role: account.role };
    session.user = user;
    session.resumeToken = core.resumeTokens.issue(user);
    return { ...user, resumeToken: session.resumeToken, mustChangePassword: account.mustChangePassword };
  },
  'session.resume': async ({ core, session }, { token }) => {
    const user = core.resumeTokens.resume(token);
    if (!user) throw new ApiError('unauthenticated', 'the session has ended; sign in again', { reason: 'session-ended' });
    const account = await core.accounts.find(user.username);
    if (!account || account.disabled) throw new ApiError('unauthenticated', 'the session has ended; sign in again', { reason: 'session-ended' });
    session.user = user;
    session.resumeToken = token;
    return { ...user, resumeToken: token, mustChangePassword: account.mustChangePassword };
  },
  'session.logout': async ({ core, session, user }) => {
    await core.audit.record(user.username, 'session.logout', null);
    core.resumeTokens.revoke(session.resumeToken);
    session.user = null;
    session.resumeToken = undefined;
    return { ok: true };
  },
  'session.current': async ({ session }) => session.user,
  'session.changePassword': async ({ core, session, user }, { currentPassword, newPassword }) => {
    if (!(await core.accounts.verify(user.username, currentPassword))) {
      await core.audit.record(user.username, 'session.change-password-failed', user.username);
      throw new ApiError('unauthenticated', 'the current password is wrong', { reason: 'wrong-current-password' });
    }
    if (newPassword === currentPassword) throw new ApiError('bad-request', 'the new password must differ from the current one', { reason: 'same-password' });
    await core.accounts.setOwnPassword(user.username, newPassword);
    await core.audit.record(user.username, 'session.change-password', user.username);
    core.resumeTokens.revokeUser(user.username);
    session.resumeToken = core.resumeTokens.issue(user);
    // The first-run password file has served its purpose once the administrator has chosen a password.
    if (user.role === 'admin') rmSync(join(core.config.dataDir, 'initial-password.txt'), { force: true });
    return { ok: true, resumeToken: session.resumeToken };
  },
};
