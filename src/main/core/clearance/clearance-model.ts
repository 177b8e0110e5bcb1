// The clearance model of an airport, computed from its runways: the ICAO Annex 14 obstacle limitation
// surfaces (OLS), the CAAC UAV clearance inspection area and the clearance protection radius.
// Geometry is built in a local WGS84 frame about the aerodrome reference point (see geo/local-frame.ts).
// Each surface knows its footprint (for drawing and export) and its height at a point (for classification).
import type { ClearanceSurfaceName, PointClearance } from '../../../shared/clearance.ts';
import type { Runway, RunwayEnd, SitePack } from '../../../shared/site.ts';
import { LocalFrame, type XY } from '../geo/local-frame.ts';
import {
  add, circleRing, distanceToSegment, dot, leftNormal, length, pointInPolygon, pointInRing, racetrackRing, scale, sub, unionRings, unit,
} from '../geo/planar.ts';
import { approachTable, governingApproach, takeOffTable, type ApproachTable } from './annex14-tables.ts';

/** A vertex of a surface footprint: local metres and height in metres MSL. */
export interface XYZ extends XY {
  z: number;
}

export interface ClearanceSurface {
  surface: ClearanceSurfaceName;
  /** An obstacle limitation surface (a height limit) or an area (a footprint only). */
  kind: 'ols' | 'area';
  /** Runway end designator the surface belongs to, where it belongs to one. */
  runway?: string;
  /** Rise per metre run (0 for horizontal surfaces and areas). */
  slope: number;
  /** Polygons, each as rings (outer first, then holes). */
  polygons: XYZ[][][];
  /** Height (m MSL) of the surface above p, or null where p is outside it. Areas return null. */
  heightAt(p: XY): number | null;
  /** Whether p lies in the footprint (used for areas, whose height is not a limit). */
  contains(p: XY): boolean;
}

/** A runway in the local frame: origin at ends[0], `along` towards ends[1], `left` normal to it. */
interface RunwayAxis {
  runway: Runway;
  origin: XY;
  along: XY;
  left: XY;
  lengthM: number;
  table: ApproachTable;
}

const flat = (ring: XY[], z: number): XYZ[] => ring.map((p) => ({ ...p, z }));

export class ClearanceModel {
  readonly frame: LocalFrame;
  readonly surfaces: ClearanceSurface[] = [];
  private readonly elevationM: number;

  constructor(readonly site: SitePack) {
    this.frame = new LocalFrame(site.aerodrome.referencePoint);
    this.elevationM = site.aerodrome.elevationM;
    const axes = site.runways.map((r) => this.axisOf(r));
    this.buildHorizontalAndConical(axes);
    for (const axis of axes) {
      for (const i of [0, 1] as const) {
        this.buildApproach(axis, i);
        this.buildTakeOffClimb(axis, i);
      }
      for (const side of [1, -1] as const) this.buildTransitional(axis, side);
    }
    this.buildUavAreas(axes);
  }

  /** Which surfaces and areas contain a point, the lowest OLS above it and by how much the point penetrates it. */
  classify(lon: number, lat: number, altitudeM: number): PointClearance {
    const p = this.frame.toLocal([lon, lat]);
    let lowest: { heightM: number; surface: ClearanceSurfaceName; runway?: string } | null = null;
    const zones: PointClearance['zones'] = [];
    for (const s of this.surfaces) {
      const h = s.heightAt(p);
      if (h !== null) {
        zones.push({ surface: s.surface, runway: s.runway, heightM: round2(h) });
        if (!lowest || h < lowest.heightM) lowest = { heightM: h, surface: s.surface, runway: s.runway };
      } else if (s.kind === 'area' && s.contains(p)) {
        zones.push({ surface: s.surface, runway: s.runway });
      }
    }
    return {
      zones,
      lowestSurface: lowest ? { surface: lowest.surface, runway: lowest.runway, heightM: round2(lowest.heightM) } : null,
      clearanceM: lowest ? round2(lowest.heightM - altitudeM) : null,
      penetrationM: lowest ? round2(Math.max(0, altitudeM - lowest.heightM)) : 0,
    };
  }

