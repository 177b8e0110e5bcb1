// The console's status (mode, sources) and the core's clock. The renderer keeps the offset between the core's
// clock (SystemStatus.now) and the browser's, refreshed with every status, and ticks `now` = Date.now() + offset
// once a second: alarm ages and the status-bar clock follow the core, not this machine's clock.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { SystemStatus } from '../../../shared/domain.ts';
import { api } from '../api/instance.ts';

const POLL_MS = 5000;

export const useStatusStore = defineStore('status', () => {
  const status = shallowRef<SystemStatus | null>(null);
  /** Core clock minus browser clock, in ms. */
  const offsetMs = ref(0);
  const now = ref(Date.now());
  let timers: number[] = [];
  let unsubscribe: (() => void) | null = null;

  function apply(s: SystemStatus, receivedAt = Date.now()): void {
    status.value = s;
    if (Number.isFinite(s.now)) offsetMs.value = s.now - receivedAt;
    now.value = Date.now() + offsetMs.value;
  }
  async function refresh(): Promise<void> {
    try {
      // The answer's clock is taken halfway through the round trip.
      const sent = Date.now();
      const s = await api.call('system.status', {});
      apply(s, (sent + Date.now()) / 2);
    } catch {
      /* the connection indicator tells the operator */
    }
  }
  function start(): void {
    stop();
    void refresh();
    unsubscribe = api.on('status.changed', (s) => apply(s));
    timers = [window.setInterval(() => (now.value = Date.now() + offsetMs.value), 1000), window.setInterval(refresh, POLL_MS)];
  }
  function stop(): void {
    timers.forEach((t) => clearInterval(t));
    timers = [];
    unsubscribe?.();
    unsubscribe = null;
  }
  return { status, now, offsetMs, start, stop, refresh };
});
