// The simulated sky against the console's own geometry (the real ClearanceModel of the sample site): each
// scenario is where a drill says it is — the loiterer inside the 02L approach surface and rising through it, the
// crosser over the 20R extended centreline at 80 m, the survey inside its permit and then out of it — the same
// seed gives the same sky, each sensor sees what it would, and the demo schedule shows everything in 10 minutes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClearanceModel } from '../../src/main/core/clearance/clearance-model.ts';
import { geodesicInverse } from '../../src/main/core/geo/local-frame.ts';
import { parseSite } from '../../src/main/core/site/load-site.ts';
import { SCENARIO_NAMES, SURVEY_PERMIT, SWARM_SIZE, type ScenarioName } from '../../src/sim/drone-detection/scenarios.ts';
import {
  DEMO_CYCLE_S, DEMO_SCHEDULE, SAPIENT_RANGE_M, Sky, seenByDetection, seenByRemoteId, seenBySapient,
} from '../../src/sim/drone-detection/sky.ts';
import type { SkyObject } from '../../src/sim/drone-detection/sky-types.ts';
import { DEMO_REVERSE_FROM_S, RunwayPlan } from '../../src/sim/drone-detection/runway-plan.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

const site = parseSite(readFileSync(SAMPLE_SITE_FILE, 'utf8'), 'site.json');
const model = new ClearanceModel(site);
const E = site.aerodrome.elevationM;
const ARP = { lon: site.aerodrome.referencePoint[0], lat: site.aerodrome.referencePoint[1] };
const sky = (seed = 7) => new Sky({ site, seed, speed: 1, targets: 6, startMs: 0 });
const distM = (a: { lon: number; lat: number }, b: { lon: number; lat: number }) => geodesicInverse([a.lon, a.lat], [b.lon, b.lat]).distanceM;

/** One scenario's objects every `stepS` seconds of a run, from its start to just after its end. */
function track(name: ScenarioName, stepS = 1, seed = 7): Array<{ t: number; objects: SkyObject[] }> {
  const s = sky(seed).scenarios[name];
  const out = [];
  for (let t = 0; t <= s.durationS + stepS; t += stepS) out.push({ t, objects: s.at(t, '') });
  return out;
}

/** Runway coordinates of a point for an aircraft landing on `designator`: metres out before the threshold, metres to its left. */
function approachCoords(designator: string, o: { lon: number; lat: number }): { outM: number; leftM: number } {
  const runway = site.runways.find((r) => r.ends.some((e) => e.designator === designator))!;
  const [here, there] = runway.ends[0].designator === designator ? runway.ends : [runway.ends[1], runway.ends[0]];
  const a = model.frame.toLocal(here.position);
  const b = model.frame.toLocal(there.position);
  const len = Math.hypot(b.x - a.x, b.y - a.y);
  const inbound = { x: (b.x - a.x) / len, y: (b.y - a.y) / len };
  const p = model.frame.toLocal([o.lon, o.lat]);
  const d = { x: p.x - a.x, y: p.y - a.y };
  return { outM: -(d.x * inbound.x + d.y * inbound.y), leftM: d.x * -inbound.y + d.y * inbound.x };
}

function inPolygon(p: [number, number], poly: Array<[number, number]>): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