  private axisOf(runway: Runway): RunwayAxis {
    const a = this.frame.toLocal(runway.ends[0].position);
    const b = this.frame.toLocal(runway.ends[1].position);
    const along = unit(sub(b, a));
    const table = governingApproach(
      approachTable(runway.ends[0].approach, runway.codeNumber),
      approachTable(runway.ends[1].approach, runway.codeNumber),
    );
    return { runway, origin: a, along, left: leftNormal(along), lengthM: length(sub(b, a)), table };
  }

  /** Local point from runway coordinates: t along from ends[0], l to the left. */
  private at(axis: RunwayAxis, t: number, l: number): XY {
    return add(axis.origin, add(scale(axis.along, t), scale(axis.left, l)));
  }

  private runwayCoords(axis: RunwayAxis, p: XY): { t: number; l: number } {
    const d = sub(p, axis.origin);
    return { t: dot(d, axis.along), l: dot(d, axis.left) };
  }

  /** Elevation of the runway centreline (or its extension) nearest to along-distance t. */
  private centrelineElevation(axis: RunwayAxis, t: number): number {
    const [e0, e1] = axis.runway.ends.map((e) => e.elevationM);
    const k = Math.max(0, Math.min(1, t / axis.lengthM));
    return e0 + (e1 - e0) * k;
  }

  private stripEnds(axis: RunwayAxis): [XY, XY] {
    const beyond = axis.table.strip.beyondEndM;
    return [this.at(axis, -beyond, 0), this.at(axis, axis.lengthM + beyond, 0)];
  }

  // Inner horizontal: circles about the strip ends joined by tangents, united over all runways (Annex 14
  // §4.2.1). Conical: from its periphery upward and outward at 5 % to the table height.
  private buildHorizontalAndConical(axes: RunwayAxis[]): void {
    const E = this.elevationM;
    const ihHeight = E + Math.max(...axes.map((a) => a.table.innerHorizontal.heightM));
    const innerRings = axes.map((a) => racetrackRing(...this.stripEnds(a), a.table.innerHorizontal.radiusM));
    const outerRings = axes.map((a) =>
      racetrackRing(...this.stripEnds(a), a.table.innerHorizontal.radiusM + a.table.conical.heightM / a.table.conical.slope),
    );
    const inner = unionRings(innerRings);
    const outer = unionRings(outerRings);
    const distance = (p: XY, a: RunwayAxis) => distanceToSegment(p, ...this.stripEnds(a));

    this.surfaces.push({
      surface: 'inner-horizontal',
      kind: 'ols',
      slope: 0,
      polygons: inner.map((poly) => poly.map((r) => flat(r, ihHeight))),
      heightAt: (p) => (axes.some((a) => distance(p, a) <= a.table.innerHorizontal.radiusM) ? ihHeight : null),
      contains: (p) => axes.some((a) => distance(p, a) <= a.table.innerHorizontal.radiusM),
    });

    const conicalTop = Math.max(...axes.map((a) => a.table.conical.heightM));
    const heightAt = (p: XY): number | null => {
      let best: number | null = null;
      for (const a of axes) {
        const d = distance(p, a) - a.table.innerHorizontal.radiusM;
        const maxRun = a.table.conical.heightM / a.table.conical.slope;
        if (d > 0 && d <= maxRun) {
          const h = ihHeight + a.table.conical.slope * d;
          if (best === null || h < best) best = h;
        }
      }
      // Where the racetracks of several runways overlap, a point inside any inner horizontal is not conical.
      return best !== null && axes.some((a) => distance(p, a) <= a.table.innerHorizontal.radiusM) ? null : best;
    };
    this.surfaces.push({
      surface: 'conical',
      kind: 'ols',
      slope: axes[0].table.conical.slope,
      // Each outer polygon is holed by the inner horizontal polygons it contains (runways far apart give several
      // polygons; a hole outside its own outer ring would be invalid GeoJSON).
      polygons: outer.map((poly) => [
        flat(poly[0], ihHeight + conicalTop),
        ...inner.filter((ip) => pointInRing(ip[0][0], poly[0])).map((ip) => flat(ip[0], ihHeight)),
      ]),
      heightAt,
      contains: (p) => heightAt(p) !== null,
    });
  }

