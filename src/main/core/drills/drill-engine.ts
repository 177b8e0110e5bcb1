// The drill engine: runs a plan's timeline on the drill's own clock (drill-clock.ts) over the core's clock port,
// fires each step's inject through the InjectPort, waits for and branches on the operators' actions, and times
// every expected action against its target. Pure logic: no I/O but the port, no wall time in its log, so that one
// plan and one seed on a ManualClock give a byte-identical log on every run.
//
// Time points ("deadlines") the engine schedules, one clock timer at a time for the earliest:
//  - a step's atS: a timed step fires, a `when` step starts waiting (or fires if its action already happened), an
//    `ifNot` step fires or is not needed;
//  - an expectation's reference + target: logged 'overdue' once if not met by then.
// An expectation is timed from the fire of the step it names; an action on an alarm (acknowledged, dispatched, on
// scene …) from the raise of the drill alarm that step's inject caused once it came (alarmRaised): the 1-3-5 rule
// counts from the alarm. An inject that raises an alarm holds its alarm actions' overdue until the alarm comes.
// Deadlines at one drill time are handled steps first, then expectations, each in file order.
import type { DrillStatus, DrillStepState, ExpectedAction, Plan, PlanInject, PlanStep, StepCondition } from '../../../shared/drills.ts';
import type { Clock, Timer } from '../clock.ts';
import { assertDrillSpeed, DrillClock } from './drill-clock.ts';
import { ALARM_ACTIONS, type DrillLogEntry, type DrillLogKind, type InjectPort } from './drill-engine-types.ts';

export interface DrillEngineOptions {
  drillId: string;
  plan: Plan;
  clock: Clock;
  seed: number;
  speed: number;
  inject: InjectPort;
  onLog?: (e: DrillLogEntry) => void;
  onChange?: () => void;
}

/** What the engine keeps of one step as the drill runs. */
interface StepRun {
  step: PlanStep;
  index: number;
  atMs: number;
  /** Its atS has come (a `when` step may still be waiting). */
  reached: boolean;
  firedAtMs?: number;
  /** The drill ms its inject's drill alarm was raised. */
  alarmAtMs?: number;
  notNeeded: boolean;
  met?: { atMs: number; late: boolean };
  /** Done by the coordinator's hand, for a step with no expectation. */
  confirmedAtMs?: number;
  overdueLogged: boolean;
  missed: boolean;
}

const conditionKey = (action: ExpectedAction, of: string) => `${action}\u0000${of}`;

/** Injects that enter the console as a drill alarm (a unit's report raises none). */
const raisesAlarm = (inject: PlanInject | undefined) => !!inject && inject.kind !== 'unit-report';

export class DrillEngine {
  readonly drillId: string;
  private readonly plan: Plan;
  private readonly clock: Clock;
  private readonly seed: number;
  private readonly port: InjectPort;
  private readonly onLog?: (e: DrillLogEntry) => void;
  private readonly onChange?: () => void;
  private readonly time: DrillClock;
  private readonly runs: StepRun[];
  private readonly byId = new Map<string, StepRun>();
  /** Conditions some step refers to (expect, when, ifNot): only these are observed. */
  private readonly watched = new Set<string>();
  /** The first drill ms each watched condition happened. */
  private readonly happened = new Map<string, number>();
  private readonly entries: DrillLogEntry[] = [];
  private state: DrillStatus | 'ready' = 'ready';
  private timer: Timer | null = null;
  private processing = false;

