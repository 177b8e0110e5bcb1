// Domain types shared by the core and the renderer. Everything an operator reads is carried as typed data
// (codes, ids, numbers), never as text the core formatted: the renderer words it in the operator's language.
import { z } from 'zod';
import type { CircleRing } from './site.ts';
import type { AnalyticKind } from './video.ts';
import type { DroneIdentity, SuggestedAction, ThreatLevel, ThreatReason } from './drones.ts';

/** `unit`: a unit's terminal (a phone or tablet of a patrol): it sees only its own orders. */
export const ROLES = ['operator', 'coordinator', 'commander', 'admin', 'unit'] as const;
export type Role = (typeof ROLES)[number];
/** The roles that sit at a console (every role but a unit's terminal). */
export const CONSOLE_ROLES = ['operator', 'coordinator', 'commander', 'admin'] as const satisfies readonly Role[];
/** Who works alarms: acknowledges, dispatches, resolves, closes. */
export const RESPONDER_ROLES = ['operator', 'commander', 'admin'] as const satisfies readonly Role[];

/** Who did something: what the record keeps and the UI shows (the core itself is `system`). */
export interface Person {
  username: string;
  displayName: string;
}

export interface User extends Person {
  role: Role;
  /** For a unit's terminal account: the unit it speaks for. */
  unitId?: string | null;
}

/** A name in both UI languages. */
export interface LocalText {
  zh: string;
  en: string;
}

export const geoPoint = z.object({
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  altM: z.number().min(-1000).max(30000).optional(),
});
export type GeoPoint = z.infer<typeof geoPoint>;

export const ALARM_SOURCES = ['manual', 'perception', 'video', 'drone', 'drill', 'system'] as const;
export type AlarmSource = (typeof ALARM_SOURCES)[number];
export const ALARM_TYPES = [
  'manual', 'touch-circle', 'clearance-penetration', 'camera-offline', 'camera-frozen', 'video-analytic', 'plate-watchlist', 'source-silent',
  'drone-threat', 'drone-swarm',
] as const;
export type AlarmType = (typeof ALARM_TYPES)[number];
/**
 * The alarm workflow: 新 → 已确认 → 已派警 → 已到场 → 已处置 → 已关闭. An alarm may be closed from any open state
 * (误报/重复 with a reason). `dispatched` and `on-scene` follow the units' orders (see units/dispatch).
 */
export const ALARM_STATES = ['new', 'acknowledged', 'dispatched', 'on-scene', 'resolved', 'closed'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];
export const OPEN_ALARM_STATES = ['new', 'acknowledged', 'dispatched', 'on-scene', 'resolved'] as const satisfies readonly AlarmState[];
/** The stages the 1-3-5 clocks time: acknowledged within 1 min, a unit on the way within 3, on scene within 5. */
export const RESPONSE_STAGES = ['acknowledge', 'dispatch', 'on-scene'] as const;
export type ResponseStage = (typeof RESPONSE_STAGES)[number];
/** Seconds from the alarm being raised to each stage. */
export interface ClockTargets {
  acknowledgeS: number;
  dispatchS: number;
  onSceneS: number;
}
/** The 1-3-5 rule of the reports (1 分钟响应、3 分钟到场处置、5 分钟增援): the default targets. */
export const DEFAULT_CLOCK_TARGETS: ClockTargets = { acknowledgeS: 60, dispatchS: 180, onSceneS: 300 };
/** An alarm's clocks: its targets (fixed when raised) and the stages that went overdue (each escalated once). */
export interface AlarmClock {
  targets: ClockTargets;
  overdue: Array<{ stage: ResponseStage; at: number }>;
}
/** 1 info (提示), 2 minor (一般), 3 major (重要), 4 critical (紧急). */
export type Severity = 1 | 2 | 3 | 4;

/** How an alarm was closed (处置结果): 属实, 误报, 演练, 重复, 其他. */
export const RESOLUTION_CATEGORIES = ['confirmed', 'false-alarm', 'drill', 'duplicate', 'other'] as const;
export type ResolutionCategory = (typeof RESOLUTION_CATEGORIES)[number];
export interface Resolution {
  category: ResolutionCategory;
  note: string;
}

