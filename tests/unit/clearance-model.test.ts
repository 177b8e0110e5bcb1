// The clearance geometry against ICAO Annex 14 Tables 4-1 and 4-2, measured on the WGS84 ellipsoid.
import { describe, expect, it } from 'vitest';
import { ClearanceModel } from '../../src/main/core/clearance/clearance-model.ts';
import { clearanceFeatures } from '../../src/main/core/clearance/clearance-export.ts';
import { approachTable, takeOffTable } from '../../src/main/core/clearance/annex14-tables.ts';
import { geodesicDirect, geodesicInverse } from '../../src/main/core/geo/local-frame.ts';
import { NORTH_END, SOUTH_END, oneRunwaySite } from '../fixtures/sites.ts';

const model = new ClearanceModel(oneRunwaySite());
const features = clearanceFeatures(model);
const feature = (surface: string, runway?: string) => {
  const f = features.find((x) => x.properties.surface === surface && (runway === undefined || x.properties.runway === runway));
  if (!f || f.geometry.type !== 'Polygon') throw new Error(`no polygon for ${surface} ${runway}`);
  return f.geometry.coordinates[0];
};
const dist = (a: number[], b: number[]) => geodesicInverse([a[0], a[1]], [b[0], b[1]]).distanceM;
/** A point s metres south of the 36 threshold, offset east by e metres (approach to 36 comes from the south). */
const southOf = (s: number, e = 0) => geodesicDirect(geodesicDirect(SOUTH_END, 180, s), 90, e);
const northOf = (s: number, e = 0) => geodesicDirect(geodesicDirect(NORTH_END, 0, s), 90, e);
const zoneNames = (p: [number, number], alt = 0) => model.classify(p[0], p[1], alt).zones.map((z) => `${z.surface}${z.runway ? ' ' + z.runway : ''}`);
const surfaceHeight = (p: [number, number], surface: string, runway?: string) =>
  model.classify(p[0], p[1], 0).zones.find((z) => z.surface === surface && (runway === undefined || z.runway === runway))?.heightM;

describe('Annex 14 tables', () => {
  it('keeps every Table 4-1 column', () => {
    expect(approachTable('non-instrument', 1).approach).toMatchObject({ innerEdgeM: 60, fromThresholdM: 30, divergence: 0.1 });
    expect(approachTable('non-instrument', 1).innerHorizontal.radiusM).toBe(2000);
    expect(approachTable('non-instrument', 4).approach.sections).toEqual([{ lengthM: 3000, slope: 0.025 }]);
    expect(approachTable('non-precision', 2).conical.heightM).toBe(60);
    expect(approachTable('non-precision', 3).approach.totalLengthM).toBe(15000);
    expect(approachTable('precision-cat-i', 1).approach.sections[1]).toEqual({ lengthM: 12000, slope: 0.03 });
    expect(approachTable('precision-cat-ii-iii', 4).transitionalSlope).toBe(0.143);
  });
  it('keeps every Table 4-2 row', () => {
    expect(takeOffTable(1)).toMatchObject({ innerEdgeM: 60, fromRunwayEndM: 30, finalWidthM: 380, lengthM: 1600, slope: 0.05 });
    expect(takeOffTable(2)).toMatchObject({ innerEdgeM: 80, finalWidthM: 580, lengthM: 2500, slope: 0.04 });
    expect(takeOffTable(4)).toMatchObject({ innerEdgeM: 180, divergence: 0.125, finalWidthM: 1200, lengthM: 15000, slope: 0.02 });
  });
});

describe('approach surface (code 4, precision)', () => {
  const ring = feature('approach', '36');
  it('has a 300 m inner edge 60 m before the threshold, at threshold elevation', () => {
    const [a, , , d] = ring; // inner edge corners
    expect(dist(a, d)).toBeCloseTo(300, 1);
    const mid = [(a[0] + d[0]) / 2, (a[1] + d[1]) / 2];
    expect(dist(mid, [...SOUTH_END])).toBeCloseTo(60, 0);
    expect(a[2]).toBe(400);
  });
  it('is 1200 m wide and 60 m high at the end of the 3000 m first section', () => {
    const [, b, c] = ring;
    expect(dist(b, c)).toBeCloseTo(1200, 0);
    expect(b[2]).toBeCloseTo(460, 2);
  });
  it('rises at 2.5 % over the second section to 150 m, then stays level to 15000 m', () => {
    expect(surfaceHeight(southOf(60 + 3000 + 1000), 'approach-section-2', '36')).toBeCloseTo(400 + 60 + 25, 1);
    expect(surfaceHeight(southOf(60 + 6610), 'approach-horizontal', '36')).toBeCloseTo(550, 1);
    expect(surfaceHeight(southOf(60 + 14990), 'approach-horizontal', '36')).toBeCloseTo(550, 1);
    expect(zoneNames(southOf(60 + 15010))).not.toContain('approach-horizontal 36');
  });
  it('diverges at 15 % each side', () => {
    // 1000 m beyond the inner edge the half-width is 150 + 150 = 300 m.
    expect(zoneNames(southOf(1060, 299))).toContain('approach 36');
    expect(zoneNames(southOf(1060, 301))).not.toContain('approach 36');
  });
  it('starts 60 m before a displaced threshold', () => {
    const displaced = clearanceFeatures(new ClearanceModel(oneRunwaySite({ displacedM: 300 })));
    const f = displaced.find((x) => x.properties.surface === 'approach' && x.properties.runway === '36')!;
    const [a, , , d] = (f.geometry as { coordinates: number[][][] }).coordinates[0];
    const mid = [(a[0] + d[0]) / 2, (a[1] + d[1]) / 2];
    // The inner edge is 240 m inside the runway, north of the pavement end.
    expect(dist(mid, [...SOUTH_END])).toBeCloseTo(240, 0);
    expect(mid[1]).toBeGreaterThan(SOUTH_END[1]);
  });
});

