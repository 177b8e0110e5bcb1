// The manual position feed: tracks reported through the contract (`tracks.report`) by an integration or an
// operator. It is a source like any other, with its own track namespace; a track not reported again for
// MANUAL_TRACK_TTL_MS leaves the picture (the core looks every MANUAL_PRUNE_EVERY_MS). It holds at most
// MANUAL_MAX_TRACKS at once: a client reporting endless new ids is refused, not remembered.
export const MANUAL_FEED = 'manual-feed';
export const MANUAL_TRACK_TTL_MS = 2 * 60_000;
export const MANUAL_PRUNE_EVERY_MS = 10_000;
export const MANUAL_MAX_TRACKS = 500;
