// The alarm calls of the contract, served.
import { alarmCalls } from '../../../shared/contract/alarms.ts';
import type { Handlers } from '../calls.ts';

export const alarmHandlers: Handlers<typeof alarmCalls> = {
  'alarms.list': ({ core }, { includeClosed, limit }) => core.alarms.list({ includeClosed, limit }),
  'alarms.raiseManual': ({ core, user }, { position, severity, note }) =>
    core.alarms.raise({ source: 'manual', type: 'manual', severity: severity as 1 | 2 | 3 | 4, position, details: { note } }, user),
  'alarms.acknowledge': ({ core, user }, { id }) => core.alarms.acknowledge(id, user),
  'alarms.close': ({ core, user }, { id, category, note }) => core.alarms.close(id, user, { category, note }),
};
