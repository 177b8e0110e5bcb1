// A track's threat level and its reasons (the threat judge). Each fact about where the drone is sets a floor
// under the level: its perception circle (the circle's alarm severity), the CAAC inspection area (2), a
// penetrated obstacle limitation surface (4, or 3 when that runway is closed), an approach or take-off path (3
// when that path is flown now, else 2), being named by a permit it flies outside of (2). Then: no Remote ID adds
// a level, an unclassified target is a level lower than a drone, and a flight inside its permit is no threat
// unless it rises through a surface of a runway in use. A bird is never a threat. Deterministic: the same track,
// permits and runways give the same assessment.
import type { DroneTrack, Permit, SuggestedAction, ThreatAssessment, ThreatLevel, ThreatReason, ThreatReasonCode } from '../../../shared/drones.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { PermitLookup, RunwayLookup, ThreatJudge, UnjudgedTrack } from './drone-ports.ts';
import { RunwayPaths, type PathCandidate } from './path-geometry.ts';
import { insideArea } from './permit-geometry.ts';
import { RunwayUseReader, type RunwayUseVerdict } from './runway-use.ts';

/** Reasons of equal weight are listed in this order: what decides the level first, modifiers after. */
const CODE_ORDER: ThreatReasonCode[] = [
  'bird', 'permit-inside', 'penetration', 'path', 'runway-in-use', 'runway-closed', 'circle', 'inspection-area', 'permit-outside', 'no-remote-id', 'swarm',
];

export type PermitMiss = 'area' | 'ceiling' | 'time';

/** Why a drone is outside a permit that names it, in the order an operator checks them; empty: inside. */
export function permitMisses(permit: Permit, position: DroneTrack['position'], at: number, aerodromeElevationM: number): PermitMiss[] {
  const misses: PermitMiss[] = [];
  if (!insideArea(permit.area, position.lon, position.lat)) misses.push('area');
  if (position.altM - aerodromeElevationM > permit.ceilingM) misses.push('ceiling');
  if (at < permit.validFrom || at >= permit.validTo) misses.push('time');
  return misses;
}

/** What the console suggests for a level, in the order the response panel offers it. */
export function suggestedFor(level: ThreatLevel, opts: { identified: boolean; pilotKnown: boolean }): SuggestedAction[] {
  const pilot: SuggestedAction[] = opts.pilotKnown ? ['dispatch-to-pilot'] : [];
  switch (level) {
    case 0: return [];
    case 1: return ['monitor'];
    case 2: return [...(opts.identified ? (['check-permit'] as const) : []), 'point-camera', 'monitor'];
    case 3: return ['notify-atc', 'notify-clearance-office', ...pilot, 'point-camera'];
    case 4: return ['notify-atc', 'consider-runway-suspension', 'notify-clearance-office', ...pilot, 'point-camera'];
  }
}

const VERDICT_RANK: Record<RunwayUseVerdict, number> = { 'in-use': 2, unknown: 1, closed: 0 };

export class ThreatAssessor implements ThreatJudge {
  private readonly paths: RunwayPaths;
  private readonly use: RunwayUseReader;

  constructor(private readonly deps: { site: SiteModel; permits: PermitLookup; runways: RunwayLookup }) {
    this.paths = new RunwayPaths(deps.site);
    this.use = new RunwayUseReader(deps.site.pack);
  }

