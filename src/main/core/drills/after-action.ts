// The after-action report (复盘报告) of a drill: plan against actual, the responses against their 1-3-5 targets,
// missed steps and the coordinator's observations, from the drill's state, its log and its alarms.
// Pure: everything is read from the input (the log is in drill time; alarm timestamps are mapped through
// `toDrillMs`), so one drill always gives one report.
import { stageReachedAt, type Alarm, type ResponseStage } from '../../../shared/domain.ts';
import type { AfterActionReport, DrillMeasure, DrillState, Plan, PlanStep, StepStatus } from '../../../shared/drills.ts';
import { ALARM_ACTIONS, type DrillLogEntry } from './drill-engine-types.ts';

type ReportAlarm = AfterActionReport['alarms'][number];
type ReportControl = NonNullable<AfterActionReport['controls']>[number];

const CONTROL_KINDS = new Set<string>(['start', 'pause', 'resume', 'speed', 'skip', 'end', 'abort']);

/**
 * `toDrillMs` maps a wall time (the core's clock: alarm timestamps) to drill time, through the drill's pauses and
 * speed changes; null before the start or after the end.
 */
export function buildAfterActionReport(input: {
  plan: Plan; drill: DrillState; log: DrillLogEntry[]; alarms: Alarm[]; toDrillMs: (wallAt: number) => number | null;
  /** The call signs of the units dispatched to each drill alarm (by alarm id), in the order they were sent. */
  dispatchedUnits?: Record<string, string[]>;
}): AfterActionReport {
  const { plan, drill, toDrillMs } = input;
  // Log order is the engine's order (seq); a stored log read back in another order must give the same report.
  const log = [...input.log].sort((a, b) => a.seq - b.seq);
  const first = (kind: DrillLogEntry['kind'], stepId: string) => log.find((e) => e.kind === kind && e.stepId === stepId);
  const over = log.find((e) => e.kind === 'end' || e.kind === 'abort');
  const endMs = over ? over.drillMs : drill.drillMs;
  const aborted = drill.status === 'aborted' || over?.kind === 'abort';

  const timeline = plan.steps.map((step) => {
    const fired = first('fire', step.id);
    const outcome = step.expect ? outcomeOf(log, step) : undefined;
    const failed = first('inject-failed', step.id);
    return {
      stepId: step.id,
      unit: step.unit,
      action: step.action,
      plannedS: step.atS,
      ...(fired ? { firedS: fired.drillMs / 1000 } : {}),
      ...(outcome ? { doneS: outcome.drillMs / 1000 } : {}),
      status: statusOf(step, log, drill),
      ...(failed ? { injectFailed: String(failed.detail ?? '') } : {}),
    };
  });

  const measures = plan.steps.filter((s) => s.expect).map((step): DrillMeasure => {
    const expect = step.expect!;
    const referenceMs = referenceOf(step, log);
    const outcome = outcomeOf(log, step);
    const measure: DrillMeasure = {
      stepId: step.id,
      action: expect.action,
      unit: step.unit,
      label: step.action,
      targetS: expect.targetS,
      verdict: outcome ? (outcome.kind === 'done' ? 'met' : 'late') : 'missed',
      referenceS: referenceMs / 1000,
    };
    if (outcome) measure.actualS = (outcome.drillMs - referenceMs) / 1000;
    // Any unit's dispatch counts; the report says which went.
    const alarmId = drill.steps.find((s) => s.stepId === expect.of)?.alarmId;
    const units = expect.action === 'dispatched' && alarmId ? input.dispatchedUnits?.[alarmId] : undefined;
    if (units?.length) measure.detail = [...new Set(units)].join('、');
    // An abort before the target passed leaves the expectation untested, not failed.
    else if (aborted && referenceMs + expect.targetS * 1000 > endMs && !log.some((e) => e.kind === 'overdue' && e.stepId === step.id)) measure.cutShort = true;
    return measure;
  });

  const alarms = input.alarms
    .filter((a) => a.drill)
    .map((a) => reportAlarm(a, toDrillMs, drill))
    .filter((a): a is ReportAlarm => a !== null)
    .sort((a, b) => a.raisedS - b.raisedS || (a.id < b.id ? -1 : 1));

  const controls: ReportControl[] = log
    .filter((e) => CONTROL_KINDS.has(e.kind))
    .map((e) => ({ atS: e.drillMs / 1000, kind: e.kind as ReportControl['kind'], ...(e.detail !== undefined ? { detail: e.detail } : {}) }));

  const counted = measures.filter((m) => !m.cutShort);
  return {
    drill,
    plan: { id: plan.id, version: plan.version, title: plan.title, kind: plan.kind, type: plan.type, eventType: plan.eventType, place: plan.place, units: plan.units },
    timeline,
    measures,
    alarms,
    missed: counted.filter((m) => m.verdict === 'missed').map((m) => m.stepId),
    observations: [...drill.observations].sort((a, b) => a.atMs - b.atMs || a.id - b.id),
    summary: {
      met: counted.filter((m) => m.verdict === 'met').length,
      late: counted.filter((m) => m.verdict === 'late').length,
      missed: counted.filter((m) => m.verdict === 'missed').length,
      durationS: endMs / 1000,
    },
    controls,
  };
}

