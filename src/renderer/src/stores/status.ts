import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { SystemStatus } from '../../../shared/domain.ts';
import { api } from '../api/instance.ts';

const POLL_MS = 5000;

export const useStatusStore = defineStore('status', () => {
  const status = shallowRef<SystemStatus | null>(null);
  const now = ref(Date.now());
  let timers: number[] = [];
  let unsubscribe: (() => void) | null = null;

  async function refresh(): Promise<void> {
    try {
      status.value = await api.call('system.status', {});
    } catch {
      /* the connection indicator tells the operator */
    }
  }
  function start(): void {
    stop();
    void refresh();
    unsubscribe = api.on('status.changed', (s) => (status.value = s));
    timers = [window.setInterval(() => (now.value = Date.now()), 1000), window.setInterval(refresh, POLL_MS)];
  }
  function stop(): void {
    timers.forEach((t) => clearInterval(t));
    timers = [];
    unsubscribe?.();
    unsubscribe = null;
  }
  return { status, now, start, stop, refresh };
});
