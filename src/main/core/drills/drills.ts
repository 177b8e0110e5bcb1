// Drills (应急演练): one at a time, run by the engine on its own clock, its injects fired into the console flagged
// drill (drill-injectors.ts, the drill range), the operators' actions on its alarms observed and timed
// (drill-watch.ts), every control on the record in the transaction that writes the drill's row, and the drill's
// log kept with wall times for the after-action report and playback. The console's mode is 'drill' while one
// runs. An end or an abort takes every drill object out of the live views (open drill alarms closed by the
// system as 演练, drill tracks dropped, drill outages lifted, the range stopped); a live alarm is never touched.
// A host that stopped mid-drill finds it at start-up and marks it aborted ('host-restart').
import { randomUUID } from 'node:crypto';
import type { Person, SystemStatus } from '../../../shared/domain.ts';
import type { AfterActionReport, DrillObservation, DrillState, DrillStepState, Plan } from '../../../shared/drills.ts';
import { SYSTEM, type AlarmService } from '../alarms/alarm-service.ts';
import type { AuditEntry } from '../alarms/alarm-repository.ts';
import { ApiError } from '../calls.ts';
import type { Clock, Timer } from '../clock.ts';
import type { CoreConfig } from '../config.ts';
import type { DroneFusion } from '../drones/fusion.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { DataSources } from '../sources/data-sources.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { Database } from '../store/database.ts';
import type { TrackService } from '../tracks/track-service.ts';
import type { UnitsCore } from '../units/units-core.ts';
import type { CameraRegistry } from '../video/camera-registry.ts';
import { buildAfterActionReport } from './after-action.ts';
import { DrillEngine } from './drill-engine.ts';
import type { DrillLogEntry } from './drill-engine-types.ts';
import { DRILL_TRACK_SOURCE, DrillInjectors, missingForInjects } from './drill-injectors.ts';
import { startDrillRange, type DrillRange } from './drill-range.ts';
import { DrillRepository, type DrillRecord, type StoredLogEntry } from './drill-repository.ts';
import { DrillWatch } from './drill-watch.ts';
import type { PlanLibrary } from './plan-library.ts';

export type DrillControl = 'pause' | 'resume' | 'skip' | 'end' | 'abort';

/** 'drill.changed' at most this often (core clock): a 10× drill must not flood the seats. */
export const DRILL_PUBLISH_EVERY_MS = 250;
/** Observations a drill keeps (a real drill has dozens): beyond, the coordinator is told so. */
export const MAX_OBSERVATIONS = 500;
/** Events and the panel carry the newest observations only, so that each one sends little; the report has them all. */
export const OBSERVATIONS_IN_EVENTS = 30;
/** How the system words closing a drill's alarms at its end. */
export const DRILL_ALARM_CLOSE_NOTE = { ended: '系统：演练结束，演练告警关闭 (drill ended)', aborted: '系统：演练中止，演练告警关闭 (drill aborted)' };

export interface DrillsDeps {
  db: Database;
  clock: Clock;
  bus: EventBus;
  config: Pick<CoreConfig, 'sitePath' | 'appRoot'>;
  site: SiteModel;
  alarms: AlarmService;
  plans: Pick<PlanLibrary, 'get'>;
  cameras: Pick<CameraRegistry, 'get' | 'list'>;
  tracks: Pick<TrackService, 'reportBatch' | 'removeSource'>;
  drones: Pick<DroneFusion, 'dropDrill'>;
  units: Pick<UnitsCore, 'units' | 'dispatch'>;
  sources: Pick<DataSources, 'startDrillSources'>;
  setMode(mode: SystemStatus['mode']): void;
  log: (line: string) => void;
  /** Starts the drill range (tests may pass their own). */
  startRange?: typeof startDrillRange;
}

