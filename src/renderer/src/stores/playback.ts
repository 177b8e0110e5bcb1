// The playback (回放) of a recorded period: its index (events to jump to), the instant on the scrubber, the
// frame shown, play/pause and speed. Frames come through FrameFetcher (latest wins, one request in flight, at
// most a few a second); the clock that plays runs here, on the browser's time. Only playback.* calls: playback
// reads the record and never changes it. Frames are shallow refs (replaced whole, read by the layer).
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PlaybackFrame, PlaybackIndex } from '../../../shared/drills.ts';
import { api } from '../api/instance.ts';
import { FrameFetcher } from '../components/playback/frame-fetcher.ts';
import { nextEventAt, previousEventAt } from '../components/playback/playback-time.ts';

export type PlaybackPeriod = { drillId: string } | { from: number; to: number };
export const PLAYBACK_SPEEDS = [1, 2, 5, 10, 30] as const;
/** Frames are asked for at most this often (4 a second) while playing or dragging. */
const FRAME_INTERVAL_MS = 250;
/** The playing clock ticks this often (the scrubber moves smoothly; frames follow at their own pace). */
const TICK_MS = 100;

/** Reads a playback address (#/playback?drill=… or ?from=…&to=…); null when it is not a valid one. */
export function periodFromHash(hash: string): PlaybackPeriod | null {
  const query = new URLSearchParams(hash.split('?')[1] ?? '');
  const drillId = query.get('drill');
  if (drillId) return drillId.length <= 100 ? { drillId } : null;
  const from = Number(query.get('from'));
  const to = Number(query.get('to'));
  return Number.isInteger(from) && Number.isInteger(to) && from > 0 && from < to ? { from, to } : null;
}

export function playbackHash(period: PlaybackPeriod): string {
  return 'drillId' in period ? `#/playback?drill=${encodeURIComponent(period.drillId)}` : `#/playback?from=${period.from}&to=${period.to}`;
}

export const usePlaybackStore = defineStore('playback', () => {
  const index = shallowRef<PlaybackIndex | null>(null);
  const frame = shallowRef<PlaybackFrame | null>(null);
  /** The instant on the scrubber (ms, the core's clock). */
  const at = ref(0);
  const playing = ref(false);
  const speed = ref<number>(1);
  const openError = shallowRef<unknown>(null);
  const frameError = shallowRef<unknown>(null);
  const loading = ref(false);
  const frameListeners = new Set<(f: PlaybackFrame) => void>();
  let fetcher: FrameFetcher<PlaybackFrame> | null = null;
  let ticker: ReturnType<typeof setInterval> | null = null;
  let lastTick = 0;
  /** Each open() gets a number: an answer for an older one is dropped. */
  let generation = 0;

  const from = computed(() => index.value?.from ?? 0);
  const to = computed(() => index.value?.to ?? 0);
  const isDrill = computed(() => Boolean(index.value?.drillId));

  async function open(period: PlaybackPeriod): Promise<void> {
    close();
    const mine = ++generation;
    loading.value = true;
    openError.value = null;
    try {
      const idx = await api.call('playback.open', period);
      if (mine !== generation) return;
      index.value = idx;
      fetcher = new FrameFetcher<PlaybackFrame>({
        minIntervalMs: FRAME_INTERVAL_MS,
        load: (instant) => api.call('playback.frame', { from: idx.from, to: idx.to, at: instant, ...(idx.drillId ? { drillId: idx.drillId } : {}) }),
        show: (f) => {
          frame.value = f;
          frameError.value = null;
          for (const l of frameListeners) l(f);
        },
        failed: (err) => (frameError.value = err),
      });
      seek(idx.from);
    } catch (err) {
      if (mine === generation) openError.value = err;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** Moves the scrubber to an instant (clamped to the period) and asks for its frame. */
  function seek(instant: number): void {
    if (!index.value) return;
    at.value = Math.min(index.value.to, Math.max(index.value.from, Math.round(instant)));
    fetcher?.request(at.value);
  }

  function tick(): void {
    const now = performance.now();
    const elapsed = now - lastTick;
    lastTick = now;
    if (!index.value) return;
    const next = at.value + elapsed * speed.value;
    if (next >= index.value.to) {
      seek(index.value.to);
      pause();
      return;
    }
    seek(next);
  }

  function play(): void {
    if (!index.value || playing.value) return;
    // Played to the end: play again from the start.
    if (at.value >= index.value.to) seek(index.value.from);
    playing.value = true;
    lastTick = performance.now();
    ticker = setInterval(tick, TICK_MS);
  }

  function pause(): void {
    playing.value = false;
    if (ticker) clearInterval(ticker);
    ticker = null;
  }

  function setSpeed(s: number): void {
    speed.value = s;
  }

  function previousEvent(): void {
    const t = index.value ? previousEventAt(index.value.events, at.value) : null;
    seek(t ?? from.value);
  }

  function nextEvent(): void {
    const t = index.value ? nextEventAt(index.value.events, at.value) : null;
    if (t !== null) seek(t);
  }

  /** Each frame shown, for the scene layer (outside Vue's reactivity). */
  function onFrame(listener: (f: PlaybackFrame) => void): () => void {
    frameListeners.add(listener);
    if (frame.value) listener(frame.value);
    return () => frameListeners.delete(listener);
  }

  function close(): void {
    pause();
    fetcher?.stop();
    fetcher = null;
    generation++;
    index.value = null;
    frame.value = null;
    openError.value = null;
    frameError.value = null;
    loading.value = false;
  }

  return {
    index, frame, at, playing, speed, openError, frameError, loading, from, to, isDrill,
    open, seek, play, pause, setSpeed, previousEvent, nextEvent, onFrame, close,
    /** True while a frame request is out (the view's hint; the tests read it). */
    frameBusy: () => fetcher?.busy ?? false,
  };
});
