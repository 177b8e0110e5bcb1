// A loaded airport: the validated site pack with what is computed from it once (the clearance model,
// the patrol grid) and the questions the rest of the core asks of it (which circle is a point in).
import type { CircleRing, GridCell, PerceptionCircle, SitePack } from '../../../shared/site.ts';
import { ClearanceModel } from '../clearance/clearance-model.ts';
import { clearanceFeatures } from '../clearance/clearance-export.ts';
import type { ClearanceFeature } from '../../../shared/clearance.ts';
import { geodesicInverse, type LocalFrame, type XY } from '../geo/local-frame.ts';
import { pointInPolygon } from '../geo/planar.ts';
import { buildPatrolGrid, type PatrolGrid } from './patrol-grid.ts';

const RING_DEPTH: Record<CircleRing, number> = { remote: 0, outer: 1, inner: 2, core: 3 };

export class SiteModel {
  readonly clearance: ClearanceModel;
  readonly frame: LocalFrame;
  readonly grid: PatrolGrid;
  private features?: ClearanceFeature[];
  /** Polygon circles in the local frame, converted once: circlesAt is on every position's path. */
  private readonly localRings = new Map<string, XY[][]>();

  constructor(readonly pack: SitePack) {
    this.clearance = new ClearanceModel(pack);
    this.frame = this.clearance.frame;
    this.grid = buildPatrolGrid(pack, this.frame);
    for (const c of pack.perceptionCircles) {
      if (c.geometry.type === 'Polygon') this.localRings.set(c.id, c.geometry.coordinates.map((r) => r.map((p) => this.frame.toLocal(p))));
    }
  }

  /** Clearance surfaces as GeoJSON features, computed on first use. */
  clearanceFeatures(): ClearanceFeature[] {
    this.features ??= clearanceFeatures(this.clearance);
    return this.features;
  }

  /** The perception circles containing a point, innermost last. */
  circlesAt(lon: number, lat: number): PerceptionCircle[] {
    const local = this.frame.toLocal([lon, lat]);
    return this.pack.perceptionCircles
      .filter((c) =>
        c.geometry.type === 'Circle'
          ? geodesicInverse(c.geometry.center, [lon, lat]).distanceM <= c.geometry.radiusM
          : pointInPolygon(local, this.localRings.get(c.id) ?? []),
      )
      .sort((a, b) => RING_DEPTH[a.ring] - RING_DEPTH[b.ring]);
  }

  /** The innermost perception circle containing a point, or null outside them all. */
  innermostCircle(lon: number, lat: number): PerceptionCircle | null {
    return this.circlesAt(lon, lat).at(-1) ?? null;
  }

  gridCellAt(lon: number, lat: number): GridCell | null {
    return this.grid.cellAt(this.frame.toLocal([lon, lat]));
  }
}
