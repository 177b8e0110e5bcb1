// The clearance geometry against ICAO Annex 14 Tables 4-1 and 4-2, measured on the WGS84 ellipsoid.
import { describe, expect, it } from 'vitest';
import { ClearanceModel } from '../../src/main/core/clearance/clearance-model.ts';
import { clearanceFeatures } from '../../src/main/core/clearance/clearance-export.ts';
import { approachTable, takeOffTable } from '../../src/main/core/clearance/annex14-tables.ts';
import { geodesicDirect, geodesicInverse } from '../../src/main/core/geo/local-frame.ts';
import { NORTH_END, SOUTH_END, oneRunwaySite } from '../fixtures/sites.ts';
import { endOf, onRunway, runwaysSite, type TestRunway } from '../fixtures/clearance-sites.ts';
import type { CodeNumber } from '../../src/shared/site.ts';

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

// ---------------------------------------------------------------------------------------------------------
// Surfaces by code number, clearways and several runways. Every expected value below is worked by hand from
// Tables 4-1 and 4-2 as transcribed in /work/shared/standards/annex14-ols.md (and the strip of Annex 14 §3.4);
// the comment beside it gives the arithmetic. All ends and the aerodrome are at 400 m (ELEVATION_M), so the
// inner horizontal surface is at 400 + 45 = 445 m. t: metres along the centreline from ends[0]; e: metres to
// the right of it (east for a 36/18 runway).

/** Zones at a point, as `surface runway`, for any model. */
const zonesIn = (m: ClearanceModel, p: [number, number], alt = 0) =>
  m.classify(p[0], p[1], alt).zones.map((z) => `${z.surface}${z.runway ? ' ' + z.runway : ''}`);
const heightIn = (m: ClearanceModel, p: [number, number], surface: string, runway?: string) =>
  m.classify(p[0], p[1], 0).zones.find((z) => z.surface === surface && (runway === undefined || z.runway === runway))?.heightM;
/** The inner edge of a sloping surface's footprint: its two lowest vertices, their distance apart and midpoint. */
function innerEdge(m: ClearanceModel, surface: string, runway: string) {
  const f = clearanceFeatures(m).find((x) => x.properties.surface === surface && x.properties.runway === runway);
  if (!f || f.geometry.type !== 'Polygon') throw new Error(`no polygon for ${surface} ${runway}`);
  const ring = f.geometry.coordinates[0].slice(0, -1);
  const minZ = Math.min(...ring.map((v) => v[2]));
  const [a, b, ...more] = ring.filter((v) => v[2] === minZ);
  expect(more).toEqual([]);
  return { widthM: dist(a, b), mid: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], z: minZ };
}
/** A 36/18 runway northward from SOUTH_END. */
const northward = (code: CodeNumber, lengthM: number, approach: TestRunway['approach'], clearwayM?: [number, number]): TestRunway =>
  ({ id: '36/18', start: SOUTH_END, bearingDeg: 0, lengthM, code, approach, clearwayM });

