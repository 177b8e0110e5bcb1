// The frozen check's budget on a large inventory: never more than its checks per second nor its snapshots at
// once, round-robin over the cameras, newly online cameras first, one hash per camera, offline ones skipped.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/core/clock.ts';
import { FrozenCheck } from '../../src/main/core/video/frozen-check.ts';

function setup(n: number, opts: { slowMs?: number } = {}) {
  const clock = new ManualClock();
  const ids = Array.from({ length: n }, (_, i) => `c${i}`);
  const online = new Set(ids);
  const frozen = new Set<string>();
  const asked: string[] = [];
  const findings: Array<[string, boolean]> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let frame = 0;
  const check = new FrozenCheck(clock, { checksPerS: 5, unchangedChecks: 3, concurrency: 2, timeoutMs: 1000 }, {
    candidates: () => ids.filter((id) => online.has(id)),
    isCandidate: (id) => online.has(id),
    async snapshot(id) {
      asked.push(id);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, opts.slowMs ?? 0));
      inFlight--;
      return Buffer.from(frozen.has(id) ? `${id} still` : `${id} ${++frame}`);
    },
    found: (id, f) => findings.push([id, f]),
    log: () => undefined,
  });
  const settle = () => new Promise<void>((r) => setTimeout(r, (opts.slowMs ?? 0) + 2));
  return { clock, check, online, frozen, asked, findings, settle, maxInFlight: () => maxInFlight };
}

describe('frozen check', () => {
  it('keeps to 5 checks a second round-robin over 5,000 cameras, and checks a camera back online first', async () => {
    const s = setup(5_000);
    s.check.start();
    await s.clock.advanceAsync(10_000, s.settle);
    await s.check.idle();
    expect(s.asked).toHaveLength(50);
    expect(s.asked.slice(0, 3)).toEqual(['c0', 'c1', 'c2']);
    expect(new Set(s.asked).size).toBe(50);
    expect(s.check.tracked).toBe(50);

    s.online.delete('c51');
    s.check.checkSoon('c4000');
    await s.clock.advanceAsync(1_000, s.settle);
    await s.check.idle();
    expect(s.asked.slice(50)).toEqual(['c4000', 'c50', 'c52', 'c53', 'c54']);
    await s.check.stop();
    expect(s.clock.timersPending).toBe(0);
  });

  it('never has more snapshots in flight than its concurrency when the VMS is slow', async () => {
    const s = setup(20, { slowMs: 30 });
    s.check.start();
    for (let i = 0; i < 10; i++) s.clock.advance(200);
    await s.check.idle();
    expect(s.maxInFlight()).toBe(2);
    expect(s.asked).toHaveLength(2); // the ticks while two were out were skipped, not queued
    await s.check.stop();
  });

  it('finds a camera frozen after three identical pictures and moving at the first changed one', async () => {
    const s = setup(2);
    s.frozen.add('c1');
    s.check.start();
    for (let i = 0; i < 6; i++) await s.clock.advanceAsync(200, s.settle);
    expect(s.findings).toEqual([['c1', true]]);
    s.frozen.delete('c1');
    for (let i = 0; i < 2; i++) await s.clock.advanceAsync(200, s.settle);
    expect(s.findings).toEqual([['c1', true], ['c1', false]]);
    await s.check.stop();
  });

  it('confirms a camera that comes back online frozen within seconds, not a round of 5,000 later', async () => {
    const s = setup(5_000);
    s.check.start();
    await s.clock.advanceAsync(2_000, s.settle);
    s.frozen.add('c4000');
    s.check.checkSoon('c4000');
    // Looked at now, again 2 s later (unchanged), and 2 s after that: the third identical picture.
    for (let i = 0; i < 25; i++) await s.clock.advanceAsync(200, s.settle);
    await s.check.idle();
    expect(s.findings).toEqual([['c4000', true]]);
    expect(s.asked.filter((id) => id === 'c4000')).toHaveLength(3);
    // The follow-ups came out of the same budget: still 5 a second.
    expect(s.asked.length).toBeLessThanOrEqual(5 * 7);
    await s.check.stop();
  });
});
