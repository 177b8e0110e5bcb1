// Checkpoints (卡口): plate reads (过车记录) searched by checkpoint, partial plate and time, growing live with the
// reads that match the search; and the watch list (布控名单), kept current by 'watchlist.changed'.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Camera, PlateRead, WatchEntry } from '../../../shared/video.ts';
import { api } from '../api/instance.ts';
import { localText } from '../i18n/index.ts';
import { useSiteStore } from './site.ts';

export const READS_LIMIT = 200;

export interface PlateFilter {
  checkpointId: string;
  plate: string;
  /** [from, to] in ms, or null for any time. */
  range: [number, number] | null;
}

export interface Checkpoint {
  id: string;
  name: string;
  cameraIds: string[];
}

/** Plates are compared without the middle dot and case (渝B·D1234 is 渝BD1234 to a searching operator). */
const normalPlate = (p: string) => p.replace(/[·\s-]/g, '').toUpperCase();

export function matchesFilter(read: PlateRead, f: PlateFilter): boolean {
  if (f.checkpointId && read.checkpointId !== f.checkpointId) return false;
  if (f.plate.trim() && !normalPlate(read.plate).includes(normalPlate(f.plate.trim()))) return false;
  if (f.range && (read.at < f.range[0] || read.at > f.range[1])) return false;
  return true;
}

export const usePlatesStore = defineStore('plates', () => {
  const site = useSiteStore();
  const checkpointCameras = shallowRef<Camera[]>([]);
  const filter = ref<PlateFilter>({ checkpointId: '', plate: '', range: null });
  const reads = shallowRef<PlateRead[]>([]);
  const more = ref(false);
  const watchlist = shallowRef<WatchEntry[]>([]);
  let subscribed = false;

  /** Checkpoints from the checkpoint cameras, named after the site's checkpoint feature of the same id. */
  const checkpoints = computed<Checkpoint[]>(() => {
    const features = site.view?.pack.features.features.filter((f) => f.properties.kind === 'checkpoint') ?? [];
    const byId = new Map<string, Checkpoint>();
    for (const c of checkpointCameras.value) {
      if (!c.checkpointId) continue;
      const known = byId.get(c.checkpointId);
      if (known) known.cameraIds.push(c.id);
      else {
        const feature = features.find((f) => f.id === c.checkpointId);
        byId.set(c.checkpointId, { id: c.checkpointId, name: feature ? localText(feature.properties.name) : c.checkpointId, cameraIds: [c.id] });
      }
    }
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  });
  const checkpointName = (id: string) => checkpoints.value.find((c) => c.id === id)?.name ?? id;

  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    api.on('plates.read', (read) => {
      if (!matchesFilter(read, filter.value) || reads.value.some((r) => r.id === read.id)) return;
      const next = [read, ...reads.value];
      if (next.length > READS_LIMIT) {
        next.length = READS_LIMIT;
        more.value = true;
      }
      reads.value = next;
    });
    api.on('watchlist.changed', ({ entries }) => (watchlist.value = entries));
  }

  async function loadCheckpoints(): Promise<void> {
    const [list] = await Promise.all([api.call('video.cameras', {}), site.load().catch(() => null)]);
    checkpointCameras.value = list.cameras.filter((c) => c.kind === 'checkpoint' && c.checkpointId);
  }
  async function search(): Promise<void> {
    subscribe();
    const f = filter.value;
    const result = await api.call('plates.search', {
      ...(f.plate.trim() ? { plate: f.plate.trim() } : {}),
      ...(f.checkpointId ? { checkpointId: f.checkpointId } : {}),
      ...(f.range ? { from: f.range[0], to: f.range[1] } : {}),
      limit: READS_LIMIT,
    });
    reads.value = [...result.reads].sort((a, b) => b.at - a.at);
    more.value = result.more;
  }

  async function loadWatchlist(): Promise<void> {
    subscribe();
    watchlist.value = await api.call('watchlist.list', {});
  }
  async function addWatch(plate: string, reason: string): Promise<WatchEntry> {
    const entry = await api.call('watchlist.add', { plate, reason });
    watchlist.value = [entry, ...watchlist.value.filter((e) => e.plate !== entry.plate)];
    return entry;
  }
  async function removeWatch(plate: string): Promise<void> {
    await api.call('watchlist.remove', { plate });
    watchlist.value = watchlist.value.filter((e) => e.plate !== plate);
  }

  return { checkpoints, checkpointName, filter, reads, more, watchlist, loadCheckpoints, search, loadWatchlist, addWatch, removeWatch };
});