describe('take-off climb surface with a clearway (Annex 14 §4.1.25: inner edge at the clearway end when the clearway exceeds the specified distance)', () => {
  // Take-off on 36 runs north; the clearway that matters lies beyond the north end (ends[1]).
  // Expected inner-edge distance beyond the runway end = the clearway when it is longer than the Table 4-2
  // "from runway end" distance (code 1: 30 m; code 2, 3, 4: 60 m), else that distance.
  it.each([
    { code: 4, clearwayM: 0, expected: 60, edgeM: 180, slope: 0.02 }, // no clearway: 60 m (code 4)
    { code: 4, clearwayM: 40, expected: 60, edgeM: 180, slope: 0.02 }, // 40 < 60: max(60, 40) = 60 (not 40 + 60 = 100)
    { code: 4, clearwayM: 60, expected: 60, edgeM: 180, slope: 0.02 }, // 60 does not exceed 60: 60 (not 120)
    { code: 4, clearwayM: 400, expected: 400, edgeM: 180, slope: 0.02 }, // 400 > 60: the clearway end, 400 (not 460)
    { code: 2, clearwayM: 150, expected: 150, edgeM: 80, slope: 0.04 }, // code 2: 150 > 60: 150 (not 210)
    { code: 1, clearwayM: 20, expected: 30, edgeM: 60, slope: 0.05 }, // code 1: 20 < 30: 30 (not 50)
    { code: 1, clearwayM: 50, expected: 50, edgeM: 60, slope: 0.05 }, // code 1: 50 > 30: 50 (not 80)
  ].map((c) => [c.code, c.clearwayM ? `${c.clearwayM} m` : 'none', c.expected, c] as const))('code %i, clearway %s: inner edge %i m beyond the runway end', (_code, _name, _expected, { code, clearwayM, expected, edgeM, slope }) => {
    const r = northward(code as CodeNumber, 3000, 'precision-cat-i', [0, clearwayM]);
    const m = new ClearanceModel(runwaysSite([r]));
    const edge = innerEdge(m, 'take-off-climb', '36');
    expect(dist(edge.mid, endOf(r))).toBeCloseTo(expected, 0);
    expect(edge.widthM).toBeCloseTo(edgeM, 0); // Table 4-2 inner edge length
    expect(edge.z).toBe(400); // at the elevation of the runway end
    // 1 m short of the inner edge the point is outside; 1 m past it the surface is 400 + slope × 1 m.
    expect(zonesIn(m, onRunway(r, 3000 + expected - 1))).not.toContain('take-off-climb 36');
    expect(heightIn(m, onRunway(r, 3000 + expected + 1), 'take-off-climb', '36')).toBeCloseTo(400 + slope, 2);
  });

  it('code 4, clearway 400 m: the whole surface starts at the clearway end', () => {
    const r = northward(4, 3000, 'precision-cat-i', [0, 400]);
    const m = new ClearanceModel(runwaysSite([r]));
    const end = 3000 + 400; // t of the inner edge
    // s = 1000 m: 400 + 2 % × 1000 = 420 m; half-width 180/2 + 12.5 % × 1000 = 215 m.
    expect(heightIn(m, onRunway(r, end + 1000), 'take-off-climb', '36')).toBeCloseTo(420, 1);
    expect(zonesIn(m, onRunway(r, end + 1000, 214))).toContain('take-off-climb 36');
    expect(zonesIn(m, onRunway(r, end + 1000, 216))).not.toContain('take-off-climb 36');
    // Length 15000 m: 400 + 2 % × 14999 = 699.98 m at s = 14999; nothing at s = 15001.
    expect(heightIn(m, onRunway(r, end + 14999), 'take-off-climb', '36')).toBeCloseTo(699.98, 1);
    expect(zonesIn(m, onRunway(r, end + 15001))).not.toContain('take-off-climb 36');
  });

  it('a clearway moves only the take-off climb surface of the direction that ends over it', () => {
    // Clearway of 400 m beyond the south end (ends[0]): take-off on 18 (southward) ends over it.
    const r = northward(4, 3000, 'precision-cat-i', [400, 0]);
    const m = new ClearanceModel(runwaysSite([r]));
    expect(dist(innerEdge(m, 'take-off-climb', '18').mid, SOUTH_END)).toBeCloseTo(400, 0); // max(60, 400)
    expect(dist(innerEdge(m, 'take-off-climb', '36').mid, endOf(r))).toBeCloseTo(60, 0); // no clearway north: 60
    // The approach to 36 is not moved by the clearway: 60 m before the threshold (Table 4-1, Cat I code 4).
    expect(dist(innerEdge(m, 'approach', '36').mid, SOUTH_END)).toBeCloseTo(60, 0);
  });
});

