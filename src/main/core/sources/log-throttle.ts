// At most one log line per period for one kind of line from one sender (a node's alerts, a sensor's rejected
// detections): a sender repeating itself many times a second must not flood the log. What is held back is
// counted and said on the next line that goes out.

export class LogThrottle {
  private lastAt = Number.NEGATIVE_INFINITY;
  private held = 0;

  constructor(private readonly everyMs: number) {}

  /**
   * Whether a line may be logged at `now`. `weight` is what the line stands for (1 line, or N detections);
   * returns null to hold it back (counted), or how much was held back since the last line logged.
   */
  admit(now: number, weight = 1): { held: number } | null {
    if (now - this.lastAt < this.everyMs) {
      this.held += weight;
      return null;
    }
    const held = this.held;
    this.lastAt = now;
    this.held = 0;
    return { held };
  }
}