interface Active {
  id: string;
  plan: Plan;
  seed: number;
  startSpeed: number;
  startedAt: number;
  coordinator: Person;
  engine: DrillEngine;
  injectors: DrillInjectors;
  watch: DrillWatch;
  range: DrillRange | null;
  /** Log entries not yet stored. */
  pending: StoredLogEntry[];
  observations: DrillObservation[];
  alarmIds: Map<string, string>;
  /** Row writes, one after another. */
  chain: Promise<void>;
  finishing: Promise<DrillState> | null;
  /** How it is finishing, once it is. */
  ending: 'ended' | 'aborted' | null;
  /** Its engine has started: before that it cannot be steered. */
  started: boolean;
}

/**
 * Maps a wall time (the core's clock: alarm times) to drill time through a drill's stored log: its start, pauses,
 * resumptions, speed changes and skips (and the exact drill times of its fires); null before the start or after
 * the end. `startSpeed` is the speed the drill started at.
 */
export function drillTimeOf(log: readonly StoredLogEntry[], startSpeed: number): (wallAt: number) => number | null {
  const anchors: Array<{ wall: number; ms: number; rate: number }> = [];
  let speed = startSpeed;
  let running = false;
  let startWall: number | null = null;
  let endWall: number | null = null;
  for (const e of [...log].sort((a, b) => a.seq - b.seq)) {
    switch (e.kind) {
      case 'start': running = true; startWall ??= e.wallAt; break;
      case 'pause': running = false; break;
      case 'resume': running = true; break;
      case 'speed': if (Number.isFinite(Number(e.detail))) speed = Number(e.detail); break;
      case 'end': case 'abort': running = false; endWall ??= e.wallAt; break;
      case 'fire': break;
      case 'skip': {
        // Logged at the drill time it jumped from; its detail is where it jumped to.
        const to = Number(e.detail);
        anchors.push({ wall: e.wallAt, ms: Number.isFinite(to) ? to : e.drillMs, rate: running ? speed : 0 });
        continue;
      }
      default: continue; // other entries carry drill times of events, not of the clock
    }
    anchors.push({ wall: e.wallAt, ms: e.drillMs, rate: running ? speed : 0 });
  }
  return (wallAt) => {
    if (startWall === null || wallAt < startWall || (endWall !== null && wallAt > endWall)) return null;
    let a = anchors[0];
    for (const x of anchors) if (x.wall <= wallAt) a = x;
    return Math.round(a.ms + (wallAt - a.wall) * a.rate);
  };
}

export class Drills {
  private readonly repo: DrillRepository;
  private active: Active | null = null;
  private starting = false;
  private lastPublished = Number.NEGATIVE_INFINITY;
  private publishTimer: Timer | null = null;
  private closed = false;

  constructor(private readonly deps: DrillsDeps) {
    this.repo = new DrillRepository(deps.db);
  }

  /**
   * At start-up: a drill left running or paused (the host stopped mid-drill) is aborted ('host-restart') on the
   * record, and every drill object left in the live views is cleared (nothing drills while the host starts).
   */
  async load(): Promise<void> {
    const at = this.deps.clock.now();
    for (const d of await this.repo.unfinished()) {
      const log = await this.repo.log(d.id);
      const last = log.at(-1);
      const entry: StoredLogEntry = { seq: (last?.seq ?? 0) + 1, drillMs: last?.drillMs ?? 0, kind: 'abort', detail: 'host-restart', wallAt: at };
      await this.deps.db.transaction(async (tx) => {
        await this.repo.appendLog(tx, d.id, [entry]);
        await this.repo.update(tx, d.id, { status: 'aborted', speed: d.speed, endedAt: at, abortReason: 'host-restart', steps: d.steps });
        await appendAudit(tx, [{ at, actor: SYSTEM.username, action: 'drill.abort', subject: d.id, details: { reason: 'host-restart', plan: d.planId } }]);
      });
      this.deps.log(`Drill ${d.id} (${d.planId}) was still running when the host stopped: marked aborted (host-restart).`);
    }
    await this.clearDrillObjects(null, 'aborted');
  }

