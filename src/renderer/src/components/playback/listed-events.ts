// Which events of a playback index the list shows: no noise (sign-ins, check-ins), and each drill control once
// (the record's entry, which names who, rather than the drill log's copy). Plain TypeScript: tests use it too.
import type { PlaybackIndex } from '../../../../shared/drills.ts';

type IndexEvent = PlaybackIndex['events'][number];

/** Kinds that say nothing about the response: sessions, duty check-ins. */
export function isNoise(kind: string): boolean {
  return kind.startsWith('session.') || kind === 'duty.check-in';
}

const CONTROLS = new Set(['drill.start', 'drill.pause', 'drill.resume', 'drill.speed', 'drill.end', 'drill.abort', 'drill.skip']);
/** A control's record entry and its drill-log entry are this close in wall time. */
const SAME_CONTROL_MS = 3000;

/** The events a list shows: no noise, each drill control once (the record's, which names who). */
export function listedEvents(events: readonly IndexEvent[]): IndexEvent[] {
  const kept = events.filter((e) => !isNoise(e.kind));
  return kept.filter((e) => {
    if (!CONTROLS.has(e.kind) || e.actor) return true;
    return !kept.some((o) => o !== e && o.kind === e.kind && o.actor && Math.abs(o.at - e.at) <= SAME_CONTROL_MS);
  });
}
