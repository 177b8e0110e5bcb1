// Runs one poll after another on the core's clock (never overlapping), until stopped: at the interval after
// a good poll, and after a failed one at a backoff that doubles per failure in a row (with jitter, up to a cap)
// so that a struggling system is not hammered; the first good poll brings the interval back.
import type { Clock, Timer } from '../clock.ts';
import { Backoff } from './backoff.ts';

export interface Poller {
  stop(): Promise<void>;
}

export interface PollSchedule {
  intervalMs: number;
  /** The longest wait after failures in a row (default: the interval, i.e. no backoff). */
  backoffMaxMs?: number;
  random?: () => number;
}

/**
 * `pollOnce` resolves true for a good poll and false for a failed one (it reports the failure itself); a
 * poll that throws counts as failed and is logged.
 */
export function startPolling(
  clock: Clock,
  schedule: PollSchedule | number,
  pollOnce: () => Promise<boolean | void>,
  log: (line: string) => void = console.error,
): Poller {
  const { intervalMs, backoffMaxMs, random } = typeof schedule === 'number' ? { intervalMs: schedule } : schedule;
  const backoff = new Backoff(intervalMs, Math.max(intervalMs, backoffMaxMs ?? intervalMs), random);
  let stopped = false;
  let timer: Timer | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = pollOnce()
      .then((good) => good !== false, (err) => {
        log(`poller: ${(err as Error).message}`);
        return false;
      })
      .then((good) => {
        if (good) backoff.reset();
        if (!stopped) timer = clock.setTimeout(tick, good ? intervalMs : Math.max(intervalMs, backoff.next()));
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
