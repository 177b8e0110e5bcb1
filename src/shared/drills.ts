// Emergency plans (应急预案) and the drills run from them (应急演练): the plan as the core has checked it, a drill's
// live state, its evaluation (复盘) and the playback of any recorded period. Shared by core and renderer; the YAML
// format itself is documented in docs/plans.md and resources/plans/plan.schema.json.
import type { Alarm, AlarmType, ClockTargets, LocalText, ResolutionCategory, Severity } from './domain.ts';

/** CCAR-139-II-R1 Art. 56 names three kinds of drill: 综合 (full-scale), 单项 (single-unit), 桌面 (tabletop). */
export const DRILL_KINDS = ['full-scale', 'single-unit', 'tabletop'] as const;
export type DrillKind = (typeof DRILL_KINDS)[number];

/** A plan is a drill script, or a closure plan (圈层查控/封控) whose checkpoints close on their own clocks. */
export const PLAN_TYPES = ['drill', 'closure'] as const;
export type PlanType = (typeof PLAN_TYPES)[number];

/** What the console can see happen and time against a step's target (the 1-3-5 stages and more). */
export const EXPECTED_ACTIONS = [
  'acknowledged', 'dispatched', 'on-scene', 'resolved', 'closed', 'incident-opened', 'atc-notified',
  /** A unit reaches a place (a checkpoint of a closure plan), from its GPS. */
  'unit-arrived',
  /** Something the console cannot see (a door closed, a cordon up): the coordinator confirms it. */
  'confirmed',
] as const;
export type ExpectedAction = (typeof EXPECTED_ACTIONS)[number];

/** One inject: a simulated event that enters the console exactly as live data would, flagged drill. */
export type PlanInject =
  /** A scenario of the drone-detection simulator (approach-loiter, centreline-crossing, swarm …), in the drill range. */
  | { kind: 'drone-scenario'; scenario: string }
  /** An analytics event of a camera (intrusion, loitering, abandoned object …), as the VMS would report it. */
  | { kind: 'camera-event'; camera: string; event: string; note?: LocalText }
  /** A camera going offline for a while. */
  | { kind: 'camera-outage'; camera: string; durationS: number }
  /** A unit's report from its terminal (accepted, arrived, done) or its position. */
  | { kind: 'unit-report'; unit: string; report: 'accepted' | 'arrived' | 'done' | 'position'; position?: { lon: number; lat: number } }
  /** Something crossing into a perception circle (触圈): a track at a place inside it. */
  | { kind: 'zone-crossing'; zone: string; position: { lon: number; lat: number } }
  /** A manual alarm (a phone call, a tenant's report) at a place. */
  | { kind: 'alarm'; severity: 1 | 2 | 3 | 4; note: LocalText; position: { lon: number; lat: number } };
export type InjectKind = PlanInject['kind'];

/** A condition on an operator's action for an inject's alarm, or a coordinator's confirmation. */
export interface StepCondition {
  action: ExpectedAction;
  /** The step whose inject (or expectation) it concerns. */
  of: string;
}

export interface PlanStep {
  id: string;
  /** Seconds after T+0 (the YAML says T+mm:ss). For a `when` step: the earliest time. */
  atS: number;
  /** The responsible unit: a unit of the site (units.json) or one the plan declares (空管, AOC …). */
  unit: string;
  /** The expected action, in words. */
  action: LocalText;
  /** The action the console times, and its target in seconds after the step's reference (the inject, else atS). */
  expect?: StepCondition & { targetS: number };
  inject?: PlanInject;
  /** Fires when this happens (after atS). */
  when?: StepCondition;
  /** Fires at atS only if this has NOT happened by then (else it is skipped as not needed). */
  ifNot?: StepCondition;
  /** For expect unit-arrived: where the unit must be (a closure checkpoint), within radiusM. */
  place?: { lon: number; lat: number; radiusM: number };
  /** Where the YAML put it, for messages. */
  line?: number;
}

export interface PlanUnit {
  id: string;
  name: LocalText;
  /** True when it is a unit of the site's units.json; false for one the plan declares (an outside agency). */
  site: boolean;
}

/** A closure plan's checkpoint: a unit to reach it and close it within its own target. */
export interface ClosureCheckpoint {
  id: string;
  name: LocalText;
  position: { lon: number; lat: number };
  unit: string;
  targetS: number;
}

export interface Plan {
  /** The file's format version (`skyfence-plan: 1`). */
  format: 1;
  id: string;
  /** The plan's own revision. */
  version: number;
  title: LocalText;
  type: PlanType;
  kind: DrillKind;
  /** Incident type (sops.json) the event is, e.g. drone-intrusion. */
  eventType: string;
  place: LocalText;
  position: { lon: number; lat: number };
  /** ISO date of the planned drill. */
  date: string;
  units: PlanUnit[];
  procedures: LocalText;
  siteSetup: LocalText;
  simulatedConditions: LocalText;
  assembly: { points: Array<{ name: LocalText; position: { lon: number; lat: number } }>; routes: LocalText[] };
  announce: { end: LocalText; abort: LocalText };
  /** The default seed of the simulators for this plan. */
  seed: number;
  steps: PlanStep[];
  closure?: { zone: string; respondS: number; closeS: number; checkpoints: ClosureCheckpoint[] };
}

/** One problem of a plan file, where it is. */
export interface PlanProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface PlanSummary {
  id: string;
  /** The file name under the plans folder. */
  file: string;
  title: LocalText;
  type: PlanType;
  kind: DrillKind;
  version: number;
  steps: number;
  injects: number;
  /** A plan that does not validate is listed with its problems and cannot be started. */
  problems: PlanProblem[];
}

