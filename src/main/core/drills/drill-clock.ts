// A drill's own time (ms after T+0) on top of the core's clock: it advances at `speed` × the clock while running,
// stands still while paused, and jumps forward on a skip. It keeps every segment it ran through, so that a wall
// time of the core's clock (an alarm's acknowledgedAt) maps back to drill time for the after-action report.
import type { Clock } from '../clock.ts';

export const MIN_DRILL_SPEED = 0.5;
export const MAX_DRILL_SPEED = 10;

/** Throws a RangeError naming the value unless it is a speed a drill can run at (0.5×–10×). */
export function assertDrillSpeed(speed: number): void {
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < MIN_DRILL_SPEED || speed > MAX_DRILL_SPEED) {
    throw new RangeError(`drill speed must be a number from ${MIN_DRILL_SPEED} to ${MAX_DRILL_SPEED}, got ${String(speed)}`);
  }
}

/** From wall time `wallAt`, drill time ran on from `drillMs` at `rate` (0 while paused) until the next segment. */
interface Segment {
  wallAt: number;
  drillMs: number;
  rate: number;
}

export class DrillClock {
  private readonly segments: Segment[] = [];
  private speedNow: number;
  private stoppedAt: number | null = null;
  /** Drill time reads no earlier than this (a deadline handled a hair before the clock reached it). */
  private floorMs = 0;

  constructor(private readonly clock: Clock, speed: number) {
    assertDrillSpeed(speed);
    this.speedNow = speed;
  }

  get started(): boolean {
    return this.segments.length > 0;
  }

  get running(): boolean {
    return this.started && this.stoppedAt === null && this.last().rate > 0;
  }

  get speed(): number {
    return this.speedNow;
  }

  /** T+0 is now, running. */
  start(): void {
    if (this.started) throw new Error('the drill clock has already started');
    this.segments.push({ wallAt: this.clock.now(), drillMs: 0, rate: this.speedNow });
  }

  /** Drill ms now, exact (fractional at odd speeds); 0 before the start. */
  exactMs(): number {
    if (!this.started) return 0;
    return Math.max(this.floorMs, this.at(this.stoppedAt ?? this.clock.now()));
  }

  /** Drill ms now, to the millisecond: what logs and the renderer see. */
  nowMs(): number {
    return Math.round(this.exactMs());
  }

  pause(): void {
    this.requireLive();
    if (this.last().rate > 0) this.segment(0);
  }

  resume(): void {
    this.requireLive();
    if (this.last().rate === 0) this.segment(this.speedNow);
  }

  setSpeed(speed: number): void {
    assertDrillSpeed(speed);
    this.speedNow = speed;
    if (this.started && this.stoppedAt === null && this.last().rate > 0) this.segment(speed);
  }

  /** Moves drill time forward to `drillMs` now (a skip, or a timer the host fired a hair early); never backwards. */
  jumpTo(drillMs: number): void {
    this.requireLive();
    if (drillMs <= this.exactMs()) return;
    const now = this.clock.now();
    const rate = this.last().rate;
    if (this.last().wallAt === now) this.segments[this.segments.length - 1] = { wallAt: now, drillMs, rate };
    else this.segments.push({ wallAt: now, drillMs, rate });
  }

  /**
   * Drill time reads at least `drillMs` from now on, while the clock catches up by itself: for a deadline handled
   * up to a millisecond before the clock reached it, so that nothing logged after it reads earlier, and without
   * the drift a jump would add at every step.
   */
  holdAtLeast(drillMs: number): void {
    if (drillMs > this.floorMs) this.floorMs = drillMs;
  }

  /** Drill time stands still for good (the drill ended or was aborted). */
  stop(): void {
    if (this.started && this.stoppedAt === null) this.stoppedAt = this.clock.now();
  }

  /** Wall ms of the clock until drill time reaches `drillMs` at the current speed; null while paused or stopped. */
  wallDelayUntil(drillMs: number): number | null {
    if (!this.running) return null;
    return Math.max(0, (drillMs - this.exactMs()) / this.last().rate);
  }

  /** The drill time at a wall time of the clock (through pauses, speed changes and skips); null before T+0 or after the stop. */
  toDrillMs(wallAt: number): number | null {
    if (!this.started || wallAt < this.segments[0].wallAt) return null;
    if (this.stoppedAt !== null && wallAt > this.stoppedAt) return null;
    return Math.round(this.at(wallAt));
  }

  private at(wallAt: number): number {
    let seg = this.segments[0];
    for (const s of this.segments) {
      if (s.wallAt > wallAt) break;
      seg = s;
    }
    return seg.drillMs + (wallAt - seg.wallAt) * seg.rate;
  }

  private segment(rate: number): void {
    const now = this.clock.now();
    const drillMs = this.at(now);
    // Two changes at one instant: the later one decides, and the lookup stays unambiguous.
    if (this.last().wallAt === now) this.segments[this.segments.length - 1] = { wallAt: now, drillMs, rate };
    else this.segments.push({ wallAt: now, drillMs, rate });
  }

  private last(): Segment {
    return this.segments[this.segments.length - 1];
  }

  private requireLive(): void {
    if (!this.started) throw new Error('the drill clock has not started');
    if (this.stoppedAt !== null) throw new Error('the drill clock has stopped');
  }
}
