// The simulated sky: which scenarios run and since when, on the simulator's clock (wall time since it started,
// times its speed), and what each sensor sees of it. Deterministic for a seed, the start times and a time.
// A scenario runs from the demo schedule (once per 10-minute cycle, at its offset) or by hand (started: from its
// beginning, repeating until stopped; stopped: not even by the schedule until started again).
import type { SitePack } from '../../shared/site.ts';
import { geodesicInverse } from '../../main/core/geo/local-frame.ts';
import { buildScenarios, SCENARIO_NAMES, type Scenario, type ScenarioName } from './scenarios.ts';
import { SkyGeometry } from './sky-geometry.ts';
import type { SkyObject } from './sky-types.ts';

/** The demo cycle, simulated seconds: at speed 1 a duty operator sees every scenario within 10 minutes. */
export const DEMO_CYCLE_S = 600;
/** When each scenario starts in a demo cycle; each ends before the cycle does. */
export const DEMO_SCHEDULE: ReadonlyArray<{ scenario: ScenarioName; atS: number }> = [
  { scenario: 'approach-loiter', atS: 0 },
  { scenario: 'survey-permit', atS: 20 },
  { scenario: 'bird-flock', atS: 30 },
  { scenario: 'swarm', atS: 40 },
  { scenario: 'centreline-crossing', atS: 120 },
  { scenario: 'radar-only', atS: 150 },
];
/** Scenarios the demo schedule runs all the time (from its start, repeating). */
export const DEMO_CONTINUOUS: readonly ScenarioName[] = ['random-traffic'];
/** The fault of the demo cycle: the Remote ID receiver goes silent for a minute. */
export const DEMO_SENSOR_SILENT = { sensor: 'remote-id', fromS: 360, toS: 420 } as const;
/** A scenario started by hand repeats after this pause. */
const REPEAT_PAUSE_S = 30;

/** How far the detection system classifies birds: beyond, its radar sees them but its tracker drops them. */
export const DETECTION_BIRD_RANGE_M = 3000;
/** The SAPIENT radar's range. */
export const SAPIENT_RANGE_M = 8000;
/** Beyond this range the detection system cannot classify a drone that broadcasts no Remote ID. */
export const DETECTION_CLASSIFY_RANGE_M = 6000;

export interface SkyOptions {
  site: SitePack;
  seed: number;
  /** Simulated seconds per real second. */
  speed: number;
  /** How many random-traffic targets. */
  targets: number;
  /** Wall-clock ms the simulator's clock counts from. */
  startMs: number;
}

export interface ScenarioRunState {
  name: ScenarioName;
  how: 'manual' | 'schedule' | 'stopped' | 'idle';
  /** Whether it has objects in the sky now (a scheduled scenario waits for its offset in the cycle). */
  active: boolean;
}

interface ManualRun {
  startS: number;
  /** How many times it has been started by hand: part of its ids, so that a restart gives new tracks. */
  startNo: number;
  /** Runs once, no repeat. */
  once: boolean;
}

export class Sky {
  readonly geometry: SkyGeometry;
  readonly scenarios: Record<ScenarioName, Scenario>;
  private readonly manual = new Map<ScenarioName, ManualRun>();
  private readonly stopped = new Set<ScenarioName>();
  private readonly starts = new Map<ScenarioName, number>();
  private scheduleFromS: number | null = null;
  /** The simulated clock runs on from here: simulated seconds at a wall time, at a rate (0 while paused). */
  private anchor: { wallMs: number; simS: number };
  private rate: { speed: number; paused: boolean };

  constructor(private readonly opts: SkyOptions) {
    this.geometry = new SkyGeometry(opts.site);
    this.scenarios = buildScenarios(this.geometry, opts.seed, opts.targets);
    this.anchor = { wallMs: opts.startMs, simS: 0 };
    this.rate = { speed: opts.speed, paused: false };
  }

  /** Simulated seconds since the simulator started (standing still while paused). */
  seconds(nowMs: number): number {
    const perS = this.rate.paused ? 0 : this.rate.speed;
    return Math.max(0, this.anchor.simS + ((nowMs - this.anchor.wallMs) / 1000) * perS);
  }

  get speed(): number {
    return this.rate.speed;
  }

  get paused(): boolean {
    return this.rate.paused;
  }

  /**
   * A new speed, or a pause, from `nowMs` on (a drill's clock that the simulator follows): what happened before
   * stays where it was, so that the same commands at the same times give the same sky.
   */
  setRate(nowMs: number, change: { speed?: number; paused?: boolean }): void {
    this.anchor = { wallMs: nowMs, simS: this.seconds(nowMs) };
    this.rate = { speed: change.speed ?? this.rate.speed, paused: change.paused ?? this.rate.paused };
  }

  /** Starts a scenario now; it repeats after a pause unless `once` (a drill's inject runs once). */
  start(name: ScenarioName, nowMs: number, opts: { once?: boolean } = {}): void {
    const startNo = (this.starts.get(name) ?? 0) + 1;
    this.starts.set(name, startNo);
    this.manual.set(name, { startS: this.seconds(nowMs), startNo, once: opts.once === true });
    this.stopped.delete(name);
  }

  stop(name: ScenarioName): void {
    this.manual.delete(name);
    this.stopped.add(name);
  }

  /** Runs the demo schedule, its first cycle starting now. */
  startDemoSchedule(nowMs: number): void {
    this.scheduleFromS = this.seconds(nowMs);
  }

