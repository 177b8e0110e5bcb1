// The contract's calls, served: input validated by its schema, role checked, then handed to its feature's
// handler. One dispatcher for both transports; a transport only keeps a Session per connection.
import { CALLS, type CallName, type Calls } from '../../shared/contract/index.ts';
import { AlarmError } from './alarms/alarm-service.ts';
import { alarmHandlers } from './alarms/alarm-handlers.ts';
import { sessionHandlers } from './auth/session-handlers.ts';
import { CALLS_BEFORE_PASSWORD_CHANGE } from './auth/session-registry.ts';
import { usersHandlers } from './auth/users-handlers.ts';
import { ApiError, type CallContext, type Handlers, type Session } from './calls.ts';
import type { Core } from './core.ts';
import { siteHandlers, systemHandlers } from './site/site-handlers.ts';
import { trackHandlers } from './tracks/track-handlers.ts';
import { droneHandlers } from './drones/drone-handlers.ts';
import { plateHandlers } from './video/plate-handlers.ts';
import { videoHandlers } from './video/video-handlers.ts';
import { unitHandlers } from './units/unit-handlers.ts';
import { dutyHandlers } from './duty/duty-handlers.ts';
import { incidentHandlers } from './incidents/incident-handlers.ts';
import { recordHandlers } from './record/record-handlers.ts';
import { drillHandlers } from './drills/drill-handlers.ts';
import { illFormedPath } from './store/well-formed.ts';

export { ApiError, type Session };

/** Every feature's handlers: the compiler checks there is one per call, with the contract's types. */
const HANDLERS: Handlers<Calls> = { ...sessionHandlers, ...usersHandlers, ...systemHandlers, ...siteHandlers, ...alarmHandlers, ...trackHandlers, ...videoHandlers, ...plateHandlers, ...droneHandlers,
  ...unitHandlers, ...dutyHandlers, ...incidentHandlers, ...recordHandlers, ...drillHandlers };

export async function dispatch(core: Core, session: Session, name: string, input: unknown): Promise<unknown> {
  if (typeof name !== 'string' || !Object.hasOwn(CALLS, name)) throw new ApiError('bad-request', `unknown call "${String(name).slice(0, 60)}"`);
  const spec = CALLS[name as CallName];
  if (spec.roles !== null) {
    if (!session.user) throw new ApiError('unauthenticated', 'log in first');
    if (!spec.roles.includes(session.user.role)) {
      throw new ApiError('forbidden', `${name} is not allowed for the role ${session.user.role}`);
    }
    if (core.sessions.mustChangePassword(session) && !CALLS_BEFORE_PASSWORD_CHANGE.has(name)) {
      throw new ApiError('forbidden', 'change your password first', { reason: 'must-change-password' });
    }
  }
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'input', problem: i.message }));
    throw new ApiError('bad-request', `${name}: ${fields.map((f) => `${f.path}: ${f.problem}`).join('; ')}`, { fields });
  }
  // A lone UTF-16 surrogate would not survive the database (nor the record's hash): refused, named.
  const illFormed = illFormedPath(parsed.data);
  if (illFormed !== null) {
    throw new ApiError('bad-request', `${name}: ${illFormed}: text with an unpaired UTF-16 surrogate`, { fields: [{ path: illFormed, problem: 'not well-formed text (unpaired surrogate)' }] });
  }
  const ctx: CallContext = { core, session, user: session.user! };
  const handler = HANDLERS[name as CallName] as (ctx: CallContext, input: unknown) => Promise<unknown>;
  try {
    return await handler(ctx, parsed.data);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof AlarmError) throw new ApiError(err.code, err.message, err.state ? { reason: `already-${err.state}` } : {});
    console.error(`call ${name} failed:`, err);
    throw new ApiError('internal', `${name} failed; see the console log`);
  }
}