  async start(planId: string, opts: { seed?: number; speed: number }, by: Person): Promise<DrillState> {
    if (this.closed) throw new ApiError('unavailable', 'the console is closing');
    if (this.active || this.starting) throw new ApiError('conflict', 'a drill is already running: end or abort it first', { reason: 'drill-running' });
    this.starting = true;
    try {
      return await this.startPlan(planId, opts, by);
    } finally {
      this.starting = false;
    }
  }

  private async startPlan(planId: string, opts: { seed?: number; speed: number }, by: Person): Promise<DrillState> {
    const plan = this.deps.plans.get(planId); // a plan that does not validate is refused here
    const missing = missingForInjects(plan, {
      cameras: this.deps.cameras,
      unitIds: new Set(this.deps.units.units.list().map((u) => u.id)),
      circleIds: new Set(this.deps.site.pack.perceptionCircles.map((c) => c.id)),
    });
    if (missing.length) {
      throw new ApiError('conflict', `plan ${plan.id} cannot run on this console: ${missing.join('; ')}`, { reason: 'plan-names-missing' });
    }
    if (!(opts.speed >= 0.5 && opts.speed <= 10)) throw new ApiError('bad-request', 'speed must be 0.5–10', { fields: [{ path: 'speed', problem: 'must be 0.5–10' }] });
    const seed = opts.seed ?? plan.seed;
    const id = randomUUID();
    const range = plan.steps.some((s) => s.inject?.kind === 'drone-scenario') ? await this.startRange(seed, opts.speed) : null;
    const startedAt = this.deps.clock.now();
    const a = {
      id, plan, seed, startSpeed: opts.speed, startedAt, coordinator: { username: by.username, displayName: by.displayName }, range,
      pending: [], observations: [], alarmIds: new Map(), chain: Promise.resolve(), finishing: null, ending: null, started: false,
    } as unknown as Active;
    a.watch = new DrillWatch({
      bus: this.deps.bus, plan,
      onPosition: (l) => this.deps.units.units.onPosition(l),
      observe: (action, of) => this.safely(a, () => a.engine.observe(action, of)),
      linked: (stepId, alarmId, raisedAt) => {
        a.alarmIds.set(stepId, alarmId);
        // The alarm's actions are timed from its raise, in drill time (the 1-3-5 rule counts from the alarm).
        this.safely(a, () => a.engine.alarmRaised(stepId, a.engine.toDrillMs(raisedAt) ?? undefined));
        this.changed(a);
      },
    }, () => this.deps.clock.now());
    a.injectors = new DrillInjectors({
      drillId: id, clock: this.deps.clock, alarms: this.deps.alarms, cameras: this.deps.cameras, tracks: this.deps.tracks, units: this.deps.units,
      range, by: a.coordinator, speed: opts.speed, log: this.deps.log,
      expect: (stepId, match) => a.watch.expect(stepId, match),
      link: (stepId, alarmId) => a.watch.link(stepId, alarmId),
      clear: () => this.clearDrillObjects(a, a.ending ?? 'aborted'),
    });
    a.engine = new DrillEngine({
      drillId: id, plan, clock: this.deps.clock, seed, speed: opts.speed, inject: a.injectors,
      onLog: (e) => a.pending.push({ ...e, wallAt: this.deps.clock.now() }),
      onChange: () => this.changed(a),
    });
    this.active = a;
    try {
      await this.deps.db.transaction(async (tx) => {
        await this.repo.insert(tx, this.record(a));
        await appendAudit(tx, [{ at: startedAt, actor: by.username, action: 'drill.start', subject: id, details: { plan: plan.id, version: plan.version, seed, speed: opts.speed } }]);
      });
    } catch (err) {
      this.active = null;
      a.watch.stop();
      await range?.stop();
      throw err;
    }
    a.engine.start();
    a.started = true;
    this.deps.setMode('drill');
    await this.persist(a);
    this.publishNow(a);
    return this.state(a);
  }