describe('code 1 non-instrument runway (700 m)', () => {
  const r = northward(1, 700, 'non-instrument');
  const m = new ClearanceModel(runwaysSite([r]));
  it('approach: 60 m inner edge 30 m before the threshold, 10 % divergence, 5 % over 1600 m', () => {
    const edge = innerEdge(m, 'approach', '36');
    expect(edge.widthM).toBeCloseTo(60, 0);
    expect(dist(edge.mid, SOUTH_END)).toBeCloseTo(30, 0);
    // s = 1000 (t = -30 - 1000): 400 + 5 % × 1000 = 450 m; half-width 30 + 10 % × 1000 = 130 m.
    expect(heightIn(m, onRunway(r, -1030), 'approach', '36')).toBeCloseTo(450, 1);
    expect(zonesIn(m, onRunway(r, -1030, 129))).toContain('approach 36');
    expect(zonesIn(m, onRunway(r, -1030, 131))).not.toContain('approach 36');
    // s = 1590: 400 + 5 % × 1590 = 479.5 m; the surface ends at 1600 m, one section only.
    expect(heightIn(m, onRunway(r, -30 - 1590), 'approach', '36')).toBeCloseTo(479.5, 1);
    expect(zonesIn(m, onRunway(r, -30 - 1610)).filter((z) => z.startsWith('approach'))).toEqual([]);
  });
  it('take-off climb: 60 m inner edge 30 m beyond the end, 10 % to 380 m, 5 % over 1600 m', () => {
    const edge = innerEdge(m, 'take-off-climb', '36');
    expect(edge.widthM).toBeCloseTo(60, 0);
    expect(dist(edge.mid, endOf(r))).toBeCloseTo(30, 0);
    // s = 1000 (t = 700 + 30 + 1000): 400 + 5 % × 1000 = 450 m; half-width 30 + 10 % × 1000 = 130 m.
    expect(heightIn(m, onRunway(r, 1730), 'take-off-climb', '36')).toBeCloseTo(450, 1);
    expect(zonesIn(m, onRunway(r, 1730, 129))).toContain('take-off-climb 36');
    expect(zonesIn(m, onRunway(r, 1730, 131))).not.toContain('take-off-climb 36');
    // s = 1599: 400 + 5 % × 1599 = 479.95 m, half-width 30 + 159.9 = 189.9 m (final width 380 m at s = 1600).
    expect(heightIn(m, onRunway(r, 730 + 1599), 'take-off-climb', '36')).toBeCloseTo(479.95, 1);
    expect(zonesIn(m, onRunway(r, 730 + 1599, 189))).toContain('take-off-climb 36');
    expect(zonesIn(m, onRunway(r, 730 + 1599, 191))).not.toContain('take-off-climb 36');
    expect(zonesIn(m, onRunway(r, 730 + 1601))).not.toContain('take-off-climb 36');
  });
  it('inner horizontal 2000 m about the strip ends (30 m beyond the runway), 45 m high', () => {
    expect(heightIn(m, onRunway(r, 350, 1990), 'inner-horizontal')).toBe(445); // 400 + 45
    expect(zonesIn(m, onRunway(r, 350, 2010))).not.toContain('inner-horizontal');
    expect(zonesIn(m, onRunway(r, 730 + 1990))).toContain('inner-horizontal'); // strip end at t = 700 + 30
    expect(zonesIn(m, onRunway(r, 730 + 2010))).not.toContain('inner-horizontal');
  });
  it('conical: 5 % up to 35 m above the inner horizontal (700 m wide)', () => {
    expect(heightIn(m, onRunway(r, 350, 2400), 'conical')).toBeCloseTo(465, 1); // 445 + 5 % × 400
    expect(heightIn(m, onRunway(r, 350, 2690), 'conical')).toBeCloseTo(479.5, 1); // 445 + 5 % × 690
    expect(zonesIn(m, onRunway(r, 350, 2710))).not.toContain('conical'); // 35 / 5 % = 700 m: ends at 2700
  });
  it('transitional: 20 % from the side of the 30 m strip', () => {
    expect(heightIn(m, onRunway(r, 350, 80), 'transitional', '36/18')).toBeCloseTo(410, 1); // 400 + 20 % × (80 − 30)
    expect(heightIn(m, onRunway(r, 350, -250), 'transitional', '36/18')).toBeCloseTo(444, 1); // 400 + 20 % × 220 (west side)
    expect(zonesIn(m, onRunway(r, 350, 260))).not.toContain('transitional 36/18'); // meets 445 at 30 + 45 / 20 % = 255
  });
});

