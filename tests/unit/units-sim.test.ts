// The units' GPS simulator, in its model: patrols walk their route at their speed (pausing at some of its
// points), posts stand at home, a goto takes a unit straight to a point where it holds and resume brings it back
// to its route, a dead GPS reports nothing, and the same seed gives the same fixes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LocalFrame, type XY } from '../../src/main/core/geo/local-frame.ts';
import { siteSchema } from '../../src/shared/site.ts';
import { Fleet, type DeviceFix } from '../../src/sim/units/fleet.ts';
import { RouteLoop } from '../../src/sim/units/route-loop.ts';
import { featureCentre, parseUnitsFile, UnitsPackError } from '../../src/sim/units/units-pack.ts';
import { SAMPLE_SITE_FILE, sampleSiteJson } from '../fixtures/sites.ts';

const site = siteSchema.parse(sampleSiteJson());
const frame = new LocalFrame(site.aerodrome.referencePoint);
const unitsFile = SAMPLE_SITE_FILE.replace(/site\.json$/, 'response/units.json');
const units = parseUnitsFile(readFileSync(unitsFile, 'utf8'), 'units.json', site, frame);
const byId = (id: string) => units.find((u) => u.id === id)!;
const T0 = Date.UTC(2026, 10, 24, 8);
const wall = (s: number) => T0 + s * 1000;
const d = (a: XY, b: XY) => Math.hypot(a.x - b.x, a.y - b.y);
const local = (f: { lon: number; lat: number }) => frame.toLocal([f.lon, f.lat]);

