// The alarm calls of the contract, served.
import { alarmCalls } from '../../../shared/contract/alarms.ts';
import { RESPONDER_ROLES, type Person, type Role } from '../../../shared/domain.ts';
import { ApiError, type CallContext, type Handlers } from '../calls.ts';
import { AlarmError } from './alarm-service.ts';

export const alarmHandlers: Handlers<typeof alarmCalls> = {
  'alarms.list': ({ core }, { includeClosed, limit }) => core.alarms.list({ includeClosed, limit }),
  'alarms.raiseManual': ({ core, user }, { position, severity, note }) =>
    core.alarms.raise({ source: 'manual', type: 'manual', severity: severity as 1 | 2 | 3 | 4, position, details: { note } }, user),
  'alarms.acknowledge': ({ core, user }, { id }) => core.alarms.acknowledge(id, user),
  async 'alarms.assign'(ctx, { id, username }) {
    return ctx.core.alarms.assign(id, username === null ? null : await responder(ctx, username), ctx.user);
  },
  'alarms.escalate': ({ core, user }, { id, note }) => core.alarms.escalate(id, note, user),
  async 'alarms.resolve'({ core, user }, { id, note }) {
    try {
      return await core.alarms.resolve(id, note, user);
    } catch (err) {
      if (err instanceof AlarmError && err.state === 'new') throw new ApiError('conflict', err.message, { reason: 'not-acknowledged' });
      throw err;
    }
  },
  async 'alarms.close'({ core, user }, { id, category, note, duplicateOf }) {
    // A drone alarm whose response suspended a runway is closed only once the runway is resumed, whichever way.
    const held = await core.drones.responses.heldRunways(id);
    if (held.length) {
      throw new ApiError('conflict', `runway ${held.join(', ')} is still suspended by the response to this alarm: resume it before closing`, { reason: 'runway-suspended' });
    }
    try {
      return await core.alarms.close(id, user, { category, note, ...(duplicateOf === undefined ? {} : { duplicateOf }) });
    } catch (err) {
      if (err instanceof AlarmError && err.code === 'bad-request') {
        throw new ApiError('bad-request', err.message, { fields: [{ path: err.field ?? 'id', problem: err.message }] });
      }
      throw err;
    }
  },
};

/** The person an alarm may be assigned to: an enabled account of a role that works alarms. */
async function responder({ core }: CallContext, username: string): Promise<Person> {
  const account = await core.accounts.find(username);
  const refuse = (problem: string) => {
    throw new ApiError('bad-request', `cannot assign to "${username}": ${problem}`, { fields: [{ path: 'username', problem }] });
  };
  if (!account) return refuse('no such account');
  if (account.disabled) return refuse('the account is disabled');
  if (!(RESPONDER_ROLES as readonly Role[]).includes(account.role)) return refuse(`a ${account.role} account does not work alarms (${RESPONDER_ROLES.join(', ')} do)`);
  return { username: account.username, displayName: account.displayName };
}
