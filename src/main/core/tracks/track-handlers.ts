// The track calls of the contract, served. Reports land in the manual feed's own picture; a drill coordinator's
// reports are drill data (their alarms are marked 演练 and never count as live), everyone else's are live.
import { trackCalls } from '../../../shared/contract/tracks.ts';
import { ApiError, type Handlers } from '../calls.ts';
import { MANUAL_FEED, MANUAL_MAX_TRACKS } from '../sources/manual-feed.ts';

export const trackHandlers: Handlers<typeof trackCalls> = {
  'tracks.list': async ({ core }) => core.tracks.list(),
  'tracks.report': async ({ core, user }, { trackId, position }) => {
    if (!core.tracks.has(MANUAL_FEED, trackId) && core.tracks.countOf(MANUAL_FEED) >= MANUAL_MAX_TRACKS) {
      throw new ApiError('rate-limited', `the manual feed holds ${MANUAL_MAX_TRACKS} tracks already; report existing ones or wait for old ones to expire`, {
        reason: 'manual-feed-full', retryAfterS: 60,
      });
    }
    const [track] = await core.tracks.reportBatch(MANUAL_FEED, [{ trackId, position, drill: user.role === 'coordinator' }]);
    core.sources.ok(MANUAL_FEED);
    return track;
  },
};
