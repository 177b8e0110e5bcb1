// The InjectPort on the core: each inject enters the console through the intake live data uses, flagged drill —
//   drone-scenario → a scenario started in the drill range (its detections reach the fusion flagged drill);
//   camera-event   → the analytic alarm the video pipeline raises for that camera, as a drill alarm;
//   camera-outage  → a drill camera-offline alarm for the camera (its live state is not touched), lifted by the
//                    system after its duration in drill time;
//   unit-report    → the unit's terminal report (accepted/arrived/done on its drill order, or a position);
//   zone-crossing  → a drill track at the place, through the track service (its touch-circle alarm is a drill alarm);
//   alarm          → a manual drill alarm (source 'drill').
// Before each inject fires, the watch is told which alarm it should cause, so that the operators' actions on that
// alarm are timed against the step.
import type { Person } from '../../../shared/domain.ts';
import type { Camera } from '../../../shared/video.ts';
import type { PlanInject, PlanStep } from '../../../shared/drills.ts';
import type { AlarmService, RaiseAlarm } from '../alarms/alarm-service.ts';
import type { Clock, Timer } from '../clock.ts';
import type { TrackService } from '../tracks/track-service.ts';
import type { UnitsCore } from '../units/units-core.ts';
import type { CameraRegistry } from '../video/camera-registry.ts';
import { analyticAlarm, groupAlarm, VIDEO_QUIET_AFTER_CLOSE_MS, videoMerge } from '../video/video-alarms.ts';
import { SCENARIO_NAMES } from '../../../sim/drone-detection/scenarios.ts';
import type { InjectPort } from './drill-engine-types.ts';
import type { DrillRange } from './drill-range.ts';
import type { AlarmMatcher } from './drill-watch.ts';

/** The track service's source of drill tracks (zone crossings). */
export const DRILL_TRACK_SOURCE = 'drill';
/** How the system words the end of a drill camera outage. */
export const DRILL_OUTAGE_LIFTED_NOTE = '系统：演练摄像机离线科目结束 (drill camera outage over)';

/**
 * The name of a zone-crossing's drill track, as the map and its touch-circle alarm show it: 演练目标 and the first
 * clause of the step's action ("演练目标 同伙驾车向机场高速方向逃离"), never the drill's id.
 */
export function drillTrackName(action: string | undefined): string {
  return `演练目标 ${firstClause(action ?? '') || '触圈科目'}`;
}

/** The first clause of a text (up to its first comma or full stop), at most `max` characters. */
export function firstClause(text: string, max = 20): string {
  const clause = text.trim().split(/[，,；;。.：:]/)[0].trim();
  const chars = Array.from(clause);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clause;
}

type AnalyticEvent = Parameters<typeof analyticAlarm>[1];
const ANALYTIC_EVENTS: readonly AnalyticEvent[] = ['line-crossing', 'intrusion', 'loitering', 'unattended-object', 'face-watchlist', 'tamper'];

/** A camera of the running console by its full id (`vms/T2-DEP-03`) or by the source's own id (`T2-DEP-03`) when only one source has it. */
export function findCamera(cameras: Pick<CameraRegistry, 'get' | 'list'>, name: string): Camera | undefined {
  const exact = cameras.get(name);
  if (exact) return exact;
  const byOwnId = cameras.list().filter((c) => c.cameraId === name);
  return byOwnId.length === 1 ? byOwnId[0] : undefined;
}

/**
 * What a plan's injects name that this console does not have now (cameras, scenarios, units, perception
 * circles, analytic events): one line each, with where in the plan. Empty when the plan can run here.
 */
export function missingForInjects(plan: { steps: PlanStep[] }, have: {
  cameras: Pick<CameraRegistry, 'get' | 'list'>; unitIds: ReadonlySet<string>; circleIds: ReadonlySet<string>;
}): string[] {
  const problems: string[] = [];
  const cameraNames = () => have.cameras.list().map((c) => c.id).slice(0, 8).join(', ') || 'none';
  for (const step of plan.steps) {
    const inj = step.inject;
    if (!inj) continue;
    const where = `step ${step.id}${step.line ? ` (line ${step.line})` : ''}`;
    if ((inj.kind === 'camera-event' || inj.kind === 'camera-outage') && !findCamera(have.cameras, inj.camera)) {
      problems.push(`${where}: no camera "${inj.camera}" in this console (it has ${cameraNames()}${have.cameras.list().length > 8 ? ', …' : ''})`);
    }
    if (inj.kind === 'camera-event' && !ANALYTIC_EVENTS.includes(inj.event as AnalyticEvent)) {
      problems.push(`${where}: no camera event "${inj.event}" (there are ${ANALYTIC_EVENTS.join(', ')})`);
    }
    if (inj.kind === 'drone-scenario' && !(SCENARIO_NAMES as readonly string[]).includes(inj.scenario)) {
      problems.push(`${where}: the drone simulator has no scenario "${inj.scenario}" (it has ${SCENARIO_NAMES.join(', ')})`);
    }
    if (inj.kind === 'unit-report' && !have.unitIds.has(inj.unit)) problems.push(`${where}: no unit "${inj.unit}" in this console`);
    if (inj.kind === 'zone-crossing' && !have.circleIds.has(inj.zone)) {
      problems.push(`${where}: the site has no perception circle "${inj.zone}" (it has ${[...have.circleIds].join(', ')})`);
    }
  }
  return problems;
}