  async control(id: string, action: DrillControl, reason: string | undefined, by: Person): Promise<DrillState> {
    const a = await this.require(id);
    if (action === 'end' || action === 'abort') return this.finish(a, action === 'end' ? 'ended' : 'aborted', reason ?? '', by);
    this.steer(() => {
      if (action === 'pause') a.engine.pause();
      else if (action === 'resume') a.engine.resume();
      else a.engine.skip();
    });
    if (action === 'pause' || action === 'resume') await this.follow(a, action === 'pause' ? 0 : a.engine.speed);
    await this.persist(a, [this.audit(a, by, `drill.${action}`)]);
    return this.publishNow(a);
  }

  async setSpeed(id: string, speed: number, by: Person): Promise<DrillState> {
    const a = await this.require(id);
    this.steer(() => a.engine.setSpeed(speed));
    if (a.engine.status === 'running') await this.follow(a, speed);
    await this.persist(a, [this.audit(a, by, 'drill.speed', { speed })]);
    return this.publishNow(a);
  }

  async confirm(id: string, stepId: string, by: Person): Promise<DrillState> {
    const a = await this.require(id);
    this.requireStep(a, stepId);
    this.steer(() => a.engine.confirm(stepId));
    await this.persist(a, [this.audit(a, by, 'drill.confirm', { stepId })]);
    return this.publishNow(a);
  }

  async observe(id: string, text: string, stepId: string | undefined, by: Person): Promise<DrillObservation> {
    const a = await this.require(id);
    if (a.observations.length >= MAX_OBSERVATIONS) {
      throw new ApiError('conflict', `a drill keeps at most ${MAX_OBSERVATIONS} observations`, { reason: 'observations-full' });
    }
    if (stepId !== undefined) this.requireStep(a, stepId);
    let atMs = 0;
    this.steer(() => (atMs = a.engine.observation(text, stepId)));
    const wallAt = this.deps.clock.now();
    let obsId = 0;
    await this.persist(a, [this.audit(a, by, 'drill.observe', { stepId: stepId ?? null, length: text.length })], async (tx) => {
      obsId = await this.repo.addObservation(tx, a.id, { atMs, wallAt, by, text, stepId });
    });
    const observation: DrillObservation = { id: obsId, atMs, wallAt, by: by.displayName, text, ...(stepId !== undefined && { stepId }) };
    a.observations.push(observation);
    this.publishNow(a);
    return observation;
  }

  current(): DrillState | null {
    return this.active?.started && !this.active.finishing ? this.state(this.active, true) : null;
  }

  async list(limit: number): Promise<DrillState[]> {
    const rows = await this.repo.list(limit);
    return Promise.all(rows.map((r) => (this.active?.id === r.id ? this.state(this.active) : this.stored(r))));
  }

  async get(id: string): Promise<DrillState> {
    const active = this.active;
    if (active?.id === id) {
      if (!active.finishing) return this.state(active);
      // Ending now: what is asked for is the drill as it ended (its end time, the abort's reason), once stored.
      await active.finishing.catch(() => undefined);
    }
    const r = await this.repo.get(id);
    if (!r) throw new ApiError('not-found', `no drill ${id}`, { reason: 'no-such-drill' });
    return this.stored(r);
  }

  /** The drill's event log, drill times only (two runs of a plan and seed compare byte for byte). */
  async log(id: string): Promise<DrillLogEntry[]> {
    return (await this.timedLog(id)).map(({ wallAt: _wall, ...e }) => e);
  }

  /** The log with the wall time of each entry (playback places the drill's steps on its timeline with it). */
  async timedLog(id: string): Promise<StoredLogEntry[]> {
    await this.get(id);
    if (this.active?.id === id) await this.persist(this.active);
    return this.repo.log(id);
  }

  /** Maps a wall time to the drill's time (see drillTimeOf). */
  async toDrillMs(id: string): Promise<(wallAt: number) => number | null> {
    const r = await this.repo.get(id);
    if (!r) throw new ApiError('not-found', `no drill ${id}`, { reason: 'no-such-drill' });
    return drillTimeOf(await this.timedLog(id), r.startSpeed);
  }