describe('code 2 non-instrument runway (1000 m)', () => {
  const r = northward(2, 1000, 'non-instrument');
  const m = new ClearanceModel(runwaysSite([r]));
  it('approach: 80 m inner edge 60 m before the threshold, 10 % divergence, 4 % over 2500 m', () => {
    const edge = innerEdge(m, 'approach', '36');
    expect(edge.widthM).toBeCloseTo(80, 0);
    expect(dist(edge.mid, SOUTH_END)).toBeCloseTo(60, 0);
    // s = 1000 (t = -1060): 400 + 4 % × 1000 = 440 m; half-width 40 + 10 % × 1000 = 140 m.
    expect(heightIn(m, onRunway(r, -1060), 'approach', '36')).toBeCloseTo(440, 1);
    expect(zonesIn(m, onRunway(r, -1060, -139))).toContain('approach 36');
    expect(zonesIn(m, onRunway(r, -1060, -141))).not.toContain('approach 36');
    expect(heightIn(m, onRunway(r, -60 - 2490), 'approach', '36')).toBeCloseTo(499.6, 1); // 400 + 4 % × 2490
    expect(zonesIn(m, onRunway(r, -60 - 2510)).filter((z) => z.startsWith('approach'))).toEqual([]);
  });
  it('take-off climb: 80 m inner edge 60 m beyond the end, 10 % to 580 m, 4 % over 2500 m', () => {
    const edge = innerEdge(m, 'take-off-climb', '36');
    expect(edge.widthM).toBeCloseTo(80, 0);
    expect(dist(edge.mid, endOf(r))).toBeCloseTo(60, 0);
    // s = 1000 (t = 1000 + 60 + 1000): 400 + 4 % × 1000 = 440 m; half-width 40 + 100 = 140 m.
    expect(heightIn(m, onRunway(r, 2060), 'take-off-climb', '36')).toBeCloseTo(440, 1);
    expect(zonesIn(m, onRunway(r, 2060, 139))).toContain('take-off-climb 36');
    expect(zonesIn(m, onRunway(r, 2060, 141))).not.toContain('take-off-climb 36');
    // s = 2499: 400 + 4 % × 2499 = 499.96 m, half-width 40 + 249.9 = 289.9 m (580 m at s = 2500).
    expect(heightIn(m, onRunway(r, 1060 + 2499), 'take-off-climb', '36')).toBeCloseTo(499.96, 1);
    expect(zonesIn(m, onRunway(r, 1060 + 2499, 289))).toContain('take-off-climb 36');
    expect(zonesIn(m, onRunway(r, 1060 + 2501))).not.toContain('take-off-climb 36');
  });
  it('inner horizontal 2500 m about the strip ends (60 m beyond the runway), 45 m high', () => {
    expect(heightIn(m, onRunway(r, 500, 2490), 'inner-horizontal')).toBe(445);
    expect(zonesIn(m, onRunway(r, 500, 2510))).not.toContain('inner-horizontal');
    expect(zonesIn(m, onRunway(r, -60 - 2490))).toContain('inner-horizontal');
    expect(zonesIn(m, onRunway(r, -60 - 2510))).not.toContain('inner-horizontal');
  });
  it('conical: 5 % up to 55 m above the inner horizontal (1100 m wide)', () => {
    expect(heightIn(m, onRunway(r, 500, 3000), 'conical')).toBeCloseTo(470, 1); // 445 + 5 % × 500
    expect(heightIn(m, onRunway(r, 500, 3590), 'conical')).toBeCloseTo(499.5, 1); // 445 + 5 % × 1090
    expect(zonesIn(m, onRunway(r, 500, 3610))).not.toContain('conical'); // 55 / 5 % = 1100: ends at 3600
  });
  it('transitional: 20 % from the side of the 40 m strip', () => {
    expect(heightIn(m, onRunway(r, 500, 90), 'transitional', '36/18')).toBeCloseTo(410, 1); // 400 + 20 % × (90 − 40)
    expect(heightIn(m, onRunway(r, 500, 260), 'transitional', '36/18')).toBeCloseTo(444, 1); // 400 + 20 % × 220
    expect(zonesIn(m, onRunway(r, 500, 270))).not.toContain('transitional 36/18'); // top at 40 + 45 / 20 % = 265
  });
});

