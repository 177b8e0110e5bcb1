// The after-action report (复盘报告) of a drill: plan against actual, the responses against their 1-3-5 targets,
// missed steps and the coordinator's observations, from the drill's state, its log and its alarms.
// PLACEHOLDER: the evaluation owner replaces the body, keeping this signature.
import type { Alarm } from '../../../shared/domain.ts';
import type { AfterActionReport, DrillState, Plan } from '../../../shared/drills.ts';
import type { DrillLogEntry } from './drill-engine-types.ts';

/**
 * `toDrillMs` maps a wall time (the core's clock: alarm timestamps) to drill time, through the drill's pauses and
 * speed changes; null before the start or after the end.
 */
export function buildAfterActionReport(_input: {
  plan: Plan; drill: DrillState; log: DrillLogEntry[]; alarms: Alarm[]; toDrillMs: (wallAt: number) => number | null;
}): AfterActionReport {
  throw new Error('the after-action report is not written yet');
}
