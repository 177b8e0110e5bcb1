// The record calls (audit log, handover), served. PLACEHOLDER: the record helper fills these in.
import { recordCalls } from '../../../shared/contract/record.ts';
import { ApiError, type Handlers } from '../calls.ts';

const notYet = async (): Promise<never> => { throw new ApiError('unavailable', 'not built yet'); };

export const recordHandlers: Handlers<typeof recordCalls> = {
  'audit.list': notYet,
  'audit.verify': notYet,
  'handover.draft': notYet,
  'handover.submit': notYet,
  'handover.accept': notYet,
  'handover.cancel': notYet,
  'handover.list': notYet,
};