  assess(track: UnjudgedTrack, at: number): ThreatAssessment {
    const { site } = this.deps;
    const { lon, lat, altM } = track.position;
    const circle = site.innermostCircle(lon, lat);
    const clearance = site.clearance.classify(lon, lat, altM);
    const lowest = clearance.lowestSurface;
    const facts = {
      circleId: circle?.id ?? null,
      circleRing: circle?.ring ?? null,
      inInspectionArea: clearance.zones.some((z) => z.surface === 'uav-inspection-area'),
      lowestSurface: lowest ? { surface: lowest.surface, runway: lowest.runway ?? null, heightM: lowest.heightM } : null,
      penetrationM: clearance.penetrationM,
      clearanceM: clearance.clearanceM,
    };
    if (track.classification === 'bird') {
      return { ...facts, level: 0, reasons: [{ code: 'bird' }], path: null, runwayInUse: null, permitId: null, suggested: [] };
    }

    const runways = this.deps.runways.state();
    const weighed: Array<{ reason: ThreatReason; weight: number }> = [];
    let level = 0;
    const raise = (reason: ThreatReason, weight: number) => {
      weighed.push({ reason, weight });
      level = Math.max(level, weight);
    };

    if (circle) raise({ code: 'circle', circleId: circle.id, ring: circle.ring, name: circle.name }, circle.alarmSeverity);
    if (facts.inInspectionArea) raise({ code: 'inspection-area' }, 2);

    // The runway it threatens: the one whose surface it penetrates, else the one whose path it is on.
    let threatened: { runway: string; verdict: RunwayUseVerdict; weight: number } | null = null;
    let penetratesRunwayInUse = false;
    if (facts.penetrationM > 0 && facts.lowestSurface) {
      const { surface, runway } = facts.lowestSurface;
      const runwayId = this.use.runwayOf(runway);
      const verdict = runwayId ? this.use.runway(runways, runwayId) : 'unknown';
      const weight = verdict === 'closed' ? 3 : 4;
      raise({ code: 'penetration', surface, runway, penetrationM: facts.penetrationM }, weight);
      if (runway && runwayId) {
        threatened = { runway, verdict, weight };
        // Unknown use counts as in use: without a feed the console cannot say the runway is quiet.
        penetratesRunwayInUse = verdict !== 'closed';
      }
    }

    const path = this.nearestPath(lon, lat, runways);
    if (path) {
      const weight = path.verdict === 'closed' ? 2 : 3;
      raise({ code: 'path', kind: path.kind, runway: path.runway, lateralM: path.lateralM, alongM: path.alongM }, weight);
      threatened ??= { runway: path.runway, verdict: path.verdict, weight };
    }

    const runwayInUse = threatened && threatened.verdict !== 'unknown' ? threatened.verdict === 'in-use' : null;
    if (threatened && runwayInUse !== null) {
      weighed.push({ reason: { code: runwayInUse ? 'runway-in-use' : 'runway-closed', runway: threatened.runway }, weight: threatened.weight });
    }

    let permitId: string | null = null;
    if (track.identity) {
      const named = this.deps.permits.naming(track.identity, at)
        .map((permit) => ({ permit, misses: permitMisses(permit, track.position, at, site.pack.aerodrome.elevationM) }));
      const inside = named.find((n) => n.misses.length === 0);
      if (inside) {
        permitId = inside.permit.id;
        // A permitted flight raises nothing, unless it rises through a surface of a runway in use.
        if (!penetratesRunwayInUse) {
          return {
            ...facts, level: 0, reasons: [{ code: 'permit-inside', permitId }], path: pathOf(path), runwayInUse, permitId, suggested: [],
          };
        }
        weighed.push({ reason: { code: 'permit-inside', permitId }, weight: 0 });
      } else if (named.length) {
        // The permit it comes closest to fitting (fewest misses) is the one it is said to fly outside of.
        const closest = named.reduce((best, n) => (n.misses.length < best.misses.length ? n : best));
        permitId = closest.permit.id;
        raise({ code: 'permit-outside', permitId, why: closest.misses[0] }, 2);
      }
    }

    if (!track.identity && (track.classification === 'drone' || track.classification === 'unknown')) {
      weighed.push({ reason: { code: 'no-remote-id' }, weight: 1 });
      if (level > 0) level = Math.min(4, level + 1);
    }
    if (track.classification === 'unknown' && level > 0) level = Math.max(1, level - 1);

    const reasons = weighed
      .map((w, i) => ({ ...w, i }))
      .sort((a, b) => b.weight - a.weight || CODE_ORDER.indexOf(a.reason.code) - CODE_ORDER.indexOf(b.reason.code) || a.i - b.i)
      .map((w) => w.reason);
    const final = level as ThreatLevel;
    return {
      ...facts, level: final, reasons, path: pathOf(path), runwayInUse, permitId,
      suggested: suggestedFor(final, { identified: track.identity !== null, pilotKnown: track.pilot !== null }),
    };
  }

  /**
   * The path that matters most: one flown now before one of unknown use before a quiet one; then the closest;
   * then an approach before a take-off (the approach to one end and the climb-out from the other share a line).
   */
  private nearestPath(lon: number, lat: number, runways: ReturnType<RunwayLookup['state']>) {
    const candidates = this.paths.pathsAt(lon, lat).map((c) => ({ ...c, verdict: this.use.path(runways, c.kind, c.runway) }));
    const better = (a: PathCandidate & { verdict: RunwayUseVerdict }, b: PathCandidate & { verdict: RunwayUseVerdict }) =>
      VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] || b.lateralM - a.lateralM || (a.kind === b.kind ? 0 : a.kind === 'approach' ? 1 : -1);
    return candidates.reduce<(typeof candidates)[number] | null>((best, c) => (!best || better(c, best) > 0 ? c : best), null);
  }
}

const pathOf = (p: PathCandidate | null): ThreatAssessment['path'] =>
  p ? { kind: p.kind, runway: p.runway, lateralM: p.lateralM, alongM: p.alongM } : null;
