// User administration (administrator only).
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

export const usersCalls = {
  'users.list': call(z.object({}).strict(), ['admin']).returns<UserRecord[]>(),
  'users.create': call(
    z.object({ username, displayName: z.string().trim().min(1).max(40), role: z.enum(ROLES), password: newPassword }).strict(),
    ['admin'],
  ).returns<UserRecord>(),
};