export const DRILL_STATUSES = ['running', 'paused', 'ended', 'aborted'] as const;
export type DrillStatus = (typeof DRILL_STATUSES)[number];

export const STEP_STATUSES = ['pending', 'waiting', 'fired', 'done', 'late', 'missed', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface DrillStepState {
  stepId: string;
  atS: number;
  unit: string;
  action: LocalText;
  status: StepStatus;
  /** Drill time (ms after T+0) it fired, and when its expected action happened. */
  firedAtMs?: number;
  doneAtMs?: number;
  targetS?: number;
  /** The drill alarm its inject raised, once seen. */
  alarmId?: string;
}

export interface DrillObservation {
  id: number;
  /** Drill time (ms after T+0) and wall time. */
  atMs: number;
  wallAt: number;
  by: string;
  text: string;
  stepId?: string;
}

export interface DrillState {
  id: string;
  planId: string;
  planVersion: number;
  title: LocalText;
  kind: DrillKind;
  type: PlanType;
  status: DrillStatus;
  speed: number;
  seed: number;
  /** Wall time of the start and of the end. */
  startedAt: number;
  endedAt?: number;
  /** Drill time (ms after T+0) at wall time `asOf`: the renderer runs the clock on from there at `speed` unless paused. */
  drillMs: number;
  asOf: number;
  coordinator: string;
  steps: DrillStepState[];
  /** In events and drill.current: the newest observations only (the report has them all). */
  observations: DrillObservation[];
  /** How many there are, when `observations` holds only the newest. */
  observationsTotal?: number;
  /** The speed it started at (`speed` is the speed now). */
  startSpeed?: number;
  abortReason?: string;
}

/** One measured response of the after-action report. */
export interface DrillMeasure {
  stepId: string;
  action: ExpectedAction;
  unit: string;
  label: LocalText;
  /** Drill seconds from the reference (the inject) to the action; absent when it never happened. */
  actualS?: number;
  targetS: number;
  verdict: 'met' | 'late' | 'missed';
  /**
   * Drill seconds of the reference the action is timed from: the fire of step `of` (else the step's atS); for an
   * action on an alarm, the raise of the drill alarm that step's inject caused, once it came.
   */
  referenceS?: number;
  /** What the measure found beside its time: for 'dispatched', the call signs of the units sent. */
  detail?: string;
  /** Not happened, but the drill was aborted before its target passed: untested, not counted as missed. */
  cutShort?: boolean;
}

export interface AfterActionReport {
  drill: DrillState;
  plan: Pick<Plan, 'id' | 'version' | 'title' | 'kind' | 'type' | 'eventType' | 'place' | 'units'>;
  /** Plan against actual: each step's planned time and when it fired and was done. */
  timeline: Array<{ stepId: string; unit: string; action: LocalText; plannedS: number; firedS?: number; doneS?: number; status: StepStatus; injectFailed?: string }>;
  measures: DrillMeasure[];
  /** The drill alarms with their 1-3-5 stage times (drill seconds after raise). */
  alarms: Array<{
    id: string; title: string; raisedS: number; acknowledgedS?: number; dispatchedS?: number; onSceneS?: number; closed?: ResolutionCategory;
    /** The alarm's type, severity and 1-3-5 targets (seconds), and the step whose inject raised it. */
    type?: AlarmType; severity?: Severity; targets?: ClockTargets; stepId?: string;
  }>;
  missed: string[];
  observations: DrillObservation[];
  summary: { met: number; late: number; missed: number; durationS: number };
  /** The coordinator's controls in drill time (start, pause, resume, speed, skip, end, abort). */
  controls?: Array<{ atS: number; kind: 'start' | 'pause' | 'resume' | 'speed' | 'skip' | 'end' | 'abort'; detail?: string | number }>;
}

/** The recorded period playback replays. */
export interface PlaybackIndex {
  from: number;
  to: number;
  /** Set when the period is a drill's. */
  drillId?: string;
  /** Events to jump to, in time order (alarm raised and its state changes, operator actions, drill steps). */
  events: Array<{ at: number; kind: string; subject?: string; text: string; /** Who did it (a username), for operator actions. */ actor?: string }>;
  /** At most this many events are listed; `truncated` when the period held more (the earliest `cap` are listed). */
  cap?: number;
  truncated?: boolean;
  /** How many distinct tracks the period holds. */
  tracks: number;
  /**
   * For a drill: its clock, so that playback labels an instant in drill time (T+mm:ss as the plan says) whatever
   * the speed it ran at. From each anchor's wall time `at` on, drill time = drillMs + (t − at) × speed (speed 0
   * while paused), until the next anchor. Optional: without it, playback counts from the period's start.
   */
  drillClock?: Array<{ at: number; drillMs: number; speed: number }>;
}

/** The picture at one instant of a recorded period. */
export interface PlaybackFrame {
  at: number;
  tracks: Array<{ id: string; kind: 'drone' | 'track'; lon: number; lat: number; altM: number; level?: number; drill?: boolean; label?: string }>;
  alarms: Array<Pick<Alarm, 'id' | 'type' | 'severity' | 'state' | 'position' | 'drill' | 'raisedAt'> & { title: string }>;
  units: Array<{ id: string; callSign: string; status: string; lon: number; lat: number }>;
  cameras: Array<{ id: string; online: boolean; /** online, offline, frozen or unknown. */ health?: string; drill?: boolean }>;
  /** Operator actions within the last few seconds before `at`. */
  actions: Array<{ at: number; actor: string; action: string; subject?: string }>;
}
