// Plane geometry in local metres about the aerodrome reference point (x east, y north): an equirectangular
// projection, good to metres within the few kilometres of an airport, which is all a camera layout needs.

// Vector arithmetic and the even-odd point-in-polygon test are the core's (geo/planar.ts), the same the site model uses.
import { add, dot, length, pointInRing as insidePolygon, scale, sub } from '../../main/core/geo/planar.ts';

export { add, dot, insidePolygon, length, scale, sub };

export interface Pt {
  x: number;
  y: number;
}

export interface Projection {
  toLocal(lonLat: readonly number[]): Pt;
  toLonLat(p: Pt): { lon: number; lat: number };
}

export function projection(origin: readonly [number, number]): Projection {
  const [lon0, lat0] = origin;
  const mPerDegLat = 111_132;
  const mPerDegLon = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  return {
    toLocal: ([lon, lat]) => ({ x: (lon - lon0) * mPerDegLon, y: (lat - lat0) * mPerDegLat }),
    toLonLat: ({ x, y }) => ({ lon: Number((lon0 + x / mPerDegLon).toFixed(7)), lat: Number((lat0 + y / mPerDegLat).toFixed(7)) }),
  };
}

export const unit = (a: Pt): Pt => {
  const l = length(a);
  return l === 0 ? { x: 0, y: 1 } : { x: a.x / l, y: a.y / l };
};

/** Compass bearing of a direction, degrees clockwise from north, in [0, 360). */
export function bearingDeg(d: Pt): number {
  const b = (Math.atan2(d.x, d.y) * 180) / Math.PI;
  return Number((((b % 360) + 360) % 360).toFixed(1));
}

export const fromBearing = (deg: number): Pt => ({ x: Math.sin((deg * Math.PI) / 180), y: Math.cos((deg * Math.PI) / 180) });

/** A closed ring without its repeated last point. */
export function openRing(ring: Pt[]): Pt[] {
  const last = ring.at(-1);
  return ring.length > 1 && last && last.x === ring[0].x && last.y === ring[0].y ? ring.slice(0, -1) : ring;
}

export function signedArea(ring: Pt[]): number {
  let a = 0;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % ring.length];
    a += p.x * q.y - q.x * p.y;
  }
  return a / 2;
}

export function centroid(ring: Pt[]): Pt {
  const sum = ring.reduce((s, p) => add(s, p), { x: 0, y: 0 });
  return scale(sum, 1 / Math.max(1, ring.length));
}


export interface Edge {
  a: Pt;
  b: Pt;
  length: number;
  /** Unit direction a → b. */
  dir: Pt;
  /** Unit normal pointing out of the polygon. */
  outward: Pt;
}

export function edges(ring: Pt[]): Edge[] {
  const ccw = signedArea(ring) > 0;
  return ring.map((a, i) => {
    const b = ring[(i + 1) % ring.length];
    const dir = unit(sub(b, a));
    // For a counter-clockwise ring the outside is to the right of each edge.
    const outward = ccw ? { x: dir.y, y: -dir.x } : { x: -dir.y, y: dir.x };
    return { a, b, length: length(sub(b, a)), dir, outward };
  });
}

/** A uniformly random point inside a polygon (rejection within its bounding box). */
export function randomInside(ring: Pt[], rnd: () => number, accept: (p: Pt) => boolean = () => true): Pt {
  const xs = ring.map((p) => p.x);
  const ys = ring.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  let fallback: Pt | undefined;
  for (let i = 0; i < 200; i++) {
    const p = { x: x0 + rnd() * (x1 - x0), y: y0 + rnd() * (y1 - y0) };
    if (!insidePolygon(p, ring)) continue;
    fallback ??= p;
    if (accept(p)) return p;
  }
  return fallback ?? centroid(ring);
}

/** The point at distance s along a closed ring, and the direction of the edge it is on. */
export function alongRing(ring: Pt[], s: number): { p: Pt; dir: Pt } {
  const es = edges(ring);
  const total = es.reduce((t, e) => t + e.length, 0);
  let rest = ((s % total) + total) % total;
  for (const e of es) {
    if (rest <= e.length) return { p: add(e.a, scale(e.dir, rest)), dir: e.dir };
    rest -= e.length;
  }
  const e = es.at(-1)!;
  return { p: e.b, dir: e.dir };
}

export const perimeter = (ring: Pt[]): number => edges(ring).reduce((t, e) => t + e.length, 0);
