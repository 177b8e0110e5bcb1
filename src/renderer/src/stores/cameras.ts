// Every camera of every video source, and its health, read whole with video.cameras on (re)connect and kept by
// the 'cameras.changed' events. Shallow refs: hundreds of cameras, replaced whole, never edited in place. The
// scene's camera layer takes each change as it comes (onChange) and redraws only the changed cameras.
import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import type { Camera, CameraState } from '../../../shared/video.ts';
import { api } from '../api/instance.ts';
import { useSelectionStore } from './selection.ts';

/** A change for the scene: `reset` when the whole list was read again (cameras may have come or gone). */
export interface CameraChange {
  states: CameraState[];
  reset?: boolean;
}

export const useCameraStore = defineStore('cameras', () => {
  const byId = shallowRef(new Map<string, Camera>());
  const states = shallowRef(new Map<string, CameraState>());
  /** Why the list could not be read (null when it could). */
  const loadError = shallowRef<unknown>(null);
  const listeners = new Set<(change: CameraChange) => void>();
  let unsubscribe: (() => void) | null = null;

  function emit(change: CameraChange): void {
    for (const l of listeners) {
      try {
        l(change);
      } catch (err) {
        console.error('camera listener failed:', err);
      }
    }
  }
  function applyStates(changed: CameraState[]): void {
    const map = states.value;
    for (const s of changed) map.set(s.id, s);
    triggerRef(states);
    emit({ states: changed });
  }
  async function load(): Promise<void> {
    unsubscribe ??= api.on('cameras.changed', ({ states: changed }) => applyStates(changed));
    try {
      const list = await api.call('video.cameras', {});
      byId.value = new Map(list.cameras.map((c) => [c.id, c]));
      states.value = new Map(list.states.map((s) => [s.id, s]));
      loadError.value = null;
      emit({ states: list.states, reset: true });
    } catch (err) {
      loadError.value = err;
      throw err;
    }
  }
  function onChange(listener: (change: CameraChange) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
    byId.value = new Map();
    states.value = new Map();
  }
  /**
   * The camera an alarm or a read names: alarms carry the source and the source's own id; the store is keyed by
   * `<sourceId>/<cameraId>`. Accepts either form.
   */
  function resolve(cameraId: string, sourceId?: string): Camera | null {
    return byId.value.get(cameraId) ?? (sourceId ? byId.value.get(`${sourceId}/${cameraId}`) : undefined) ?? null;
  }
  function health(id: string): CameraState['health'] {
    return states.value.get(id)?.health ?? 'unknown';
  }
  /** Opens a camera's live view on the map's card; a PTZ camera is first sent to the preset that looks there. */
  async function open(cameraId: string, presetId?: string | null): Promise<void> {
    const selection = useSelectionStore();
    selection.select({ kind: 'camera', cameraId });
    if (presetId) {
      const state = await api.call('video.gotoPreset', { cameraId, presetId });
      applyStates([state]);
    }
  }
  async function gotoPreset(cameraId: string, presetId: string): Promise<void> {
    applyStates([await api.call('video.gotoPreset', { cameraId, presetId })]);
  }
  return { byId, states, loadError, load, onChange, stop, resolve, health, open, gotoPreset };
});
