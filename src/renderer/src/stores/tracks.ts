// Every target on the picture, by id (`<source>/<trackId>`), kept by the 'tracks.changed' batches (one per poll
// of a source) and read whole with tracks.list on (re)connect. A shallow ref: positions change every second and
// are replaced, never edited in place. The scene layer takes each batch as it comes (onBatch) and updates its
// primitives outside Vue's reactivity; components read single tracks from `byId`.
import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import type { TracksChanged } from '../../../shared/contract/index.ts';
import type { Track } from '../../../shared/domain.ts';
import { api } from '../api/instance.ts';

/** A batch of changes; `reset`: the whole picture (after tracks.list), every track not in it is gone. */
export interface TrackBatch extends TracksChanged {
  reset?: boolean;
}

export const useTrackStore = defineStore('tracks', () => {
  const byId = shallowRef(new Map<string, Track>());
  const listeners = new Set<(batch: TrackBatch) => void>();
  let unsubscribe: (() => void) | null = null;

  function apply(batch: TrackBatch): void {
    const map = byId.value;
    if (batch.reset) map.clear();
    for (const t of batch.updated) map.set(t.id, t);
    for (const id of batch.removed) map.delete(id);
    triggerRef(byId);
    for (const l of listeners) l(batch);
  }
  /** Reads the whole picture (at start and after a lost connection) and follows its changes. */
  async function load(): Promise<void> {
    unsubscribe ??= api.on('tracks.changed', (batch) => apply(batch));
    const list = await api.call('tracks.list', {});
    const ids = new Set(list.map((t) => t.id));
    apply({ updated: list, removed: [...byId.value.keys()].filter((id) => !ids.has(id)), reset: true });
  }
  function onBatch(listener: (batch: TrackBatch) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
    byId.value = new Map();
  }
  return { byId, load, onBatch, stop };
});