export interface DrillInjectorsDeps {
  drillId: string;
  clock: Clock;
  alarms: AlarmService;
  cameras: Pick<CameraRegistry, 'get' | 'list'>;
  tracks: Pick<TrackService, 'reportBatch'>;
  units: Pick<UnitsCore, 'units' | 'dispatch'>;
  /** The drill range (only a plan with drone injects has one). */
  range: DrillRange | null;
  /** Who injects: the coordinator who started the drill (their terminal reports go on the record as theirs). */
  by: Person;
  speed: number;
  /** The watch: which alarm a step's inject should cause, and the alarm it did cause when raised here. */
  expect(stepId: string, match: AlarmMatcher): void;
  link(stepId: string, alarmId: string): void;
  /** The drill ended or was aborted: remove every drill object (idempotent). */
  clear(): Promise<void>;
  log: (line: string) => void;
}

interface DrillTimer {
  /** Drill ms left when last scheduled, and the core's time then. */
  leftMs: number;
  since: number;
  timer: Timer | null;
  fn: () => void;
}

export class DrillInjectors implements InjectPort {
  private rate: number;
  private readonly timers = new Set<DrillTimer>();
  /** Drill outages in force: camera id → the alarm key. */
  private readonly outages = new Map<string, string>();
  private stopped = false;

  private readonly trackNames = new Set<string>();

  constructor(private readonly deps: DrillInjectorsDeps) {
    this.rate = deps.speed;
  }

  async fire(inject: PlanInject, ctx: { drillId: string; step: PlanStep; seed: number; drillMs: number }): Promise<void> {
    if (this.stopped) throw new Error('the drill is over');
    const stepId = ctx.step.id;
    const tag = `${this.deps.drillId.slice(0, 8)}-${stepId}`;
    switch (inject.kind) {
      case 'drone-scenario': {
        if (!this.deps.range) throw new Error('this drill has no drill range');
        this.deps.expect(stepId, (a) => a.type === 'drone-threat' || a.type === 'drone-swarm');
        await this.deps.range.startScenario(inject.scenario);
        return;
      }
      case 'camera-event': {
        const camera = this.camera(inject.camera);
        const event = inject.event as AnalyticEvent;
        if (!ANALYTIC_EVENTS.includes(event)) throw new Error(`no camera event "${inject.event}"`);
        this.deps.expect(stepId, (a) => a.type === 'video-analytic' && a.details.cameraId === camera.id);
        const input = drillAlarm(analyticAlarm(camera, event, `drill-${tag}`, null), this.deps.drillId);
        const [alarm] = await this.deps.alarms.report([input], this.deps.by, videoMerge(), { quietAfterCloseMs: VIDEO_QUIET_AFTER_CLOSE_MS });
        if (alarm) this.deps.link(stepId, alarm.id);
        return;
      }
      case 'camera-outage': {
        const camera = this.camera(inject.camera);
        this.deps.expect(stepId, (a) => a.type === 'camera-offline' && a.details.cameraIds.includes(camera.id));
        const key = `drill:${this.deps.drillId}:camera-offline:${camera.id}`;
        const input = { ...drillAlarm(groupAlarm('camera-offline', camera.sourceId, key, null, [camera], 1), this.deps.drillId), key };
        const [alarm] = await this.deps.alarms.report([input], this.deps.by, videoMerge(new Set([key])));
        if (alarm) this.deps.link(stepId, alarm.id);
        this.outages.set(camera.id, key);
        this.after(inject.durationS * 1000, () => void this.liftOutage(camera.id));
        return;
      }
      case 'unit-report':
        await this.unitReport(inject, tag);
        return;
      case 'zone-crossing': {
        const trackId = this.trackName(ctx.step);
        this.deps.expect(stepId, (a) => (a.type === 'touch-circle' || a.type === 'clearance-penetration') && a.details.trackId === trackId);
        await this.deps.tracks.reportBatch(DRILL_TRACK_SOURCE, [{ trackId, position: inject.position, drill: true, attributes: { classification: 'unknown' } }]);
        return;
      }
      case 'alarm': {
        const note = typeof inject.note === 'string' ? inject.note : inject.note.zh;
        const alarm = await this.deps.alarms.raise(
          { source: 'drill', type: 'manual', severity: inject.severity, position: inject.position, details: { note }, drill: true }, this.deps.by,
        );
        this.deps.link(stepId, alarm.id);
        return;
      }
    }
  }

