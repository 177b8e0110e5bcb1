// Which drone tracks are drawn in full (stalk, trail, pilot and the line to it) and which as a point only. Full
// for every track while few are on the map; at scale only for the tracks an operator has to watch — level 2 and
// up, the selected track and the rest of its swarm — so that ten thousand quiet drones and birds cost what ten
// thousand points cost.
import type { DroneTrack } from '../../../shared/drones.ts';

/** Up to this many tracks on the map, every one is drawn in full. */
export const DETAIL_ALL_UP_TO = 300;
/** From this level up, a track is drawn in full whatever the count. */
export const DETAIL_FROM_LEVEL = 2;

export interface DetailContext {
  /** Tracks on the map. */
  count: number;
  selectedId: string | null;
  /** The selected track's swarm (null: none or not in one). */
  selectedSwarmId: string | null;
}

/** With this many tracks on the map, every one is drawn in full. */
export const everyTrackInFull = (count: number): boolean => count <= DETAIL_ALL_UP_TO;

export function drawnInFull(t: Pick<DroneTrack, 'id' | 'swarmId' | 'threat'>, ctx: DetailContext): boolean {
  return everyTrackInFull(ctx.count)
    || t.threat.level >= DETAIL_FROM_LEVEL
    || t.id === ctx.selectedId
    || (ctx.selectedSwarmId !== null && t.swarmId === ctx.selectedSwarmId);
}
