// Which track each detection of one sensor's batch belongs to. In order: the track that already has this
// sensor's id of the object as a contact; else the track with the same Remote ID serial or registration; else,
// by gating in space and time, the nearest compatible track — one detection per track per batch, and never a
// track this sensor already reports under another id (one sensor never reports one object twice), which is
// what keeps a tight swarm from collapsing; else a new track. Drill detections only ever meet drill tracks.
import type { DroneDetection } from '../../../shared/drones.ts';
import type { TrackClass } from '../../../shared/domain.ts';
import { hasRemoteId, type FusedTrack } from './fused-track.ts';

/** Gating: at least this far horizontally, or the expected travel since the track's last update × 1.5 + 50 m. */
export const GATE_MIN_M = 150;
export const GATE_TRAVEL_FACTOR = 1.5;
export const GATE_TRAVEL_MARGIN_M = 50;
export const GATE_VERTICAL_M = 60;
/** A track not updated for this long is no longer a candidate for gating (and a contact this old no longer counts as active). */
export const GATE_MAX_AGE_MS = 10_000;

/** One sensor's detections of one object in a batch (a stream may deliver several), oldest first. */
export interface DetectionGroup {
  objectId: string;
  drill: boolean;
  detections: DroneDetection[];
}

export type Target = { kind: 'existing'; trackId: string } | { kind: 'new'; slot: number };

export interface Association {
  assignments: Array<{ group: DetectionGroup; target: Target; via: 'id' | 'identity' | 'gate' | 'new' }>;
  /** How many new tracks the batch makes (slots 0…newTracks-1). */
  newTracks: number;
}

