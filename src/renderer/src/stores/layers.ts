import { defineStore } from 'pinia';
import { ref } from 'vue';

export const LAYER_IDS = [
  'runways', 'movement', 'buildings', 'fence', 'roads', 'checkpoints', 'posts',
  'ols', 'uavArea', 'protection', 'circles', 'grid', 'cameras', 'alarms', 'tracks', 'drones', 'units', 'duty',
] as const;
export type LayerId = (typeof LAYER_IDS)[number];

const DEFAULT_OFF: LayerId[] = ['grid', 'protection', 'duty'];

/** The obstacle limitation surfaces, switchable one kind at a time under the OLS layer. */
export const OLS_GROUPS = ['inner-horizontal', 'conical', 'approach', 'transitional', 'take-off-climb'] as const;
export type OlsGroup = (typeof OLS_GROUPS)[number];
const SURFACES_KEY = 'skyfence.olsSurfaces';
const STORAGE_KEY = 'skyfence.layers';

/** Which scene layers are shown; remembered on this machine. */
export const useLayerStore = defineStore('layers', () => {
  const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<Record<LayerId, boolean>>;
  const visible = ref(Object.fromEntries(LAYER_IDS.map((id) => [id, saved[id] ?? !DEFAULT_OFF.includes(id)])) as Record<LayerId, boolean>);
  function set(id: LayerId, on: boolean): void {
    visible.value[id] = on;
    localStorage.setItem(STORAGE_KEY, JSON.stringify(visible.value));
  }
  const savedSurfaces = JSON.parse(localStorage.getItem(SURFACES_KEY) ?? '{}') as Partial<Record<OlsGroup, boolean>>;
  const surfaces = ref(Object.fromEntries(OLS_GROUPS.map((g) => [g, savedSurfaces[g] ?? true])) as Record<OlsGroup, boolean>);
  function setSurface(group: OlsGroup, on: boolean): void {
    surfaces.value[group] = on;
    localStorage.setItem(SURFACES_KEY, JSON.stringify(surfaces.value));
  }
  return { visible, set, surfaces, setSurface };
});