describe('non-precision approach runway, code 2 (Table 4-1 column "NPA 1,2", 1000 m)', () => {
  const r = northward(2, 1000, 'non-precision');
  const m = new ClearanceModel(runwaysSite([r]));
  it('approach: 150 m inner edge 60 m before the threshold, 15 % divergence, 3.33 % over 2500 m, no second section', () => {
    const edge = innerEdge(m, 'approach', '36');
    expect(edge.widthM).toBeCloseTo(150, 0);
    expect(dist(edge.mid, SOUTH_END)).toBeCloseTo(60, 0);
    // s = 1000 (t = -1060): 400 + 3.33 % × 1000 = 433.3 m; half-width 75 + 15 % × 1000 = 225 m.
    expect(heightIn(m, onRunway(r, -1060), 'approach', '36')).toBeCloseTo(433.3, 1);
    expect(zonesIn(m, onRunway(r, -1060, 224))).toContain('approach 36');
    expect(zonesIn(m, onRunway(r, -1060, 226))).not.toContain('approach 36');
    expect(heightIn(m, onRunway(r, -60 - 2490), 'approach', '36')).toBeCloseTo(482.92, 1); // 400 + 3.33 % × 2490 = 482.917
    expect(zonesIn(m, onRunway(r, -60 - 2510)).filter((z) => z.startsWith('approach'))).toEqual([]);
  });
  it('inner horizontal 3500 m; conical 5 % up to 60 m (1200 m wide)', () => {
    expect(heightIn(m, onRunway(r, 500, 3490), 'inner-horizontal')).toBe(445);
    expect(zonesIn(m, onRunway(r, 500, 3510))).not.toContain('inner-horizontal');
    expect(heightIn(m, onRunway(r, 500, 3510), 'conical')).toBeCloseTo(445.5, 1); // 445 + 5 % × 10
    expect(heightIn(m, onRunway(r, 500, 4690), 'conical')).toBeCloseTo(504.5, 1); // 445 + 5 % × 1190
    expect(zonesIn(m, onRunway(r, 500, 4710))).not.toContain('conical'); // 60 / 5 % = 1200: ends at 4700
  });
  it('transitional: 20 % from the side of the 75 m strip of an instrument code 2 runway', () => {
    expect(heightIn(m, onRunway(r, 500, 125), 'transitional', '36/18')).toBeCloseTo(410, 1); // 400 + 20 % × (125 − 75)
    expect(heightIn(m, onRunway(r, 500, 295), 'transitional', '36/18')).toBeCloseTo(444, 1); // 400 + 20 % × 220
    expect(zonesIn(m, onRunway(r, 500, 305))).not.toContain('transitional 36/18'); // top at 75 + 225 = 300
  });
});