describe('the simulated sky', () => {
  it('is the same sky for the same seed and time, and another for another seed', () => {
    const [a, b, c] = [sky(7), sky(7), sky(8)];
    for (const s of [a, b, c]) for (const name of SCENARIO_NAMES) s.start(name, 0);
    for (const ms of [0, 61_000, 200_500, 420_000]) expect(a.at(ms)).toEqual(b.at(ms));
    expect(a.at(200_000)).not.toEqual(c.at(200_000));
    expect(a.at(200_000).length).toBeGreaterThan(60);
  });

  it('has the hobby drone loiter 1.5 km out under the 02L approach, rising from below the approach surface to ~30 m through it', () => {
    const approach02L = model.surfaces.find((s) => s.surface === 'approach' && s.runway === '02L')!;
    let minClearance = Infinity;
    let maxPenetration = -Infinity;
    let loiterSamples = 0;
    let highest: SkyObject | undefined;
    for (const { objects } of track('approach-loiter')) {
      if (!objects.length) continue;
      const [o] = objects;
      expect(o.remoteId).not.toBeNull();
      const { outM, leftM } = approachCoords('02L', o);
      if (Math.abs(outM - 1500) > 70 || Math.abs(leftM) > 70) continue; // on its way out or back
      loiterSamples++;
      const surfaceM = approach02L.heightAt(model.frame.toLocal([o.lon, o.lat]));
      expect(surfaceM).not.toBeNull(); // inside the footprint of the 02L approach surface
      const over = o.altMsl - surfaceM!;
      minClearance = Math.min(minClearance, over);
      if (over > maxPenetration) {
        maxPenetration = over;
        highest = o;
      }
    }
    // The console's classify() agrees: the lowest surface there is the 02L approach, penetrated by as much.
    const c = model.classify(highest!.lon, highest!.lat, highest!.altMsl);
    expect(c.lowestSurface).toMatchObject({ surface: 'approach', runway: '02L' });
    expect(c.penetrationM).toBeCloseTo(maxPenetration, 1);
    expect(loiterSamples).toBeGreaterThan(300); // five minutes over the spot
    expect(minClearance).toBeLessThan(-5); // it starts below the surface…
    expect(maxPenetration).toBeGreaterThan(25); // …and rises a few tens of metres through it
    expect(maxPenetration).toBeLessThan(40);
    // Its pilot stands 200–800 m from the spot it loiters over.
    const pilot = track('approach-loiter', 60)[2].objects[0].remoteId!.operator;
    const spot = approachCoords('02L', pilot);
    expect(Math.hypot(spot.outM - 1500, spot.leftM)).toBeGreaterThan(200);
    expect(Math.hypot(spot.outM - 1500, spot.leftM)).toBeLessThan(800);
  });

  it('has a drone cross the 20R extended centreline 2 km out at 80 ± 5 m above the aerodrome, left to right, and leave', () => {
    const samples = track('centreline-crossing', 0.5).filter((s) => s.objects.length);
    const sides = samples.map(({ t, objects: [o] }) => ({ t, o, ...approachCoords('20R', o) }));
    const crossings = sides.flatMap((s, i) => (i > 0 && Math.sign(s.leftM) !== Math.sign(sides[i - 1].leftM) ? [[sides[i - 1], s]] : []));
    expect(crossings).toHaveLength(1);
    const [before, after] = crossings[0];
    expect(before.leftM).toBeGreaterThan(0); // from the left of an aircraft landing on 20R…
    expect(after.leftM).toBeLessThan(0); // …to its right
    const k = before.leftM / (before.leftM - after.leftM);
    const height = before.o.altMsl + (after.o.altMsl - before.o.altMsl) * k - E;
    const outM = before.outM + (after.outM - before.outM) * k;
    expect(Math.abs(height - 80)).toBeLessThanOrEqual(5);
    expect(Math.abs(outM - 2000)).toBeLessThan(100);
    expect(model.classify(before.o.lon, before.o.lat, before.o.altMsl).penetrationM).toBeGreaterThan(30);
    expect(sides.at(-1)!.leftM).toBeLessThan(-2000); // it has left to the right
    expect(track('centreline-crossing', 1).at(-1)!.objects).toEqual([]);
  });

  it('has the survey drone fly inside SURVEY_PERMIT, above its ceiling once, then stray out of its area', () => {
    const airborne = track('survey-permit').filter((s) => s.objects.length).map(({ t, objects: [o] }) => ({
      t, o, inside: inPolygon([o.lon, o.lat], SURVEY_PERMIT.area), aboveCeiling: o.altMsl - E > SURVEY_PERMIT.ceilingM,
    }));
    const [first] = airborne;
    expect(first.o.remoteId).toMatchObject({ serial: SURVEY_PERMIT.serials[0], operatorId: SURVEY_PERMIT.operatorId, uaType: 4 });
    const firstOut = airborne.findIndex((s) => !s.inside);
    expect(firstOut).toBeGreaterThan(200); // minutes of survey inside the permit first
    expect(airborne.slice(0, firstOut).every((s) => s.inside)).toBe(true);
    // Above the ceiling in exactly one episode, and that one inside the area.
    const episodes = airborne.filter((s, i) => s.aboveCeiling && !airborne[i - 1]?.aboveCeiling);
    expect(episodes).toHaveLength(1);
    expect(episodes[0].inside).toBe(true);
    // Then well out of the area, by hundreds of metres.
    const stray = airborne.filter((s) => !s.inside).map((s) => Math.min(...SURVEY_PERMIT.area.map((c) => distM(s.o, { lon: c[0], lat: c[1] }))));
    expect(Math.max(...stray)).toBeGreaterThan(300);
    // The pilot stands 200–800 m from the area, outside it.
    const pilot = first.o.remoteId!.operator;
    expect(inPolygon([pilot.lon, pilot.lat], SURVEY_PERMIT.area)).toBe(false);
    const fromArea = Math.min(...SURVEY_PERMIT.area.map((c) => distM(pilot, { lon: c[0], lat: c[1] })));
    expect(fromArea).toBeGreaterThan(200);
    expect(fromArea).toBeLessThan(800);
  });

  it('has a swarm of 50 in a loose formation (20–60 m apart) enter from the east and cross the inner circle, about half broadcasting Remote ID', () => {
    const inner = site.perceptionCircles.find((c) => c.ring === 'inner')!;
    const centre = inner.geometry.type === 'Circle' ? { lon: inner.geometry.center[0], lat: inner.geometry.center[1] } : ARP;
    const radius = inner.geometry.type === 'Circle' ? inner.geometry.radiusM : 4500;
    const samples = track('swarm', 30).filter((s) => s.objects.length);
    const first = samples[0].objects;
    expect(first).toHaveLength(SWARM_SIZE);
    expect(new Set(first.map((o) => o.id)).size).toBe(SWARM_SIZE);
    expect(first.every((o) => model.frame.toLocal([o.lon, o.lat]).x > 5000)).toBe(true); // east of the airport
    const broadcasting = first.filter((o) => o.remoteId).length;
    expect(broadcasting).toBeGreaterThanOrEqual(20);
    expect(broadcasting).toBeLessThanOrEqual(30);
    for (const { objects } of samples.filter((_, i) => i % 4 === 0)) {
      const local = objects.map((o) => ({ ...model.frame.toLocal([o.lon, o.lat]), z: o.altMsl }));
      for (const p of local) {
        const nearest = Math.min(...local.filter((q) => q !== p).map((q) => Math.hypot(q.x - p.x, q.y - p.y, q.z - p.z)));
        expect(nearest).toBeGreaterThanOrEqual(20);
        expect(nearest).toBeLessThanOrEqual(60);
      }
    }
    expect(samples.some(({ objects }) => objects.every((o) => distM(o, centre) < radius))).toBe(true);
  });

  it('has a radar-only drone and a bird flock that the SAPIENT radar alone reports', () => {
    const s = sky();
    s.start('radar-only', 0);
    s.start('bird-flock', 0);
    const now = s.at(200_000);
    const drone = now.filter((o) => o.scenario === 'radar-only');
    const birds = now.filter((o) => o.scenario === 'bird-flock');
    expect(drone).toHaveLength(1);
    expect(drone[0]).toMatchObject({ kind: 'drone', remoteId: null });
    expect(birds.length).toBeGreaterThanOrEqual(15);
    expect(birds.length).toBeLessThanOrEqual(30);
    expect(birds.every((b) => b.kind === 'bird' && b.remoteId === null)).toBe(true);
    expect(seenBySapient(now, ARP)).toHaveLength(now.length);
    expect(seenByDetection(now, ARP)).toEqual([]);
    expect(seenByRemoteId(now, ARP, 5000)).toEqual([]);
  });

  it('shows each sensor what it would see: detection no radar-only drone and no distant bird, Remote ID only broadcasters in range, the radar within 8 km', () => {
    const s = sky();
    for (const name of SCENARIO_NAMES) s.start(name, 0);
    for (const ms of [100_000, 300_000]) {
      const all = s.at(ms);
      const detection = seenByDetection(all, ARP);
      expect(detection.some((o) => o.scenario === 'radar-only')).toBe(false);
      expect(detection.filter((o) => o.kind === 'bird').every((o) => distM(o, ARP) <= 3000)).toBe(true);
      expect(detection.filter((o) => o.kind === 'drone')).toHaveLength(all.filter((o) => o.kind === 'drone' && o.scenario !== 'radar-only').length);
      const rid = seenByRemoteId(all, ARP, 5000);
      expect(rid.every((o) => o.remoteId && distM(o, ARP) <= 5000)).toBe(true);
      expect(rid.length).toBe(all.filter((o) => o.remoteId && distM(o, ARP) <= 5000).length);
      const radar = seenBySapient(all, ARP);
      expect(radar.length).toBe(all.filter((o) => distM(o, ARP) <= SAPIENT_RANGE_M).length);
      expect(radar.length).toBeLessThan(all.length); // the random traffic starts far out
    }
  });

  it('stops a scenario and starts it again with new ids', () => {
    const s = sky();
    s.start('approach-loiter', 0);
    expect(s.at(100_000).map((o) => o.id)).toEqual(['LOITER-1-M1R1']);
    s.stop('approach-loiter');
    expect(s.at(110_000)).toEqual([]);
    s.start('approach-loiter', 120_000);
    expect(s.at(220_000).map((o) => o.id)).toEqual(['LOITER-1-M2R1']);
  });

  it('runs every scenario within a 10-minute demo cycle, each ending before the cycle does, and the Remote ID receiver silent a minute', () => {
    const s = sky();
    s.startDemoSchedule(0);
    const seen = new Map<string, number>();
    let silentS = 0;
    for (let t = 0; t < DEMO_CYCLE_S; t += 5) {
      for (const o of s.at(t * 1000)) if (!seen.has(o.scenario)) seen.set(o.scenario, t);
      if (s.remoteIdSilentBySchedule(t * 1000)) silentS += 5;
    }
    expect([...seen.keys()].sort()).toEqual([...SCENARIO_NAMES].sort());
    expect(silentS).toBe(60);
    for (const { scenario, atS } of DEMO_SCHEDULE) expect(atS + s.scenarios[scenario].durationS).toBeLessThan(DEMO_CYCLE_S);
    // The next cycle runs them again, with new ids.
    const again = s.at((DEMO_CYCLE_S + 100) * 1000).filter((o) => o.scenario === 'approach-loiter');
    expect(again.map((o) => o.id)).toEqual(['LOITER-1-C2']);
  });

  it('turns the runways in use round late in every other demo cycle, and says when the plan changed', () => {
    const plan = new RunwayPlan(site, 0);
    const directions = (cycle: number, inCycleS: number, at: number) => plan.at(at, { cycle, inCycleS }).runways.map((r) => r.direction);
    expect(directions(0, 500, 1000)).toEqual(['02L', '02R', null]);
    expect(plan.at(2000, { cycle: 1, inCycleS: DEMO_REVERSE_FROM_S - 1 }).updated).toBe(new Date(0).toISOString());
    expect(directions(1, DEMO_REVERSE_FROM_S, 3000)).toEqual(['20R', '20L', null]);
    expect(plan.at(4000, { cycle: 1, inCycleS: 590 }).updated).toBe(new Date(3000).toISOString());
    expect(directions(2, 0, 5000)).toEqual(['02L', '02R', null]);
    // What the control endpoint sets stays, whatever the schedule.
    plan.set({ id: '03R/21L', status: 'in-use', direction: '21L', operations: 'mixed' });
    expect(directions(3, 500, 6000)).toEqual(['20R', '20L', '21L']);
  });
});
