// Playback (回放): any recorded period — a drill's, or a live one for incident review — as an index of events
// to jump to and the picture at any instant. Reads only: playback never changes stored data.
// PLACEHOLDER: the playback owner replaces the body, keeping these signatures.
import type { PlaybackFrame, PlaybackIndex } from '../../../shared/drills.ts';
import { ApiError } from '../calls.ts';

export class Playback {
  async open(_period: { from: number; to: number; drillId?: string }): Promise<PlaybackIndex> {
    throw new ApiError('unavailable', 'playback is not available yet');
  }
  async frame(_period: { from: number; to: number; drillId?: string }, _at: number): Promise<PlaybackFrame> {
    throw new ApiError('unavailable', 'playback is not available yet');
  }
  async stop(): Promise<void> {}
}
