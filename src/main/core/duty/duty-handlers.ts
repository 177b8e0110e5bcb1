// The patrol duty calls, served. The roster's roles (commander, admin) are checked by the dispatcher from the contract.
import { dutyCalls } from '../../../shared/contract/duty.ts';
import type { Handlers } from '../calls.ts';

export const dutyHandlers: Handlers<typeof dutyCalls> = {
  'duty.plan': async ({ core }) => core.duty.plan(),
  'duty.roster': async ({ core }, { date, shiftId }) => core.duty.roster(date, shiftId),
  'duty.setRoster': async ({ core, user }, input) => core.duty.setRoster(input, user),
  'duty.status': async ({ core }) => core.duty.status(),
};
