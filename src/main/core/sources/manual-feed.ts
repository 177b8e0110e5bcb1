// The manual position feed: tracks reported through the contract (`tracks.report`) by an integration or an
// operator. It is a source like any other, with its own track namespace; a track not reported again for
// MANUAL_TRACK_TTL_MS leaves the picture.
export const MANUAL_FEED = 'manual-feed';
export const MANUAL_TRACK_TTL_MS = 2 * 60_000;
