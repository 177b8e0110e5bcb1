// PLACEHOLDER until the video feature lands: every call says it is not available yet.
import type { videoCalls } from '../../../shared/contract/video.ts';
import { ApiError, type Handlers } from '../calls.ts';

type VideoCalls = Omit<typeof videoCalls, 'plates.search' | 'watchlist.list' | 'watchlist.add' | 'watchlist.remove'>;
type VideoCallName = keyof VideoCalls;
const notYet = (name: string) => async (): Promise<never> => {
  throw new ApiError('unavailable', `${name} is not available yet`);
};
const names: VideoCallName[] = [
  'video.cameras', 'video.whoCanSee', 'video.media', 'video.gotoPreset', 'wall.layouts', 'wall.saveLayout', 'wall.deleteLayout',
  'patrol.routes', 'patrol.saveRoute', 'patrol.due', 'patrol.start', 'patrol.check', 'patrol.finish', 'patrol.runs', 'patrol.report',
];
export const videoHandlers = Object.fromEntries(names.map((n) => [n, notYet(n)])) as unknown as Handlers<VideoCalls>;
