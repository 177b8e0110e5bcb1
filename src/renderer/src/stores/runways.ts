// The runways in use as the core's runway board has them (operations feed + suspensions by drone responses),
// read once and kept current by 'runways.changed'.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { RunwayState } from '../../../shared/drones.ts';
import { api } from '../api/instance.ts';

export const useRunwayStore = defineStore('runways', () => {
  const state = shallowRef<RunwayState | null>(null);
  let unsubscribe: (() => void) | null = null;

  async function load(): Promise<void> {
    unsubscribe ??= api.on('runways.changed', (s) => (state.value = s));
    state.value = await api.call('runways.state', {});
  }
  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }
  return { state, load, stop };
});
