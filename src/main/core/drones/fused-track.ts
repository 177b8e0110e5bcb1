// One fused track as the fusion keeps it: the track the operator sees, plus what merging needs to remember
// (each sensor's latest classification, whether Remote ID ever spoke for it, the first sensor's id of it).
// Merging works on a copy (`cloneFused`) so that nothing in the picture moves before a batch is stored.
import {
  TRACK_AGING_AFTER_MS, TRACK_LOST_AFTER_MS,
  type DroneDetection, type DroneIdentity, type DroneTrack, type DroneTrackState, type ThreatAssessment,
} from '../../../shared/drones.ts';
import type { TrackClass } from '../../../shared/domain.ts';
import type { UnjudgedTrack } from './drone-ports.ts';

export interface FusedTrack {
  track: UnjudgedTrack;
  threat: ThreatAssessment;
  swarmId: string | null;
  /** The id the first sensor gave the object. */
  firstObjectId: string;
  /** Each sensor's latest word on what the object is. */
  classBySensor: Map<string, { classification: TrackClass | undefined; confidence: number | undefined }>;
  /** A Remote ID broadcast was heard for it: then it is a drone, whatever a radar says. */
  remoteId: boolean;
}

/** Nothing judged yet: what a new track carries until the threat judge has seen it. */
export const UNJUDGED: ThreatAssessment = {
  level: 0, reasons: [], circleId: null, circleRing: null, inInspectionArea: false, lowestSurface: null,
  penetrationM: 0, clearanceM: null, path: null, runwayInUse: null, permitId: null, suggested: [],
};

/** The state a track is in `ageMs` after it was last seen, or null once it is to be dropped. */
export function stateAfter(ageMs: number, droppedAfterMs: number): DroneTrackState | null {
  if (ageMs <= TRACK_AGING_AFTER_MS) return 'active';
  if (ageMs <= TRACK_LOST_AFTER_MS) return 'aging';
  if (ageMs <= droppedAfterMs) return 'lost';
  return null;
}

export function toDroneTrack(f: FusedTrack): DroneTrack {
  return { ...f.track, threat: f.threat, swarmId: f.swarmId };
}

/** A copy that merging may change without touching the original (which stays in the picture until commit). */
export function cloneFused(f: FusedTrack): FusedTrack {
  return {
    ...f,
    track: { ...f.track, contacts: f.track.contacts.map((c) => ({ ...c })), identity: f.track.identity && { ...f.track.identity } },
    classBySensor: new Map(f.classBySensor),
  };
}

export function newFused(id: string, first: DroneDetection, now: number): FusedTrack {
  return {
    track: {
      id, label: id, state: 'active', classification: 'unknown', confidence: null,
      position: { ...first.position }, heightAglM: null, speedMps: null, headingDeg: null, verticalSpeedMps: null,
      identity: null, pilot: null, contacts: [], firstSeen: Math.min(first.at, now), lastSeen: 0, drill: first.drill === true,
    },
    threat: UNJUDGED,
    swarmId: null,
    firstObjectId: first.objectId,
    classBySensor: new Map(),
    remoteId: false,
  };
}

const IDENTITY_FIELDS = ['serial', 'registrationId', 'uaType', 'operatorId', 'selfIdText'] as const;

/** Whether a detection speaks for a Remote ID broadcast (a receiver, or a detection system that decoded one). */
export function hasRemoteId(d: DroneDetection): boolean {
  return d.sensorKind === 'remote-id' || Boolean(d.identity?.serial || d.identity?.registrationId);
}

/**
 * Merges one detection into a (cloned) track. Position and velocity follow the freshest detection; identity
 * fields are filled by whichever sensor gives them; classification is 'drone' once Remote ID spoke, else the
 * most confident of each sensor's latest; confidence the highest of those. `now` caps a sensor's time: a clock
 * running ahead must not keep a track active for ever.
 */
export function mergeDetection(f: FusedTrack, d: DroneDetection, now: number, elevationM: number): void {
  const t = f.track;
  const at = Math.min(d.at, now);
  if (at >= t.lastSeen) {
    t.position = { ...d.position };
    t.heightAglM = d.heightAglM ?? d.position.altM - elevationM;
    if (d.speedMps !== undefined) t.speedMps = d.speedMps;
    if (d.headingDeg !== undefined) t.headingDeg = d.headingDeg;
    if (d.verticalSpeedMps !== undefined) t.verticalSpeedMps = d.verticalSpeedMps;
    t.lastSeen = at;
  }
  // The pilot moves little and only Remote ID tells it: taken from whichever detection gives it, fresh or not.
  if (d.pilot) t.pilot = { ...d.pilot };
  t.firstSeen = Math.min(t.firstSeen, at);
  if (d.identity) {
    const identity: DroneIdentity = t.identity ?? { serial: null, registrationId: null, uaType: null, operatorId: null, selfIdText: null };
    for (const k of IDENTITY_FIELDS) {
      const v = d.identity[k];
      if (v) identity[k] = v;
    }
    t.identity = IDENTITY_FIELDS.some((k) => identity[k] !== null) ? identity : t.identity;
  }
  if (hasRemoteId(d)) f.remoteId = true;
  const contact = t.contacts.find((c) => c.sensorId === d.sensorId);
  if (!contact) t.contacts.push({ sensorId: d.sensorId, sensorKind: d.sensorKind, objectId: d.objectId, lastSeen: at });
  else if (at >= contact.lastSeen) Object.assign(contact, { sensorKind: d.sensorKind, objectId: d.objectId, lastSeen: at });
  const said = f.classBySensor.get(d.sensorId);
  if (!said || at >= (contact?.lastSeen ?? 0)) f.classBySensor.set(d.sensorId, { classification: d.classification, confidence: d.confidence });
  settleClassification(f);
  // Without an identity the console's own id: a sensor's object id (a SAPIENT ULID, a radar's track number) is
  // long, shares its start with every other object of that sensor, and changes from one sensor to the next.
  t.label = t.identity?.serial ?? t.identity?.registrationId ?? t.id;
}

function settleClassification(f: FusedTrack): void {
  let best: { classification: TrackClass; confidence: number } | null = null;
  let confidence: number | null = null;
  for (const s of f.classBySensor.values()) {
    if (s.confidence !== undefined) confidence = Math.max(confidence ?? 0, s.confidence);
    if (!s.classification || s.classification === 'unknown') continue;
    const c = s.confidence ?? 0;
    if (!best || c > best.confidence) best = { classification: s.classification, confidence: c };
  }
  f.track.classification = f.remoteId ? 'drone' : (best?.classification ?? 'unknown');
  f.track.confidence = confidence;
}