  async report(id: string): Promise<AfterActionReport> {
    const drill = await this.get(id);
    const r = (await this.repo.get(id))!;
    const log = await this.timedLog(id);
    const ids = await this.repo.drillAlarmIdsBetween(drill.startedAt, drill.endedAt ?? this.deps.clock.now());
    const alarms = (await Promise.all(ids.map((a) => this.deps.alarms.get(a)))).filter((a) => a !== null);
    return buildAfterActionReport({
      plan: r.plan, drill, log: log.map(({ wallAt: _wall, ...e }) => e), alarms, toDrillMs: drillTimeOf(log, r.startSpeed),
      dispatchedUnits: await this.dispatchedUnits(drill),
    });
  }

  /** The call signs of the units sent to each step's drill alarm before the drill ended, in the order sent. */
  private async dispatchedUnits(drill: DrillState): Promise<Record<string, string[]>> {
    const until = drill.endedAt ?? this.deps.clock.now();
    const out: Record<string, string[]> = {};
    for (const alarmId of new Set(drill.steps.map((s) => s.alarmId).filter((id): id is string => !!id))) {
      const orders = await this.deps.units.dispatch.list({ alarmId, openOnly: false });
      const sent = orders.filter((o) => o.sentAt <= until).sort((x, y) => x.sentAt - y.sentAt).map((o) => o.callSign);
      if (sent.length) out[alarmId] = sent;
    }
    return out;
  }

  /**
   * The core is closing: a running drill is paused (no timer left behind) and stored as it stands; the next start-up
   * marks it aborted ('host-restart') and clears its drill objects. The range is stopped.
   */
  async stop(): Promise<void> {
    this.closed = true;
    this.publishTimer?.cancel();
    this.publishTimer = null;
    const a = this.active;
    if (!a) return;
    if (a.finishing) {
      await a.finishing.catch(() => undefined);
      return;
    }
    if (a.engine.status === 'running') this.safely(a, () => a.engine.pause());
    a.watch.stop();
    await this.persist(a).catch((err: Error) => this.deps.log(`drill ${a.id}: its last state was not stored: ${err.message}`));
    await a.range?.stop();
    this.active = null;
  }

  // ---- internals ----

  private async startRange(seed: number, speed: number): Promise<DrillRange> {
    try {
      return await (this.deps.startRange ?? startDrillRange)({ config: this.deps.config, seed, speed, sources: this.deps.sources, log: this.deps.log });
    } catch (err) {
      throw new ApiError('unavailable', `the drill range (drone simulator) did not start: ${(err as Error).message.split('\n')[0]}`, { reason: 'drill-range-failed' });
    }
  }

  /** Ends or aborts: the engine logs it, every drill object leaves the live views, the row, log and record commit together. */
  private finish(a: Active, status: 'ended' | 'aborted', reason: string, by: Person): Promise<DrillState> {
    if (a.finishing) return a.finishing;
    // The engine's transition first, synchronously: refused (not started, already over), nothing is left half-done.
    a.ending = status;
    try {
      this.steer(() => (status === 'ended' ? a.engine.end() : a.engine.abort(reason)));
    } catch (err) {
      a.ending = null;
      throw err;
    }
    a.finishing = (async () => {
      // The engine asks the injectors to stop (and they clear); clearing again is a no-op.
      await this.clearDrillObjects(a, status);
      a.watch.stop();
      const endedAt = this.deps.clock.now();
      await this.persist(a, [this.audit(a, by, `drill.${status === 'ended' ? 'end' : 'abort'}`, status === 'aborted' ? { reason } : {})], undefined, {
        endedAt, abortReason: status === 'aborted' ? reason : null,
      });
      const state = { ...this.state(a, true), endedAt, ...(status === 'aborted' ? { abortReason: reason } : {}) };
      this.active = null;
      this.publishTimer?.cancel();
      this.publishTimer = null;
      this.deps.setMode('live');
      this.deps.bus.publish('drill.changed', state);
      return state;
    })();
    return a.finishing;
  }

