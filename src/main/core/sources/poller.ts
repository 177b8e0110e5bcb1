// Runs one poll after another at an interval (never overlapping), until stopped.
export interface Poller {
  stop(): Promise<void>;
}

export function startPolling(intervalMs: number, pollOnce: () => Promise<void>): Poller {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = pollOnce()
      .catch((err) => console.error('poller:', (err as Error).message))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
