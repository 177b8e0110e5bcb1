// A track's threat level and its reasons (the threat judge). Each fact about where the drone is sets a floor
// under the level; the highest floor is the level, then modifiers apply. Critical (4) is kept for what can meet
// an aircraft: the surfaces and paths of a runway flown now.
//   penetrates an approach or take-off climb surface whose direction is flown now (or of unknown use)   4
//   on that approach or take-off path within CRITICAL_PATH_M (2 km) of the threshold / runway end        4
//   on an approach or take-off path flown now (or of unknown use), further out                           3
//   penetrates any other surface: inner horizontal, conical, transitional, a surface not flown now        3
//   on the path of a closed runway, or of one used the other way                                         2
//   in the inner or core circle (the site's circle severity, at most 2); remote or outer circle          2 / 1
//   in the CAAC UAV clearance inspection area                                                            2
//   named by a permit it flies outside of                                                                2
// Modifiers: no Remote ID adds a level when a surface or path placed it, never up to 4; an unclassified target
// is a level lower than a drone (at least 1); on the ground or within LANDED_BELOW_M (5 m) of it, at most 1;
// a flight inside its permit is no threat unless it rises through a surface of a runway in use. A runway the
// drone response suspended counts as the feed says it is used (the drone is why it is suspended) and is named
// with `runway-suspended`. A bird is never a threat. Deterministic: the same track, permits and runways give
// the same assessment.
import type { ClearanceSurfaceName, PointClearance } from '../../../shared/clearance.ts';
import type { CircleRing } from '../../../shared/site.ts';
import type { DroneTrack, Permit, SuggestedAction, ThreatAssessment, ThreatLevel, ThreatReason, ThreatReasonCode } from '../../../shared/drones.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { PermitLookup, RunwayLookup, ThreatJudge, UnjudgedTrack } from './drone-ports.ts';
import { RunwayPaths, type PathCandidate } from './path-geometry.ts';
import { insideArea } from './permit-geometry.ts';
import { RunwayUseReader, type RunwayUseVerdict } from './runway-use.ts';

/** Reasons of equal weight are listed in this order: what decides the level first, modifiers after. */
const CODE_ORDER: ThreatReasonCode[] = [
  'bird', 'landed', 'permit-inside', 'penetration', 'path', 'circle', 'inspection-area', 'permit-outside', 'no-remote-id', 'swarm',
];

