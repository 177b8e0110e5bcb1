// The response panel of one drone alarm: which alarm it is open on, that alarm's response as the core holds it
// (kept current by 'droneResponse.changed', so that a second seat's steps appear here), and the calls that
// record a step or close the response.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { z } from 'zod';
import type { droneResponseInput } from '../../../shared/contract/drones.ts';
import type { DroneOutcome, DroneResponse } from '../../../shared/drones.ts';
import { api } from '../api/instance.ts';

export type StepInput = z.input<typeof droneResponseInput>;

export const useDroneResponseStore = defineStore('drone-response', () => {
  /** The alarm whose panel is open (null: closed). */
  const alarmId = ref<string | null>(null);
  const response = shallowRef<DroneResponse | null>(null);
  const loadError = shallowRef<unknown>(null);
  let unsubscribe: (() => void) | null = null;

  function apply(r: DroneResponse): void {
    if (r.alarmId === alarmId.value) response.value = r;
  }
  async function open(id: string): Promise<void> {
    unsubscribe ??= api.on('droneResponse.changed', apply);
    if (alarmId.value !== id) response.value = null;
    alarmId.value = id;
    await reload();
  }
  async function reload(): Promise<void> {
    const id = alarmId.value;
    if (!id) return;
    try {
      const r = await api.call('droneResponse.get', { alarmId: id });
      loadError.value = null;
      apply(r);
    } catch (err) {
      if (alarmId.value === id) loadError.value = err;
    }
  }
  function hide(): void {
    alarmId.value = null;
    response.value = null;
    loadError.value = null;
    unsubscribe?.();
    unsubscribe = null;
  }
  async function record(step: Omit<StepInput, 'alarmId'>): Promise<DroneResponse> {
    const r = await api.call('droneResponse.record', { ...step, alarmId: alarmId.value! });
    apply(r);
    return r;
  }
  async function close(outcome: DroneOutcome, note: string): Promise<DroneResponse> {
    const r = await api.call('droneResponse.close', { alarmId: alarmId.value!, outcome, note });
    apply(r);
    return r;
  }
  return { alarmId, response, loadError, open, reload, hide, record, close };
});
