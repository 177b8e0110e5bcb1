// User administration (administrator only): add, disable and enable, reset a password, change a role,
// clear an account's sign-in throttle. Every change that affects a user ends that user's live sessions.
import { z } from 'zod';
import { ROLES, type User } from '../domain.ts';
import { call } from './define.ts';
import { newPassword } from './session.ts';

export const username = z.string().regex(/^[a-z][a-z0-9._-]{1,31}$/, 'lower-case letters, digits, . _ -; 2–32 characters');

export interface UserRecord extends User {
  createdAt: number;
  disabled: boolean;
  mustChangePassword: boolean;
}

/** A row of the administrator's list: the account and how its sign-ins are being slowed. */
export interface UserListEntry extends UserRecord {
  /** Failed sign-ins in the last quarter of an hour or so. */
  failedSignIns: number;
  /** Seconds each connection must wait between sign-ins for this account (0: not slowed). */
  signInDelayS: number;
}

const target = z.object({ username }).strict();

export const usersCalls = {
  'users.list': call(z.object({}).strict(), ['admin']).returns<UserListEntry[]>(),
  'users.create': call(
    z.object({ username, displayName: z.string().trim().min(1).max(40), role: z.enum(ROLES), password: newPassword }).strict(),
    ['admin'],
  ).returns<UserRecord>(),
  /** Not one's own account, nor the last enabled administrator; ends the user's sessions. */
  'users.disable': call(target, ['admin']).returns<UserRecord>(),
  'users.enable': call(target, ['admin']).returns<UserRecord>(),
  /** A temporary password, to be changed at the next sign-in; ends the user's sessions. */
  'users.resetPassword': call(z.object({ username, password: newPassword }).strict(), ['admin']).returns<UserRecord>(),
  /** Not one's own role, and never leaving no enabled administrator; ends the user's sessions. */
  'users.setRole': call(z.object({ username, role: z.enum(ROLES) }).strict(), ['admin']).returns<UserRecord>(),
  /** Forgets the account's failed sign-ins, so that it is no longer slowed down. */
  'users.unlock': call(target, ['admin']).returns<{ ok: true }>(),
};
