// Where a point lies against the approach and take-off paths of an airport's runways: for every runway end, the
// path of aircraft landing on it (the extended centreline out from its threshold) and of aircraft taking off
// from it (the extended centreline out beyond the far end, where they climb out). A point is on a path inside
// the footprint of that path's OLS (approach sections / take-off climb) or within a corridor either side of its
// extended centreline near the runway. Runway coordinates are taken in the site's local metric frame.
import type { Runway } from '../../../shared/site.ts';
import type { ClearanceSurfaceName } from '../../../shared/clearance.ts';
import type { XY } from '../geo/local-frame.ts';
import { dot, leftNormal, length, scale, sub, unit } from '../geo/planar.ts';
import type { SiteModel } from '../site/site-model.ts';

/** Half-width of the corridor about an extended centreline that counts as "on the path". */
export const PATH_CORRIDOR_M = 300;
/** How far out from the threshold (approach) or runway end (take-off) the corridor reaches. */
export const PATH_CORRIDOR_LENGTH_M = 6000;

const APPROACH_SURFACES: ReadonlySet<ClearanceSurfaceName> = new Set(['approach', 'approach-section-2', 'approach-horizontal']);

export interface PathCandidate {
  kind: 'approach' | 'take-off';
  /** The end landed on (approach) or taken off from (take-off). */
  runway: string;
  /** The site runway the end belongs to, e.g. '02L/20R'. */
  runwayId: string;
  /** Distance from the extended centreline, metres. */
  lateralM: number;
  /** Distance out along the extended centreline from the threshold (approach) or the departure end (take-off). */
  alongM: number;
}

interface PathLine {
  kind: 'approach' | 'take-off';
  runway: string;
  runwayId: string;
  /** Where along-distance 0 is, and the outward direction. */
  origin: XY;
  outward: XY;
  /** The OLS whose footprint also counts as the path. */
  contains: Array<(p: XY) => boolean>;
}

export class RunwayPaths {
  private readonly lines: PathLine[] = [];

  constructor(private readonly site: SiteModel) {
    for (const runway of site.pack.runways) this.addRunway(runway);
  }

  /** Every path the point is on or near, in runway-end order (approach before take-off for each end). */
  pathsAt(lon: number, lat: number): PathCandidate[] {
    const p = this.site.frame.toLocal([lon, lat]);
    const out: PathCandidate[] = [];
    for (const line of this.lines) {
      const d = sub(p, line.origin);
      const alongM = dot(d, line.outward);
      const lateralM = Math.abs(dot(d, leftNormal(line.outward)));
      const inCorridor = alongM >= 0 && alongM <= PATH_CORRIDOR_LENGTH_M && lateralM <= PATH_CORRIDOR_M;
      if (inCorridor || line.contains.some((c) => c(p))) {
        out.push({ kind: line.kind, runway: line.runway, runwayId: line.runwayId, lateralM: round1(lateralM), alongM: round1(alongM) });
      }
    }
    return out;
  }

  private addRunway(runway: Runway): void {
    const frame = this.site.frame;
    const ends = runway.ends.map((e) => frame.toLocal(e.position));
    const axis = sub(ends[1], ends[0]);
    const lengthM = length(axis);
    const towards1 = unit(axis);
    for (const i of [0, 1] as const) {
      const end = runway.ends[i];
      const far = ends[i === 0 ? 1 : 0];
      // Outward from end i is away from the runway; landings on end i come in from there.
      const outwardFromEnd = i === 0 ? scale(towards1, -1) : towards1;
      const threshold = sub(ends[i], scale(outwardFromEnd, Math.min(end.displacedThresholdM, lengthM)));
      const surfacesOf = (match: (name: ClearanceSurfaceName) => boolean) =>
        this.site.clearance.surfaces.filter((s) => s.runway === end.designator && match(s.surface)).map((s) => (p: XY) => s.contains(p));
      this.lines.push({
        kind: 'approach', runway: end.designator, runwayId: runway.id, origin: threshold, outward: outwardFromEnd,
        contains: surfacesOf((n) => APPROACH_SURFACES.has(n)),
      });
      // Take-offs from end i roll towards the far end and climb out beyond it.
      this.lines.push({
        kind: 'take-off', runway: end.designator, runwayId: runway.id, origin: far, outward: scale(outwardFromEnd, -1),
        contains: surfacesOf((n) => n === 'take-off-climb'),
      });
    }
  }
}

const round1 = (v: number) => Math.round(v * 10) / 10;