  constructor(opts: DrillEngineOptions) {
    this.drillId = opts.drillId;
    this.plan = opts.plan;
    this.clock = opts.clock;
    this.seed = opts.seed;
    this.port = opts.inject;
    this.onLog = opts.onLog;
    this.onChange = opts.onChange;
    this.time = new DrillClock(opts.clock, opts.speed);
    this.runs = opts.plan.steps.map((step, index) => ({
      step, index, atMs: step.atS * 1000, reached: false, notNeeded: false, overdueLogged: false, missed: false,
    }));
    for (const run of this.runs) {
      if (this.byId.has(run.step.id)) throw new Error(`plan ${opts.plan.id}: step id "${run.step.id}" is used twice`);
      if (!Number.isFinite(run.step.atS) || run.step.atS < 0) throw new Error(`plan ${opts.plan.id}: step "${run.step.id}" has a bad time ${String(run.step.atS)}`);
      this.byId.set(run.step.id, run);
    }
    for (const { step } of this.runs) {
      for (const [name, cond] of [['expect', step.expect], ['when', step.when], ['if-not', step.ifNot]] as const) {
        if (!cond) continue;
        if (!this.byId.has(cond.of)) throw new Error(`plan ${opts.plan.id}: step "${step.id}" ${name} names an unknown step "${cond.of}"`);
        this.watched.add(conditionKey(cond.action, cond.of));
      }
      if (step.expect && !(Number.isFinite(step.expect.targetS) && step.expect.targetS >= 0)) {
        throw new Error(`plan ${opts.plan.id}: step "${step.id}" has a bad target ${String(step.expect.targetS)}`);
      }
    }
  }

  /** 'paused' before the start too: drill time stands at T+0 until start(). */
  get status(): DrillStatus {
    return this.state === 'ready' ? 'paused' : this.state;
  }

  get speed(): number {
    return this.time.speed;
  }

  drillMs(): number {
    return this.time.nowMs();
  }

  /** The drill time at a wall time of the core's clock (through pauses, speed changes, skips); null outside the drill. */
  toDrillMs(wallAt: number): number | null {
    return this.time.toDrillMs(wallAt);
  }

  start(): void {
    if (this.state !== 'ready') throw new Error(`drill ${this.drillId} has already started`);
    this.time.start();
    this.state = 'running';
    this.write('start', 0);
    this.advance();
  }

  pause(): void {
    this.requireStarted();
    if (this.state !== 'running') return;
    this.advance();
    this.time.pause();
    this.state = 'paused';
    this.write('pause', this.time.nowMs());
    this.reschedule();
    this.follow(0);
    this.changed();
  }

  resume(): void {
    this.requireStarted();
    if (this.state !== 'paused') return;
    this.time.resume();
    this.state = 'running';
    this.write('resume', this.time.nowMs());
    this.follow(this.time.speed);
    this.advance();
  }

  setSpeed(speed: number): void {
    this.requireStarted();
    assertDrillSpeed(speed);
    if (this.state === 'running') this.advance();
    this.time.setSpeed(speed);
    this.write('speed', this.time.nowMs(), { detail: speed });
    if (this.state === 'running') this.follow(speed);
    this.reschedule();
    this.changed();
  }

  skip(): void {
    this.requireStarted();
    this.process(this.time.exactMs());
    const now = this.time.exactMs();
    let target = Infinity;
    for (const run of this.runs) if (!run.reached && run.atMs > now && run.atMs < target) target = run.atMs;
    if (target === Infinity) return;
    this.write('skip', this.time.nowMs(), { detail: target });
    this.time.jumpTo(target);
    this.process(target);
    this.reschedule();
    this.changed();
  }

  end(): void {
    this.requireStarted();
    if (this.state === 'running') this.process(this.time.exactMs());
    const at = this.time.nowMs();
    this.stopTime();
    for (const run of this.runs) {
      if (!run.step.expect || run.met || run.notNeeded) continue;
      run.missed = true;
      this.write('missed', at, { stepId: run.step.id, action: run.step.expect.action });
    }
    this.write('end', at);
    this.state = 'ended';
    this.changed();
    this.stopPort(false);
  }

  abort(reason: string): void {
    this.requireStarted();
    const at = this.time.nowMs();
    this.stopTime();
    this.write('abort', at, { detail: reason });
    this.state = 'aborted';
    this.changed();
    this.stopPort(true);
  }

