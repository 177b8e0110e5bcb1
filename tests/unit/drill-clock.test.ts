// A drill's own time: what the coordinator's controls do to it, and how a wall time of the console (an alarm
// acknowledged at 08:03:12) maps back to drill time for the after-action report.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/core/clock.ts';
import { assertDrillSpeed, DrillClock } from '../../src/main/core/drills/drill-clock.ts';

const T0 = Date.UTC(2026, 11, 15, 9, 0, 0);

describe('DrillClock', () => {
  it('stands at T+0 until started, then runs at speed × the clock', () => {
    const clock = new ManualClock(T0);
    const time = new DrillClock(clock, 10);
    clock.advance(5_000);
    expect(time.nowMs()).toBe(0);
    time.start();
    clock.advance(1_500);
    expect(time.nowMs()).toBe(15_000);
    expect(time.wallDelayUntil(30_000)).toBe(1_500);
  });

  it('stands still while paused and runs on from there after resume; a speed change applies from its instant', () => {
    const clock = new ManualClock(T0);
    const time = new DrillClock(clock, 1);
    time.start();
    clock.advance(10_000);
    time.pause();
    expect(time.running).toBe(false);
    expect(time.wallDelayUntil(20_000)).toBeNull();
    clock.advance(60_000);
    expect(time.nowMs()).toBe(10_000);
    time.setSpeed(2); // while paused: taken on resume
    expect(time.nowMs()).toBe(10_000);
    time.resume();
    clock.advance(5_000);
    expect(time.nowMs()).toBe(20_000);
    time.setSpeed(0.5);
    clock.advance(4_000);
    expect(time.nowMs()).toBe(22_000);
    expect(time.wallDelayUntil(23_000)).toBe(2_000);
  });

  it('maps wall times back to drill time through pauses, speed changes and skips; null outside the drill', () => {
    const clock = new ManualClock(T0);
    const time = new DrillClock(clock, 1);
    time.start(); // wall T0 = T+0
    clock.advance(10_000);
    time.pause(); // T0+10s .. T0+70s paused at T+10s
    clock.advance(60_000);
    time.resume();
    time.setSpeed(10);
    clock.advance(3_000); // T+40s
    time.jumpTo(100_000); // a skip to T+100s
    clock.advance(1_000); // T+110s
    time.stop();
    clock.advance(1_000);

    expect(time.toDrillMs(T0 - 1)).toBeNull();
    expect(time.toDrillMs(T0)).toBe(0);
    expect(time.toDrillMs(T0 + 5_000)).toBe(5_000);
    expect(time.toDrillMs(T0 + 40_000)).toBe(10_000);
    expect(time.toDrillMs(T0 + 71_500)).toBe(25_000);
    expect(time.toDrillMs(T0 + 73_000)).toBe(100_000);
    expect(time.toDrillMs(T0 + 73_500)).toBe(105_000);
    expect(time.toDrillMs(T0 + 74_000)).toBe(110_000);
    expect(time.toDrillMs(T0 + 74_001)).toBeNull();
    expect(time.nowMs()).toBe(110_000);
  });

  it('never jumps backwards, and refuses controls once stopped', () => {
    const clock = new ManualClock(T0);
    const time = new DrillClock(clock, 1);
    expect(() => time.pause()).toThrow(/not started/);
    time.start();
    clock.advance(5_000);
    time.jumpTo(1_000);
    expect(time.nowMs()).toBe(5_000);
    time.stop();
    expect(() => time.resume()).toThrow(/stopped/);
    expect(() => time.jumpTo(9_000)).toThrow(/stopped/);
  });

  it('holds drill time at a deadline handled a hair early, until the clock catches up, without drifting', () => {
    const clock = new ManualClock(T0);
    const time = new DrillClock(clock, 1);
    time.start();
    clock.advance(29_999);
    time.holdAtLeast(30_000);
    expect(time.nowMs()).toBe(30_000);
    clock.advance(1);
    expect(time.nowMs()).toBe(30_000);
    clock.advance(1);
    expect(time.nowMs()).toBe(30_001);
    expect(time.toDrillMs(T0 + 29_999)).toBe(29_999);
  });

  it('accepts speeds 0.5 to 10 and names a bad one', () => {
    for (const ok of [0.5, 1, 2.5, 10]) expect(() => assertDrillSpeed(ok)).not.toThrow();
    for (const bad of [0, 0.49, 10.01, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => assertDrillSpeed(bad)).toThrow(RangeError);
    }
    expect(() => assertDrillSpeed(11)).toThrow('drill speed must be a number from 0.5 to 10, got 11');
    expect(() => new DrillClock(new ManualClock(T0), 20)).toThrow(RangeError);
  });
});