export const TRACK_CLASSES = ['drone', 'bird', 'unknown'] as const;
export type TrackClass = (typeof TRACK_CLASSES)[number];

/** Why a source gave nothing usable: a code the UI translates, and the facts it needs. */
export interface SourceProblem {
  /** `storage`: the source answered, but the console could not store what it raised (a full disk). */
  code: 'unreachable' | 'timeout' | 'http-status' | 'not-json' | 'too-large' | 'malformed' | 'redirect' | 'silent' | 'failed' | 'storage';
  /** Where (origin and path, never credentials). */
  target?: string;
  status?: number;
  /** The JSON path of the first wrong field, and how many more there were. */
  path?: string;
  more?: number;
  /** The line of a line-based stream it was on (from 1, per connection). */
  line?: number;
  /** The technical text, for the log and the tooltip's small print. */
  message?: string;
}

/** What each alarm type carries, for the UI to word and for the map to place. */
export interface AlarmDetailsByType {
  manual: { note: string };
  /** One alarm per target: it follows the target inward, circle by circle. */
  'touch-circle': {
    trackId: string; sourceId: string; trackLabel: string; classification: TrackClass | null;
    circleId: string; circleName: LocalText; ring: CircleRing;
    /** Every circle entered, outermost first. */
    path: string[];
  };
  /** One alarm per target: it keeps the deepest penetration of an obstacle limitation surface. */
  'clearance-penetration': {
    trackId: string; sourceId: string; trackLabel: string; classification: TrackClass | null;
    surface: string; runway: string | null; penetrationM: number; maxPenetrationM: number; altM: number;
  };
  /**
   * Grouped: one alarm per source and network group (a dead switch is one alarm with all its cameras), kept up
   * to date as members fail and recover, closed by the system when the last one is back.
   */
  'camera-offline': CameraGroupDetails;
  /** The same, for pictures that stopped changing (snapshot unchanged over several checks). */
  'camera-frozen': CameraGroupDetails;
  /** An analytic event of a camera (intrusion, loitering, unattended object, face watch-list hit, tamper …). */
  'video-analytic': {
    sourceId: string; cameraId: string; cameraName: LocalText; analytic: AnalyticKind;
    /** The VMS's event id, and the snapshot the console kept of it. */
    eventId: string; snapshotId: string | null;
    /** For a face watch-list hit: the list entry's label. */
    label?: string;
  };
  /** A watch-listed plate read at a checkpoint (布控车辆). */
  'plate-watchlist': {
    sourceId: string; cameraId: string; checkpointId: string; checkpointName: LocalText;
    plate: string; direction: 'in' | 'out'; lane: number; reason: string; readId: string; snapshotId: string | null;
  };
  'source-silent': { sourceId: string; sourceName: LocalText; problem: SourceProblem; silentForS: number };
  /**
   * One alarm per fused drone track (never one per detection): updated as it moves, escalated (re-announced)
   * when its threat level rises; `maxLevel` and `maxPenetrationM` keep the worst it has been.
   */
  'drone-threat': {
    trackId: string; label: string; classification: TrackClass; identity: DroneIdentity | null; pilot: GeoPoint | null;
    level: ThreatLevel; maxLevel: ThreatLevel; reasons: ThreatReason[];
    surface: string | null; runway: string | null; penetrationM: number; maxPenetrationM: number; altM: number;
    runwayInUse: boolean | null; permitId: string | null; suggested: SuggestedAction[];
  };
  /** Many drones flying together: one grouped alarm for the swarm, its members listed (not one alarm each). */
  'drone-swarm': {
    swarmId: string; trackIds: string[]; count: number; peak: number; centroid: GeoPoint;
    level: ThreatLevel; maxLevel: ThreatLevel; reasons: ThreatReason[]; suggested: SuggestedAction[];
  };
}
export interface CameraGroupDetails {
  sourceId?: string;
  group: string | null;
  /** The cameras affected now (an update replaces the list); empty once all have recovered. */
  cameraIds: string[];
  /** The most that were affected at once during this alarm. */
  peak?: number;
}
export type AlarmDetails<T extends AlarmType = AlarmType> = AlarmDetailsByType[T];

