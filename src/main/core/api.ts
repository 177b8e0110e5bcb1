// The contract's calls, served: input validated by its schema, role checked, then handed to a service.
// One dispatcher for both transports; a transport only keeps a Session per connection.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CALLS, type ApiErrorBody, type ApiErrorCode, type CallName } from '../../shared/contract.ts';
import type { User } from '../../shared/domain.ts';
import type { Core } from './core.ts';
import { AlarmError } from './alarms/alarm-service.ts';

export class ApiError extends Error {
  constructor(readonly code: ApiErrorCode, message: string) {
    super(message);
  }
  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** One client connection's state: who is logged in. */
export interface Session {
  user: User | null;
  /** The resume token issued at sign-in, revoked at sign-out. */
  resumeToken?: string;
  /** Where the connection comes from, for the audit log. */
  origin: string;
}

type Handler = (core: Core, session: Session, input: any) => Promise<unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HANDLERS: Record<CallName, Handler> = {
  'session.login': async (core, session, { username, password }) => {
    const wait = core.loginThrottle.retryAfterS(username);
    if (wait > 0) throw new ApiError('rate-limited', `too many failed sign-ins for ${username}; try again in ${wait} s`);
    const user = await core.accounts.verify(username, password);
    await core.audit.record(username, user ? 'session.login' : 'session.login-failed', null, { origin: session.origin });
    if (!user) {
      core.loginThrottle.recordFailure(username);
      throw new ApiError('unauthenticated', 'wrong username or password');
    }
    core.loginThrottle.recordSuccess(username);
    session.user = user;
    session.resumeToken = core.resumeTokens.issue(user);
    return { ...user, resumeToken: session.resumeToken };
  },
  'session.resume': async (core, session, { token }) => {
    const user = core.resumeTokens.resume(token);
    if (!user) throw new ApiError('unauthenticated', 'the session has ended; sign in again');
    session.user = user;
    session.resumeToken = token;
    return user;
  },
  'session.logout': async (core, session) => {
    await core.audit.record(session.user!.username, 'session.logout', null);
    core.resumeTokens.revoke(session.resumeToken);
    session.user = null;
    session.resumeToken = undefined;
    return { ok: true };
  },
  'session.current': async (_core, session) => session.user,
  'session.changePassword': async (core, session, { currentPassword, newPassword }) => {
    const username = session.user!.username;
    if (!(await core.accounts.changePassword(username, currentPassword, newPassword))) {
      await core.audit.record(username, 'session.change-password-failed', username);
      throw new ApiError('unauthenticated', 'the current password is wrong');
    }
    await core.audit.record(username, 'session.change-password', username);
    core.resumeTokens.revokeUser(username);
    session.resumeToken = core.resumeTokens.issue(session.user!);
    // The first-run password file has served its purpose once the administrator has chosen a password.
    if (session.user!.role === 'admin') rmSync(join(core.config.dataDir, 'initial-password.txt'), { force: true });
    return { ok: true, resumeToken: session.resumeToken };
  },
  'users.list': async (core) => core.accounts.list(),
  'users.create': async (core, session, { username, displayName, role, password }) => {
    if (await core.accounts.exists(username)) throw new ApiError('conflict', `the username ${username} is taken`);
    const user = await core.accounts.create(username, displayName, role, password);
    await core.audit.record(session.user!.username, 'users.create', username, { role });
    return user;
  },
  'system.status': async (core) => core.status(),
  'site.get': async (core) => ({
    pack: core.site.pack,
    grid: core.site.grid.cells,
    clearance: core.site.clearanceFeatures(),
    imagery: core.imagery,
  }),
  'clearance.classify': async (core, _s, p) => ({
    ...core.site.clearance.classify(p.lon, p.lat, p.altM ?? core.site.pack.aerodrome.elevationM),
    circles: core.site.circlesAt(p.lon, p.lat).map((c) => c.id),
    gridCellId: core.site.gridCellAt(p.lon, p.lat)?.id ?? null,
  }),
  'alarms.list': async (core, _s, { includeClosed }) => core.alarms.list({ includeClosed }),
  'alarms.raiseManual': async (core, session, { position, severity, note }) =>
    core.alarms.raise(
      { source: 'manual', type: 'manual', severity, title: note || '手动报警', position, details: { note, raisedBy: session.user!.username } },
      session.user!.username,
    ),
  'alarms.acknowledge': async (core, session, { id }) => core.alarms.acknowledge(id, session.user!.username),
  'alarms.close': async (core, session, { id, resolution }) => core.alarms.close(id, session.user!.username, resolution),
  'tracks.list': async (core) => core.tracks.list(),
  'tracks.report': async (core, _s, { trackId, source, position }) => {
    core.sources.ok('manual-feed');
    return core.tracks.report(trackId, source, position);
  },
};

export async function dispatch(core: Core, session: Session, name: string, input: unknown): Promise<unknown> {
  if (!Object.hasOwn(CALLS, name)) throw new ApiError('bad-request', `unknown call "${name}"`);
  const spec = CALLS[name as CallName];
  if (spec.roles !== null) {
    if (!session.user) throw new ApiError('unauthenticated', 'log in first');
    if (!spec.roles.includes(session.user.role)) {
      throw new ApiError('forbidden', `${name} is not allowed for the role ${session.user.role}`);
    }
  }
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    throw new ApiError('bad-request', `${name}: ${where}`);
  }
  try {
    return await HANDLERS[name as CallName](core, session, parsed.data);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof AlarmError) throw new ApiError(err.code, err.message);
    console.error(`call ${name} failed:`, err);
    throw new ApiError('internal', `${name} failed; see the console log`);
  }
}
