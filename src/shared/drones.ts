// Drones: what the console knows of every drone (and bird) its sensors see — fused tracks with identity and
// the pilot's position, the threat each one poses and why, flight permits, the runways in use, and the
// response to a drone alarm (空管/净空办 notified, runway suspended, unit sent, outcome). Typed data only: the
// renderer words it.
import type { CircleRing } from './site.ts';
import type { ClearanceSurfaceName } from './clearance.ts';
import type { GeoPoint, LocalText, Person, TrackClass } from './domain.ts';

/** The kinds of drone sensor the core fuses: a detection system's track API, a Remote ID receiver, a SAPIENT node. */
export const DRONE_SENSOR_KINDS = ['detection', 'remote-id', 'sapient'] as const;
export type DroneSensorKind = (typeof DRONE_SENSOR_KINDS)[number];

/** active: seen in the last 30 s; aging: 30–90 s; lost: longer (kept on the map greyed until it is dropped at 180 s). */
export const DRONE_TRACK_STATES = ['active', 'aging', 'lost'] as const;
export type DroneTrackState = (typeof DRONE_TRACK_STATES)[number];
export const TRACK_AGING_AFTER_MS = 30_000;
export const TRACK_LOST_AFTER_MS = 90_000;
export const TRACK_DROPPED_AFTER_MS = 180_000;

/** What a Remote ID broadcast (or a sensor) says the drone is. Any field may be unknown. */
export interface DroneIdentity {
  /** ANSI/CTA-2063-A serial number (BasicID id type 1). */
  serial: string | null;
  /** The civil aviation registration (BasicID id type 2, e.g. a CAAC 实名登记 number). */
  registrationId: string | null;
  /** ASTM F3411 UA type, as its name (e.g. 'helicopter-or-multirotor'). */
  uaType: string | null;
  operatorId: string | null;
  selfIdText: string | null;
}

/** One sensor's report of one object at one moment: what adapters hand the fusion. */
export interface DroneDetection {
  sensorId: string;
  sensorKind: DroneSensorKind;
  /** The sensor's own id of the object (a serial for Remote ID, object_id for SAPIENT, trackId for a detection API). */
  objectId: string;
  at: number;
  position: { lon: number; lat: number; altM: number };
  heightAglM?: number;
  speedMps?: number;
  headingDeg?: number;
  verticalSpeedMps?: number;
  classification?: TrackClass;
  confidence?: number;
  identity?: Partial<DroneIdentity> | null;
  /** Where the pilot (remote pilot / take-off point) is, from Remote ID System messages. */
  pilot?: GeoPoint | null;
  rssiDbm?: number;
  drill?: boolean;
}

/** A sensor that contributed to a track, and when it last did. */
export interface DroneContact {
  sensorId: string;
  sensorKind: DroneSensorKind;
  objectId: string;
  lastSeen: number;
}

/** Threat levels: 0 none (a bird, a permitted flight), 1 low, 2 medium, 3 high, 4 critical; 1–4 map to alarm severity. */
export type ThreatLevel = 0 | 1 | 2 | 3 | 4;

/** Why a track has its threat level: each reason is data the UI words (and the alarm card lists). */
export type ThreatReason =
  | { code: 'circle'; circleId: string; ring: CircleRing; name: LocalText }
  | { code: 'inspection-area' }
  | { code: 'penetration'; surface: ClearanceSurfaceName; runway: string | null; penetrationM: number }
  | { code: 'path'; kind: 'approach' | 'take-off'; runway: string; lateralM: number; alongM: number }
  | { code: 'runway-in-use'; runway: string }
  | { code: 'runway-closed'; runway: string }
  /** Suspended by the console's drone response: no movements now, but the threat stays as if it were in use. */
  | { code: 'runway-suspended'; runway: string }
  | { code: 'permit-inside'; permitId: string }
  | { code: 'permit-outside'; permitId: string; why: 'area' | 'ceiling' | 'time' }
  /** In a swarm's alarm, `count` says how many of its members have no Remote ID. */
  | { code: 'no-remote-id'; count?: number }
  /** On the ground or within a few metres of it: landed, or not yet flying. */
  | { code: 'landed'; heightAglM: number }
  | { code: 'bird' }
  | { code: 'swarm'; swarmId: string; count: number };
export type ThreatReasonCode = ThreatReason['code'];

/** What the console suggests doing, in order (the response panel offers these steps first). */
export const SUGGESTED_ACTIONS = [
  'monitor', 'check-permit', 'notify-atc', 'notify-clearance-office', 'consider-runway-suspension', 'dispatch-to-pilot', 'point-camera',
] as const;
export type SuggestedAction = (typeof SUGGESTED_ACTIONS)[number];