  /**
   * Approach surface for landing on ends[i] (Annex 14 §4.1.5–4.1.9): the inner edge lies `fromThresholdM`
   * before the (possibly displaced) threshold at the threshold's elevation, the sides diverge, and the
   * sections rise at their slopes, then run horizontal to the total length.
   */
  private buildApproach(axis: RunwayAxis, i: 0 | 1): void {
    const end = axis.runway.ends[i];
    const table = approachTable(end.approach, axis.runway.codeNumber).approach;
    const { outward, edgeT } = this.approachFrame(axis, i, end, table.fromThresholdM);
    const base = end.elevationM;
    const halfWidth = (s: number) => table.innerEdgeM / 2 + table.divergence * s;
    const pieces: Array<{ from: number; to: number; slope: number }> = [];
    let s = 0;
    for (const sec of table.sections) {
      pieces.push({ from: s, to: s + sec.lengthM, slope: sec.slope });
      s += sec.lengthM;
    }
    if (table.totalLengthM !== undefined && table.totalLengthM > s) pieces.push({ from: s, to: table.totalLengthM, slope: 0 });

    let riseAtStart = 0;
    pieces.forEach((piece, k) => {
      const startRise = riseAtStart;
      const heightAtS = (sAlong: number) => base + startRise + piece.slope * (sAlong - piece.from);
      const corner = (sAlong: number, side: 1 | -1): XYZ => ({
        ...this.at(axis, edgeT + outward * sAlong, side * halfWidth(sAlong)),
        z: heightAtS(sAlong),
      });
      const ring = [corner(piece.from, 1), corner(piece.to, 1), corner(piece.to, -1), corner(piece.from, -1)];
      ring.push(ring[0]);
      const local = (p: XY) => {
        const { t, l } = this.runwayCoords(axis, p);
        return { sAlong: (t - edgeT) * outward, l };
      };
      this.surfaces.push({
        kind: 'ols',
        surface: piece.slope === 0 ? 'approach-horizontal' : k === 0 ? 'approach' : 'approach-section-2',
        runway: end.designator,
        slope: piece.slope,
        polygons: [[ring]],
        heightAt: (p) => {
          const { sAlong, l } = local(p);
          const inside = sAlong >= piece.from && sAlong <= piece.to && Math.abs(l) <= halfWidth(sAlong);
          return inside ? heightAtS(sAlong) : null;
        },
        contains: (p) => {
          const { sAlong, l } = local(p);
          return sAlong >= piece.from && sAlong <= piece.to && Math.abs(l) <= halfWidth(sAlong);
        },
      });
      riseAtStart += piece.slope * (piece.to - piece.from);
    });
  }

  /** The inner edge's along-runway position for an approach to ends[i], and which way is outward. */
  private approachFrame(axis: RunwayAxis, i: 0 | 1, end: RunwayEnd, fromThresholdM: number) {
    const outward = i === 0 ? -1 : 1;
    const endT = i === 0 ? 0 : axis.lengthM;
    const thresholdT = endT - outward * end.displacedThresholdM;
    return { outward, edgeT: thresholdT + outward * fromThresholdM };
  }

