// A fast local plane for estimated arrivals: equirectangular about one origin, with the WGS84 ellipsoid's radii
// of curvature there. Within 10 km of the origin it is off by a few metres at most, which an estimate of
// arrival does not notice; it costs a multiplication where a geodesic (geo/local-frame.ts) costs microseconds,
// and a proposal ranks hundreds of units on every call.
import type { LonLat, XY } from '../geo/local-frame.ts';

const A = 6378137;
const E2 = 6.69437999014e-3;

export interface PointProjection {
  toLocal(p: LonLat): XY;
}

export class PlanarFrame implements PointProjection {
  private readonly mPerDegLon: number;
  private readonly mPerDegLat: number;

  constructor(private readonly origin: LonLat) {
    const phi = (origin[1] * Math.PI) / 180;
    const w = Math.sqrt(1 - E2 * Math.sin(phi) ** 2);
    const primeVertical = A / w;
    const meridional = (A * (1 - E2)) / w ** 3;
    this.mPerDegLon = (Math.PI / 180) * primeVertical * Math.cos(phi);
    this.mPerDegLat = (Math.PI / 180) * meridional;
  }

  toLocal(p: LonLat): XY {
    return { x: (p[0] - this.origin[0]) * this.mPerDegLon, y: (p[1] - this.origin[1]) * this.mPerDegLat };
  }
}
