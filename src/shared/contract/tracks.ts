// Tracks: every target any position feed reports, keyed by source and the source's own id.
import { z } from 'zod';
import { geoPoint, type Track } from '../domain.ts';
import { ANY_ROLE, call } from './define.ts';

export interface TracksChanged {
  updated: Track[];
  /** Ids (`<source>/<trackId>`) of tracks that left their source's picture. */
  removed: string[];
}

export const trackCalls = {
  'tracks.list': call(z.object({}).strict(), ANY_ROLE).returns<Track[]>(),
  /**
   * The manual position feed: one position of a track from an integration or an operator. It lands in the
   * source `manual-feed` (never another source's picture); a track not reported again leaves after a while.
   */
  'tracks.report': call(
    z.object({ trackId: z.string().min(1).max(64).regex(/^[\w.:-]+$/, 'letters, digits, . _ : -'), position: geoPoint }).strict(),
    ['operator', 'coordinator', 'admin'],
  ).returns<Track>(),
};

export interface TrackEvents {
  /** One event per poll of a source (or per report): every track it changed, and the ones it dropped. */
  'tracks.changed': TracksChanged;
}