  /**
   * Take-off climb surface for take-off from ends[i] towards the far end (Annex 14 §4.1.25–4.1.28 and
   * Table 4-2): the inner edge lies "at a specified distance beyond the end of the runway or at the end of the
   * clearway when such is provided and its length exceeds the specified distance" (§4.1.25), that is
   * max(specified distance, clearway) beyond the far end (code 1: 30 m; code 2–4: 60 m); at that end's elevation.
   */
  private buildTakeOffClimb(axis: RunwayAxis, i: 0 | 1): void {
    const table = takeOffTable(axis.runway.codeNumber);
    const far = axis.runway.ends[i === 0 ? 1 : 0];
    const outward = i === 0 ? 1 : -1;
    const farT = i === 0 ? axis.lengthM : 0;
    const edgeT = farT + outward * Math.max(table.fromRunwayEndM, far.clearwayM);
    const base = far.elevationM;
    const halfWidth = (s: number) => Math.min(table.innerEdgeM / 2 + table.divergence * s, table.finalWidthM / 2);
    const sFinal = (table.finalWidthM - table.innerEdgeM) / 2 / table.divergence;
    const point = (s: number, side: 1 | -1): XYZ => ({
      ...this.at(axis, edgeT + outward * s, side * halfWidth(s)),
      z: base + table.slope * s,
    });
    const stations = sFinal < table.lengthM ? [0, sFinal, table.lengthM] : [0, table.lengthM];
    const ring = [...stations.map((s) => point(s, 1)), ...stations.reverse().map((s) => point(s, -1))];
    ring.push(ring[0]);
    const local = (p: XY) => {
      const { t, l } = this.runwayCoords(axis, p);
      return { s: (t - edgeT) * outward, l };
    };
    const inside = (p: XY) => {
      const { s, l } = local(p);
      return s >= 0 && s <= table.lengthM && Math.abs(l) <= halfWidth(s);
    };
    this.surfaces.push({
      surface: 'take-off-climb',
      kind: 'ols',
      runway: axis.runway.ends[i].designator,
      slope: table.slope,
      polygons: [[ring]],
      heightAt: (p) => (inside(p) ? base + table.slope * local(p).s : null),
      contains: inside,
    });
  }

