import { describe, expect, it } from 'vitest';
import { buildScenario, positionAt, scenarioPeriodS } from '../../src/sim/drone-detection/scenario.ts';

const origin = { lat: 29.712254, lon: 106.651895, elevationM: 416 };
const distanceKm = (p: { lat: number; lon: number }) =>
  Math.hypot((p.lat - origin.lat) * 111.132, (p.lon - origin.lon) * 111.32 * Math.cos((origin.lat * Math.PI) / 180));

describe('drone-detection simulator scenario', () => {
  it('is the same sky for the same seed, and another for another seed', () => {
    expect(buildScenario(7, 6)).toEqual(buildScenario(7, 6));
    expect(buildScenario(7, 6)).not.toEqual(buildScenario(8, 6));
  });

  it('flies each target in from 12–19 km to within 4.3 km of the airport, above it, and out again', () => {
    for (const target of buildScenario(20261124, 6)) {
      const first = positionAt(target, target.startS, origin)!;
      expect(distanceKm(first)).toBeGreaterThan(11.9);
      expect(distanceKm(first)).toBeLessThan(19.1);
      let closest = Infinity;
      let t = target.startS;
      for (let p = positionAt(target, t, origin); p; p = positionAt(target, (t += 10), origin)) {
        closest = Math.min(closest, distanceKm(p));
        expect(p.altMsl).toBeGreaterThan(origin.elevationM + 60);
      }
      expect(closest).toBeLessThan(4.4);
      expect(positionAt(target, target.startS - 1, origin)).toBeNull();
      expect(positionAt(target, t + 10, origin)).toBeNull(); // it has left
    }
  });

  it('has a period that ends after the last target has left', () => {
    const targets = buildScenario(20261124, 6);
    const period = scenarioPeriodS(targets);
    // A quiet minute at the end: everyone has left 59 s before the period ends, someone was still flying at 61 s.
    expect(targets.every((t) => positionAt(t, period - 59, origin) === null)).toBe(true);
    expect(targets.some((t) => positionAt(t, period - 61, origin) !== null)).toBe(true);
  });
});