describe('take-off climb surface (code 4)', () => {
  it('starts 60 m beyond the runway end with a 180 m inner edge', () => {
    const ring = feature('take-off-climb', '36'); // take-off towards the north end
    expect(dist(ring[0], ring[5])).toBeCloseTo(180, 1);
    const mid = [(ring[0][0] + ring[5][0]) / 2, (ring[0][1] + ring[5][1]) / 2];
    expect(dist(mid, [...NORTH_END])).toBeCloseTo(60, 0);
  });
  it('diverges at 12.5 % to 1200 m, rises at 2 % over 15000 m', () => {
    expect(surfaceHeight(northOf(60 + 1000), 'take-off-climb', '36')).toBeCloseTo(420, 1);
    expect(zoneNames(northOf(60 + 1000, 214))).toContain('take-off-climb 36'); // half-width 90 + 125 = 215
    expect(zoneNames(northOf(60 + 1000, 216))).not.toContain('take-off-climb 36');
    expect(zoneNames(northOf(60 + 10000, 599))).toContain('take-off-climb 36');
    expect(zoneNames(northOf(60 + 10000, 601))).not.toContain('take-off-climb 36');
    expect(surfaceHeight(northOf(60 + 14999), 'take-off-climb', '36')).toBeCloseTo(400 + 300, 0);
    expect(zoneNames(northOf(60 + 15001))).not.toContain('take-off-climb 36');
  });
});

describe('inner horizontal, conical and transitional surfaces', () => {
  const midRunway = geodesicDirect(SOUTH_END, 0, 1500);
  const east = (m: number) => geodesicDirect(midRunway, 90, m);
  it('inner horizontal: 45 m above aerodrome elevation, 4000 m from the strip', () => {
    expect(surfaceHeight(east(3990), 'inner-horizontal')).toBe(445);
    expect(zoneNames(east(4010))).not.toContain('inner-horizontal');
    // Circles centred 60 m beyond the runway ends.
    expect(zoneNames(northOf(60 + 3990, 0))).toContain('inner-horizontal');
    expect(zoneNames(northOf(60 + 4010, 0))).not.toContain('inner-horizontal');
  });
  it('conical: 5 % from the inner horizontal up to 100 m above it', () => {
    expect(surfaceHeight(east(5000), 'conical')).toBeCloseTo(445 + 50, 1);
    expect(surfaceHeight(east(5990), 'conical')).toBeCloseTo(445 + 99.5, 1);
    expect(zoneNames(east(6010))).not.toContain('conical');
  });
  it('transitional: 14.3 % from the 150 m strip edge', () => {
    expect(surfaceHeight(east(250), 'transitional')).toBeCloseTo(400 + 14.3, 1);
    expect(surfaceHeight(geodesicDirect(midRunway, 270, 350), 'transitional')).toBeCloseTo(400 + 28.6, 1);
    // It ends where it meets the inner horizontal surface (45 m / 0.143 = 314.7 m beyond the strip edge).
    expect(zoneNames(east(470))).not.toContain('transitional 36/18');
  });
});

describe('point classification', () => {
  it('reports the lowest surface and the penetration', () => {
    const p = east(250);
    const r = model.classify(p[0], p[1], 430);
    expect(r.lowestSurface?.surface).toBe('transitional');
    expect(r.penetrationM).toBeCloseTo(15.7, 1);
    expect(r.clearanceM).toBeCloseTo(-15.7, 1);
    const below = model.classify(p[0], p[1], 410);
    expect(below.penetrationM).toBe(0);
    function east(m: number) {
      return geodesicDirect(geodesicDirect(SOUTH_END, 0, 1500), 90, m);
    }
  });
  it('knows the UAV inspection area (±10 km, 20 km beyond the ends) and the 55 km protection radius', () => {
    expect(zoneNames(southOf(19900))).toContain('uav-inspection-area');
    expect(zoneNames(southOf(20100))).not.toContain('uav-inspection-area');
    expect(zoneNames(geodesicDirect(SOUTH_END, 90, 9990))).toContain('uav-inspection-area');
    expect(zoneNames(geodesicDirect(SOUTH_END, 90, 10010))).not.toContain('uav-inspection-area');
    const arp = model.site.aerodrome.referencePoint;
    expect(zoneNames(geodesicDirect(arp, 45, 54990))).toContain('protection-radius');
    expect(zoneNames(geodesicDirect(arp, 45, 55010))).toEqual([]);
  });
});

describe('transitional surface with a displaced threshold', () => {
  it('draws a lower edge that does not double back over the strip', () => {
    const displaced = clearanceFeatures(new ClearanceModel(oneRunwaySite({ displacedM: 300 })));
    const side = displaced.find((f) => f.properties.surface === 'transitional')!;
    const ring = (side.geometry as { coordinates: number[][][] }).coordinates[0];
    // The lower edge runs south to north without turning back: latitudes of its first six points never decrease.
    const lower = ring.slice(0, 6).map((p) => p[1]);
    for (let i = 1; i < lower.length; i++) expect(lower[i]).toBeGreaterThanOrEqual(lower[i - 1] - 1e-9);
  });
});
