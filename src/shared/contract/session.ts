// Signing in and out, resuming after a lost connection, changing one's own password.
import { z } from 'zod';
import type { User } from '../domain.ts';
import { EVERY_ROLE, call } from './define.ts';

/** A new password: at least 10 characters that are not all spaces. The core also refuses the old one. */
export const newPassword = z
  .string()
  .max(256)
  .refine((p) => p.trim().length >= 10, { message: 'at least 10 characters, not counting spaces at either end' });

export interface SignedIn extends User {
  resumeToken: string;
  /** The password was set by someone else (first run, reset): change it before anything else. */
  mustChangePassword: boolean;
}

export const sessionCalls = {
  /** Signs in; the result carries a resume token for `session.resume` after a lost connection. */
  'session.login': call(z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict(), null).returns<SignedIn>(),
  'session.logout': call(z.object({}).strict(), EVERY_ROLE).returns<{ ok: true }>(),
  'session.current': call(z.object({}).strict(), null).returns<User | null>(),
  'session.resume': call(z.object({ token: z.string().min(20).max(100) }).strict(), null).returns<SignedIn>(),
  'session.changePassword': call(
    z.object({ currentPassword: z.string().min(1).max(256), newPassword }).strict(),
    EVERY_ROLE,
  ).returns<{ ok: true; resumeToken: string }>(),
};

export interface SessionEvents {
  /** To one connection only: it was signed out elsewhere (sign-out, password change, account disabled). */
  'session.ended': { reason: 'signed-out' | 'password-changed' | 'account-changed' };
}