describe('code 3 runway (1500 m): non-precision approach to 36, non-instrument approach to 18', () => {
  const r = northward(3, 1500, ['non-precision', 'non-instrument']);
  const m = new ClearanceModel(runwaysSite([r]));
  it('approach to 36 (NPA 3): 300 m inner edge, 15 %, 2 % over 3000 m, 2.5 % over 3600 m, level to 15000 m', () => {
    const edge = innerEdge(m, 'approach', '36');
    expect(edge.widthM).toBeCloseTo(300, 0);
    expect(dist(edge.mid, SOUTH_END)).toBeCloseTo(60, 0);
    // s = 1000 (t = -1060): 400 + 2 % × 1000 = 420 m; half-width 150 + 15 % × 1000 = 300 m.
    expect(heightIn(m, onRunway(r, -1060), 'approach', '36')).toBeCloseTo(420, 1);
    expect(zonesIn(m, onRunway(r, -1060, 299))).toContain('approach 36');
    expect(zonesIn(m, onRunway(r, -1060, 301))).not.toContain('approach 36');
    // s = 4000: 400 + 2 % × 3000 + 2.5 % × 1000 = 485 m.
    expect(heightIn(m, onRunway(r, -60 - 4000), 'approach-section-2', '36')).toBeCloseTo(485, 1);
    // From s = 6600: 400 + 60 + 2.5 % × 3600 = 550 m, level to s = 15000.
    expect(heightIn(m, onRunway(r, -60 - 10000), 'approach-horizontal', '36')).toBeCloseTo(550, 1);
    expect(zonesIn(m, onRunway(r, -60 - 15010)).filter((z) => z.startsWith('approach'))).toEqual([]);
  });
  it('approach to 18 (NI 3): 150 m inner edge 60 m beyond the north end, 10 %, 3.33 % over 3000 m only', () => {
    const edge = innerEdge(m, 'approach', '18');
    expect(edge.widthM).toBeCloseTo(150, 0);
    expect(dist(edge.mid, endOf(r))).toBeCloseTo(60, 0);
    // s = 1000 (t = 1500 + 60 + 1000): 400 + 3.33 % × 1000 = 433.3 m; half-width 75 + 10 % × 1000 = 175 m.
    expect(heightIn(m, onRunway(r, 2560), 'approach', '18')).toBeCloseTo(433.3, 1);
    expect(zonesIn(m, onRunway(r, 2560, 174))).toContain('approach 18');
    expect(zonesIn(m, onRunway(r, 2560, 176))).not.toContain('approach 18');
    expect(zonesIn(m, onRunway(r, 1560 + 3010)).filter((z) => z.startsWith('approach'))).toEqual([]);
  });
  it('take-off climb (code 3): 180 m inner edge 60 m beyond the end, 12.5 % to 1200 m, 2 % over 15000 m', () => {
    const edge = innerEdge(m, 'take-off-climb', '18'); // take-off on 18 runs south, past SOUTH_END
    expect(edge.widthM).toBeCloseTo(180, 0);
    expect(dist(edge.mid, SOUTH_END)).toBeCloseTo(60, 0);
    // s = 1000 (t = -1060): 400 + 2 % × 1000 = 420 m; half-width 90 + 12.5 % × 1000 = 215 m.
    expect(heightIn(m, onRunway(r, -1060), 'take-off-climb', '18')).toBeCloseTo(420, 1);
    expect(zonesIn(m, onRunway(r, -1060, 214))).toContain('take-off-climb 18');
    expect(zonesIn(m, onRunway(r, -1060, 216))).not.toContain('take-off-climb 18');
    // Final width 1200 m from s = (1200 − 180) / 2 / 12.5 % = 4080; s = 5000: half 600 m, 400 + 2 % × 5000 = 500 m.
    expect(heightIn(m, onRunway(r, -5060), 'take-off-climb', '18')).toBeCloseTo(500, 1);
    expect(zonesIn(m, onRunway(r, -5060, 599))).toContain('take-off-climb 18');
    expect(zonesIn(m, onRunway(r, -5060, 601))).not.toContain('take-off-climb 18');
  });
  it('inner horizontal 4000 m, conical 5 % up to 75 m (1500 m wide), from the 60 m strip extension', () => {
    expect(heightIn(m, onRunway(r, 750, 3990), 'inner-horizontal')).toBe(445);
    expect(zonesIn(m, onRunway(r, 1560 + 4010))).not.toContain('inner-horizontal'); // strip end t = 1500 + 60
    expect(heightIn(m, onRunway(r, 750, 4500), 'conical')).toBeCloseTo(470, 1); // 445 + 5 % × 500
    expect(heightIn(m, onRunway(r, 750, 5490), 'conical')).toBeCloseTo(519.5, 1); // 445 + 5 % × 1490
    expect(zonesIn(m, onRunway(r, 750, 5510))).not.toContain('conical'); // 75 / 5 % = 1500: ends at 5500
  });
  it('transitional: 14.3 % from the 150 m strip (the instrument end governs the strip)', () => {
    expect(heightIn(m, onRunway(r, 750, 250), 'transitional', '36/18')).toBeCloseTo(414.3, 1); // 400 + 14.3 % × 100
    expect(heightIn(m, onRunway(r, 750, -460), 'transitional', '36/18')).toBeCloseTo(444.33, 1); // 400 + 14.3 % × 310
    expect(zonesIn(m, onRunway(r, 750, 470))).not.toContain('transitional 36/18'); // top at 150 + 45 / 14.3 % = 464.7
  });
});

