// The alarms of drone tracks: one `drone-threat` alarm per drone (key: its serial, else its track), one
// `drone-swarm` alarm per swarm (key drone-swarm:<swarmId>), and none of its own for a swarm member while it flies
// in the swarm. Flood control: an open alarm is written again at once only when something an operator acts on
// changed — the level rose, a new reason appeared, the permit status changed, the penetration grew by
// PENETRATION_STEP_M over its worst, a swarm reached a new peak — and otherwise (it moved, a reason went away,
// the level fell) at most every REFRESH_MS. Severity and `maxLevel` keep the worst. After an operator closes it,
// the same track raises again within QUIET_AFTER_CLOSE_MS only when it gets worse. All the alarms of one batch
// are written in one transaction.
import { CIRCLE_RINGS } from '../../../shared/site.ts';
import type { Alarm, AlarmDetails, GeoPoint, Severity } from '../../../shared/domain.ts';
import type { DroneTrack, ThreatLevel, ThreatReason } from '../../../shared/drones.ts';
import { SYSTEM, type AlarmService, type MergeAlarm, type RaiseAlarm } from '../alarms/alarm-service.ts';
import type { Clock } from '../clock.ts';
import { QUIET_AFTER_CLOSE_MS } from '../tracks/track-alarms.ts';
import type { DroneAlarmPolicy } from './drone-ports.ts';
import { SwarmTracker, type Swarm } from './swarm.ts';

/** A penetration must grow by this much over its worst to be written at once: a drone's height wobbles. */
export const PENETRATION_STEP_M = 5;
/** How often an open alarm follows a track that changed nothing an operator acts on (it moved). */
export const REFRESH_MS = 30_000;

/**
 * A new track raises its first alarm only once it has been seen for this long (on the sensors' time): by then
 * every sensor that sees it has been fused into it (the Remote ID that names its permit often arrives a poll
 * after the radar's first fix), and a one-off false detection raises nothing.
 */
export const CONFIRM_MS = 2_000;

export const threatKey = (trackId: string) => `drone-threat:${trackId}`;
/**
 * A drone's alarm key: its broadcast serial (or registration) when it has one, so that the same drone seen again
 * after its track was dropped (it landed, went out of range, came back) updates its open alarm rather than
 * raising another; else its track.
 */
export const droneAlarmKey = (track: Pick<DroneTrack, 'id' | 'identity'>) => {
  const id = track.identity?.serial ?? track.identity?.registrationId;
  return id ? `drone-threat:id:${id}` : threatKey(track.id);
};
export const swarmKey = (swarmId: string) => `drone-swarm:${swarmId}`;

type ThreatAlarm = Extract<Alarm, { type: 'drone-threat' }>;
type SwarmAlarm = Extract<Alarm, { type: 'drone-swarm' }>;
type ThreatDetails = AlarmDetails<'drone-threat'>;
type SwarmDetails = AlarmDetails<'drone-swarm'>;

const severityOf = (level: ThreatLevel): Severity => Math.max(1, level) as Severity;
const codes = (reasons: readonly ThreatReason[]) => new Set(reasons.map((r) => r.code));
const permitStatus = (d: { permitId: string | null; reasons: readonly ThreatReason[] }) => {
  const r = d.reasons.find((x) => x.code === 'permit-inside' || x.code === 'permit-outside');
  return `${d.permitId}|${r ? (r.code === 'permit-outside' ? `outside:${r.why}` : 'inside') : 'none'}`;
};

export class DroneAlarms implements DroneAlarmPolicy {
  private readonly swarms = new SwarmTracker();
  /** Tracks this console raised a threat alarm for: a fall to level 0 is written to their open alarm. */
  private raised = new Set<string>();

  constructor(private readonly deps: { alarms: AlarmService; clock: Clock }) {}

  async apply(picture: readonly DroneTrack[], changed: ReadonlySet<string>): Promise<Map<string, string>> {
    const { alarms } = this.deps;
    const proposal = await this.swarms.propose(picture, async (id) => (await alarms.openByKeys([swarmKey(id)])).size > 0);
    const swarmOf = new Map<string, string>();
    for (const s of proposal.swarms) for (const m of s.members) swarmOf.set(m.id, s.id);

    const inputs: RaiseAlarm[] = [];
    for (const s of proposal.swarms) {
      const input = this.swarmInput(s);
      if (input) inputs.push(input);
    }
    const byId = new Map(picture.map((t) => [t.id, t]));
    const fallen: DroneTrack[] = [];
    for (const id of changed) {
      const track = byId.get(id);
      if (!track || swarmOf.has(id)) continue;
      if (track.threat.level >= 1) {
        if (this.raised.has(id) || track.lastSeen - track.firstSeen >= CONFIRM_MS) inputs.push(this.threatInput(track));
      } else if (this.raised.has(id)) fallen.push(track);
    }
    // A track no longer a threat updates its open alarm (so the card says why), but never raises one.
    if (fallen.length) {
      const open = await alarms.openByKeys(fallen.map(droneAlarmKey));
      for (const t of fallen) if (open.has(droneAlarmKey(t))) inputs.push(this.threatInput(t));
    }

    await alarms.report(inputs, SYSTEM, this.merge, { quietAfterCloseMs: QUIET_AFTER_CLOSE_MS });
    proposal.commit();
    for (const i of inputs) if (i.type === 'drone-threat') this.raised.add(i.details.trackId);
    // Forget tracks that left the picture: the set stays as large as the picture at most.
    if (this.raised.size > byId.size) this.raised = new Set([...this.raised].filter((id) => byId.has(id)));
    return swarmOf;
  }