  /** The console saw `action` for the inject/step `of`; ignored unless some step expects or waits for it. */
  observe(action: ExpectedAction, of: string): void {
    this.requireStarted();
    const key = conditionKey(action, of);
    if (!this.watched.has(key) || this.happened.has(key)) return;
    if (this.state === 'running') this.process(this.time.exactMs());
    const at = this.time.nowMs();
    this.happened.set(key, at);
    for (const run of this.runs) {
      const exp = run.step.expect;
      if (exp && exp.action === action && exp.of === of) this.meet(run, at);
    }
    // A `when` step already waiting fires now; one whose time has not come fires at its atS.
    for (const run of this.runs) {
      if (run.reached && run.firedAtMs === undefined && !run.notNeeded && this.matches(run.step.when, action, of)) this.fire(run, at);
    }
    this.reschedule();
    this.changed();
  }

  /**
   * The drill alarm step `of`'s inject caused was raised, at drill ms `drillMs` (now if not given; never later
   * than now). Only its first alarm counts; actions on it are timed from then.
   */
  alarmRaised(of: string, drillMs?: number): void {
    this.requireStarted();
    const run = this.byId.get(of);
    if (!run) throw new Error(`drill ${this.drillId}: no step "${of}" in plan ${this.plan.id}`);
    if (run.alarmAtMs !== undefined) return;
    if (this.state === 'running') this.process(this.time.exactMs());
    const now = this.time.nowMs();
    const at = drillMs === undefined || !Number.isFinite(drillMs) ? now : Math.max(0, Math.min(now, Math.round(drillMs)));
    run.alarmAtMs = at;
    this.write('alarm', at, { stepId: of });
    this.reschedule();
    this.changed();
  }

  /** The coordinator confirms a step: meets its expectation (a 'confirmed' one, or any by hand) and satisfies 'confirmed' conditions on it. */
  confirm(stepId: string): void {
    this.requireStarted();
    const run = this.byId.get(stepId);
    if (!run) throw new Error(`drill ${this.drillId}: no step "${stepId}" in plan ${this.plan.id}`);
    if (this.state === 'running') this.process(this.time.exactMs());
    const at = this.time.nowMs();
    this.write('confirm', at, { stepId });
    if (run.step.expect) this.meet(run, at);
    else if (run.confirmedAtMs === undefined) run.confirmedAtMs = at;
    this.observe('confirmed', stepId);
    this.reschedule();
    this.changed();
  }

  /** The coordinator's note, at the drill time now; returns that drill ms. */
  observation(text: string, stepId?: string): number {
    this.requireStarted();
    if (stepId !== undefined && !this.byId.has(stepId)) throw new Error(`drill ${this.drillId}: no step "${stepId}" in plan ${this.plan.id}`);
    const at = this.time.nowMs();
    this.write('observe', at, { stepId, detail: text });
    this.changed();
    return at;
  }

  steps(): DrillStepState[] {
    return this.runs.map((run) => {
      const s: DrillStepState = { stepId: run.step.id, atS: run.step.atS, unit: run.step.unit, action: run.step.action, status: this.statusOf(run) };
      if (run.firedAtMs !== undefined) s.firedAtMs = run.firedAtMs;
      const doneAt = run.met?.atMs ?? run.confirmedAtMs;
      if (doneAt !== undefined) s.doneAtMs = doneAt;
      if (run.step.expect) s.targetS = run.step.expect.targetS;
      return s;
    });
  }

  log(): readonly DrillLogEntry[] {
    return this.entries;
  }

  // --- time -------------------------------------------------------------------------------------------------

  /** Handles what is due by drill time now, then sets the timer for the next deadline. */
  private advance(): void {
    this.process(this.time.exactMs());
    this.reschedule();
    this.changed();
  }