  private readonly clearing = new Map<Active | null, Promise<void>>();

  /**
   * Every drill object out of the live views: the range stopped (its sources off the status bar), drill drone tracks
   * and drill tracks dropped, every open drill alarm closed by the system as 演练. Live alarms are not touched.
   */
  private clearDrillObjects(a: Active | null, how: 'ended' | 'aborted'): Promise<void> {
    let job = this.clearing.get(a);
    if (!job) {
      job = (async () => {
        await a?.range?.stop().catch((err: Error) => this.deps.log(`drill range: stopping failed: ${err.message}`));
        await this.deps.drones.dropDrill();
        this.deps.tracks.removeSource(DRILL_TRACK_SOURCE);
        const note = DRILL_ALARM_CLOSE_NOTE[how];
        for (const alarmId of await this.repo.openDrillAlarmIds()) {
          try {
            await this.deps.alarms.close(alarmId, SYSTEM, { category: 'drill', note });
          } catch (err) {
            // Closed by a seat meanwhile: that is what we wanted.
            if ((err as { code?: string }).code !== 'conflict') this.deps.log(`drill: closing drill alarm ${alarmId} failed: ${(err as Error).message}`);
          }
        }
      })().catch((err: Error) => this.deps.log(`drill: clearing the drill objects failed: ${err.message}`));
      this.clearing.set(a, job);
      if (!a) void job.finally(() => this.clearing.delete(null));
    }
    return job;
  }

  /** The range and the outages' timers follow the drill's clock (0 = paused). */
  private async follow(a: Active, speed: number): Promise<void> {
    try {
      await a.injectors.setSpeed(speed);
    } catch (err) {
      this.deps.log(`drill ${a.id}: the drill range did not follow the drill's speed: ${(err as Error).message}`);
    }
  }

