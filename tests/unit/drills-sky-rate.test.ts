// The drill range's clock: the drone simulator's sky follows a drill's speed changes and pauses ({"speed"},
// {"paused"} on POST /sim/control) and stays deterministic — the same seed and the same commands at the same times
// give the same sky; while paused nothing moves.
import { describe, expect, it } from 'vitest';
import { parseControl } from '../../src/sim/drone-detection/control.ts';
import { Sky } from '../../src/sim/drone-detection/sky.ts';
import { parseSite } from '../../src/main/core/site/load-site.ts';
import { readFileSync } from 'node:fs';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

const site = parseSite(readFileSync(SAMPLE_SITE_FILE, 'utf8'), 'site.json');
const sky = () => new Sky({ site, seed: 7, speed: 10, targets: 0, startMs: 0 });
const positions = (s: Sky, at: number) => s.at(at).map((o) => [o.id, o.lon.toFixed(7), o.lat.toFixed(7), o.altMsl.toFixed(2)]);

describe('the sky at a drill\'s rate', () => {
  it('stands still while paused and runs on at the new speed from where it was', () => {
    const s = sky();
    s.start('approach-loiter', 0);
    expect(s.seconds(2_000)).toBe(20);
    s.setRate(2_000, { paused: true });
    const still = positions(s, 2_000);
    expect(still.length).toBeGreaterThan(0);
    expect(positions(s, 7_000)).toEqual(still);
    expect(s.seconds(7_000)).toBe(20);
    s.setRate(7_000, { paused: false });
    s.setRate(7_000, { speed: 0.5 });
    expect(s.seconds(9_000)).toBe(21);
    expect(positions(s, 9_000)).not.toEqual(still);
  });

  it('runs a drill\'s inject once: no second, unplanned drone after the scenario ends', () => {
    const once = sky();
    const repeating = sky();
    once.start('approach-loiter', 0, { once: true });
    repeating.start('approach-loiter', 0);
    expect(positions(once, 1_000).length).toBeGreaterThan(0);
    // Well past the run and the repeat pause (the sky runs at 10×): the repeating one is back, the drill's is not.
    const later = [...Array(40).keys()].map((k) => 60_000 + k * 5_000);
    expect(later.some((t) => repeating.at(t).length > 0)).toBe(true);
    expect(later.every((t) => once.at(t).length === 0)).toBe(true);
    expect(parseControl({ scenario: 'swarm', action: 'start', once: true })).toMatchObject({ ok: true });
  });

  it('is deterministic: the same commands at the same times give the same sky', () => {
    const run = () => {
      const s = sky();
      s.start('approach-loiter', 1_000);
      s.setRate(3_000, { speed: 2 });
      s.setRate(4_500, { paused: true });
      s.setRate(6_000, { paused: false });
      return [1_500, 3_200, 5_000, 8_000].map((t) => positions(s, t));
    };
    expect(JSON.stringify(run())).toBe(JSON.stringify(run()));
  });

  it('takes {"speed"} and {"paused"} commands and refuses a bad one, saying what is wrong', () => {
    expect(parseControl({ speed: 2 })).toEqual({ ok: true, command: { speed: 2 } });
    expect(parseControl({ paused: true })).toEqual({ ok: true, command: { paused: true } });
    const bad = parseControl({ speed: 'fast' });
    expect(bad.ok).toBe(false);
    expect(parseControl({ speed: 2, paused: true }).ok).toBe(false);
  });
});
