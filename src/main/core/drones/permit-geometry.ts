// The geometry of a permit's area: whether a drone is inside it, and whether the polygon an operator drew is a
// usable area at all (no crossing edges, some extent). Areas are a few kilometres across, so straight edges in
// longitude/latitude are the area the operator drew to within centimetres.
import { pointInRing } from '../geo/planar.ts';

type LonLatPair = readonly [number, number];

export function insideArea(area: ReadonlyArray<LonLatPair>, lon: number, lat: number): boolean {
  return pointInRing({ x: lon, y: lat }, area.map(([x, y]) => ({ x, y })));
}

/**
 * Why a polygon (vertices in order, not closed) is not a simple polygon: the first pair of edges that cross or
 * touch, a repeated vertex, or no area. Null when it is simple.
 */
export function polygonProblem(area: ReadonlyArray<LonLatPair>): { vertex: number; problem: string } | null {
  const n = area.length;
  const [first, last] = [area[0], area[n - 1]];
  if (first[0] === last[0] && first[1] === last[1]) {
    return { vertex: n - 1, problem: `the last vertex repeats the first: give the area's vertices without closing the ring` };
  }
  for (let i = 0; i < n; i++) {
    const a = area[i];
    const b = area[(i + 1) % n];
    if (a[0] === b[0] && a[1] === b[1]) return { vertex: (i + 1) % n, problem: `vertex ${(i + 1) % n} repeats vertex ${i}` };
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // Adjacent edges share a vertex by construction; only non-adjacent pairs may not meet.
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsMeet(area[i], area[(i + 1) % n], area[j], area[(j + 1) % n])) {
        return { vertex: j, problem: `edge ${i}–${(i + 1) % n} crosses edge ${j}–${(j + 1) % n}: the area must not cross itself` };
      }
    }
  }
  if (Math.abs(signedArea(area)) < 1e-12) return { vertex: 0, problem: 'the vertices lie on one line: the area has no extent' };
  return null;
}

function signedArea(ring: ReadonlyArray<LonLatPair>): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % ring.length];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

const cross = (o: LonLatPair, a: LonLatPair, b: LonLatPair) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

const onSegment = (p: LonLatPair, a: LonLatPair, b: LonLatPair) =>
  Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);

/** Whether segments pq and rs cross or touch (collinear overlap included). */
function segmentsMeet(p: LonLatPair, q: LonLatPair, r: LonLatPair, s: LonLatPair): boolean {
  const d1 = cross(r, s, p);
  const d2 = cross(r, s, q);
  const d3 = cross(p, q, r);
  const d4 = cross(p, q, s);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (d1 === 0 && onSegment(p, r, s)) || (d2 === 0 && onSegment(q, r, s)) || (d3 === 0 && onSegment(r, p, q)) || (d4 === 0 && onSegment(s, p, q));
}
