// Drones: the fused tracks and their stored history, flight permits, the runways in use, and the response to
// a drone alarm (空管 and 净空办 notified and acknowledging, runway suspended and resumed, a unit sent to the
// pilot, the outcome). Permits are managed by a commander or an admin; every change is audited.
import { z } from 'zod';
import { geoPoint } from '../domain.ts';
import {
  DRONE_OUTCOMES, DRONE_RESPONSE_STEPS,
  type DroneHistoryPoint, type DroneResponse, type DroneTrack, type Permit, type RunwayState,
} from '../drones.ts';
import { ANY_ROLE, call } from './define.ts';

const timeMs = z.number().int().min(0).max(8.64e15);
const trackId = z.string().min(1).max(80);
const alarmId = z.string().min(1).max(100);
const text = (max: number) => z.string().trim().max(max);
/** Who runs the response to a drone alarm. */
const RESPONDERS = ['operator', 'commander', 'admin'] as const;
/** Who may issue or revoke a flight permit. */
export const PERMIT_ROLES = ['commander', 'admin'] as const;

export interface DronesChanged {
  updated: DroneTrack[];
  /** Ids of tracks dropped from the picture (lost for longer than TRACK_DROPPED_AFTER_MS). */
  removed: string[];
}

export interface DroneHistory {
  points: DroneHistoryPoint[];
  /** True when there were more points than `limit`: the earliest `limit` were returned. */
  truncated: boolean;
}

/** A polygon of [lon, lat] vertices: 3 to 200, not closed, inside the world. */
const polygon = z
  .array(z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]))
  .min(3, 'an area needs at least 3 vertices')
  .max(200, 'an area has at most 200 vertices');

export const permitInput = z
  .object({
    operator: text(120).min(1),
    operatorId: text(40).min(1).nullable().default(null),
    serials: z.array(text(40).min(1)).max(50).default([]),
    area: polygon,
    ceilingM: z.number().min(1).max(3000),
    validFrom: timeMs,
    validTo: timeMs,
    purpose: text(500).default(''),
  })
  .strict()
  .refine((p) => p.validTo > p.validFrom, { message: 'validTo must be after validFrom', path: ['validTo'] })
  .refine((p) => p.serials.length > 0 || p.operatorId !== null, { message: 'a permit names its drones (serials) or their operator id', path: ['serials'] });
export type PermitInput = z.input<typeof permitInput>;

export const droneResponseInput = z
  .object({
    alarmId,
    step: z.enum(DRONE_RESPONSE_STEPS).exclude(['closed']),
    note: text(1000).default(''),
    message: text(2000).optional(),
    counterpart: text(80).optional(),
    runway: text(20).optional(),
    unit: text(40).optional(),
    target: geoPoint.optional(),
  })
  .strict();

export const droneCalls = {
  /** Every track in the picture now (active, aging and lost-but-not-dropped). */
  'drones.list': call(z.object({}).strict(), ANY_ROLE).returns<DroneTrack[]>(),
  /** A track's stored history (one track), or every track's points in a time window (no trackId). */
  'drones.history': call(
    z.object({ trackId: trackId.optional(), from: timeMs.optional(), to: timeMs.optional(), limit: z.number().int().min(1).max(50_000).default(5_000) }).strict(),
    ANY_ROLE,
  ).returns<DroneHistory>(),

  'permits.list': call(z.object({ includeInactive: z.boolean().default(false) }).strict(), ANY_ROLE).returns<Permit[]>(),
  'permits.create': call(permitInput, PERMIT_ROLES).returns<Permit>(),
  'permits.revoke': call(z.object({ id: z.string().min(1).max(100), reason: text(500).min(1) }).strict(), PERMIT_ROLES).returns<Permit>(),

  'runways.state': call(z.object({}).strict(), ANY_ROLE).returns<RunwayState>(),

  /** The response to a drone alarm so far (empty steps when nothing was done yet). */
  'droneResponse.get': call(z.object({ alarmId }).strict(), ANY_ROLE).returns<DroneResponse>(),
  /** Records one step (with its message, counterpart, runway or unit); conflict when the response is closed. */
  'droneResponse.record': call(droneResponseInput, RESPONDERS).returns<DroneResponse>(),
  /** Ends the response with its outcome and closes the alarm (pilot found / drone left → 属实, false alarm → 误报). */
  'droneResponse.close': call(z.object({ alarmId, outcome: z.enum(DRONE_OUTCOMES), note: text(1000).default('') }).strict(), RESPONDERS).returns<DroneResponse>(),
};

export interface DroneEvents {
  /** Tracks the fusion moved or whose state or threat changed, and those it dropped. */
  'drones.changed': DronesChanged;
  'permits.changed': { permits: Permit[] };
  'runways.changed': RunwayState;
  'droneResponse.changed': DroneResponse;
}
