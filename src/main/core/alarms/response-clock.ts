// The 1-3-5 clocks: the targets per alarm type and zone (the site's response/clocks.json), fixed on each alarm
// when it is raised, and a sweep every second of the CORE's clock (a drill running at 10× sweeps ten times as
// often in wall time) that escalates each overdue stage of a LIVE alarm once to the commander, on the record.
// Drill alarms are left to their drill's evaluation (drill time: a paused drill's alarm is not late).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_CLOCK_TARGETS, type AlarmType, type ClockTargets } from '../../../shared/domain.ts';
import { every, type Clock, type Timer } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { AlarmService, AlarmZone } from './alarm-service.ts';
import { parseClocksFile, targetsFrom, type ClocksFile } from './clocks-file.ts';

export interface ResponseClockDeps {
  clock: Clock; bus: EventBus; alarms: AlarmService;
  /** The site file's folder: its `response/clocks.json` holds the targets per alarm type and zone. */
  siteDir: string;
  log: (line: string) => void;
}

/** Where the targets came from: the file, or the default because there is none or it is broken (`problems`). */
export interface ClockTargetsSource {
  file: string;
  from: 'file' | 'default';
  problems: string[];
  rules: number;
}

const SWEEP_MS = 1000;
const NO_RULES: Pick<ClocksFile, 'default' | 'rules'> = { default: DEFAULT_CLOCK_TARGETS, rules: [] };

export class ResponseClock {
  private table: Pick<ClocksFile, 'default' | 'rules'> = NO_RULES;
  private timer: Timer | null = null;
  private sweeping: Promise<void> | null = null;
  private source: ClockTargetsSource;

  constructor(private readonly deps: ResponseClockDeps) {
    this.source = { file: this.file, from: 'default', problems: [], rules: 0 };
  }

  private get file(): string {
    return join(this.deps.siteDir, 'response', 'clocks.json');
  }

  /**
   * Reads clocks.json and gives the alarm service its targets. A missing or broken file does not stop the
   * console: the regulation's 1-3-5 (60/180/300 s) apply everywhere, and the log says why.
   */
  async load(): Promise<ClockTargetsSource> {
    const name = 'response/clocks.json';
    let raw: string | null = null;
    try {
      raw = await readFile(this.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.useDefault([`${name}: cannot read the file (${code ?? (err as Error).message})`]);
      else this.useDefault([]);
    }
    if (raw !== null) {
      const parsed = parseClocksFile(raw, name);
      if ('problems' in parsed) this.useDefault(parsed.problems);
      else {
        this.table = parsed.file;
        this.source = { file: this.file, from: 'file', problems: [], rules: parsed.file.rules.length };
        const d = parsed.file.default;
        this.deps.log(`Response clocks: ${parsed.file.rules.length} rules from ${name}; otherwise ${d.acknowledgeS}/${d.dispatchS}/${d.onSceneS} s.`);
      }
    }
    this.deps.alarms.setClockTargets((type, zone) => this.targetsFor(type, zone));
    return this.source;
  }

  private useDefault(problems: string[]): void {
    this.table = NO_RULES;
    this.source = { file: this.file, from: 'default', problems, rules: 0 };
    const d = DEFAULT_CLOCK_TARGETS;
    if (!problems.length) {
      this.deps.log(`Response clocks: no response/clocks.json; the 1-3-5 targets (${d.acknowledgeS}/${d.dispatchS}/${d.onSceneS} s) apply to every alarm.`);
      return;
    }
    for (const p of problems) this.deps.log(`Response clocks: ${p}`);
    this.deps.log(`Response clocks: the file is not used until it is fixed; the 1-3-5 targets (${d.acknowledgeS}/${d.dispatchS}/${d.onSceneS} s) apply to every alarm.`);
  }

  /** Where the targets in use came from. */
  get targetsSource(): ClockTargetsSource {
    return this.source;
  }

  /** The targets for an alarm of this type in this zone (first matching rule, else the default). */
  targetsFor(type: AlarmType, zone: Partial<AlarmZone>): ClockTargets {
    return targetsFrom(this.table, type, { circleId: zone.circleId ?? null, circleRing: zone.circleRing ?? null, gridCellId: zone.gridCellId ?? null });
  }

  start(): void {
    if (this.timer) return;
    this.timer = every(this.deps.clock, SWEEP_MS, () => void this.sweep());
  }

  /** Stops sweeping; resolves once a sweep under way has finished (await it before closing the database). */
  stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    return this.sweeping ?? Promise.resolve();
  }

  /**
   * One sweep now; a sweep still running (a slow disk) is joined rather than started twice. Never throws: a
   * failed sweep is logged and the next one tries again (no stage is marked overdue without its record).
   */
  sweep(): Promise<void> {
    this.sweeping ??= this.deps.alarms.escalateOverdue()
      .then(() => undefined, (err: Error) => this.deps.log(`Response clocks: the overdue sweep failed (${err.message}); retrying in ${SWEEP_MS / 1000} s`))
      .finally(() => { this.sweeping = null; });
    return this.sweeping;
  }
}
