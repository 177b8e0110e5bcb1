// A patrol route as a loop the simulator walks: a closed route (last point back on the first) as it is, an open
// one there and back. Distances are along the loop in metres, in the site's local frame.
import type { XY } from '../../main/core/geo/local-frame.ts';

/** A route whose ends are closer than this is closed. */
const CLOSED_WITHIN_M = 1;

export interface LoopPoint {
  xy: XY;
  leg: number;
  offset: number;
  /** Direction of travel on that leg, degrees clockwise from north. */
  headingDeg: number;
}

export class RouteLoop {
  readonly points: XY[];
  readonly legLengths: number[];
  readonly total: number;

  constructor(route: XY[]) {
    const closed = route.length > 2 && dist(route[0], route[route.length - 1]) < CLOSED_WITHIN_M;
    this.points = closed ? route : [...route, ...route.slice(0, -1).reverse()];
    this.legLengths = this.points.slice(1).map((p, i) => dist(this.points[i], p));
    this.total = this.legLengths.reduce((a, b) => a + b, 0);
  }

  get legs(): number {
    return this.legLengths.length;
  }

  /** The point `offset` metres into leg `leg`. */
  on(leg: number, offset: number): LoopPoint {
    const a = this.points[leg];
    const b = this.points[leg + 1];
    const len = this.legLengths[leg];
    const f = len > 0 ? Math.min(1, Math.max(0, offset / len)) : 0;
    return { xy: { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f }, leg, offset: len * f, headingDeg: headingOf(a, b) };
  }

  /** The point `along` metres from the loop's start (wrapping). */
  at(along: number): LoopPoint {
    let rest = ((along % this.total) + this.total) % this.total;
    for (let leg = 0; leg < this.legs; leg++) {
      if (rest <= this.legLengths[leg] || leg === this.legs - 1) return this.on(leg, rest);
      rest -= this.legLengths[leg];
    }
    return this.on(0, 0);
  }

  /** The point of the loop nearest to `p`. */
  nearest(p: XY): LoopPoint {
    let best: LoopPoint | null = null;
    let bestD = Infinity;
    for (let leg = 0; leg < this.legs; leg++) {
      const a = this.points[leg];
      const b = this.points[leg + 1];
      const len = this.legLengths[leg];
      const t = len > 0 ? Math.max(0, Math.min(1, ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / (len * len))) : 0;
      const candidate = this.on(leg, t * len);
      const d = dist(candidate.xy, p);
      if (d < bestD) {
        bestD = d;
        best = candidate;
      }
    }
    return best!;
  }
}

export const dist = (a: XY, b: XY): number => Math.hypot(b.x - a.x, b.y - a.y);

/** Degrees clockwise from north, 0 ≤ h < 360. */
export const headingOf = (a: XY, b: XY): number => ((Math.atan2(b.x - a.x, b.y - a.y) * 180) / Math.PI + 360) % 360;
