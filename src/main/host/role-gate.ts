// Which roles may sign in over a given transport. The terminal listener on the police network admits unit
// accounts only: a console password typed on a phone (or guessed from the network) must not open a console
// session there. Electron's windows are consoles: a unit account is refused in them. The password is checked
// first (so the throttle counts the attempt as any other); a refused sign-in is signed out again at once,
// its resume token revoked (a console's token presented on the police network is as good as leaked), put on
// the record, and answered like a wrong password.
import type { Role } from '../../shared/domain.ts';
import { ApiError, type Session } from '../core/api.ts';
import type { Core } from '../core/core.ts';

/** The calls that end with a session signed in as somebody. */
const SIGN_IN_CALLS: ReadonlySet<string> = new Set(['session.login', 'session.resume']);

export interface SignInRule {
  /** The roles this transport admits. */
  roles: readonly Role[];
  /** Named in the error and the record: 'terminal', 'electron'. */
  transport: string;
}

/**
 * After a call has run: if it signed this session in with a role the transport does not admit, undo that and
 * answer exactly as a wrong password (or an ended session, for a resume) would: the listener must not confirm
 * to a stranger that a console password is right. The record keeps the real reason. The throttle saw a right
 * password: the refusal is not a failed attempt. The caller never sees the resume token.
 */
export async function enforceSignInRule(core: Core, session: Session, name: string, rule: SignInRule): Promise<void> {
  if (!SIGN_IN_CALLS.has(name) || !session.user) return;
  const { username, role } = session.user;
  if (rule.roles.includes(role)) return;
  core.sessions.signOut(session);
  await core.audit.record(username, 'session.login-refused', null, { origin: session.origin, role, transport: rule.transport, via: name, reason: 'role-not-allowed-here' });
  if (name === 'session.resume') throw new ApiError('unauthenticated', 'the session has ended; sign in again', { reason: 'session-ended' });
  throw new ApiError('unauthenticated', 'wrong username or password', { reason: 'wrong-credentials' });
}
