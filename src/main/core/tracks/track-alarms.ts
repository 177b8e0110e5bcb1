// What a target's movement means to the operator: which positions raise an alarm, how severe, and how an open
// alarm of that target follows it. One alarm per target and reason:
//  - touch-circle (触圈报警): raised when the target first enters a perception circle, deepened (and
//    re-announced when its severity rises) as it crosses inner rings; leaving and re-entering a ring it has
//    already crossed changes nothing;
//  - clearance-penetration (净空超高): raised when the target rises through the lowest obstacle limitation
//    surface above it, updated as the penetration grows.
// Classification decides what is an alarm at all: a bird raises none, an unclassified target a level lower.
// Closed alarms stay closed for the same facts for QUIET_AFTER_CLOSE_MS.
import { CIRCLE_RINGS, type PerceptionCircle } from '../../../shared/site.ts';
import type { Alarm, Severity, Track } from '../../../shared/domain.ts';
import type { MergeAlarm, RaiseAlarm } from '../alarms/alarm-service.ts';
import type { SiteModel } from '../site/site-model.ts';

/**
 * After an operator closes a target's alarm (误报, 属实 …), the same target and reason raise again within this
 * time only when it gets worse (a deeper ring, a penetration a step higher): else a drone still hovering over
 * the limit would reopen the alarm the operator has just ruled on, every second.
 */
export const QUIET_AFTER_CLOSE_MS = 15 * 60_000;

/** A penetration must grow by this much to update its alarm: the height of a drone wobbles by metres. */
const PENETRATION_STEP_M = 5;

export const touchKey = (trackKey: string) => `touch-circle:${trackKey}`;
export const penetrationKey = (trackKey: string) => `clearance-penetration:${trackKey}`;

const ringDepth = (ring: string) => CIRCLE_RINGS.indexOf(ring as (typeof CIRCLE_RINGS)[number]);

/** The severity of a reason for this kind of target, or null when it is no alarm at all. */
export function severityFor(classification: Track['classification'], base: number): Severity | null {
  if (classification === 'bird') return null;
  if (classification === 'unknown') return Math.max(1, base - 1) as Severity;
  return Math.min(4, Math.max(1, base)) as Severity;
}

export class TrackAlarmRules {
  constructor(private readonly site: SiteModel) {}

  /** The alarms one new position raises or deepens. `circles` are the circles it is in now, outermost first. */
  evaluate(track: Track, circles: PerceptionCircle[], before: ReadonlySet<string>, drill: boolean): RaiseAlarm[] {
    const out: RaiseAlarm[] = [];
    const source = drill ? ('drill' as const) : ('perception' as const);
    const common = { trackId: track.trackId, sourceId: track.source, trackLabel: track.trackId, classification: track.classification ?? null };
    const entered = circles.filter((c) => !before.has(c.id));
    const touched = entered.at(-1);
    if (touched) {
      const severity = severityFor(track.classification, touched.alarmSeverity);
      if (severity) {
        out.push({
          source, type: 'touch-circle', severity, position: track.position, circleId: touched.id, drill, key: touchKey(track.id),
          details: { ...common, circleId: touched.id, circleName: touched.name, ring: touched.ring, path: circles.map((c) => c.id) },
        });
      }
    }
    const altM = track.position.altM;
    if (altM !== undefined) {
      const c = this.site.clearance.classify(track.position.lon, track.position.lat, altM);
      const severity = severityFor(track.classification, 4);
      if (c.penetrationM > 0 && c.lowestSurface && severity) {
        out.push({
          source: drill ? 'drill' : 'drone', type: 'clearance-penetration', severity, position: track.position, drill, key: penetrationKey(track.id),
          details: {
            ...common, surface: c.lowestSurface.surface, runway: c.lowestSurface.runway ?? null,
            penetrationM: c.penetrationM, maxPenetrationM: c.penetrationM, altM,
          },
        });
      }
    }
    return out;
  }

  /** How a new report of a target changes its open alarm (null: not enough to write). */
  readonly merge: MergeAlarm = (open: Alarm, next: RaiseAlarm) => {
    if (open.type === 'touch-circle' && next.type === 'touch-circle') {
      if (ringDepth(next.details.ring) <= ringDepth(open.details.ring)) return null;
      const path = [...new Set([...open.details.path, ...next.details.path])];
      return { ...next, details: { ...next.details, path } };
    }
    if (open.type === 'clearance-penetration' && next.type === 'clearance-penetration') {
      if (next.details.penetrationM < open.details.maxPenetrationM + PENETRATION_STEP_M) return null;
      return { ...next, details: { ...next.details, maxPenetrationM: next.details.penetrationM } };
    }
    return next;
  };
}