  /** The drill's speed (0: paused): the range's clock and the outages' timers follow. */
  async setSpeed(speed: number): Promise<void> {
    if (this.stopped || speed === this.rate) return;
    const now = this.deps.clock.now();
    for (const t of this.timers) {
      t.leftMs -= (now - t.since) * this.rate;
      t.since = now;
      t.timer?.cancel();
      t.timer = null;
    }
    this.rate = speed;
    for (const t of this.timers) this.arm(t);
    await this.deps.range?.setSpeed(speed);
  }

  async stop(_aborted: boolean): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) t.timer?.cancel();
    this.timers.clear();
    this.outages.clear();
    await this.deps.clear();
  }

  /** A drill track's name, unique within the drill (a second crossing with the same words gets a number). */
  private trackName(step: PlanStep): string {
    const base = drillTrackName(step.action.zh);
    let name = base;
    for (let n = 2; this.trackNames.has(name); n++) name = `${base} ${n}`;
    this.trackNames.add(name);
    return name;
  }

  private camera(name: string): Camera {
    const camera = findCamera(this.deps.cameras, name);
    if (!camera) throw new Error(`no camera "${name}" in this console`);
    return camera;
  }

  /** Runs `fn` once `drillMs` of drill time have passed (standing still while the drill is paused). */
  private after(drillMs: number, fn: () => void): void {
    const t: DrillTimer = { leftMs: drillMs, since: this.deps.clock.now(), timer: null, fn };
    this.timers.add(t);
    this.arm(t);
  }

  private arm(t: DrillTimer): void {
    if (this.rate <= 0) return;
    t.timer = this.deps.clock.setTimeout(() => {
      this.timers.delete(t);
      t.fn();
    }, Math.max(0, t.leftMs / this.rate));
  }

  /** The outage's time is up: the system closes its drill alarm, as it closes a group's when its cameras are back. */
  private async liftOutage(cameraId: string): Promise<void> {
    const key = this.outages.get(cameraId);
    if (!key || this.stopped) return;
    this.outages.delete(cameraId);
    try {
      await this.deps.alarms.resolveByKey(key, DRILL_OUTAGE_LIFTED_NOTE);
    } catch (err) {
      this.deps.log(`drill ${this.deps.drillId}: lifting the outage of camera ${cameraId} failed: ${(err as Error).message}`);
    }
  }

  /** A unit's terminal report: on the unit's drill order (never a live one), or its position. */
  private async unitReport(inject: Extract<PlanInject, { kind: 'unit-report' }>, tag: string): Promise<void> {
    const { units, dispatch } = this.deps.units;
    const unit = units.require(inject.unit);
    const at = this.deps.clock.now();
    const reportId = `drill-${tag}`;
    if (inject.report === 'position') {
      const position = inject.position ?? unit.position;
      if (!position) throw new Error(`unit ${inject.unit}: a position report needs a position (the unit has none)`);
      await dispatch.terminalReport(unit.id, { reportId, kind: 'position', position: { lon: position.lon, lat: position.lat }, at }, this.deps.by);
      return;
    }
    const state = await dispatch.terminalState(unit.id);
    const order = state.orders.find((o) => o.order.drill)?.order;
    if (!order) {
      const live = state.orders.length ? ' (it is on a live order, which a drill never touches)' : '';
      throw new Error(`unit ${unit.callSign} has no drill order to report ${inject.report} on${live}`);
    }
    const kind = inject.report === 'accepted' ? 'acknowledge' : inject.report === 'arrived' ? 'arrive' : 'done';
    await dispatch.terminalReport(unit.id, { reportId, kind, orderId: order.id, at }, this.deps.by);
  }
}

/** A video report made a drill alarm: source 'drill', flagged, keyed apart from any live alarm of the camera. */
function drillAlarm<T extends RaiseAlarm>(input: T, drillId: string): T {
  return { ...input, source: 'drill', drill: true, key: input.key ? `drill:${drillId}:${input.key}` : undefined };
}

