// Resume tokens: a signed-in window that loses its connection (a reload, a network hiccup, a restarted
// wall screen) comes back signed in without typing the password again. Random, held in memory only (a
// restarted core forgets them), revoked at sign-out, and valid for one shift at most.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { User } from '../../../shared/domain.ts';
import type { Clock } from '../clock.ts';

export class ResumeTokens {
  private readonly tokens = new Map<string, { user: User; expires: number }>();

  constructor(private readonly clock: Clock, private readonly lifetimeMs = 12 * 3600_000) {}

  issue(user: User): string {
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, { user, expires: this.clock.now() + this.lifetimeMs });
    return token;
  }

  /** The user of a valid token, or null. */
  resume(token: string): User | null {
    for (const [known, entry] of this.tokens) {
      if (entry.expires <= this.clock.now()) this.tokens.delete(known);
    }
    const match = [...this.tokens.keys()].find((k) => k.length === token.length && timingSafeEqual(Buffer.from(k), Buffer.from(token)));
    return match ? this.tokens.get(match)!.user : null;
  }

  revoke(token: string | undefined): void {
    if (token) this.tokens.delete(token);
  }

  /** After a password change: every window of that user must sign in again. */
  revokeUser(username: string): void {
    for (const [k, e] of this.tokens) if (e.user.username === username) this.tokens.delete(k);
  }
}
