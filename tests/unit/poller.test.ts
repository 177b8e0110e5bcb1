// The poller on the core's clock: the interval after good polls, exponential backoff with jitter after failed
// ones (capped, back to the interval after a good one), never two polls at once.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/core/clock.ts';
import { Backoff } from '../../src/main/core/sources/backoff.ts';
import { startPolling } from '../../src/main/core/sources/poller.ts';

describe('backoff', () => {
  it('doubles up to the cap, with jitter between half and all of it, and starts again after a reset', () => {
    const low = new Backoff(1000, 10_000, () => 0);
    expect([low.next(), low.next(), low.next(), low.next(), low.next()]).toEqual([1000, 2000, 4000, 5000, 5000]);
    const high = new Backoff(1000, 10_000, () => 1);
    expect([high.next(), high.next(), high.next(), high.next()]).toEqual([2000, 4000, 8000, 10_000]);
    high.reset();
    expect(high.next()).toBe(2000);
  });
});

describe('poller', () => {
  it('polls at the interval, backs off after failures in a row, and returns to the interval after a good poll', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const at: number[] = [];
    const outcomes = [true, false, false, false, false, true, true];
    const poller = startPolling(clock, { intervalMs: 1000, backoffMaxMs: 5000, random: () => 1 }, async () => {
      at.push(clock.now() - start);
      const good = outcomes.shift() ?? true;
      if (!good && outcomes.length === 3) throw new Error('boom'); // a poll that throws counts as failed
      return good;
    }, () => undefined);
    await clock.advanceAsync(30_000);
    await poller.stop();
    // good → 1 s; failed ×4 → 2, 4, 5, 5 s (capped); good → 1 s again
    expect(at.slice(0, 8).map((t, i, a) => (i ? t - a[i - 1] : t))).toEqual([0, 1000, 2000, 4000, 5000, 5000, 1000, 1000]);
    expect(clock.timersPending).toBe(0);
  });

  it('never overlaps a slow poll, and stops cleanly while one runs', async () => {
    const clock = new ManualClock();
    let running = 0;
    let most = 0;
    let release!: () => void;
    const poller = startPolling(clock, 1000, async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((r) => (release = r));
      running--;
      return true;
    });
    await clock.advanceAsync(10_000);
    expect(most).toBe(1);
    const stopped = poller.stop();
    release();
    await stopped;
    expect(clock.timersPending).toBe(0);
  });
});
