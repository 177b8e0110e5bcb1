// The track calls of the contract, served. Reports land in the manual feed's own picture.
import { trackCalls } from '../../../shared/contract/tracks.ts';
import type { Handlers } from '../calls.ts';
import { MANUAL_FEED } from '../sources/manual-feed.ts';

export const trackHandlers: Handlers<typeof trackCalls> = {
  'tracks.list': async ({ core }) => core.tracks.list(),
  'tracks.report': async ({ core }, { trackId, position }) => {
    const [track] = await core.tracks.reportBatch(MANUAL_FEED, [{ trackId, position }]);
    core.sources.ok(MANUAL_FEED);
    return track;
  },
};
