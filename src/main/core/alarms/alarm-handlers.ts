// The alarm calls of the contract, served.
import { alarmCalls } from '../../../shared/contract/alarms.ts';
import { ApiError, type Handlers } from '../calls.ts';

export const alarmHandlers: Handlers<typeof alarmCalls> = {
  'alarms.list': ({ core }, { includeClosed, limit }) => core.alarms.list({ includeClosed, limit }),
  'alarms.raiseManual': ({ core, user }, { position, severity, note }) =>
    core.alarms.raise({ source: 'manual', type: 'manual', severity: severity as 1 | 2 | 3 | 4, position, details: { note } }, user),
  'alarms.acknowledge': ({ core, user }, { id }) => core.alarms.acknowledge(id, user),
  async 'alarms.close'({ core, user }, { id, category, note }) {
    // A drone alarm whose response suspended a runway is closed only once the runway is resumed, whichever way.
    const held = await core.drones.responses.heldRunways(id);
    if (held.length) {
      throw new ApiError('conflict', `runway ${held.join(', ')} is still suspended by the response to this alarm: resume it before closing`, { reason: 'runway-suspended' });
    }
    return core.alarms.close(id, user, { category, note });
  },
  'alarms.assign': async () => { throw new ApiError('unavailable', 'not built yet'); },
  'alarms.escalate': async () => { throw new ApiError('unavailable', 'not built yet'); },
  'alarms.resolve': async () => { throw new ApiError('unavailable', 'not built yet'); },
};
