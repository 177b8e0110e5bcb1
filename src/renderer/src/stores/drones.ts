// The fused drone tracks on the picture, by id, read whole with drones.list on (re)connect and kept by the
// drones.changed events; the permits (for the track card) by permits.list and permits.changed. A shallow ref,
// like the track store: tracks are replaced, never edited in place. Updates reach the scene batched, once per
// animation frame (a swarm of fifty reports fifty updates at once; the scene redraws them together). Each track
// keeps a short trail of its recent positions in memory; the full stored history is read on demand.
import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import type { DroneHistory, DronesChanged } from '../../../shared/contract/drones.ts';
import type { DroneHistoryPoint, DroneTrack, Permit } from '../../../shared/drones.ts';
import { api } from '../api/instance.ts';

/** Points of recent positions kept per track (the scene draws the last ones; the card's history reads the store). */
export const TRAIL_POINTS = 120;

export interface TrailPoint {
  lon: number;
  lat: number;
  altM: number;
  at: number;
}

/** A batch of changes for the scene; `reset`: the whole picture, every track not in it is gone. */
export interface DroneBatch extends DronesChanged {
  reset?: boolean;
}

export const useDroneStore = defineStore('drones', () => {
  const byId = shallowRef(new Map<string, DroneTrack>());
  const permits = shallowRef<Permit[]>([]);
  const trails = new Map<string, TrailPoint[]>();
  /** The full history the card asked the map to draw (one track at a time), null: none. */
  const shownHistory = shallowRef<{ trackId: string; points: DroneHistoryPoint[] } | null>(null);
  const listeners = new Set<(batch: DroneBatch) => void>();
  const unsubscribes: Array<() => void> = [];
  /** Changes waiting for the next animation frame: the last update of each track wins. */
  let pendingUpdated = new Map<string, DroneTrack>();
  let pendingRemoved = new Set<string>();
  let pendingReset = false;
  let frameRequested = false;

  function remember(t: DroneTrack): void {
    let trail = trails.get(t.id);
    if (!trail) trails.set(t.id, (trail = []));
    const last = trail[trail.length - 1];
    // Re-sent tracks (a state or threat change without a new fix) add no point.
    if (last && last.at === t.lastSeen && last.lon === t.position.lon && last.lat === t.position.lat) return;
    trail.push({ lon: t.position.lon, lat: t.position.lat, altM: t.position.altM, at: t.lastSeen });
    if (trail.length > TRAIL_POINTS) trail.splice(0, trail.length - TRAIL_POINTS);
  }

  /** Takes a batch of changes now (the map and trails) and hands it to the scene on the next frame. */
  function apply(batch: DroneBatch): void {
    const map = byId.value;
    if (batch.reset) {
      const keep = new Set(batch.updated.map((t) => t.id));
      for (const id of [...map.keys()]) {
        if (!keep.has(id)) {
          map.delete(id);
          trails.delete(id);
        }
      }
      pendingUpdated = new Map();
      pendingRemoved = new Set();
      pendingReset = true;
    }
    for (const t of batch.updated) {
      map.set(t.id, t);
      remember(t);
      pendingUpdated.set(t.id, t);
      pendingRemoved.delete(t.id);
    }
    for (const id of batch.removed) {
      map.delete(id);
      trails.delete(id);
      pendingUpdated.delete(id);
      pendingRemoved.add(id);
    }
    triggerRef(byId);
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(flush);
    }
  }

  function flush(): void {
    frameRequested = false;
    const batch: DroneBatch = { updated: [...pendingUpdated.values()], removed: [...pendingRemoved], reset: pendingReset };
    pendingUpdated = new Map();
    pendingRemoved = new Set();
    pendingReset = false;
    if (!batch.updated.length && !batch.removed.length && !batch.reset) return;
    for (const l of listeners) l(batch);
  }

  /** Reads the whole picture and the permits (at sign-in and after a lost connection) and follows their changes. */
  async function load(): Promise<void> {
    if (!unsubscribes.length) {
      unsubscribes.push(
        api.on('drones.changed', (changed) => apply(changed)),
        api.on('permits.changed', (p) => (permits.value = p.permits)),
      );
    }
    const [list, permitList] = await Promise.all([api.call('drones.list', {}), api.call('permits.list', {})]);
    apply({ updated: list, removed: [], reset: true });
    permits.value = permitList;
  }

  function onBatch(listener: (batch: DroneBatch) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** The recent positions of a track held in memory, oldest first. */
  function trailOf(id: string): readonly TrailPoint[] {
    return trails.get(id) ?? [];
  }

  /** A track's full stored history (drones.history), oldest first. */
  function history(trackId: string): Promise<DroneHistory> {
    return api.call('drones.history', { trackId, limit: 20_000 });
  }

  function showHistory(h: { trackId: string; points: DroneHistoryPoint[] } | null): void {
    shownHistory.value = h;
  }

  function permit(id: string | null): Permit | null {
    return id ? permits.value.find((p) => p.id === id) ?? null : null;
  }

  function stop(): void {
    for (const u of unsubscribes.splice(0)) u();
    byId.value = new Map();
    trails.clear();
    shownHistory.value = null;
  }

  // For the end-to-end tests and the bench only: publishes tracks as if the core had sent drones.changed.
  (window as unknown as { __skyfenceDrones?: unknown }).__skyfenceDrones = { apply: (changed: DroneBatch) => apply(changed) };

  return { byId, permits, shownHistory, load, apply, onBatch, trailOf, history, showHistory, permit, stop };
});
