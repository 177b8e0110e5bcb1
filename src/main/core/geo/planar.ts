// Plane geometry in a local metric frame (see local-frame.ts): vectors, segment distance, point in
// polygon, racetracks, and polygon union. Node-only because polygon-clipping ships as CommonJS.
import { createRequire } from 'node:module';
import type { XY } from './local-frame.ts';

type Pair = [number, number];
type Ring = Pair[];
export type PlanarPolygon = Ring[];
export type PlanarMultiPolygon = PlanarPolygon[];

const clipping = createRequire(import.meta.url)('polygon-clipping') as typeof import('polygon-clipping');

export const add = (a: XY, b: XY): XY => ({ x: a.x + b.x, y: a.y + b.y });
export const sub = (a: XY, b: XY): XY => ({ x: a.x - b.x, y: a.y - b.y });
export const scale = (a: XY, k: number): XY => ({ x: a.x * k, y: a.y * k });
export const dot = (a: XY, b: XY): number => a.x * b.x + a.y * b.y;
export const length = (a: XY): number => Math.hypot(a.x, a.y);
export const unit = (a: XY): XY => scale(a, 1 / length(a));
/** The left-hand normal of a direction. */
export const leftNormal = (a: XY): XY => ({ x: -a.y, y: a.x });

export function distanceToSegment(p: XY, a: XY, b: XY): number {
  const ab = sub(b, a);
  const t = Math.max(0, Math.min(1, dot(sub(p, a), ab) / dot(ab, ab)));
  return length(sub(p, add(a, scale(ab, t))));
}

export function pointInRing(p: XY, ring: ReadonlyArray<XY>): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** A polygon given as rings (first outer, then holes) contains p. */
export function pointInPolygon(p: XY, rings: ReadonlyArray<ReadonlyArray<XY>>): boolean {
  if (rings.length === 0 || !pointInRing(p, rings[0])) return false;
  return !rings.slice(1).some((hole) => pointInRing(p, hole));
}

/** Closed ring of a circle, counter-clockwise. */
export function circleRing(center: XY, radiusM: number, segments = 128): XY[] {
  const ring: XY[] = [];
  for (let i = 0; i <= segments; i++) {
    const a = (2 * Math.PI * i) / segments;
    ring.push({ x: center.x + radiusM * Math.cos(a), y: center.y + radiusM * Math.sin(a) });
  }
  return ring;
}

/** Two circles of radius r about a and b joined by their common tangents, as a closed ring. */
export function racetrackRing(a: XY, b: XY, radiusM: number, segmentsPerHalf = 48): XY[] {
  const heading = Math.atan2(b.y - a.y, b.x - a.x);
  const ring: XY[] = [];
  const arc = (c: XY, from: number) => {
    for (let i = 0; i <= segmentsPerHalf; i++) {
      const ang = from + (Math.PI * i) / segmentsPerHalf;
      ring.push({ x: c.x + radiusM * Math.cos(ang), y: c.y + radiusM * Math.sin(ang) });
    }
  };
  arc(b, heading - Math.PI / 2);
  arc(a, heading + Math.PI / 2);
  ring.push(ring[0]);
  return ring;
}

const toPairs = (ring: ReadonlyArray<XY>): Ring => ring.map((p) => [p.x, p.y] as Pair);
const fromPairs = (ring: Ring): XY[] => ring.map(([x, y]) => ({ x, y }));

/** Union of simple polygons given as outer rings; returns polygons as rings of XY. */
export function unionRings(rings: ReadonlyArray<ReadonlyArray<XY>>): XY[][][] {
  if (rings.length === 0) return [];
  const polys = rings.map((r) => [toPairs(r)] as PlanarPolygon);
  const merged = clipping.union(polys[0], ...polys.slice(1));
  return merged.map((poly) => poly.map(fromPairs));
}