  private threatInput(track: DroneTrack): RaiseAlarm<'drone-threat'> {
    const t = track.threat;
    const runway = t.reasons.find((r) => r.code === 'penetration')?.runway ?? t.path?.runway ?? null;
    return {
      source: track.drill ? 'drill' : 'drone', type: 'drone-threat', severity: severityOf(t.level), drill: track.drill,
      position: { ...track.position }, key: droneAlarmKey(track),
      details: {
        trackId: track.id, label: track.label, classification: track.classification, identity: track.identity, pilot: track.pilot,
        level: t.level, maxLevel: t.level, reasons: t.reasons,
        surface: t.lowestSurface?.surface ?? null, runway, penetrationM: t.penetrationM, maxPenetrationM: t.penetrationM,
        altM: track.position.altM, runwayInUse: t.runwayInUse, permitId: t.permitId, suggested: t.suggested,
      },
    };
  }

  /**
   * The swarm's alarm: its worst member's level and suggestions, each reason code at its worst, and how many
   * members have no Remote ID. Null when no member is a threat.
   */
  private swarmInput(s: Swarm): RaiseAlarm<'drone-swarm'> | null {
    const members = [...s.members].sort((a, b) => b.threat.level - a.threat.level || a.id.localeCompare(b.id));
    const worst = members[0];
    if (!worst || worst.threat.level < 1) return null;
    const reasons = new Map<ThreatReason['code'], ThreatReason>();
    for (const m of members) {
      for (const r of m.threat.reasons) {
        const had = reasons.get(r.code);
        if (!had || worse(r, had)) reasons.set(r.code, r);
      }
    }
    // One member's "no Remote ID" would read as if the whole swarm had none: say how many have none.
    const unidentified = s.members.filter((m) => m.identity === null).length;
    if (unidentified) reasons.set('no-remote-id', { code: 'no-remote-id', count: unidentified });
    const n = s.members.length;
    const centroid: GeoPoint = {
      lon: s.members.reduce((a, m) => a + m.position.lon, 0) / n,
      lat: s.members.reduce((a, m) => a + m.position.lat, 0) / n,
      altM: s.members.reduce((a, m) => a + m.position.altM, 0) / n,
    };
    const level = worst.threat.level;
    return {
      source: s.drill ? 'drill' : 'drone', type: 'drone-swarm', severity: severityOf(level), drill: s.drill,
      position: centroid, key: swarmKey(s.id),
      details: {
        swarmId: s.id, trackIds: s.members.map((m) => m.id).sort(), count: n, peak: n, centroid,
        level, maxLevel: level, reasons: [{ code: 'swarm', swarmId: s.id, count: n }, ...reasons.values()], suggested: worst.threat.suggested,
      },
    };
  }

  private readonly merge: MergeAlarm = (open, next) => {
    if (open.type === 'drone-threat' && next.type === 'drone-threat') return this.mergeThreat(open, next);
    if (open.type === 'drone-swarm' && next.type === 'drone-swarm') return this.mergeSwarm(open, next);
    return next;
  };

  private mergeThreat(open: ThreatAlarm, next: RaiseAlarm<'drone-threat'>): RaiseAlarm | null {
    const o = open.details;
    const n = next.details;
    if (open.state === 'closed') {
      const worseNow = n.level > o.maxLevel || (n.penetrationM > 0 && n.penetrationM >= o.maxPenetrationM + PENETRATION_STEP_M);
      return worseNow ? next : null;
    }
    const details: ThreatDetails = { ...n, maxLevel: Math.max(o.maxLevel, n.level) as ThreatLevel, maxPenetrationM: Math.max(o.maxPenetrationM, n.penetrationM) };
    const before = codes(o.reasons);
    const urgent =
      n.level > o.level ||
      n.reasons.some((r) => !before.has(r.code)) ||
      permitStatus(n) !== permitStatus(o) ||
      (n.penetrationM > 0 && n.penetrationM >= o.maxPenetrationM + PENETRATION_STEP_M);
    if (urgent) return { ...next, details };
    return this.refreshDue(open, next, details) ? { ...next, details } : null;
  }

  private mergeSwarm(open: SwarmAlarm, next: RaiseAlarm<'drone-swarm'>): RaiseAlarm | null {
    const o = open.details;
    const n = next.details;
    if (open.state === 'closed') return n.level > o.maxLevel || n.count > o.peak ? next : null;
    const details: SwarmDetails = { ...n, peak: Math.max(o.peak, n.count), maxLevel: Math.max(o.maxLevel, n.level) as ThreatLevel };
    const before = codes(o.reasons);
    const urgent = n.level > o.level || n.count > o.peak || n.reasons.some((r) => !before.has(r.code));
    if (urgent) return { ...next, details };
    return this.refreshDue(open, next, details) ? { ...next, details } : null;
  }

  /** Something changed, and the alarm was last written long enough ago to follow it now. */
  private refreshDue(open: Alarm, next: RaiseAlarm, details: object): boolean {
    if (this.deps.clock.now() - open.updatedAt < REFRESH_MS) return false;
    return JSON.stringify(details) !== JSON.stringify(open.details) || !samePlace(next.position, open.position);
  }
}

const samePlace = (a: GeoPoint | null, b: GeoPoint | null) =>
  a === b || (!!a && !!b && a.lon === b.lon && a.lat === b.lat && (a.altM ?? null) === (b.altM ?? null));

/** Of two reasons with one code, whether `a` is the worse instance. */
function worse(a: ThreatReason, b: ThreatReason): boolean {
  if (a.code === 'penetration' && b.code === 'penetration') return a.penetrationM > b.penetrationM;
  if (a.code === 'path' && b.code === 'path') return a.lateralM < b.lateralM;
  if (a.code === 'circle' && b.code === 'circle') return CIRCLE_RINGS.indexOf(a.ring) > CIRCLE_RINGS.indexOf(b.ring);
  return false;
}
