// The user-administration calls of the contract, served (administrator only: checked by the dispatcher).
import { usersCalls } from '../../../shared/contract/users.ts';
import { ApiError, type Handlers } from '../calls.ts';

export const usersHandlers: Handlers<typeof usersCalls> = {
  'users.list': ({ core }) => core.accounts.list(),
  'users.create': async ({ core, user }, { username, displayName, role, password }) => {
    if (await core.accounts.exists(username)) throw new ApiError('conflict', `the username ${username} is taken`, { reason: 'username-taken' });
    const created = await core.accounts.create(username, displayName, role, password, true);
    await core.audit.record(user.username, 'users.create', username, { role });
    return created;
  },
};
