// Runs one poll after another at an interval on the core's clock (never overlapping), until stopped.
import type { Clock, Timer } from '../clock.ts';

export interface Poller {
  stop(): Promise<void>;
}

export function startPolling(clock: Clock, intervalMs: number, pollOnce: () => Promise<void>, log: (line: string) => void = console.error): Poller {
  let stopped = false;
  let timer: Timer | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = pollOnce()
      .catch((err) => log(`poller: ${(err as Error).message}`))
      .finally(() => {
        if (!stopped) timer = clock.setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      timer?.cancel();
      await running;
    },
  };
}
