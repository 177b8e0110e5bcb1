// The patrol duty calls, served. PLACEHOLDER: the duty helper fills these in.
import { dutyCalls } from '../../../shared/contract/duty.ts';
import { ApiError, type Handlers } from '../calls.ts';

const notYet = async (): Promise<never> => { throw new ApiError('unavailable', 'not built yet'); };

export const dutyHandlers: Handlers<typeof dutyCalls> = {
  'duty.plan': async ({ core }) => core.duty.plan(),
  'duty.roster': notYet,
  'duty.setRoster': notYet,
  'duty.status': notYet,
};
