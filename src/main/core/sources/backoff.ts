// Exponential backoff with jitter, for a poller after a failed poll and a stream client after a lost
// connection: each failure in a row doubles the wait (up to a cap), a random share of it spreads the retries
// of many consoles apart, and a success starts again from the base.
export class Backoff {
  private failures = 0;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    if (!(baseMs > 0) || !(maxMs >= baseMs)) throw new Error(`backoff: need 0 < base (${baseMs}) <= max (${maxMs})`);
  }

  /** The wait before the next try after one more failure: between half and all of min(max, base × 2^failures). */
  next(): number {
    this.failures++;
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.failures, 30));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  reset(): void {
    this.failures = 0;
  }

  /** Failures in a row so far. */
  get count(): number {
    return this.failures;
  }
}
