// What the fusion accepts from an adapter: every detection checked before it can touch a track or a row, so
// that one adapter's bug (a NaN latitude, a missing object id) is named — sensor, index, field — and skipped
// instead of poisoning a track or failing the whole batch.
import { z } from 'zod';
import { DRONE_SENSOR_KINDS, type DroneDetection } from '../../../shared/drones.ts';
import { geoPoint, TRACK_CLASSES } from '../../../shared/domain.ts';

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

/** Splits a batch into what can be fused and what cannot (with why); a detection must carry the batch's sensor id. */
export function checkDetections(sensorId: string, detections: readonly unknown[]): CheckedBatch {
  const valid: DroneDetection[] = [];
  const problems: string[] = [];
  detections.forEach((d, i) => {
    const parsed = droneDetectionSchema.safeParse(d);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      problems.push(`detection ${i}: ${first.path.join('.') || 'detection'}: ${first.message}`);
    } else if (parsed.data.sensorId !== sensorId) {
      problems.push(`detection ${i}: sensorId: "${parsed.data.sensorId}" in a batch of sensor "${sensorId}"`);
    } else {
      valid.push(d as DroneDetection); // the original object: the stored payload is what the adapter gave
    }
  });
  return { valid, problems };
}
