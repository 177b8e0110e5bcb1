// The incident calls, served. PLACEHOLDER: the incidents helper fills these in.
import { incidentCalls } from '../../../shared/contract/incidents.ts';
import { ApiError, type Handlers } from '../calls.ts';

const notYet = async (): Promise<never> => { throw new ApiError('unavailable', 'not built yet'); };

export const incidentHandlers: Handlers<typeof incidentCalls> = {
  'incidents.types': async ({ core }) => core.incidents.types(),
  'incidents.list': notYet,
  'incidents.get': notYet,
  'incidents.open': notYet,
  'incidents.addAlarms': notYet,
  'incidents.step': notYet,
  'incidents.note': notYet,
  'incidents.close': notYet,
  'incidents.report': notYet,
};
