// The video wall's tiles: which camera is in which tile, in a 1/4/9/16 layout. Kept in localStorage so that the
// console can "send a camera to the wall" whether or not the wall page is open, and the BroadcastChannel
// 'skyfence-wall' tells an open wall page (another window of this browser or of the Electron app) to read it
// again. The wall page and the console use this same store; the named layouts are kept by the core (wall.*).
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { WALL_SIZES, type WallLayout, type WallSize } from '../../../shared/video.ts';
import { api } from '../api/instance.ts';

const STORAGE_KEY = 'skyfence.wall';
const CHANNEL = 'skyfence-wall';

interface WallState {
  size: WallSize;
  tiles: Array<string | null>;
}
type WallMessage = { kind: 'changed' };

function readState(): WallState {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<WallState> | null;
    const size = WALL_SIZES.includes(saved?.size as WallSize) ? (saved!.size as WallSize) : 4;
    const tiles = Array.isArray(saved?.tiles) ? saved!.tiles.slice(0, size).map((t) => (typeof t === 'string' && t ? t : null)) : [];
    return { size, tiles: fit(tiles, size) };
  } catch {
    return { size: 4, tiles: fit([], 4) };
  }
}
const fit = (tiles: Array<string | null>, size: number): Array<string | null> => Array.from({ length: size }, (_, i) => tiles[i] ?? null);

export const useWallStore = defineStore('wall', () => {
  const initial = readState();
  const size = ref<WallSize>(initial.size);
  const tiles = ref<Array<string | null>>(initial.tiles);
  const layouts = ref<WallLayout[]>([]);
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;

  function reread(): void {
    const s = readState();
    size.value = s.size;
    tiles.value = s.tiles;
  }
  channel?.addEventListener('message', (e: MessageEvent<WallMessage>) => {
    if (e.data?.kind === 'changed') reread();
  });
  // Other windows' changes also arrive as storage events (a wall opened without BroadcastChannel support).
  window.addEventListener('storage', (e) => {
    if (e.key === STORAGE_KEY) reread();
  });

  function save(): void {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ size: size.value, tiles: tiles.value }));
    channel?.postMessage({ kind: 'changed' } satisfies WallMessage);
  }
  function setSize(n: WallSize): void {
    // A smaller layout keeps the cameras of its first tiles.
    size.value = n;
    tiles.value = fit(tiles.value, n);
    save();
  }
  function put(index: number, cameraId: string | null): void {
    if (index < 0 || index >= size.value) return;
    const next = [...tiles.value];
    next[index] = cameraId;
    tiles.value = next;
    save();
  }
  /**
   * From the console: the camera goes to the wall's next free tile (the layout grows when it is full; a full
   * 16 replaces the last tile). Reads the wall's current state first: the wall page may have changed it.
   * Returns the tile (from 0).
   */
  function send(cameraId: string): number {
    reread();
    const already = tiles.value.indexOf(cameraId);
    if (already !== -1) return already;
    let free = tiles.value.indexOf(null);
    if (free === -1) {
      const bigger = WALL_SIZES.find((n) => n > size.value);
      if (bigger) {
        free = size.value;
        size.value = bigger;
        tiles.value = fit(tiles.value, bigger);
      } else {
        free = size.value - 1;
      }
    }
    put(free, cameraId);
    return free;
  }

  async function loadLayouts(): Promise<void> {
    layouts.value = await api.call('wall.layouts', {});
  }
  async function saveLayout(name: string): Promise<WallLayout> {
    const saved = await api.call('wall.saveLayout', { name, size: size.value, tiles: tiles.value });
    await loadLayouts().catch(() => undefined);
    return saved;
  }
  async function deleteLayout(name: string): Promise<void> {
    await api.call('wall.deleteLayout', { name });
    await loadLayouts().catch(() => undefined);
  }
  function apply(layout: WallLayout): void {
    size.value = layout.size;
    tiles.value = fit(layout.tiles, layout.size);
    save();
  }
  return { size, tiles, layouts, setSize, put, send, loadLayouts, saveLayout, deleteLayout, apply };
});
