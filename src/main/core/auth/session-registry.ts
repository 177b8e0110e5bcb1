// The live sessions of each user, so that the core can end them: a password change ends the user's other
// sessions; disabling an account, resetting its password or changing its role ends all of them. Ending a
// session signs it out and revokes its resume token, then calls the transport's `end` hook, which tells that
// one connection (`session.ended`). Also holds who must change their password before doing anything else.
import type { User } from '../../../shared/domain.ts';
import type { Session } from '../calls.ts';
import type { ResumeTokens } from './resume-tokens.ts';

export type EndReason = 'signed-out' | 'password-changed' | 'account-changed';

/** What a session that must change its password may still call (calls without roles are always open). */
export const CALLS_BEFORE_PASSWORD_CHANGE: ReadonlySet<string> = new Set(['session.changePassword', 'session.logout']);

export class SessionRegistry {
  private readonly byUser = new Map<string, Set<Session>>();
  private readonly mustChange = new WeakSet<Session>();
  /** Told when a user's last session ends (signed out, or its connection gone): e.g. to close their live video. */
  private readonly goneListeners = new Set<(username: string) => void>();

  constructor(private readonly tokens: ResumeTokens) {}

  onUserGone(listener: (username: string) => void): () => void {
    this.goneListeners.add(listener);
    return () => this.goneListeners.delete(listener);
  }

  signIn(session: Session, user: User, resumeToken: string, mustChangePassword: boolean): void {
    this.remove(session);
    // A connection signing in again gives up the token it held (else old tokens would pile up, valid for hours).
    if (session.resumeToken && session.resumeToken !== resumeToken) this.tokens.revoke(session.resumeToken);
    session.user = user;
    session.resumeToken = resumeToken;
    if (mustChangePassword) this.mustChange.add(session);
    else this.mustChange.delete(session);
    const set = this.byUser.get(user.username) ?? new Set();
    set.add(session);
    this.byUser.set(user.username, set);
  }

  /** This session only: signed out, its resume token revoked. */
  signOut(session: Session): void {
    this.removeAndTell(session);
    this.tokens.revoke(session.resumeToken);
    session.user = null;
    session.resumeToken = undefined;
    this.mustChange.delete(session);
  }

  /** Ends every live session of `username` except `keep`, and tells each one why; returns how many. */
  endAll(username: string, reason: EndReason, keep?: Session): number {
    let n = 0;
    for (const s of [...(this.byUser.get(username) ?? [])]) {
      if (s === keep) continue;
      this.signOut(s);
      n++;
      try {
        s.end?.(reason);
      } catch (err) {
        console.error('ending a session failed:', (err as Error).message);
      }
    }
    return n;
  }

  passwordChanged(session: Session): void {
    this.mustChange.delete(session);
  }

  mustChangePassword(session: Session): boolean {
    return this.mustChange.has(session);
  }

  /** Broadcast events go to sessions that are signed in and past any forced password change. */
  receivesEvents(session: Session): boolean {
    return session.user !== null && !this.mustChange.has(session);
  }

  /** The connection has gone (its resume token stays valid: that is what it is for). */
  forget(session: Session): void {
    this.removeAndTell(session);
  }

  /** Live sessions of a user: for tests and the administrator's view. */
  count(username: string): number {
    return this.byUser.get(username)?.size ?? 0;
  }

  private removeAndTell(session: Session): void {
    const username = session.user?.username;
    this.remove(session);
    if (username && !this.byUser.has(username)) for (const l of this.goneListeners) l(username);
  }

  private remove(session: Session): void {
    const username = session.user?.username;
    if (!username) return;
    const set = this.byUser.get(username);
    set?.delete(session);
    if (set?.size === 0) this.byUser.delete(username);
  }
}
