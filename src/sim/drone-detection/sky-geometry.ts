// The airport as the simulated sky needs it: a local metric frame about the aerodrome reference point (the same
// WGS84 frame the console's clearance model uses, so that a scenario placed "1.5 km out on the centreline" is
// where the console computes it), the runway ends with their thresholds and landing directions, and the height
// of an approach surface, from the same Annex 14 tables the console uses.
import type { SitePack } from '../../shared/site.ts';
import { approachTable } from '../../main/core/clearance/annex14-tables.ts';
import { LocalFrame, type XY } from '../../main/core/geo/local-frame.ts';

export interface LandingEnd {
  designator: string;
  runwayId: string;
  /** The (possibly displaced) threshold, local metres. */
  threshold: XY;
  /** Unit vector of an aircraft landing on this end: from the threshold into the runway. */
  inbound: XY;
  /** Unit vector to the left of an aircraft landing on this end. */
  left: XY;
  elevationM: number;
}

type EndWithSurface = LandingEnd & { approachHeight: (distanceBeforeThresholdM: number) => number | null };

export class SkyGeometry {
  readonly frame: LocalFrame;
  readonly elevationM: number;
  private readonly ends = new Map<string, EndWithSurface>();

  constructor(readonly site: SitePack) {
    this.frame = new LocalFrame(site.aerodrome.referencePoint);
    this.elevationM = site.aerodrome.elevationM;
    for (const runway of site.runways) {
      const [a, b] = runway.ends.map((e) => this.frame.toLocal(e.position));
      runway.ends.forEach((end, i) => {
        const [here, there] = i === 0 ? [a, b] : [b, a];
        const len = Math.hypot(there.x - here.x, there.y - here.y);
        const inbound = { x: (there.x - here.x) / len, y: (there.y - here.y) / len };
        const threshold = { x: here.x + inbound.x * end.displacedThresholdM, y: here.y + inbound.y * end.displacedThresholdM };
        const table = approachTable(end.approach, runway.codeNumber).approach;
        // Annex 14: the inner edge lies fromThresholdM before the threshold at its elevation; sections rise from there.
        const approachHeight = (d: number): number | null => {
          let s = d - table.fromThresholdM;
          if (s < 0) return null;
          let rise = 0;
          for (const sec of table.sections) {
            const run = Math.min(s, sec.lengthM);
            rise += run * sec.slope;
            s -= run;
            if (s <= 0) return end.elevationM + rise;
          }
          return table.totalLengthM !== undefined && d - table.fromThresholdM <= table.totalLengthM ? end.elevationM + rise : null;
        };
        this.ends.set(end.designator, {
          designator: end.designator, runwayId: runway.id, threshold, inbound, left: { x: -inbound.y, y: inbound.x }, elevationM: end.elevationM, approachHeight,
        });
      });
    }
  }

  end(designator: string): EndWithSurface {
    const e = this.ends.get(designator);
    if (!e) throw new Error(`the site ${this.site.id} has no runway end ${designator}`);
    return e;
  }

  /** The runway ends of the site, in site order. */
  designators(): string[] {
    return [...this.ends.keys()];
  }

  /**
   * A point on the approach side of a landing end: `outM` before the threshold on the extended centreline, `leftM`
   * to the left of an aircraft on that approach (negative: to its right).
   */
  onApproach(designator: string, outM: number, leftM = 0): XY {
    const e = this.end(designator);
    return { x: e.threshold.x - e.inbound.x * outM + e.left.x * leftM, y: e.threshold.y - e.inbound.y * outM + e.left.y * leftM };
  }

  /** The approach surface to a landing end, `outM` before its threshold on the centreline: metres above the aerodrome. */
  approachSurfaceAbove(designator: string, outM: number): number {
    const h = this.end(designator).approachHeight(outM);
    if (h === null) throw new Error(`no approach surface ${outM} m before the ${designator} threshold`);
    return h - this.elevationM;
  }

  /** Local metres to lon/lat. */
  toLonLat(p: XY): [number, number] {
    return this.frame.toLonLat(p);
  }

  toLocal(lonLat: readonly [number, number]): XY {
    return this.frame.toLocal(lonLat);
  }
}