/**
 * The drill ms an expectation is timed from, as the engine timed it: the fire of step `of`, else (itself, or never
 * fired) the step's atS; an action on an alarm from the raise of `of`'s drill alarm once it came ('alarm').
 */
function referenceOf(step: PlanStep, log: DrillLogEntry[]): number {
  const { of, action } = step.expect!;
  const fired = of === step.id ? undefined : log.find((e) => e.kind === 'fire' && e.stepId === of);
  const base = fired ? fired.drillMs : step.atS * 1000;
  const alarm = ALARM_ACTIONS.has(action) ? log.find((e) => e.kind === 'alarm' && e.stepId === of) : undefined;
  return alarm ? Math.max(base, alarm.drillMs) : base;
}

/** The engine's verdict on a step's expectation: its first done/late line for that action. */
function outcomeOf(log: DrillLogEntry[], step: PlanStep): DrillLogEntry | undefined {
  return log.find((e) => (e.kind === 'done' || e.kind === 'late') && e.stepId === step.id && e.action === step.expect!.action);
}

/** What became of a step, from the log; the drill's own step state where the log says nothing. */
function statusOf(step: PlanStep, log: DrillLogEntry[], drill: DrillState): StepStatus {
  const mine = log.filter((e) => e.stepId === step.id);
  const has = (kind: DrillLogEntry['kind']) => mine.some((e) => e.kind === kind);
  if (has('done')) return 'done';
  if (has('late')) return 'late';
  if (has('missed')) return 'missed';
  if (has('not-needed')) return 'skipped';
  const state = drill.steps.find((s) => s.stepId === step.id)?.status;
  if (state && state !== 'pending' && state !== 'waiting') return state;
  if (has('fire')) return 'fired';
  return state ?? 'pending';
}

const STAGES: Array<[ResponseStage, 'acknowledgedS' | 'dispatchedS' | 'onSceneS']> = [
  ['acknowledge', 'acknowledgedS'], ['dispatch', 'dispatchedS'], ['on-scene', 'onSceneS'],
];

/** A drill alarm with its 1-3-5 stage times in drill seconds after its raise; null if raised outside the drill. */
function reportAlarm(alarm: Alarm, toDrillMs: (wallAt: number) => number | null, drill: DrillState): ReportAlarm | null {
  const raisedMs = toDrillMs(alarm.raisedAt);
  if (raisedMs === null) return null;
  const out: ReportAlarm = {
    id: alarm.id,
    title: alarmSubject(alarm),
    raisedS: raisedMs / 1000,
    type: alarm.type,
    severity: alarm.severity,
    targets: alarm.clock.targets,
  };
  for (const [stage, key] of STAGES) {
    const at = stageReachedAt(alarm, stage);
    const ms = at === null ? null : toDrillMs(at);
    // A stage reached after the drill ended is not the drill's: it shows as not reached.
    if (ms !== null) out[key] = Math.max(0, ms - raisedMs) / 1000;
  }
  if (alarm.state === 'closed' && alarm.resolution) out.closed = alarm.resolution.category;
  const step = drill.steps.find((s) => s.alarmId === alarm.id);
  if (step) out.stepId = step.stepId;
  return out;
}

/** What the alarm is about, in the words its source gave (a track's label, a camera, an operator's note). */
function alarmSubject(alarm: Alarm): string {
  switch (alarm.type) {
    case 'drone-threat':
      return alarm.details.label;
    case 'drone-swarm':
      return `${alarm.details.swarmId} ×${alarm.details.count}`;
    case 'touch-circle':
      return `${alarm.details.trackLabel} → ${alarm.details.circleName.zh}`;
    case 'clearance-penetration':
      return `${alarm.details.trackLabel} ${alarm.details.surface}`;
    case 'video-analytic':
      return `${alarm.details.cameraName.zh} ${alarm.details.analytic}`;
    case 'camera-offline':
    case 'camera-frozen':
      return alarm.details.cameraIds.join(', ') || (alarm.details.group ?? '');
    case 'plate-watchlist':
      return `${alarm.details.plate} ${alarm.details.checkpointName.zh}`;
    case 'source-silent':
      return alarm.details.sourceName.zh;
    case 'manual':
      return alarm.details.note;
  }
}

/** A moment the drill clock changed pace: from wall time `wallAt` (drill time `drillMs` then) it ran at `rate` (0 = paused). */
export interface DrillPace {
  wallAt: number;
  drillMs: number;
  rate: number;
}

/**
 * The `toDrillMs` of a drill from the wall times of its start, pauses, resumes, speed changes and skips (each a
 * DrillPace, in order) and its end: null before the start or after the end.
 */
export function wallToDrillMs(paces: DrillPace[], endedAt: number | undefined): (wallAt: number) => number | null {
  const sorted = [...paces].sort((a, b) => a.wallAt - b.wallAt);
  return (wallAt) => {
    if (!sorted.length || wallAt < sorted[0].wallAt || (endedAt !== undefined && wallAt > endedAt)) return null;
    let pace = sorted[0];
    for (const p of sorted) {
      if (p.wallAt > wallAt) break;
      pace = p;
    }
    return pace.drillMs + (wallAt - pace.wallAt) * pace.rate;
  };
}
