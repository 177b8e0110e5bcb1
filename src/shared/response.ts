// Response and command, shared by the core and the renderer: units and their orders (派警), the unit terminal,
// patrol duty (勤务), incidents with their SOP checklists (案事件), the record (hash-chained audit log) and the
// shift handover (交接班). Data only: the renderer words every code in the operator's language.
import type { Alarm, ClockTargets, GeoPoint, LocalText, Person } from './domain.ts';

// ── Units ────────────────────────────────────────────────────────────────────────────────────────────────────

/** 巡逻 patrol (moves), 岗 post (stands), 所/站 station, 135 快反点 quick-response point. */
export const UNIT_KINDS = ['patrol', 'post', 'station', 'quick-response'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
/**
 * The four police kinds of the patrol net (特警 swat, 交巡警 traffic patrol, 派出所 station police, 武警 armed police)
 * and the forces the reports count on beside them: 驻场单位安保 tenant security, 群防群治 volunteers.
 */
export const UNIT_FORCES = ['swat', 'traffic', 'station', 'armed-police', 'tenant-security', 'volunteer'] as const;
export type UnitForce = (typeof UNIT_FORCES)[number];
export const UNIT_STATUSES = ['available', 'dispatched', 'on-scene', 'off-duty'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export interface Unit {
  id: string;
  /** 呼号, e.g. 特巡 1 组 / SWAT 1. */
  callSign: string;
  name: LocalText;
  kind: UnitKind;
  force: UnitForce;
  members: string[];
  status: UnitStatus;
  /** The last known position, and where it came from (the GPS feed, the unit's terminal, or its home post). */
  position: GeoPoint | null;
  positionAt: number | null;
  positionSource: 'gps' | 'terminal' | 'home' | null;
  /** Planning speed for the estimated arrival (m/s): on foot, by car. */
  speedMps: number;
  /** The order it is working now. */
  orderId: string | null;
  gridCellId: string | null;
  /** True when its positions stopped coming (GPS silent): drawn as stale. */
  stale: boolean;
}

/** A unit proposed for an alarm: nearest available first, by estimated arrival. */
export interface UnitCandidate {
  unit: Unit;
  distanceM: number;
  etaS: number;
  /** `route`: along the site's route graph; `straight`: as the crow flies (no graph, or no path on it). */
  via: 'route' | 'straight';
}

/** 已下达 sent → 已接收 acknowledged by the unit → 已到场 on scene → 已完成 done; or 已撤销 cancelled. */
export const ORDER_STATES = ['sent', 'acknowledged', 'on-scene', 'done', 'cancelled'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export interface DispatchOrder {
  id: string;
  alarmId: string;
  incidentId: string | null;
  unitId: string;
  callSign: string;
  state: OrderState;
  /** What the unit is told (警情描述与处置指引), beside the alarm's own facts. */
  guidance: string;
  target: GeoPoint | null;
  etaS: number | null;
  sentAt: number;
  sentBy: Person;
  acknowledgedAt: number | null;
  onSceneAt: number | null;
  doneAt: number | null;
  cancelledAt: number | null;
  /** Why it was cancelled, or what the unit reported when done. */
  note: string | null;
  drill: boolean;
}

// ── The unit terminal ────────────────────────────────────────────────────────────────────────────────────────

/** What a unit's terminal shows: its unit and its open orders, each with its alarm. */
export interface TerminalState {
  unit: Unit;
  orders: Array<{ order: DispatchOrder; alarm: Alarm }>;
}

export const TERMINAL_REPORTS = ['acknowledge', 'arrive', 'done', 'status', 'position'] as const;
export type TerminalReportKind = (typeof TERMINAL_REPORTS)[number];

/**
 * A report from a terminal. `reportId` is the terminal's own id for it: a report sent again after a lost
 * connection is recognised and not applied twice. `at` is when the unit made it (the terminal's clock).
 */
export interface TerminalReport {
  reportId: string;
  kind: TerminalReportKind;
  orderId?: string;
  status?: 'available' | 'off-duty';
  position?: GeoPoint;
  note?: string;
  at: number;
}

// ── Patrol duty (勤务) ───────────────────────────────────────────────────────────────────────────────────────

export interface DutyShift {
  id: string;
  name: LocalText;
  /** Local time of day, `HH:MM`; a shift may run past midnight. */
  start: string;
  end: string;
}

/** 必巡点位: a point a unit must check in at once per shift (its GPS within `radiusM`). */
export interface PatrolPoint {
  id: string;
  name: LocalText;
  position: [number, number];
  radiusM: number;
  gridCellId: string | null;
}

/** 必巡线路: an ordered list of points walked in order. */
export interface PatrolLine {
  id: string;
  name: LocalText;
  pointIds: string[];
}

export interface DutyPlan {
  shifts: DutyShift[];
  points: PatrolPoint[];
  lines: PatrolLine[];
}

/** Who is on duty in a shift of a day, and which points and lines each unit must cover. */
export interface DutyRoster {
  date: string;
  shiftId: string;
  assignments: Array<{ unitId: string; pointIds: string[]; lineIds: string[] }>;
  updatedAt: number | null;
  updatedBy: Person | null;
}

export interface DutyCheckIn {
  pointId: string;
  unitId: string;
  at: number;
}

export type PatrolPointState = 'done' | 'due' | 'missed' | 'unassigned';

/** The current shift: each point's state and check-ins, and the coverage per grid cell. */
export interface DutyStatus {
  shift: { id: string; date: string; startAt: number; endAt: number };
  points: Array<{ pointId: string; unitIds: string[]; state: PatrolPointState; checkIns: DutyCheckIn[] }>;
  cells: Array<{ gridCellId: string; required: number; done: number; missed: number }>;
}

// ── Incidents (案事件) ───────────────────────────────────────────────────────────────────────────────────────

export interface SopStep {
  id: string;
  text: LocalText;
  /** Seconds from the incident's opening by which it should be done, where the SOP says. */
  targetS?: number;
}

export interface IncidentType {
  id: string;
  name: LocalText;
  steps: SopStep[];
}

export interface IncidentStepState {
  stepId: string;
  state: 'pending' | 'done' | 'skipped';
  at: number | null;
  by: Person | null;
  /** Why it was skipped (asked for every skip). */
  reason: string | null;
}

export interface IncidentNote {
  id: string;
  at: number;
  by: Person;
  text: string;
  /** A snapshot kept as evidence (video), if one was attached. */
  snapshotId: string | null;
}

export interface Incident {
  id: string;
  /** Human number, e.g. AJ-20261202-003. */
  number: string;
  typeId: string;
  title: string;
  state: 'open' | 'closed';
  position: GeoPoint | null;
  alarmIds: string[];
  openedAt: number;
  openedBy: Person;
  closedAt: number | null;
  closedBy: Person | null;
  summary: string | null;
  steps: IncidentStepState[];
  notes: IncidentNote[];
  drill: boolean;
  /** Set when `notes` are only the newest of this many (a list, an 'incident.changed' event): incidents.get has all. */
  notesTotal?: number;
}

/** One line of an incident's timeline: from the record (audit log) of the incident, its alarms and orders. */
export interface TimelineEntry {
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
}

export interface IncidentView {
  incident: Incident;
  alarms: Alarm[];
  orders: DispatchOrder[];
  timeline: TimelineEntry[];
}

// ── The record and the shift handover ───────────────────────────────────────────────────────────────────────

export interface AuditRecord {
  id: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
  hash: string;
}

/** The result of checking the audit chain: the first entry that does not fit, and why. */
export interface AuditVerdict {
  ok: boolean;
  entries: number;
  /**
   * hash: edited; link: edited and re-hashed (the next entry was chained to its old hash); gap: deleted (the
   * entry after the gap is named); unsealed: written outside the chain; truncated: the newest entries deleted
   * (named: the first missing id; at/actor/action unknown); rewritten: differs from the head the console kept.
   */
  firstBroken: {
    id: number;
    problem: 'hash' | 'link' | 'gap' | 'unsealed' | 'truncated' | 'rewritten';
    at: number | null;
    actor: string | null;
    action: string | null;
  } | null;
  headHash: string | null;
}

/** What the outgoing operator hands over: compiled by the core, with their own note. */
export interface HandoverSummary {
  openAlarms: number;
  bySeverity: Record<1 | 2 | 3 | 4, number>;
  overdue: number;
  /** The open alarms worth a word (most urgent first, at most 50). */
  alarms: Array<Pick<Alarm, 'id' | 'type' | 'severity' | 'state' | 'raisedAt'>>;
  incidents: Array<Pick<Incident, 'id' | 'number' | 'title' | 'typeId'> & { pendingSteps: number }>;
  openOrders: number;
  unitsOnDuty: number;
}

export interface Handover {
  id: string;
  createdAt: number;
  from: Person;
  note: string;
  summary: HandoverSummary;
  state: 'pending' | 'accepted' | 'cancelled';
  to: Person | null;
  acceptedAt: number | null;
}

export type { ClockTargets };
