// Estimated arrival: along the route graph (junctions joined, T junctions found), straight (× detour) when the
// graph has no path or the unit is off it, nearest first; and fast enough for 500 units on a city of streets.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Unit } from '../../src/shared/response.ts';
import type { XY } from '../../src/main/core/geo/local-frame.ts';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { estimateArrivals, STRAIGHT_DETOUR } from '../../src/main/core/units/eta.ts';
import { PlanarFrame } from '../../src/main/core/units/planar-frame.ts';
import { RouteGraph } from '../../src/main/core/units/route-graph.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

let site: SiteModel;
beforeAll(async () => {
  site = new SiteModel(await loadSiteFile(SAMPLE_SITE_FILE));
});

const lonLat = (p: XY): [number, number] => site.frame.toLonLat(p);
const unitAt = (id: string, p: XY, speedMps = 10): Unit => {
  const [lon, lat] = lonLat(p);
  return {
    id, callSign: id, name: { zh: id, en: id }, kind: 'patrol', force: 'swat', members: [], status: 'available',
    position: { lon, lat }, positionAt: null, positionSource: 'home', speedMps, orderId: null, gridCellId: null, stale: false,
  };
};

// An L of roads: west-east along y=0, then north along x=1000; a side road comes down from (500, 500) and stops
// 10 m short of the first (a T junction); a second piece starts 10 m from the corner (the same junction); an
// island road far away joins nothing.
const L_ROADS: XY[][] = [
  [{ x: 0, y: 0 }, { x: 1000, y: 0 }],
  [{ x: 1000, y: 0 }, { x: 1000, y: 1000 }],
  [{ x: 500, y: 500 }, { x: 500, y: 10 }],
  [{ x: 1010, y: 5 }, { x: 2000, y: 5 }],
  [{ x: 5000, y: 5000 }, { x: 6000, y: 5000 }],
];

describe('the route graph', () => {
  it('joins points within 15 m and ends near a segment, and measures along the roads', () => {
    const g = new RouteGraph(L_ROADS);
    // Nodes: (0,0), (1000,0), (1000,1000), (500,500), (500,10), (2000,5), and the island's two.
    expect(g.nodeCount).toBe(8);
    const from = g.distancesFrom(g.snap({ x: 1000, y: 1000 })!);
    expect(from(g.snap({ x: 0, y: 0 })!)).toBeCloseTo(2000, 0);
    // Down the side road, along to the corner, up: the T junction is used.
    expect(from(g.snap({ x: 500, y: 500 })!)).toBeCloseTo(490 + Math.hypot(500, 10) + 1000, 0);
    // The piece that starts 11 m from the corner starts at the corner.
    expect(from(g.snap({ x: 2000, y: 5 })!)).toBeCloseTo(1000 + Math.hypot(1000, 5), 6);
    expect(from(g.snap({ x: 5500, y: 5000 })!)).toBeNull();
    expect(g.snap({ x: 3000, y: 3000 })).toBeNull();
  });

  it('measures along one segment when both ends are on it', () => {
    const g = new RouteGraph([[{ x: 0, y: 0 }, { x: 1000, y: 0 }]]);
    const from = g.distancesFrom(g.snap({ x: 200, y: 30 })!);
    expect(from(g.snap({ x: 700, y: -40 })!)).toBeCloseTo(500, 6);
  });
});

describe('estimated arrival', () => {
  it('goes by road where there is a path, straight (× detour) where there is none, nearest first', () => {
    const g = new RouteGraph(L_ROADS.map((l) => l.map((p) => site.frame.toLocal(lonLat(p)))));
    const target = lonLat({ x: 1000, y: 1000 });
    const units = [unitAt('side', { x: 500, y: 500 }), unitAt('far-west', { x: 0, y: 0 }, 20), unitAt('island', { x: 5500, y: 5000 }), unitAt('off-road', { x: 900, y: 2500 })];
    const got = estimateArrivals(target, units, site.frame, g);
    const by = Object.fromEntries(got.map((c) => [c.unit.id, c]));
    expect(by.side).toMatchObject({ via: 'route' });
    expect(by.side.distanceM).toBeCloseTo(490 + 500 + 1000, -1);
    expect(by.side.etaS).toBe(Math.round(by.side.distanceM / 10));
    expect(by['far-west']).toMatchObject({ via: 'route', etaS: 100 });
    expect(by.island).toMatchObject({ via: 'straight' });
    expect(by.island.distanceM).toBeCloseTo(Math.hypot(4500, 4000) * STRAIGHT_DETOUR, -1);
    // 1500 m from every road: the graph says nothing about it.
    expect(by['off-road'].via).toBe('straight');
    expect(got.map((c) => c.unit.id)).toEqual(['far-west', 'off-road', 'side', 'island']);
  });

  it('goes straight without a graph, and breaks a tie in time by distance', () => {
    const target = lonLat({ x: 0, y: 0 });
    const got = estimateArrivals(target, [unitAt('slow-near', { x: 100, y: 0 }, 1), unitAt('fast-far', { x: 1000, y: 0 }, 10), unitAt('no-fix', { x: 0, y: 0 })].map((u) =>
      u.id === 'no-fix' ? { ...u, position: null } : u), site.frame, null);
    expect(got.map((c) => [c.unit.id, c.via, c.etaS])).toEqual([['slow-near', 'straight', 130], ['fast-far', 'straight', 130]]);
    expect(got[0].distanceM).toBeLessThan(got[1].distanceM);
  });

  it('ranks 500 units over a graph of 3,000 street segments in well under half a second', () => {
    // A 2.4 km square of streets every 60 m (41 + 41 lines of 40 segments), and 500 units scattered over it.
    const lines: XY[][] = [];
    for (let i = 0; i <= 40; i++) {
      lines.push(Array.from({ length: 41 }, (_, k) => ({ x: -1200 + 60 * i, y: -1200 + 60 * k })));
      lines.push(Array.from({ length: 41 }, (_, k) => ({ x: -1200 + 60 * k, y: -1200 + 60 * i })));
    }
    const g = new RouteGraph(lines);
    expect(g.segmentCount).toBe(2 * 41 * 40);
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const units = Array.from({ length: 500 }, (_, i) => unitAt(`U${i}`, { x: -1300 + 2600 * rand(), y: -1300 + 2600 * rand() }, 1 + 10 * rand()));
    const target = lonLat({ x: 333, y: -275 });
    // The registry's own projection (planar-frame.ts); the streets laid out in it.
    const plane = new PlanarFrame(site.pack.aerodrome.referencePoint);
    const g2 = new RouteGraph(lines.map((l) => l.map((p) => plane.toLocal(lonLat(p)))));
    const started = performance.now();
    const got = estimateArrivals(target, units, plane, g2);
    const ms = performance.now() - started;
    expect(got).toHaveLength(500);
    expect(got.filter((c) => c.via === 'route').length).toBeGreaterThan(450);
    expect(got.every((c, i) => i === 0 || got[i - 1].etaS <= c.etaS)).toBe(true);
    // About 25 ms on an idle machine; the bound leaves room for a loaded one.
    expect(ms).toBeLessThan(500);
  });
});