  get demoSchedule(): boolean {
    return this.scheduleFromS !== null;
  }

  /** Every object in the sky at `nowMs`: a SkyAt. */
  readonly at = (nowMs: number): SkyObject[] => {
    const s = this.seconds(nowMs);
    const objects: SkyObject[] = [];
    for (const name of SCENARIO_NAMES) {
      const run = this.runOf(name, s);
      if (run) objects.push(...this.scenarios[name].at(run.tS, run.tag));
    }
    return objects;
  };

  /** Whether the demo schedule has the Remote ID receiver silent now. */
  remoteIdSilentBySchedule(nowMs: number): boolean {
    if (this.scheduleFromS === null) return false;
    const inCycle = (this.seconds(nowMs) - this.scheduleFromS) % DEMO_CYCLE_S;
    return inCycle >= DEMO_SENSOR_SILENT.fromS && inCycle < DEMO_SENSOR_SILENT.toS;
  }

  /** The demo cycle under way (0 for the first), or null without the schedule. */
  demoCycle(nowMs: number): { cycle: number; inCycleS: number } | null {
    if (this.scheduleFromS === null) return null;
    const since = this.seconds(nowMs) - this.scheduleFromS;
    return { cycle: Math.floor(since / DEMO_CYCLE_S), inCycleS: since % DEMO_CYCLE_S };
  }

  state(nowMs: number): ScenarioRunState[] {
    const s = this.seconds(nowMs);
    return SCENARIO_NAMES.map((name) => {
      const how = this.manual.has(name) ? 'manual' : this.stopped.has(name) ? 'stopped' : this.scheduled(name) ? 'schedule' : 'idle';
      return { name, how, active: this.runOf(name, s) !== null };
    });
  }

  private scheduled(name: ScenarioName): boolean {
    return this.scheduleFromS !== null && (DEMO_CONTINUOUS.includes(name) || DEMO_SCHEDULE.some((e) => e.scenario === name));
  }

  /** Where a scenario is in its current run, and the tag of that run's ids; null when it is not in the sky. */
  private runOf(name: ScenarioName, s: number): { tS: number; tag: string } | null {
    const scenario = this.scenarios[name];
    const manual = this.manual.get(name);
    const legacyIds = name === 'random-traffic'; // D-0001, D-0001-R2 …: the ids the first simulator gave
    if (manual) {
      const period = legacyIds ? scenario.durationS : scenario.durationS + REPEAT_PAUSE_S;
      const since = s - manual.startS;
      const round = Math.floor(since / period);
      const tS = since - round * period;
      if (tS > scenario.durationS || (manual.once && round > 0)) return null;
      if (legacyIds) return { tS, tag: (manual.startNo > 1 ? `-S${manual.startNo}` : '') + (round > 0 ? `-R${round + 1}` : '') };
      return { tS, tag: `-M${manual.startNo}R${round + 1}` };
    }
    if (this.stopped.has(name) || this.scheduleFromS === null) return null;
    const since = s - this.scheduleFromS;
    if (DEMO_CONTINUOUS.includes(name)) {
      const round = Math.floor(since / scenario.durationS);
      return { tS: since - round * scenario.durationS, tag: round > 0 ? `-R${round + 1}` : '' };
    }
    const entry = DEMO_SCHEDULE.find((e) => e.scenario === name);
    if (!entry) return null;
    const cycle = Math.floor(since / DEMO_CYCLE_S);
    const tS = since - cycle * DEMO_CYCLE_S - entry.atS;
    return tS >= 0 && tS <= scenario.durationS ? { tS, tag: `-C${cycle + 1}` } : null;
  }
}

// ---- What each sensor sees ----

export interface SensorSite {
  lat: number;
  lon: number;
}

const distanceM = (o: SensorSite, p: SensorSite) => geodesicInverse([o.lon, o.lat], [p.lon, p.lat]).distanceM;

/** The detection system's API: every object it is told to see, birds only near (its tracker drops them beyond). */
export function seenByDetection(objects: readonly SkyObject[], centre: SensorSite): SkyObject[] {
  return objects.filter((o) => o.seenBy.detection && (o.kind !== 'bird' || distanceM(centre, o) <= DETECTION_BIRD_RANGE_M));
}

/** What the detection system says an object is: a distant drone without Remote ID it cannot tell from a bird. */
export function detectionClass(o: SkyObject, centre: SensorSite): { classification: 'drone' | 'bird' | 'unknown'; confidence: number } {
  if (o.kind === 'bird') return { classification: 'bird', confidence: 0.8 };
  if (!o.remoteId && distanceM(centre, o) > DETECTION_CLASSIFY_RANGE_M) return { classification: 'unknown', confidence: 0.55 };
  return { classification: 'drone', confidence: 0.9 };
}

/** A Remote ID receiver: every object broadcasting Remote ID within its range. */
export function seenByRemoteId(objects: readonly SkyObject[], receiver: SensorSite, rangeM: number): SkyObject[] {
  return objects.filter((o) => o.remoteId !== null && distanceM(receiver, o) <= rangeM);
}

/** The SAPIENT radar: what it is told to see, within its range. */
export function seenBySapient(objects: readonly SkyObject[], radar: SensorSite, rangeM = SAPIENT_RANGE_M): SkyObject[] {
  return objects.filter((o) => o.seenBy.sapient && distanceM(radar, o) <= rangeM);
}