/** Groups a sensor's batch by object, each group in time order, groups in order of first appearance. */
export function groupByObject(detections: readonly DroneDetection[]): DetectionGroup[] {
  const groups = new Map<string, DetectionGroup>();
  for (const d of detections) {
    const drill = d.drill === true;
    const key = `${drill ? 'drill' : 'live'}|${d.objectId}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { objectId: d.objectId, drill, detections: [] }));
    g.detections.push(d);
  }
  for (const g of groups.values()) g.detections.sort((a, b) => a.at - b.at);
  return [...groups.values()];
}

const scope = (drill: boolean) => (drill ? 'drill' : 'live');
const identityKeys = (serial: string | null | undefined, registration: string | null | undefined) =>
  [serial ? `s:${serial}` : null, registration ? `r:${registration}` : null].filter((k): k is string => k !== null);

/** Approximate metres east and north from a to b: plenty for gates of tens to hundreds of metres. */
export function offsetM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): { east: number; north: number } {
  const north = (b.lat - a.lat) * 110_574;
  const east = (b.lon - a.lon) * 111_320 * Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180));
  return { east, north };
}

/** What a group says the object is: a Remote ID makes it a drone; else the first definite class any detection gives. */
function groupClass(g: DetectionGroup): TrackClass {
  if (g.detections.some(hasRemoteId)) return 'drone';
  return g.detections.find((d) => d.classification && d.classification !== 'unknown')?.classification ?? 'unknown';
}

const compatible = (a: TrackClass, b: TrackClass) => a === 'unknown' || b === 'unknown' || a === b;

/**
 * How far (m) the group's first detection is from where the track would be by then, or null when it is outside
 * the track's gate. The gate is measured from the last known position; the cost from the dead-reckoned one.
 */
function gateCost(t: FusedTrack, d: DroneDetection): number | null {
  const tr = t.track;
  const dtMs = d.at - tr.lastSeen;
  if (Math.abs(dtMs) > GATE_MAX_AGE_MS) return null;
  const dt = Math.max(0, dtMs) / 1000;
  const travel = (tr.speedMps ?? 0) * dt;
  const predictedAlt = tr.position.altM + (tr.verticalSpeedMps ?? 0) * dt;
  if (Math.abs(d.position.altM - predictedAlt) > GATE_VERTICAL_M) return null;
  const off = offsetM(tr.position, d.position);
  if (Math.hypot(off.east, off.north) > Math.max(GATE_MIN_M, travel * GATE_TRAVEL_FACTOR + GATE_TRAVEL_MARGIN_M)) return null;
  if (tr.headingDeg === null || tr.speedMps === null) return Math.hypot(off.east, off.north);
  const h = tr.headingDeg * (Math.PI / 180);
  return Math.hypot(off.east - travel * Math.sin(h), off.north - travel * Math.cos(h));
}

export function associate(sensorId: string, groups: readonly DetectionGroup[], tracks: Iterable<FusedTrack>): Association {
  const all = [...tracks];
  const byContact = new Map<string, string>();
  const byIdentity = new Map<string, string>();
  for (const f of all) {
    const s = scope(f.track.drill);
    for (const c of f.track.contacts) byContact.set(`${s}|${c.sensorId}|${c.objectId}`, f.track.id);
    for (const k of identityKeys(f.track.identity?.serial, f.track.identity?.registrationId)) byIdentity.set(`${s}|${k}`, f.track.id);
  }

  const assignments: Association['assignments'] = [];
  const claimed = new Set<string>();
  const pending: DetectionGroup[] = [];
  for (const g of groups) {
    const s = scope(g.drill);
    const viaId = byContact.get(`${s}|${sensorId}|${g.objectId}`);
    if (viaId) {
      assignments.push({ group: g, target: { kind: 'existing', trackId: viaId }, via: 'id' });
      claimed.add(viaId);
      continue;
    }
    const viaIdentity = g.detections
      .flatMap((d) => identityKeys(d.identity?.serial, d.identity?.registrationId))
      .map((k) => byIdentity.get(`${s}|${k}`))
      .find((id) => id !== undefined);
    if (viaIdentity) {
      assignments.push({ group: g, target: { kind: 'existing', trackId: viaIdentity }, via: 'identity' });
      claimed.add(viaIdentity);
      continue;
    }
    pending.push(g);
  }

  // Gating: every admissible (group, track) pair, then the closest pairs first, one-to-one.
  const pairs: Array<{ g: number; trackId: string; cost: number }> = [];
  pending.forEach((g, gi) => {
    const d = g.detections[0];
    const cls = groupClass(g);
    for (const f of all) {
      const tr = f.track;
      if (tr.drill !== g.drill || claimed.has(tr.id) || !compatible(tr.classification, cls)) continue;
      if (tr.contacts.some((c) => c.sensorId === sensorId && c.objectId !== g.objectId && d.at - c.lastSeen <= GATE_MAX_AGE_MS)) continue;
      const serial = d.identity?.serial;
      if (serial && tr.identity?.serial && tr.identity.serial !== serial) continue;
      const cost = gateCost(f, d);
      if (cost !== null) pairs.push({ g: gi, trackId: tr.id, cost });
    }
  });
  pairs.sort((a, b) => a.cost - b.cost);
  const gated = new Map<number, string>();
  for (const p of pairs) {
    if (gated.has(p.g) || claimed.has(p.trackId)) continue;
    gated.set(p.g, p.trackId);
    claimed.add(p.trackId);
  }

  // The rest are new objects; two groups of one batch with the same serial are one new track.
  let newTracks = 0;
  const newByIdentity = new Map<string, number>();
  pending.forEach((g, gi) => {
    const trackId = gated.get(gi);
    if (trackId) {
      assignments.push({ group: g, target: { kind: 'existing', trackId }, via: 'gate' });
      return;
    }
    const keys = g.detections.flatMap((d) => identityKeys(d.identity?.serial, d.identity?.registrationId)).map((k) => `${scope(g.drill)}|${k}`);
    const known = keys.map((k) => newByIdentity.get(k)).find((n) => n !== undefined);
    const slot = known ?? newTracks++;
    for (const k of keys) newByIdentity.set(k, slot);
    assignments.push({ group: g, target: { kind: 'new', slot }, via: 'new' });
  });
  return { assignments, newTracks };
}
