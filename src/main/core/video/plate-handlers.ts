// PLACEHOLDER until the checkpoint feature lands.
import type { videoCalls } from '../../../shared/contract/video.ts';
import { ApiError, type Handlers } from '../calls.ts';

type PlateCalls = Pick<typeof videoCalls, 'plates.search' | 'watchlist.list' | 'watchlist.add' | 'watchlist.remove'>;
const notYet = (name: string) => async (): Promise<never> => {
  throw new ApiError('unavailable', `${name} is not available yet`);
};
export const plateHandlers = Object.fromEntries(
  ['plates.search', 'watchlist.list', 'watchlist.add', 'watchlist.remove'].map((n) => [n, notYet(n)]),
) as unknown as Handlers<PlateCalls>;