interface AlarmBase {
  id: string;
  source: AlarmSource;
  severity: Severity;
  position: GeoPoint | null;
  /** The perception circle the alarm is in (innermost), and its ring. */
  circleId: string | null;
  circleRing: CircleRing | null;
  gridCellId: string | null;
  raisedAt: number;
  /** Last change of its facts (a target going deeper updates its alarm rather than raising another). */
  updatedAt: number;
  /** How many times its source reported it: 1 when raised. */
  updates: number;
  state: AlarmState;
  drill: boolean;
  acknowledgedAt: number | null;
  acknowledgedBy: Person | null;
  /** The operator it is assigned to (指派), if any. */
  assignedTo: Person | null;
  /** The first unit ordered to it, the first unit on scene, and when it was resolved (处置完毕) and by whom. */
  dispatchedAt: number | null;
  onSceneAt: number | null;
  resolvedAt: number | null;
  resolvedBy: Person | null;
  /** Escalated to the commander (by an overdue stage or by an operator), and when. */
  escalatedAt: number | null;
  clock: AlarmClock;
  /** The incident (案事件) it belongs to, once promoted. */
  incidentId: string | null;
  closedAt: number | null;
  closedBy: Person | null;
  resolution: Resolution | null;
}

/** One alarm model for every source, live or drill; `details` is typed by `type`. */
export type Alarm = { [T in AlarmType]: AlarmBase & { type: T; details: AlarmDetails<T> } }[AlarmType];

/** When each stage of an alarm is due (ms on the core's clock). */
export function stageDueAt(alarm: Pick<Alarm, 'raisedAt' | 'clock'>, stage: ResponseStage): number {
  const t = alarm.clock.targets;
  return alarm.raisedAt + 1000 * (stage === 'acknowledge' ? t.acknowledgeS : stage === 'dispatch' ? t.dispatchS : t.onSceneS);
}

/** When a stage was reached, or null while it is still to come. */
export function stageReachedAt(alarm: Alarm, stage: ResponseStage): number | null {
  return stage === 'acknowledge' ? alarm.acknowledgedAt ?? alarm.dispatchedAt : stage === 'dispatch' ? alarm.dispatchedAt : alarm.onSceneAt;
}

/** Queue order: open before closed, most severe first, newest first. */
export function compareAlarms(a: Alarm, b: Alarm): number {
  const closed = (x: Alarm) => (x.state === 'closed' ? 1 : 0);
  // A drill must never push a live alarm down: of the same severity, live alarms come first.
  return closed(a) - closed(b) || b.severity - a.severity || Number(a.drill) - Number(b.drill) || b.raisedAt - a.raisedAt;
}

export interface Track {
  /** Unique across sources: `<sourceId>/<trackId>`. */
  id: string;
  /** The source's own id for the target. */
  trackId: string;
  source: string;
  position: GeoPoint;
  /** What the source says the target is, and how it moves, where it says so. */
  classification?: TrackClass;
  speedMps?: number;
  headingDeg?: number;
  remoteId?: { serial: string; operator: string } | null;
  at: number;
  circleId: string | null;
  circleRing: CircleRing | null;
  /** False once its source is down: the last known position, drawn as stale. */
  live: boolean;
  /** A drill's track (an inject): drawn with the 演练 watermark, dropped when the drill ends. */
  drill?: boolean;
}

export type SourceHealth = 'ok' | 'degraded' | 'down' | 'idle';

export interface SourceStatus {
  id: string;
  kind: string;
  name: LocalText;
  health: SourceHealth;
  lastSeen: number | null;
  problem?: SourceProblem;
  /** What the last good answer held (e.g. tracks: 12). */
  counts?: Record<string, number>;
}

export interface SystemStatus {
  mode: 'live' | 'drill';
  /** The core's clock: the renderer ages alarms by it, not by the browser's. */
  now: number;
  sources: SourceStatus[];
  site: { icao: string; name: LocalText };
}