  /** Handles every deadline up to drill ms `upTo`, in time order (steps, then expectations, in file order). */
  private process(upTo: number): void {
    // A port may call back into the engine as it takes an inject (even end it): the outer pass goes on, re-checking.
    if (this.processing) return;
    this.processing = true;
    try {
      this.processPass(upTo);
    } finally {
      this.processing = false;
    }
  }

  private processPass(upTo: number): void {
    for (;;) {
      if (this.isOver()) return;
      const t = this.nextDeadline();
      if (t === undefined || t > upTo) return;
      for (const run of this.runs) if (!this.isOver() && !run.reached && run.atMs === t) this.reach(run);
      for (const run of this.runs) if (!this.isOver() && this.overdueAt(run) === t) {
        run.overdueLogged = true;
        this.write('overdue', t, { stepId: run.step.id, action: run.step.expect!.action });
      }
    }
  }

  private nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const run of this.runs) {
      if (!run.reached && (next === undefined || run.atMs < next)) next = run.atMs;
      const due = this.overdueAt(run);
      if (due !== undefined && (next === undefined || due < next)) next = due;
    }
    return next;
  }

  private reschedule(): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.state !== 'running') return;
    const next = this.nextDeadline();
    if (next === undefined) return;
    const delay = this.time.wallDelayUntil(next);
    if (delay === null) return;
    this.timer = this.clock.setTimeout(() => this.onTimer(next), delay);
  }

  private onTimer(deadline: number): void {
    this.timer = null;
    if (this.state !== 'running') return;
    // A host timer may fire up to a millisecond of wall time before the exact drill time (Date.now() is whole
    // ms): the deadline has come all the same, and drill time reads no earlier from now on, without drifting ahead.
    if ((this.time.wallDelayUntil(deadline) ?? 0) > 1) {
      this.reschedule();
      return;
    }
    this.time.holdAtLeast(deadline);
    this.advance();
  }

  private stopTime(): void {
    this.timer?.cancel();
    this.timer = null;
    this.time.stop();
  }

  // --- steps ------------------------------------------------------------------------------------------------

  private reach(run: StepRun): void {
    run.reached = true;
    const { when, ifNot } = run.step;
    if (when) {
      if (this.happened.has(conditionKey(when.action, when.of))) this.fire(run, run.atMs);
      return;
    }
    if (ifNot && this.happened.has(conditionKey(ifNot.action, ifNot.of))) {
      run.notNeeded = true;
      this.write('not-needed', run.atMs, { stepId: run.step.id, action: ifNot.action });
      return;
    }
    this.fire(run, run.atMs);
  }

  private fire(run: StepRun, atMs: number): void {
    run.firedAtMs = atMs;
    const step = run.step;
    this.write('fire', atMs, { stepId: step.id });
    if (!step.inject) return;
    let handed: Promise<void>;
    try {
      handed = this.port.fire(step.inject, { drillId: this.drillId, step, seed: this.seed, drillMs: atMs });
    } catch (e) {
      handed = Promise.reject(e);
    }
    handed.then(undefined, (e: unknown) => {
      this.write('inject-failed', atMs, { stepId: step.id, detail: message(e) });
      this.changed();
    });
  }

  /** The expected action happened at drill ms `at`: done within its target, else late. */
  private meet(run: StepRun, at: number): void {
    const exp = run.step.expect!;
    if (run.met || run.notNeeded || run.missed) return;
    const ref = this.referenceMs(run) ?? run.atMs;
    const late = at - ref > exp.targetS * 1000;
    run.met = { atMs: at, late };
    this.write(late ? 'late' : 'done', at, { stepId: run.step.id, action: exp.action, detail: Math.max(0, at - ref) });
  }

  /**
   * The drill ms an expectation is timed from: the fire of step `of`; the step's own atS when `of` is itself and
   * has not fired, or was not needed; undefined while another step `of` may still fire (no overdue before it does).
   * An action on an alarm is timed from the raise of `of`'s drill alarm once it came (never before the fire).
   */
  private referenceMs(run: StepRun): number | undefined {
    const of = this.byId.get(run.step.expect!.of)!;
    let ref: number | undefined;
    if (of.firedAtMs !== undefined) ref = of.firedAtMs;
    else if (of === run || of.notNeeded) ref = run.atMs;
    if (of.alarmAtMs !== undefined && ALARM_ACTIONS.has(run.step.expect!.action)) ref = Math.max(ref ?? 0, of.alarmAtMs);
    return ref;
  }

  private overdueAt(run: StepRun): number | undefined {
    if (!run.step.expect || run.met || run.notNeeded || run.overdueLogged || run.missed) return undefined;
    // Nobody can act on an alarm that is not there yet: its actions are not overdue before it comes.
    const of = this.byId.get(run.step.expect.of)!;
    if (ALARM_ACTIONS.has(run.step.expect.action) && raisesAlarm(of.step.inject) && of.alarmAtMs === undefined) return undefined;
    const ref = this.referenceMs(run);
    return ref === undefined ? undefined : ref + run.step.expect.targetS * 1000;
  }

  private statusOf(run: StepRun): DrillStepState['status'] {
    if (run.notNeeded) return 'skipped';
    if (run.met) return run.met.late ? 'late' : 'done';
    if (run.confirmedAtMs !== undefined) return 'done';
    if (run.missed) return 'missed';
    if (run.firedAtMs !== undefined) return 'fired';
    return run.reached ? 'waiting' : 'pending';
  }

  private matches(cond: StepCondition | undefined, action: ExpectedAction, of: string): boolean {
    return !!cond && cond.action === action && cond.of === of;
  }

  // --- the port, the log ------------------------------------------------------------------------------------

  /** Simulators that run scenarios follow the drill's speed (0 = paused). */
  private follow(speed: number): void {
    if (!this.port.setSpeed) return;
    let p: Promise<void>;
    try {
      p = this.port.setSpeed(speed);
    } catch (e) {
      p = Promise.reject(e);
    }
    const at = this.time.nowMs();
    p.then(undefined, (e: unknown) => this.write('inject-failed', at, { detail: `speed ${speed}: ${message(e)}` }));
  }

  private stopPort(aborted: boolean): void {
    if (!this.port.stop) return;
    let p: Promise<void>;
    try {
      p = this.port.stop(aborted);
    } catch (e) {
      p = Promise.reject(e);
    }
    const at = this.time.nowMs();
    p.then(undefined, (e: unknown) => this.write('inject-failed', at, { detail: `stop: ${message(e)}` }));
  }

  /** Appends a log line with a fixed key order (byte-identical JSON across runs). */
  private write(kind: DrillLogKind, drillMs: number, extra: { stepId?: string; action?: ExpectedAction; detail?: string | number } = {}): void {
    const e: DrillLogEntry = { seq: this.entries.length + 1, drillMs: Math.round(drillMs), kind };
    if (extra.stepId !== undefined) e.stepId = extra.stepId;
    if (extra.action !== undefined) e.action = extra.action;
    if (extra.detail !== undefined) e.detail = typeof extra.detail === 'number' ? Math.round(extra.detail * 1000) / 1000 : extra.detail;
    this.entries.push(e);
    if (!this.onLog) return;
    try {
      this.onLog(e);
    } catch (err) {
      console.error(`drill ${this.drillId}: the log listener failed:`, err);
    }
  }

  private changed(): void {
    if (!this.onChange) return;
    try {
      this.onChange();
    } catch (err) {
      console.error(`drill ${this.drillId}: the change listener failed:`, err);
    }
  }

  private isOver(): boolean {
    return this.state === 'ended' || this.state === 'aborted';
  }

  private requireStarted(): void {
    if (this.state === 'ready') throw new Error(`drill ${this.drillId} has not started`);
    if (this.state === 'ended' || this.state === 'aborted') throw new Error(`drill ${this.drillId} is over (${this.state})`);
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