  /** Calls the engine, turning its refusals into answers the coordinator can act on. */
  private steer(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (err instanceof RangeError) throw new ApiError('bad-request', err.message, { fields: [{ path: 'speed', problem: err.message }] });
      throw new ApiError('conflict', (err as Error).message, { reason: 'drill-state' });
    }
  }

  /** An engine call from the console's events: never throws back into the event bus. */
  private safely(a: Active, fn: () => void): void {
    if (a.finishing || this.active !== a) return;
    try {
      fn();
    } catch (err) {
      this.deps.log(`drill ${a.id}: ${(err as Error).message}`);
    }
  }

  private async require(id: string): Promise<Active> {
    const a = this.active;
    // Between its row's insert and its clock's start a drill cannot be steered (an abort then would find no engine running).
    if (a && a.id === id && !a.started) throw new ApiError('conflict', `drill ${id} is starting: try again in a moment`, { reason: 'drill-starting' });
    if (a && a.id === id && !a.finishing) return a;
    const r = await this.repo.get(id);
    if (!r) throw new ApiError('not-found', `no drill ${id}`, { reason: 'no-such-drill' });
    throw new ApiError('conflict', `drill ${id} is over (${r.status})`, { reason: 'drill-over' });
  }

  private requireStep(a: Active, stepId: string): void {
    if (!a.plan.steps.some((s) => s.id === stepId)) {
      throw new ApiError('bad-request', `plan ${a.plan.id} has no step "${stepId}"`, { fields: [{ path: 'stepId', problem: 'not a step of the plan' }] });
    }
  }

  private audit(a: Active, by: Person, action: string, details: Record<string, unknown> = {}): AuditEntry {
    return { at: this.deps.clock.now(), actor: by.username, action, subject: a.id, details: { plan: a.plan.id, drillMs: a.engine.drillMs(), ...details } };
  }

  /** The log lines not yet stored, the drill's row, the record entries (and `extra`) in one transaction, in order. */
  private persist(
    a: Active, audit: AuditEntry[] = [], extra?: (tx: Parameters<Parameters<Database['transaction']>[0]>[0]) => Promise<void>,
    end?: { endedAt: number; abortReason: string | null },
  ): Promise<void> {
    const run = a.chain.then(async () => {
      const entries = a.pending.splice(0);
      try {
        await this.deps.db.transaction(async (tx) => {
          await this.repo.appendLog(tx, a.id, entries);
          await this.repo.update(tx, a.id, { ...this.record(a), ...(end ?? {}) });
          await extra?.(tx);
          await appendAudit(tx, audit);
        });
      } catch (err) {
        a.pending.unshift(...entries);
        throw err;
      }
    });
    a.chain = run.catch(() => undefined);
    return run;
  }

  private record(a: Active): DrillRecord {
    return {
      id: a.id, planId: a.plan.id, planVersion: a.plan.version, plan: a.plan, seed: a.seed, startSpeed: a.startSpeed, speed: a.engine.speed,
      status: a.engine.status, coordinator: a.coordinator, startedAt: a.startedAt, endedAt: null, abortReason: null, steps: this.steps(a),
    };
  }

  private steps(a: Active): DrillStepState[] {
    return a.engine.steps().map((s) => {
      const alarmId = a.alarmIds.get(s.stepId);
      return alarmId ? { ...s, alarmId } : s;
    });
  }

  /** `recent`: for events and the panel, only the newest observations (the report reads them all). */
  private state(a: Active, recent = false): DrillState {
    return {
      id: a.id, planId: a.plan.id, planVersion: a.plan.version, title: a.plan.title, kind: a.plan.kind, type: a.plan.type,
      status: a.engine.status, speed: a.engine.speed, seed: a.seed, startedAt: a.startedAt,
      drillMs: a.engine.drillMs(), asOf: this.deps.clock.now(), coordinator: a.coordinator.displayName,
      startSpeed: a.startSpeed, steps: this.steps(a), observations: recent ? a.observations.slice(-OBSERVATIONS_IN_EVENTS) : [...a.observations],
      ...(a.observations.length > OBSERVATIONS_IN_EVENTS && { observationsTotal: a.observations.length }),
    };
  }

  private async stored(r: DrillRecord): Promise<DrillState> {
    const [log, observations] = await Promise.all([this.repo.log(r.id), this.repo.observations(r.id)]);
    const last = log.at(-1);
    return {
      id: r.id, planId: r.planId, planVersion: r.planVersion, title: r.plan.title, kind: r.plan.kind, type: r.plan.type,
      status: r.status, speed: r.speed, seed: r.seed, startedAt: r.startedAt, ...(r.endedAt !== null && { endedAt: r.endedAt }),
      drillMs: last?.drillMs ?? 0, asOf: r.endedAt ?? last?.wallAt ?? r.startedAt, coordinator: r.coordinator.displayName,
      startSpeed: r.startSpeed, steps: r.steps, observations, ...(r.abortReason !== null && { abortReason: r.abortReason }),
    };
  }

  /** A change the engine reported (a step fired, an action timed): stored and published, at most every DRILL_PUBLISH_EVERY_MS. */
  private changed(a: Active): void {
    // Once ending, only finish() publishes: its state carries the end time and the abort's reason.
    if (this.active !== a || a.ending || this.publishTimer) return;
    const wait = this.lastPublished + DRILL_PUBLISH_EVERY_MS - this.deps.clock.now();
    const flush = () => {
      this.publishTimer = null;
      if (this.active !== a || a.ending) return;
      this.persist(a).catch((err: Error) => this.deps.log(`drill ${a.id}: its log could not be stored (kept for the next write): ${err.message}`));
      this.publishNow(a);
    };
    if (wait <= 0) flush();
    else this.publishTimer = this.deps.clock.setTimeout(flush, wait);
  }

  private publishNow(a: Active): DrillState {
    const state = this.state(a, true);
    this.lastPublished = this.deps.clock.now();
    this.deps.bus.publish('drill.changed', state);
    return state;
  }
}