describe('the GPS simulator model', () => {
  it('walks a patrol along its route at its speed, every position on the route', () => {
    const fleet = new Fleet(frame, units, { seed: 7, pauses: false });
    const patrol = byId('T2-P1');
    const loop = new RouteLoop(patrol.route!);
    let exact = 0;
    let prev = fleet.truePosition('T2-P1', 0).xy;
    for (let t = 1; t <= 600; t++) {
      const p = fleet.truePosition('T2-P1', t);
      expect(p.moving).toBe(true);
      expect(d(loop.nearest(p.xy).xy, p.xy)).toBeLessThan(1e-6); // on the route
      const step = d(prev, p.xy);
      expect(step).toBeLessThanOrEqual(patrol.speedMps + 1e-9); // never faster than its speed
      if (Math.abs(step - patrol.speedMps) < 1e-6) exact++;
      prev = p.xy;
    }
    expect(exact).toBeGreaterThan(580); // a corner cut short now and then, otherwise exactly 1.4 m/s
  });

  it('pauses a patrol at some points of its route, and only there', () => {
    const fleet = new Fleet(frame, units, { seed: 7 });
    const loop = new RouteLoop(byId('T2-P1').route!);
    let paused = 0;
    for (let t = 0; t <= 3600; t += 5) {
      const p = fleet.truePosition('T2-P1', t);
      if (p.moving) continue;
      paused++;
      expect(Math.min(...loop.points.map((v) => d(v, p.xy)))).toBeLessThan(1e-6);
    }
    expect(paused).toBeGreaterThan(5);
  });

  it('stands a post at its home feature; its fixes scatter a few metres around it', () => {
    const fleet = new Fleet(frame, units, { seed: 7 });
    const post = site.features.features.find((f) => f.id === 'PP-T2')!;
    const home = frame.toLocal(featureCentre(post));
    for (const t of [0, 100, 5000]) {
      const p = fleet.truePosition('PP-T2', t);
      expect(p.moving).toBe(false);
      expect(d(p.xy, home)).toBeLessThan(1e-6);
    }
    const spread = Array.from({ length: 50 }, (_, t) => fixOf(fleet.fixes(t, wall) as DeviceFix[], 'PP-T2')).map((f) => d(local(f), home));
    expect(Math.max(...spread)).toBeLessThan(10);
    expect(Math.max(...spread)).toBeGreaterThan(0.5);
    expect(fixOf(fleet.fixes(10, wall), 'PP-T2')).toMatchObject({ speedMps: 0, fixAt: new Date(wall(10)).toISOString() });
  });

  it('keeps every fix within a few metres of where its unit is', () => {
    const fleet = new Fleet(frame, units, { seed: 7 });
    for (let t = 0; t < 200; t += 7) {
      for (const f of fleet.fixes(t, wall) as DeviceFix[]) {
        expect(d(local(f), fleet.truePosition(f.deviceId, t).xy)).toBeLessThan(15);
        expect(f.accuracyM).toBeGreaterThanOrEqual(3);
        expect(f.headingDeg).toBeGreaterThanOrEqual(0);
        expect(f.headingDeg).toBeLessThan(360);
      }
    }
  });

  it('sends a unit straight to a point at its speed, where it holds; resume takes it back to its route', () => {
    const fleet = new Fleet(frame, units, { seed: 7, pauses: false });
    const from = fleet.truePosition('T2-P1', 100).xy;
    const to = { x: from.x + 300, y: from.y - 400 }; // 500 m: 357 s at 1.4 m/s
    fleet.goto('T2-P1', to, 100);
    const half = fleet.truePosition('T2-P1', 100 + 250 / 1.4);
    expect(half.mode).toBe('goto');
    expect(d(half.xy, from)).toBeCloseTo(250, 6);
    expect(d(half.xy, to)).toBeCloseTo(250, 6);
    const there = fleet.truePosition('T2-P1', 100 + 500 / 1.4 + 1);
    expect(there).toMatchObject({ mode: 'holding', moving: false });
    expect(d(there.xy, to)).toBeLessThan(1e-6);
    expect(d(fleet.truePosition('T2-P1', 5000).xy, to)).toBeLessThan(1e-6); // it holds

    fleet.resume('T2-P1', 5000);
    const loop = new RouteLoop(byId('T2-P1').route!);
    const join = loop.nearest(to);
    expect(fleet.truePosition('T2-P1', 5001).mode).toBe('returning');
    const back = 5000 + d(to, join.xy) / 1.4;
    for (const t of [back + 10, back + 200]) {
      const p = fleet.truePosition('T2-P1', t);
      expect(p.mode).toBe('patrol');
      expect(d(loop.nearest(p.xy).xy, p.xy)).toBeLessThan(1e-6);
    }
  });

  it('brings a post that was sent out back home on resume', () => {
    const fleet = new Fleet(frame, units, { seed: 7 });
    const home = fleet.truePosition('PP-T2', 0).xy;
    fleet.goto('PP-T2', { x: home.x + 140, y: home.y }, 0);
    fleet.resume('PP-T2', 1000);
    expect(fleet.truePosition('PP-T2', 1000 + 100 / 1.4).mode).toBe('returning');
    expect(fleet.truePosition('PP-T2', 1200)).toMatchObject({ mode: 'standing', xy: home });
  });

  it('reports nothing for a unit whose GPS is dead, and a bad latitude for one that is broken', () => {
    const fleet = new Fleet(frame, units, { seed: 7 });
    fleet.setSilent('TRF-1', true);
    fleet.setBadFix('TRF-2', true);
    const fixes = fleet.fixes(30, wall);
    expect(fixes.map((f) => f.deviceId)).not.toContain('TRF-1');
    expect(fixes).toHaveLength(units.length - 1);
    expect(typeof fixOf(fixes, 'TRF-2').lat).toBe('string');
    fleet.setSilent('TRF-1', false);
    expect(fleet.fixes(31, wall)).toHaveLength(units.length);
    expect(() => fleet.goto('NOPE', { x: 0, y: 0 }, 0)).toThrow(/no unit "NOPE"/);
  });

  it('gives the same fixes for the same seed and simulated second, others for another seed', () => {
    const a = new Fleet(frame, units, { seed: 11 });
    const b = new Fleet(frame, units, { seed: 11 });
    const c = new Fleet(frame, units, { seed: 12 });
    // b is asked at other times first: its answers must not depend on how it was polled.
    for (const t of [5, 50, 900]) b.fixes(t, wall);
    expect(a.fixes(1234.5, wall)).toEqual(b.fixes(1234.5, wall));
    expect(a.fixes(1234.5, wall)).toEqual(b.fixes(1234, wall)); // one fix per simulated second
    expect(a.fixes(1234.5, wall)).not.toEqual(c.fixes(1234.5, wall));
  });

  it('refuses a unit whose home the site pack does not have, naming both', () => {
    const raw = JSON.parse(readFileSync(unitsFile, 'utf8'));
    raw.units[1].home = 'PP-NOWHERE';
    expect(() => parseUnitsFile(JSON.stringify(raw), 'units.json', site, frame)).toThrow(UnitsPackError);
    expect(() => parseUnitsFile(JSON.stringify(raw), 'units.json', site, frame)).toThrow(/units\.1\.home: unit SWAT-Q stands at "PP-NOWHERE"/);
  });
});

function fixOf<T extends { deviceId: string }>(fixes: T[], id: string): T {
  const f = fixes.find((x) => x.deviceId === id);
  if (!f) throw new Error(`no fix of ${id}`);
  return f;
}
