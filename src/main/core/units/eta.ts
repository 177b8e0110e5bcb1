// Estimated arrival of units at a point: along the route graph where both ends lie near it and a path joins
// them (the off-road legs at each end counted straight; a unit nearer the target than the roads goes straight),
// else as the crow flies times a detour factor, since
// nobody drives a straight line across an airport. `distanceM` is the distance the estimate travels, so that
// etaS = distanceM / speed in both cases.
import type { Unit, UnitCandidate } from '../../../shared/response.ts';
import type { LonLat } from '../geo/local-frame.ts';
import type { PointProjection } from './planar-frame.ts';
import type { RouteGraph } from './route-graph.ts';

/** Straight-line distances are stretched by this much: the roads' usual detour on an airport's landside. */
export const STRAIGHT_DETOUR = 1.3;

export function estimateArrivals(target: LonLat, units: readonly Unit[], frame: PointProjection, graph: RouteGraph | null): UnitCandidate[] {
  const t = frame.toLocal(target);
  const targetSnap = graph?.snap(t) ?? null;
  const along = graph && targetSnap ? graph.distancesFrom(targetSnap) : null;
  const out: UnitCandidate[] = [];
  for (const unit of units) {
    if (!unit.position) continue;
    const p = frame.toLocal([unit.position.lon, unit.position.lat]);
    const straight = Math.hypot(p.x - t.x, p.y - t.y);
    let candidate: UnitCandidate = { unit, distanceM: round(straight * STRAIGHT_DETOUR), etaS: 0, via: 'straight' };
    const snap = along ? graph!.snap(p) : null;
    const road = snap ? along!(snap) : null;
    // Closer to the target than to the roads: it goes straight there.
    if (snap && road !== null && targetSnap && straight > snap.offM + targetSnap.offM) {
      candidate = { unit, distanceM: round(snap.offM + road + targetSnap.offM), etaS: 0, via: 'route' };
    }
    candidate.etaS = Math.round(candidate.distanceM / unit.speedMps);
    out.push(candidate);
  }
  return out.sort((a, b) => a.etaS - b.etaS || a.distanceM - b.distanceM);
}

const round = (m: number) => Math.round(m);
