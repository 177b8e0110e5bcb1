// The contract between the core and the renderer: the union of every feature's calls and events. Served by
// Electron IPC and by the browser host's WebSocket alike; the renderer sees one `SkyfenceApi` either way.
// A feature adds its file beside this one and one line to each union below.
import { alarmCalls, type AlarmEvents } from './alarms.ts';
import { droneCalls, type DroneEvents } from './drones.ts';
import type { OutputOf, RawInputOf } from './define.ts';
import { sessionCalls, type SessionEvents } from './session.ts';
import { siteCalls } from './site.ts';
import { systemCalls, type SystemEvents } from './system.ts';
import { trackCalls, type TrackEvents } from './tracks.ts';
import { usersCalls } from './users.ts';
import { videoCalls, type VideoEvents } from './video.ts';
import { unitCalls, type UnitEvents } from './units.ts';
import { dutyCalls, type DutyEvents } from './duty.ts';
import { incidentCalls, type IncidentEvents } from './incidents.ts';
import { recordCalls, type RecordEvents } from './record.ts';
import { drillCalls, type DrillEvents } from './drills.ts';

export const CALLS = { ...sessionCalls, ...usersCalls, ...systemCalls, ...siteCalls, ...alarmCalls, ...trackCalls, ...videoCalls, ...droneCalls,
  ...unitCalls, ...dutyCalls, ...incidentCalls, ...recordCalls, ...drillCalls };

export type Calls = typeof CALLS;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = RawInputOf<Calls[N]>;
export type CallOutput<N extends CallName> = OutputOf<Calls[N]>;

export interface EventPayloads extends SessionEvents, SystemEvents, AlarmEvents, TrackEvents, VideoEvents, DroneEvents,
  UnitEvents, DutyEvents, IncidentEvents, RecordEvents, DrillEvents {}
export type EventName = keyof EventPayloads;
/** Events every signed-in client receives; `session.ended` goes to one connection and is not listed. */
export const BROADCAST_EVENTS = ['alarm.changed', 'tracks.changed', 'status.changed', 'cameras.changed', 'plates.read', 'watchlist.changed',
  'drones.changed', 'permits.changed', 'runways.changed', 'droneResponse.changed',
  'alarm.escalated', 'units.changed', 'dispatch.changed', 'duty.changed', 'incident.changed', 'handover.changed', 'drill.changed'] as const satisfies readonly EventName[];
/**
 * Events for one unit's terminals only (a unit never receives the broadcast events above): delivered to the
 * sessions whose user's unitId is the payload's `unit.id`.
 */
export const UNIT_EVENTS = ['terminal.changed'] as const satisfies readonly EventName[];

/** What the renderer holds: the same over IPC and over the browser host's WebSocket. */
export interface SkyfenceApi {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

/** Errors that cross the boundary carry a stable code the UI can translate, and the facts to word it. */
export type ApiErrorCode = 'bad-request' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'rate-limited' | 'unavailable' | 'internal';
export interface ApiErrorBody {
  code: ApiErrorCode;
  /** English, for logs and integrations. */
  message: string;
  /** For bad-request: the fields that were wrong. */
  fields?: Array<{ path: string; problem: string }>;
  /** For rate-limited: seconds to wait. */
  retryAfterS?: number;
  /** A finer reason the UI can word (e.g. 'wrong-credentials', 'same-password', 'account-disabled'). */
  reason?: string;
}

/** WebSocket frames of the browser host. Events are batched: one frame carries every event of a moment. */
export type ClientFrame = { kind: 'call'; id: number; name: string; input: unknown };
export type ServerFrame =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: ApiErrorBody }
  | { kind: 'events'; events: Array<{ event: EventName; payload: unknown }> };

export type { SiteView } from './site.ts';
export type { AlarmList } from './alarms.ts';
export type { TracksChanged } from './tracks.ts';
export type { CameraList, MediaLink, PlateSearch, PatrolDue } from './video.ts';
export type { DronesChanged, DroneHistory, PermitInput } from './drones.ts';
export type { SignedIn } from './session.ts';
export type { UserRecord } from './users.ts';
export { ANY_ROLE, EVERY_ROLE, type CallSpec } from './define.ts';
