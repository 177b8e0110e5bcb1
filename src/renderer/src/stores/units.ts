// The units (警力) as the core knows them: call sign, kind, force, status and last position, kept current by
// 'units.changed' (which carries only the units that changed).
import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import type { Unit } from '../../../shared/response.ts';
import { api } from '../api/instance.ts';

export const useUnitStore = defineStore('units', () => {
  const byId = shallowRef(new Map<string, Unit>());
  /** Why the units could not be read (the units service not running yet, a lost core). */
  const loadError = shallowRef<unknown>(null);
  let subscribed = false;

  function apply({ units }: { units: Unit[] }): void {
    for (const u of units) byId.value.set(u.id, u);
    triggerRef(byId);
  }
  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      api.on('units.changed', apply);
    }
    try {
      const units = await api.call('units.list', {});
      byId.value = new Map(units.map((u) => [u.id, u]));
      loadError.value = null;
    } catch (err) {
      loadError.value = err;
    }
  }
  return { byId, loadError, load };
});