  /**
   * Transitional surface on one side of a runway (Annex 14 §4.1.14–4.1.17): its lower edge runs along the
   * side of the strip (at the elevation of the nearest centreline point) and along the sides of both
   * approach surfaces up to where they reach the inner horizontal surface; it rises at right angles to the
   * centreline until it meets the inner horizontal surface.
   */
  private buildTransitional(axis: RunwayAxis, side: 1 | -1): void {
    const ihHeight = this.elevationM + axis.table.innerHorizontal.heightM;
    const slope = axis.table.transitionalSlope;
    const half = axis.table.strip.halfWidthM;
    const beyond = axis.table.strip.beyondEndM;
    const approaches = ([0, 1] as const).map((i) => {
      const end = axis.runway.ends[i];
      const table = approachTable(end.approach, axis.runway.codeNumber).approach;
      const { outward, edgeT } = this.approachFrame(axis, i, end, table.fromThresholdM);
      const firstSlope = table.sections[0].slope;
      // Along-distance where the approach surface reaches the inner horizontal surface.
      const sTop = Math.max(0, (ihHeight - end.elevationM) / firstSlope);
      // Where the approach side leaves the strip: 0 normally; further out when a displaced threshold puts the
      // inner edge inside the strip, so that the drawn lower edge does not double back over the strip.
      const stripEndT = i === 0 ? -beyond : axis.lengthM + beyond;
      const sLeaveStrip = Math.min(sTop, Math.max(0, (stripEndT - edgeT) * outward));
      return {
        outward, edgeT, sTop, sLeaveStrip,
        halfWidth: (s: number) => table.innerEdgeM / 2 + table.divergence * s,
        height: (s: number) => end.elevationM + firstSlope * s,
      };
    });

    // Lower edge as a chain of (t, l, z) from the top of approach 0, along the strip, to the top of approach 1.
    const lower: Array<{ t: number; l: number; z: number }> = [];
    const a0 = approaches[0];
    const a1 = approaches[1];
    lower.push({ t: a0.edgeT + a0.outward * a0.sTop, l: side * a0.halfWidth(a0.sTop), z: a0.height(a0.sTop) });
    lower.push({ t: a0.edgeT + a0.outward * a0.sLeaveStrip, l: side * a0.halfWidth(a0.sLeaveStrip), z: a0.height(a0.sLeaveStrip) });
    lower.push({ t: -beyond, l: side * half, z: this.centrelineElevation(axis, 0) });
    lower.push({ t: axis.lengthM + beyond, l: side * half, z: this.centrelineElevation(axis, axis.lengthM) });
    lower.push({ t: a1.edgeT + a1.outward * a1.sLeaveStrip, l: side * a1.halfWidth(a1.sLeaveStrip), z: a1.height(a1.sLeaveStrip) });
    lower.push({ t: a1.edgeT + a1.outward * a1.sTop, l: side * a1.halfWidth(a1.sTop), z: a1.height(a1.sTop) });
    const upper = lower.map((v) => ({ t: v.t, l: v.l + side * Math.max(0, (ihHeight - v.z) / slope), z: ihHeight }));
    const toXYZ = (v: { t: number; l: number; z: number }): XYZ => ({ ...this.at(axis, v.t, v.l), z: v.z });
    const ring = [...lower.map(toXYZ), ...upper.reverse().map(toXYZ)];
    ring.push(ring[0]);

    const heightAt = (p: XY): number | null => {
      const { t, l } = this.runwayCoords(axis, p);
      if (l * side <= 0) return null;
      const lateral = Math.abs(l);
      const candidates: number[] = [];
      if (t >= -beyond && t <= axis.lengthM + beyond && lateral > half) {
        candidates.push(this.centrelineElevation(axis, t) + slope * (lateral - half));
      }
      for (const a of approaches) {
        const s = (t - a.edgeT) * a.outward;
        if (s >= 0 && s <= a.sTop && lateral > a.halfWidth(s)) candidates.push(a.height(s) + slope * (lateral - a.halfWidth(s)));
      }
      const h = candidates.length ? Math.min(...candidates) : null;
      return h !== null && h <= ihHeight ? h : null;
    };
    this.surfaces.push({
      surface: 'transitional',
      kind: 'ols',
      runway: axis.runway.id,
      slope,
      polygons: [[ring]],
      heightAt,
      contains: (p) => heightAt(p) !== null,
    });
  }

  // CAAC UAV clearance inspection area (《运输机场净空保护管理办法》): runway centreline ± lateral distance
  // and a distance beyond each runway end, united over runways; and the protection radius about the ARP.
  private buildUavAreas(axes: RunwayAxis[]): void {
    const { uavInspectionLateralM: lat, uavInspectionBeyondEndM: beyond, protectionRadiusM } = this.site.clearance;
    const E = this.elevationM;
    const rects = axes.map((a) => {
      const r = [
        this.at(a, -beyond, -lat), this.at(a, a.lengthM + beyond, -lat),
        this.at(a, a.lengthM + beyond, lat), this.at(a, -beyond, lat),
      ];
      r.push(r[0]);
      return r;
    });
    const union = unionRings(rects);
    this.surfaces.push({
      surface: 'uav-inspection-area',
      kind: 'area',
      slope: 0,
      polygons: union.map((poly) => poly.map((r) => flat(r, E))),
      heightAt: () => null,
      contains: (p) => union.some((poly) => pointInPolygon(p, poly)),
    });
    const centre = { x: 0, y: 0 };
    this.surfaces.push({
      surface: 'protection-radius',
      kind: 'area',
      slope: 0,
      polygons: [[flat(circleRing(centre, protectionRadiusM, 180), E)]],
      heightAt: () => null,
      contains: (p) => length(p) <= protectionRadiusM,
    });
  }
}

const round2 = (v: number) => Math.round(v * 100) / 100;
