// Fetches playback frames under the latest-wins rule: at most one request in flight; while it runs, only the
// newest instant asked for is remembered (older wishes are dropped); an answer is shown only if no answer for a
// newer request was shown before it; and requests are spaced by a minimum interval, so that playing at 30× or
// dragging the scrubber costs a few frames a second, never a flood. Plain TypeScript (timers injected), so the
// rule is unit-tested without a browser.

export interface FrameFetcherOptions<F> {
  load: (at: number) => Promise<F>;
  show: (frame: F, at: number) => void;
  /** A failed load (the core unreachable, a bad period): the wish stays, so the next seek or tick retries. */
  failed?: (err: unknown, at: number) => void;
  /** Minimum time between the starts of two requests. */
  minIntervalMs: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class FrameFetcher<F> {
  private wanted: number | null = null;
  private inFlight = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;
  /** Sequence of requests started, and of the newest one shown. */
  private started = 0;
  private shownSeq = 0;
  private stopped = false;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly opts: FrameFetcherOptions<F>) {
    this.now = opts.now ?? (() => Date.now());
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  /** Asks for the frame at an instant; replaces any wish not yet sent. */
  request(at: number): void {
    if (this.stopped) return;
    this.wanted = at;
    this.pump();
  }

  /** True while a request is out (for the view's "loading" hint and the tests). */
  get busy(): boolean {
    return this.inFlight;
  }

  stop(): void {
    this.stopped = true;
    this.wanted = null;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private pump(): void {
    if (this.inFlight || this.wanted === null || this.timer !== null || this.stopped) return;
    const wait = this.lastStart + this.opts.minIntervalMs - this.now();
    if (wait > 0) {
      this.timer = this.setTimer(() => {
        this.timer = null;
        this.pump();
      }, wait);
      return;
    }
    const at = this.wanted;
    this.wanted = null;
    this.inFlight = true;
    this.lastStart = this.now();
    const seq = ++this.started;
    this.opts.load(at).then(
      (frame) => {
        // One request at a time means answers come in order; the check keeps the rule if that ever changes.
        if (!this.stopped && seq > this.shownSeq) {
          this.shownSeq = seq;
          this.opts.show(frame, at);
        }
      },
      (err: unknown) => {
        if (this.stopped) return;
        this.opts.failed?.(err, at);
      },
    ).finally(() => {
      this.inFlight = false;
      this.pump();
    });
  }
}