/** On an approach or take-off path flown now, this close to the threshold (or runway end) is critical. */
export const CRITICAL_PATH_M = 2000;
/** Below this height above ground a drone has landed (or not taken off): at most level 1. */
export const LANDED_BELOW_M = 5;
/** The most a perception circle alone raises a drone to: the circles are wide; surfaces and paths say more. */
const RING_CAP: Record<CircleRing, ThreatLevel> = { remote: 1, outer: 1, inner: 2, core: 2 };
/** Surfaces that belong to one direction of a runway: flown when that approach or take-off is. */
const DIRECTIONAL: ReadonlyMap<ClearanceSurfaceName, 'approach' | 'take-off'> = new Map([
  ['approach', 'approach'], ['approach-section-2', 'approach'], ['approach-horizontal', 'approach'], ['take-off-climb', 'take-off'],
]);

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

    if (circle) raise({ code: 'circle', circleId: circle.id, ring: circle.ring, name: circle.name }, Math.min(circle.alarmSeverity, RING_CAP[circle.ring]));
    if (facts.inInspectionArea) raise({ code: 'inspection-area' }, 2);

    // The runway it threatens: the one whose surface it penetrates, else the one whose path it is on.
    let threatened: { runway: string; runwayId: string; verdict: RunwayUseVerdict; reason: ThreatReason } | null = null;
    let penetratesRunwayInUse = false;
    let placed = false;
    if (facts.penetrationM > 0 && lowest) {
      // A flown surface it rises through decides, even when a surface of another direction lies lower.
      const flown = this.flownPenetration(clearance, altM, runways);
      const reason: ThreatReason = flown ?? { code: 'penetration', surface: lowest.surface, runway: lowest.runway ?? null, penetrationM: facts.penetrationM };
      raise(reason, flown ? 4 : 3);
      placed = true;
      const runwayId = reason.code === 'penetration' ? this.use.runwayOf(reason.runway) : null;
      if (reason.code === 'penetration' && reason.runway && runwayId) {
        const kind = DIRECTIONAL.get(reason.surface);
        const verdict = kind ? this.use.path(runways, kind, reason.runway) : this.use.runway(runways, runwayId);
        threatened = { runway: reason.runway, runwayId, verdict, reason };
        // Unknown use counts as in use: without a feed the console cannot say the runway is quiet.
        penetratesRunwayInUse = this.use.runway(runways, runwayId) !== 'closed';
      }
    }

    const path = this.nearestPath(lon, lat, runways);
    if (path) {
      const flown = path.verdict !== 'closed';
      const reason: ThreatReason = { code: 'path', kind: path.kind, runway: path.runway, lateralM: path.lateralM, alongM: path.alongM };
      raise(reason, !flown ? 2 : path.alongM <= CRITICAL_PATH_M ? 4 : 3);
      placed = true;
      threatened ??= { runway: path.runway, runwayId: path.runwayId, verdict: path.verdict, reason };
    }

    // Whether the threatened runway (that direction of it) is flown: said after the reason that names it.
    let runwayInUse: boolean | null = null;
    let runwayStatus: ThreatReason | null = null;
    if (threatened) {
      if (this.use.suspended(runways, threatened.runwayId)) {
        runwayInUse = false;
        runwayStatus = { code: 'runway-suspended', runway: threatened.runway };
      } else if (threatened.verdict !== 'unknown') {
        runwayInUse = threatened.verdict === 'in-use';
        runwayStatus = { code: runwayInUse ? 'runway-in-use' : 'runway-closed', runway: threatened.runway };
      }
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
      // Unidentified on a surface or path is worse; but critical stays for what a flown runway's geometry says.
      if (placed && level < 4) level = Math.min(3, level + 1);
    }
    if (track.classification === 'unknown' && level > 0) level = Math.max(1, level - 1);

    let landed: ThreatReason | null = null;
    if (track.heightAglM !== null && track.heightAglM < LANDED_BELOW_M && level > 0) {
      landed = { code: 'landed', heightAglM: Math.round(track.heightAglM * 10) / 10 };
      level = Math.min(level, 1);
    }

    const reasons = weighed
      .map((w, i) => ({ ...w, i }))
      .sort((a, b) => b.weight - a.weight || CODE_ORDER.indexOf(a.reason.code) - CODE_ORDER.indexOf(b.reason.code) || a.i - b.i)
      .map((w) => w.reason);
    if (runwayStatus && threatened) reasons.splice(reasons.indexOf(threatened.reason) + 1, 0, runwayStatus);
    // What capped the level comes first.
    if (landed) reasons.unshift(landed);
    const final = level as ThreatLevel;
    return {
      ...facts, level: final, reasons, path: pathOf(path), runwayInUse, permitId,
      suggested: suggestedFor(final, { identified: track.identity !== null, pilotKnown: track.pilot !== null }),
    };
  }

  /** The deepest penetration of an approach or take-off climb surface whose direction is flown now (or may be). */
  private flownPenetration(clearance: PointClearance, altM: number, runways: ReturnType<RunwayLookup['state']>): ThreatReason | null {
    let best: Extract<ThreatReason, { code: 'penetration' }> | null = null;
    for (const z of clearance.zones) {
      const kind = DIRECTIONAL.get(z.surface);
      if (!kind || !z.runway || z.heightM === undefined || altM <= z.heightM) continue;
      if (this.use.path(runways, kind, z.runway) === 'closed') continue;
      const isLowest = z.surface === clearance.lowestSurface?.surface && z.runway === clearance.lowestSurface.runway;
      const penetrationM = isLowest ? clearance.penetrationM : Math.round((altM - z.heightM) * 100) / 100;
      if (!best || penetrationM > best.penetrationM) best = { code: 'penetration', surface: z.surface, runway: z.runway, penetrationM };
    }
    return best;
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