export interface ThreatAssessment {
  level: ThreatLevel;
  reasons: ThreatReason[];
  /** The innermost perception circle it is in. */
  circleId: string | null;
  circleRing: CircleRing | null;
  /** Inside the CAAC UAV clearance inspection area. */
  inInspectionArea: boolean;
  /** The lowest OLS above or below it, and how far it rises through it (0 below). */
  lowestSurface: { surface: ClearanceSurfaceName; runway: string | null; heightM: number } | null;
  penetrationM: number;
  /** Surface height minus altitude (negative when penetrating), null outside every surface. */
  clearanceM: number | null;
  /** The nearest approach or take-off path it is on or near. */
  path: { kind: 'approach' | 'take-off'; runway: string; lateralM: number; alongM: number } | null;
  /** Whether the runway it threatens is in use now (null: no runway threatened, or no runway feed). */
  runwayInUse: boolean | null;
  /** The permit it flies under, if any (inside or outside it). */
  permitId: string | null;
  suggested: SuggestedAction[];
}

/** One fused track: one object, whatever sensors see it. */
export interface DroneTrack {
  /** The console's id of the object, stable while it is tracked (e.g. 'UAS-000042'). */
  id: string;
  /** What the operator reads: the serial, else the registration, else the console id (never a sensor's object id). */
  label: string;
  state: DroneTrackState;
  classification: TrackClass;
  confidence: number | null;
  position: { lon: number; lat: number; altM: number };
  heightAglM: number | null;
  speedMps: number | null;
  headingDeg: number | null;
  verticalSpeedMps: number | null;
  /** Null: no Remote ID and no other identity (a radar-only track). */
  identity: DroneIdentity | null;
  pilot: GeoPoint | null;
  contacts: DroneContact[];
  firstSeen: number;
  lastSeen: number;
  threat: ThreatAssessment;
  /** The swarm it belongs to, when it flies with many others. */
  swarmId: string | null;
  drill: boolean;
}

/** One stored point of a track's history. */
export interface DroneHistoryPoint {
  trackId: string;
  at: number;
  lon: number;
  lat: number;
  altM: number;
  level: ThreatLevel;
  sensorKind: DroneSensorKind;
  sensorId: string;
}

/** An authorised flight (授权飞行): who, which drones, where, how high, when. */
export interface Permit {
  id: string;
  /** The operator (company or person) the permit was issued to. */
  operator: string;
  /** The drones it covers, by Remote ID serial or registration; empty: any drone of that operator id. */
  serials: string[];
  operatorId: string | null;
  /** The permitted area: a polygon, [lon, lat] vertices, not closed. */
  area: Array<[number, number]>;
  /** The altitude ceiling, metres above the aerodrome elevation. */
  ceilingM: number;
  validFrom: number;
  validTo: number;
  purpose: string;
  createdBy: Person;
  createdAt: number;
  revokedAt: number | null;
  revokedBy: Person | null;
  revokeReason: string | null;
}

/** What the airport operations system says of a runway (跑道运行状态). */
export interface RunwayUse {
  /** The runway's id in the site pack, e.g. '02L/20R'. */
  runwayId: string;
  /** closed: no movements; in-use: movements towards `direction`. */
  status: 'in-use' | 'closed';
  /** The end in use for landings and take-offs (e.g. '02L': arrivals land on 02L, departures take off from 02L). */
  direction: string | null;
  operations: 'arrivals' | 'departures' | 'mixed' | null;
  /** Suspended by the console's drone response (runway-suspended until runway-resumed). */
  suspended: boolean;
  since: number;
}

export interface RunwayState {
  /** The feed it came from, and when (null: no feed configured or heard yet). */
  sourceId: string | null;
  updatedAt: number | null;
  runways: RunwayUse[];
}

/** The steps of the response to a drone alarm, each recorded with its time and who did it. */
export const DRONE_RESPONSE_STEPS = [
  'atc-notified', 'atc-acknowledged', 'clearance-office-notified', 'clearance-office-acknowledged',
  'runway-suspended', 'runway-resumed', 'unit-dispatched', 'closed',
] as const;
export type DroneResponseStepName = (typeof DRONE_RESPONSE_STEPS)[number];

/** How a drone alarm ended. */
export const DRONE_OUTCOMES = ['pilot-found', 'drone-left', 'false-alarm'] as const;
export type DroneOutcome = (typeof DRONE_OUTCOMES)[number];

/**
 * Target times from the alarm being raised, in seconds (the 1-3-5 rule of the reports, applied to a drone:
 * 空管 told within 1 minute, 净空办 within 3, a unit on its way to the pilot within 3).
 */
export const DRONE_RESPONSE_TARGETS_S: Partial<Record<DroneResponseStepName, number>> = {
  'atc-notified': 60,
  'clearance-office-notified': 180,
  'unit-dispatched': 180,
};

export interface DroneResponseStep {
  step: DroneResponseStepName;
  at: number;
  by: Person;
  note: string;
  /** The message as it was sent (ATC and clearance office notifications). */
  message?: string;
  /** Who at the other end acknowledged (a controller's name or position). */
  counterpart?: string;
  runway?: string;
  /** The unit sent (call sign), and where to. */
  unit?: string;
  target?: GeoPoint;
  outcome?: DroneOutcome;
}

export interface DroneResponse {
  alarmId: string;
  trackId: string | null;
  raisedAt: number;
  steps: DroneResponseStep[];
  outcome: DroneOutcome | null;
  closedAt: number | null;
}
