import { defineStore } from 'pinia';
import { ref } from 'vue';

export const LAYER_IDS = [
  'runways', 'movement', 'buildings', 'fence', 'roads', 'checkpoints', 'posts',
  'ols', 'uavArea', 'protection', 'circles', 'grid', 'alarms', 'tracks',
] as const;
export type LayerId = (typeof LAYER_IDS)[number];

const DEFAULT_OFF: LayerId[] = ['grid', 'protection'];
const STORAGE_KEY = 'skyfence.layers';

/** Which scene layers are shown; remembered on this machine. */
export const useLayerStore = defineStore('layers', () => {
  const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<Record<LayerId, boolean>>;
  const visible = ref(Object.fromEntries(LAYER_IDS.map((id) => [id, saved[id] ?? !DEFAULT_OFF.includes(id)])) as Record<LayerId, boolean>);
  function set(id: LayerId, on: boolean): void {
    visible.value[id] = on;
    localStorage.setItem(STORAGE_KEY, JSON.stringify(visible.value));
  }
  return { visible, set };
});
