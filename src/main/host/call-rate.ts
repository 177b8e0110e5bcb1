// A token bucket per connection: a steady rate with a small burst. A unit terminal on the police network must
// not take the core's one writer queue from the consoles; a call over the rate is refused with the wait, the
// connection stays (a terminal retries from its outbox). Wall-clock time: it meters a socket, not the airport.

export class CallRate {
  private tokens: number;
  private lastMs: number;

  constructor(private readonly perSecond: number, private readonly burst: number, private readonly now: () => number = () => performance.now()) {
    this.tokens = burst;
    this.lastMs = now();
  }

  /** Takes one call: 0 when admitted, else the seconds to wait before the next one is (at least 1). */
  take(): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.lastMs) / 1000) * this.perSecond);
    this.lastMs = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond));
  }
}
