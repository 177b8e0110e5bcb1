// The units, dispatch and terminal calls of the contract, served. PLACEHOLDER: the units helper fills these in.
import { unitCalls } from '../../../shared/contract/units.ts';
import { ApiError, type Handlers } from '../calls.ts';

const notYet = async (): Promise<never> => { throw new ApiError('unavailable', 'not built yet'); };

export const unitHandlers: Handlers<typeof unitCalls> = {
  'units.list': async ({ core }) => core.units.units.list(),
  'units.nearest': notYet,
  'units.setStatus': notYet,
  'dispatch.send': notYet,
  'dispatch.cancel': notYet,
  'dispatch.list': notYet,
  'terminal.state': notYet,
  'terminal.report': notYet,
};
