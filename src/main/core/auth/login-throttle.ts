// Slows password guessing: after too many failed sign-ins for one username within a window, that username
// is refused for a while, whatever the password. Kept in memory: a restart clears it, which is acceptable
// for a console on a loopback or local network.
import type { Clock } from '../clock.ts';

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly lockedUntil = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures = 5,
    private readonly windowMs = 5 * 60_000,
    private readonly lockMs = 60_000,
  ) {}

  /** Seconds until this username may try again, or 0. */
  retryAfterS(username: string): number {
    const until = this.lockedUntil.get(username.toLowerCase()) ?? 0;
    return Math.max(0, Math.ceil((until - this.clock.now()) / 1000));
  }

  recordFailure(username: string): void {
    const key = username.toLowerCase();
    const now = this.clock.now();
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    recent.push(now);
    this.failures.set(key, recent);
    if (recent.length >= this.maxFailures) {
      this.lockedUntil.set(key, now + this.lockMs);
      this.failures.delete(key);
    }
  }

  recordSuccess(username: string): void {
    this.failures.delete(username.toLowerCase());
  }
}