describe('a site with two runways', () => {
  // A: 36/18 as in oneRunwaySite (code 4, precision Cat I, 3000 m north from SOUTH_END).
  // B: 09/27, code 3 non-precision, 1600 m eastward from a point 6000 m east of A's midpoint.
  const MID = geodesicDirect(SOUTH_END, 0, 1500);
  const A = northward(4, 3000, 'precision-cat-i');
  const B: TestRunway = { id: '09/27', start: geodesicDirect(MID, 90, 6000), bearingDeg: 90, lengthM: 1600, code: 3, approach: 'non-precision' };
  const two = new ClearanceModel(runwaysSite([A, B], { referencePoint: MID }));
  const alone = new ClearanceModel(runwaysSite([A], { referencePoint: MID }));

  it('the inner horizontal surface is the union of both racetracks', () => {
    // 4500 m east of A: A alone puts it on A's conical (445 + 5 % × 500 = 470 m); with B it is 6000 − 60 − 4500
    // = 1440 m from B's strip end, inside B's 4000 m racetrack, so it is under the inner horizontal and not conical.
    const p = onRunway(A, 1500, 4500);
    expect(heightIn(alone, p, 'conical')).toBeCloseTo(470, 1);
    expect(heightIn(two, p, 'inner-horizontal')).toBe(445);
    expect(zonesIn(two, p)).not.toContain('conical');
    // Beyond B's east strip end (t = 1600 + 60): inside at 3990 m, conical at 4010 (445 + 5 % × 10 = 445.5), B's
    // conical (75 m) ends 1500 m further out; A is more than 11 km away.
    expect(heightIn(two, onRunway(B, 1660 + 3990), 'inner-horizontal')).toBe(445);
    expect(heightIn(two, onRunway(B, 1660 + 4010), 'conical')).toBeCloseTo(445.5, 1);
    expect(heightIn(two, onRunway(B, 1660 + 5490), 'conical')).toBeCloseTo(519.5, 1); // 445 + 5 % × 1490
    expect(zonesIn(two, onRunway(B, 1660 + 5510)).filter((z) => z === 'conical' || z === 'inner-horizontal')).toEqual([]);
    // West of A, B is too far: A's 4000 m radius then A's conical (100 m, 2000 m wide).
    expect(heightIn(two, onRunway(A, 1500, -3990), 'inner-horizontal')).toBe(445);
    expect(heightIn(two, onRunway(A, 1500, -4010), 'conical')).toBeCloseTo(445.5, 1);
  });

  it('exports the overlapping inner horizontal surfaces as one polygon, and the conical surface with it as a hole', () => {
    const f = clearanceFeatures(two);
    const ih = f.find((x) => x.properties.surface === 'inner-horizontal')!;
    expect(ih.geometry.type).toBe('Polygon');
    expect((ih.geometry.coordinates as number[][][]).length).toBe(1);
    const conical = f.find((x) => x.properties.surface === 'conical')!;
    expect(conical.geometry.type).toBe('Polygon');
    expect((conical.geometry.coordinates as number[][][]).length).toBe(2); // outer ring and the inner horizontal as a hole
  });

  it('exports runways 20 km apart as two polygons, each conical polygon holed by its own inner horizontal only', () => {
    const far: TestRunway = { ...B, start: geodesicDirect(MID, 90, 20000) };
    const f = clearanceFeatures(new ClearanceModel(runwaysSite([A, far], { referencePoint: MID })));
    const ih = f.find((x) => x.properties.surface === 'inner-horizontal')!;
    expect(ih.geometry.type).toBe('MultiPolygon');
    expect((ih.geometry.coordinates as number[][][][]).length).toBe(2);
    const conical = f.find((x) => x.properties.surface === 'conical')!;
    expect(conical.geometry.type).toBe('MultiPolygon');
    // A's conical reaches 4000 + 2000 m from A, B's starts 20000 − 60 − 4000 − 1500 m east of A: two polygons,
    // each an outer ring with one hole (a hole of the other runway would lie outside its ring: invalid GeoJSON).
    expect((conical.geometry.coordinates as number[][][][]).map((poly) => poly.length)).toEqual([2, 2]);
  });

  it('classifies a point under one runway\'s approach and not the other\'s', () => {
    // 1000 m out on the approach to 09 (inner edge 60 m before B's west end): 400 + 2 % × 1000 = 420 m (NPA 3),
    // half-width 150 + 15 % × 1000 = 300 m. It lies 6000 − 1060 = 4940 m east of A's centreline, abeam A's
    // midpoint: under no approach of A.
    const p = onRunway(B, -1060);
    const zones = zonesIn(two, p);
    expect(heightIn(two, p, 'approach', '09')).toBeCloseTo(420, 1);
    for (const other of ['approach 36', 'approach 18', 'approach 27']) expect(zones).not.toContain(other);
    expect(zonesIn(two, onRunway(B, -1060, 299))).toContain('approach 09');
    expect(zonesIn(two, onRunway(B, -1060, 301))).not.toContain('approach 09');
    // Flying at 430 m there penetrates the lowest surface (420 m) by 10 m.
    const c = two.classify(p[0], p[1], 430);
    expect(c.lowestSurface?.heightM).toBeCloseTo(420, 1);
    expect(c.penetrationM).toBeCloseTo(10, 1);
    // And the other way round: 1000 m out on the approach to 36 (Cat I code 4: 400 + 2 % × 1000 = 420 m).
    const q = onRunway(A, -1060);
    expect(heightIn(two, q, 'approach', '36')).toBeCloseTo(420, 1);
    for (const other of ['approach 09', 'approach 27', 'approach 18']) expect(zonesIn(two, q)).not.toContain(other);
  });

  it('gives each runway its own transitional surface', () => {
    // 250 m north of B's centreline at its midpoint: 400 + 14.3 % × (250 − 150) = 414.3 m, B's code 3 strip.
    const p = onRunway(B, 800, -250);
    expect(heightIn(two, p, 'transitional', '09/27')).toBeCloseTo(414.3, 1);
    expect(zonesIn(two, p)).not.toContain('transitional 36/18');
  });
});
