// The seams of the drill engine: what it asks of the console to fire an inject, and the event log it writes.
// The engine (drill-engine.ts) is pure logic on a clock; drills.ts wires it to the core (injectors, the record,
// the alarms it watches). Two runs of one plan with one seed on a fake clock give byte-identical logs.
import type { ExpectedAction, PlanInject, PlanStep } from '../../../shared/drills.ts';

/** Fires injects into the console (the drill range simulators, the core's intakes), flagged drill. */
export interface InjectPort {
  /** Resolves once the inject is handed over; a failure is logged by the engine as `inject-failed` and the drill goes on. */
  fire(inject: PlanInject, ctx: { drillId: string; step: PlanStep; seed: number; drillMs: number }): Promise<void>;
  /** The drill's speed changed or it paused/resumed: simulators that run scenarios follow (speed 0 = paused). */
  setSpeed?(speed: number): Promise<void>;
  /** The drill ended or was aborted: stop every scenario, remove every drill object. */
  stop?(aborted: boolean): Promise<void>;
}

/** Actions taken on the drill alarm an inject caused: timed from the alarm's raise once it came ('alarm'). */
export const ALARM_ACTIONS: ReadonlySet<ExpectedAction> = new Set<ExpectedAction>([
  'acknowledged', 'dispatched', 'on-scene', 'resolved', 'closed', 'incident-opened', 'atc-notified',
]);

export const DRILL_LOG_KINDS = [
  'start', 'pause', 'resume', 'speed', 'skip', 'end', 'abort',
  /** A step's time came (or its `when` happened) and it fired; its inject went out. */
  'fire', 'inject-failed',
  /**
   * The drill alarm the step's inject caused was raised (at the drill time of its raise): the operators' actions
   * on an alarm are timed from it, since nobody can act on an alarm before it exists.
   */
  'alarm',
  /** An `ifNot` step not needed: its condition happened in time. */
  'not-needed',
  /** An expected action happened: in time (done) or after its target (late). */
  'done', 'late',
  /** An expected action's target passed without it (it may still come, as late). */
  'overdue',
  /** At the end: expectations that never happened. */
  'missed',
  'observe', 'confirm',
] as const;
export type DrillLogKind = (typeof DRILL_LOG_KINDS)[number];

/** One line of a drill's event log: drill time (ms after T+0), never wall time, so that runs compare byte for byte. */
export interface DrillLogEntry {
  seq: number;
  drillMs: number;
  kind: DrillLogKind;
  stepId?: string;
  action?: ExpectedAction;
  /** Speed for `speed`; a reason for `abort`/`inject-failed`; text for `observe`. */
  detail?: string | number;
}
