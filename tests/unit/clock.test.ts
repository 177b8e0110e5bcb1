// The clock port: timers fire on the clock's own time, in order, and can be cancelled — what pollers,
// watchdogs and (later) drill timelines at 10× stand on.
import { describe, expect, it } from 'vitest';
import { every, ManualClock, sleep } from '../../src/main/core/clock.ts';

describe('ManualClock', () => {
  it('fires timers in time order as it passes them, with the clock reading each timer’s own time', () => {
    const clock = new ManualClock(0);
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 200);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 100);
    const c = clock.setTimeout(() => fired.push(['c', clock.now()]), 150);
    c.cancel();
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(200);
    expect(fired).toEqual([['a', 100], ['b', 200]]);
    expect(clock.now()).toBe(299);
    expect(clock.timersPending).toBe(0);
  });

  it('runs an interval once per period, including timers set by timers, until cancelled', () => {
    const clock = new ManualClock(0);
    const at: number[] = [];
    const timer = every(clock, 1000, () => at.push(clock.now()));
    clock.advance(3500);
    expect(at).toEqual([1000, 2000, 3000]);
    timer.cancel();
    clock.advance(5000);
    expect(at).toHaveLength(3);
    expect(clock.timersPending).toBe(0);
  });

  it('lets async work started by a timer settle before the next one fires', async () => {
    const clock = new ManualClock(0);
    const log: string[] = [];
    void (async () => {
      await sleep(clock, 100);
      log.push(`woke ${clock.now()}`);
      await Promise.resolve();
      await sleep(clock, 100);
      log.push(`woke ${clock.now()}`);
    })();
    await clock.advanceAsync(250);
    expect(log).toEqual(['woke 100', 'woke 200']);
  });
});
