// Time comes from a port, timers included, so that tests and drills run on a clock of their own: a poller's
// interval, a source's watchdog and a 1-3-5 response timer all fire on the core's clock, never on raw setTimeout.
export interface Timer {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Runs `fn` once `ms` of this clock's time have passed. */
  setTimeout(fn: () => void, ms: number): Timer;
}

/** Runs `fn` every `ms` of the clock's time until cancelled (the next run is scheduled after this one). */
export function every(clock: Clock, ms: number, fn: () => void): Timer {
  let timer: Timer;
  let cancelled = false;
  const tick = () => {
    if (cancelled) return;
    timer = clock.setTimeout(tick, ms);
    fn();
  };
  timer = clock.setTimeout(tick, ms);
  return {
    cancel() {
      cancelled = true;
      timer.cancel();
    },
  };
}

/** Resolves after `ms` of the clock's time. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  },
};

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock that moves only when told to, firing its timers in order as it passes them: for tests. */
export class ManualClock implements Clock {
  private readonly pending = new Set<Pending>();
  private seq = 0;

  constructor(private t = Date.UTC(2026, 10, 24, 8, 0, 0)) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const p: Pending = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.pending.add(p);
    return { cancel: () => this.pending.delete(p) };
  }

  /** Moves time forward, firing due timers in order (timers they set fire too when due within the step). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (let next = this.nextDue(end); next; next = this.nextDue(end)) {
      this.pending.delete(next);
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }

  /**
   * Like advance, but lets promise chains started by each timer settle before the next one fires: for async
   * work (a poll that awaits an HTTP answer on loopback, a write that awaits SQLite), give `settle` a way to wait.
   */
  async advanceAsync(ms: number, settle: () => Promise<void> = () => new Promise((r) => setImmediate(r))): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (let next = this.nextDue(end); next; next = this.nextDue(end)) {
      this.pending.delete(next);
      this.t = next.at;
      next.fn();
      await settle();
    }
    this.t = end;
  }

  /** How many timers wait: a test can check that a stopped service left none behind. */
  get timersPending(): number {
    return this.pending.size;
  }

  private nextDue(end: number): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending) if (p.at <= end && (!best || p.at < best.at || (p.at === best.at && p.seq < best.seq))) best = p;
    return best;
  }
}
