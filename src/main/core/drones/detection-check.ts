// What the fusion accepts from an adapter: every detection checked before it can touch a track or a row, so
// that one adapter's bug (a NaN latitude, a missing object id) is named — sensor, index, field — and skipped
// instead of poisoning a track or failing the whole batch.
import { z } from 'zod';
import { DRONE_SENSOR_KINDS, TRACK_LOST_AFTER_MS, type DroneDetection } from '../../../shared/drones.ts';
import { geoPoint, TRACK_CLASSES } from '../../../shared/domain.ts';
import { printable } from '../sources/printable.ts';

/**
 * Characters that must not reach a track label or an alarm: C0, DEL, C1 controls and the bidi marks, embeddings,
 * overrides and isolates (U+200E/F, U+202A–U+202E, U+2066–U+2069) that make text on a card read otherwise.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const HAS_UNPRINTABLE = new RegExp(UNPRINTABLE.source);
const IDENTITY_TEXT = ['serial', 'registrationId', 'uaType', 'operatorId', 'selfIdText'] as const;

const text = (max: number) => z.string().max(max).nullable().optional();

export const droneDetectionSchema = z.object({
  sensorId: z.string().min(1).max(80),
  sensorKind: z.enum(DRONE_SENSOR_KINDS),
  objectId: z.string().min(1).max(120),
  at: z.number().int().min(0).max(8.64e15),
  position: z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90), altM: z.number().min(-1000).max(30000) }),
  heightAglM: z.number().min(-2000).max(30000).optional(),
  speedMps: z.number().min(0).max(1000).optional(),
  headingDeg: z.number().min(0).max(360).optional(),
  verticalSpeedMps: z.number().min(-200).max(200).optional(),
  classification: z.enum(TRACK_CLASSES).optional(),
  confidence: z.number().min(0).max(1).optional(),
  identity: z
    .object({ serial: text(64), registrationId: text(64), uaType: text(40), operatorId: text(64), selfIdText: text(64) })
    .nullable()
    .optional(),
  pilot: geoPoint.nullable().optional(),
  rssiDbm: z.number().min(-200).max(50).optional(),
  drill: z.boolean().optional(),
});

export interface CheckedBatch {
  valid: DroneDetection[];
  /** One line per rejected detection: which one and what is wrong with it. */
  problems: string[];
}

/** A detection stamped further ahead of the core's clock than this is refused (a sensor clock gone wrong). */
export const DETECTION_AHEAD_MAX_MS = 60_000;

/**
 * Splits a batch into what can be fused and what cannot (with why); a detection must carry the batch's sensor
 * id, and be stamped within the live picture's window at `now`: one older than a lost track (a 1970 clock) or
 * more than a minute ahead would make a track that is lost on arrival, or never ages, and raise alarms for it.
 */
export function checkDetections(sensorId: string, detections: readonly unknown[], now: number): CheckedBatch {
  const valid: DroneDetection[] = [];
  const problems: string[] = [];
  detections.forEach((d, i) => {
    const parsed = droneDetectionSchema.safeParse(d);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      problems.push(`detection ${i}: ${first.path.join('.') || 'detection'}: ${first.message}`);
    } else if (parsed.data.sensorId !== sensorId) {
      problems.push(`detection ${i}: sensorId: "${parsed.data.sensorId}" in a batch of sensor "${sensorId}"`);
    } else if (parsed.data.at < now - TRACK_LOST_AFTER_MS) {
      problems.push(`detection ${i}: at: ${stamp(parsed.data.at)} is ${Math.round((now - parsed.data.at) / 1000)} s old, older than a lost track (${TRACK_LOST_AFTER_MS / 1000} s)`);
    } else if (parsed.data.at > now + DETECTION_AHEAD_MAX_MS) {
      problems.push(`detection ${i}: at: ${stamp(parsed.data.at)} is ${Math.round((parsed.data.at - now) / 1000)} s ahead of the console's clock (at most ${DETECTION_AHEAD_MAX_MS / 1000} s)`);
    } else if (HAS_UNPRINTABLE.test(parsed.data.objectId)) {
      // The object id keys the track: refused rather than changed, so that two ids never become one.
      problems.push(`detection ${i}: objectId: "${printable(parsed.data.objectId, 60)}" has control or text-direction characters`);
    } else {
      valid.push(withPrintableIdentity(d as DroneDetection)); // otherwise the stored payload is what the adapter gave
    }
  });
  return { valid, problems };
}

/** The detection with control and bidi characters stripped from its identity text (the same object when there are none). */
function withPrintableIdentity(d: DroneDetection): DroneDetection {
  const identity = d.identity;
  if (!identity) return d;
  let cleaned: typeof identity | null = null;
  for (const field of IDENTITY_TEXT) {
    const value = identity[field];
    if (typeof value !== 'string') continue;
    const stripped = value.replace(UNPRINTABLE, '');
    if (stripped === value) continue;
    cleaned ??= { ...identity };
    cleaned[field] = stripped || null;
  }
  return cleaned ? { ...d, identity: cleaned } : d;
}

function stamp(at: number): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? String(at) : d.toISOString();
}
