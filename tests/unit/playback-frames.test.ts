// The playback view's frame fetching (latest wins, one request in flight, spaced) and its words for instants
// (T+mm:ss, Beijing time) and event stepping: what the scrubber relies on.
import { describe, expect, it } from 'vitest';
import { FrameFetcher } from '../../src/renderer/src/components/playback/frame-fetcher.ts';
import {
  clockDateTime, currentEventIndex, drillTimeAt, instantLabel, nextEventAt, parseShanghai, previousEventAt, tPlus,
} from '../../src/renderer/src/components/playback/playback-time.ts';

/** A fake clock with timers, and loads the test answers by hand. */
function harness(minIntervalMs = 250) {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void }> = [];
  const loads: Array<{ at: number; resolve: (f: string) => void; reject: (e: unknown) => void }> = [];
  const shown: number[] = [];
  const failed: number[] = [];
  const fetcher = new FrameFetcher<string>({
    minIntervalMs,
    now: () => now,
    setTimer: (fn, ms) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => timers.splice(timers.indexOf(h as (typeof timers)[number]), 1),
    load: (at) => new Promise<string>((resolve, reject) => loads.push({ at, resolve, reject })),
    show: (_f, at) => shown.push(at),
    failed: (_e, at) => failed.push(at),
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  async function advance(ms: number): Promise<void> {
    now += ms;
    for (const t of [...timers].sort((a, b) => a.at - b.at)) {
      if (t.at <= now) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    }
    await settle();
  }
  return { fetcher, loads, shown, failed, advance, settle };
}

describe('FrameFetcher', () => {
  it('keeps one request in flight and asks next for the newest instant only', async () => {
    const h = harness();
    h.fetcher.request(1000);
    h.fetcher.request(2000);
    h.fetcher.request(3000);
    expect(h.loads.map((l) => l.at)).toEqual([1000]);
    h.loads[0].resolve('f1000');
    await h.settle();
    expect(h.shown).toEqual([1000]);
    // The next request waits for the interval, then asks for 3000 (2000 was overtaken and never sent).
    expect(h.loads).toHaveLength(1);
    await h.advance(250);
    expect(h.loads.map((l) => l.at)).toEqual([1000, 3000]);
    h.loads[1].resolve('f3000');
    await h.settle();
    expect(h.shown).toEqual([1000, 3000]);
  });

  it('spaces requests by the minimum interval while playing', async () => {
    const h = harness(250);
    // A player asking every 100 ms for 2 s, answers coming at once: at most one start per 250 ms.
    for (let i = 0; i < 20; i++) {
      h.fetcher.request(i * 1000);
      for (const l of h.loads) l.resolve(`f${l.at}`);
      await h.advance(100);
    }
    // Then the answers to what is still out, and the wish left behind.
    for (let i = 0; i < 3; i++) {
      for (const l of h.loads) l.resolve(`f${l.at}`);
      await h.advance(300);
    }
    expect(h.loads.length).toBeLessThanOrEqual(2000 / 250 + 2);
    expect(h.loads.length).toBeGreaterThanOrEqual(6);
    // The newest instant asked for is the last one shown.
    expect(h.shown.at(-1)).toBe(19_000);
    // Shown instants only move forward when the requests do.
    expect([...h.shown].sort((a, b) => a - b)).toEqual(h.shown);
  });

  it('a failed load is reported and the next request still goes out', async () => {
    const h = harness(0);
    h.fetcher.request(5);
    h.loads[0].reject(new Error('unavailable'));
    await h.settle();
    expect(h.failed).toEqual([5]);
    h.fetcher.request(6);
    await h.settle();
    expect(h.loads.map((l) => l.at)).toEqual([5, 6]);
  });

  it('shows nothing after stop', async () => {
    const h = harness(0);
    h.fetcher.request(1);
    h.fetcher.stop();
    h.loads[0].resolve('late');
    await h.settle();
    h.fetcher.request(2);
    expect(h.shown).toEqual([]);
    expect(h.loads).toHaveLength(1);
  });
});

describe('playback time', () => {
  it('words drill time as T+mm:ss and past an hour as T+h:mm:ss', () => {
    expect(tPlus(0)).toBe('T+00:00');
    expect(tPlus(185_999)).toBe('T+03:05');
    expect(tPlus(3_725_000)).toBe('T+1:02:05');
  });

  it('maps recorded time to drill time through the drill clock (speed, pause)', () => {
    const clock = [
      { at: 1000, drillMs: 0, speed: 10 },
      { at: 3000, drillMs: 20_000, speed: 0 }, // paused
      { at: 8000, drillMs: 20_000, speed: 1 },
    ];
    expect(drillTimeAt(clock, 2000)).toBe(10_000);
    expect(drillTimeAt(clock, 5000)).toBe(20_000);
    expect(drillTimeAt(clock, 9000)).toBe(21_000);
    expect(drillTimeAt(undefined, 9000)).toBeNull();
    expect(instantLabel({ from: 1000, drillId: 'd1', drillClock: clock }, 2000)).toBe('T+00:10');
    // Without the clock: time since the start.
    expect(instantLabel({ from: 1000, drillId: 'd1' }, 62_000)).toBe('T+01:01');
  });

  it('shows clock time in Beijing time whatever the machine zone, and reads it back', () => {
    const at = Date.UTC(2025, 0, 31, 16, 30, 5); // 2025-02-01 00:30:05 in Shanghai
    expect(clockDateTime(at)).toBe('2025-02-01 00:30:05');
    expect(instantLabel({ from: 0 }, at)).toBe('00:30:05');
    expect(parseShanghai('2025-02-01 00:30:05')).toBe(at);
    expect(parseShanghai('2025-02-01T00:30')).toBe(at - 5000);
    expect(parseShanghai('yesterday')).toBeNaN();
  });

  it('steps to the previous and next event', () => {
    const events = [10, 20, 20, 30].map((at) => ({ at, kind: 'x', text: '' }));
    expect(currentEventIndex(events, 5)).toBe(-1);
    expect(currentEventIndex(events, 20)).toBe(2);
    expect(nextEventAt(events, 5)).toBe(10);
    expect(nextEventAt(events, 20)).toBe(30);
    expect(nextEventAt(events, 30)).toBeNull();
    // Standing on an event, "previous" goes to the one before it.
    expect(previousEventAt(events, 30, 0)).toBe(20);
    expect(previousEventAt(events, 20, 0)).toBe(10);
    expect(previousEventAt(events, 10, 0)).toBeNull();
  });
});
