// The alarm pipeline: every source raises alarms here, in one model; each change is stored with its audit
// entry in one transaction, and published only after it committed. Position-bearing alarms are placed in
// their perception circle and patrol grid cell. A keyed alarm (one target, one reason) is raised once and
// then updated while it is open: a target crossing four rings is one alarm that deepens, not four.
// The workflow (acknowledge, assign, escalate, resolve, close) moves one alarm atomically: of two seats at once
// one wins and the other is told the state it found. Each alarm carries its 1-3-5 targets, fixed when raised.
import { randomUUID } from 'node:crypto';
import { DEFAULT_CLOCK_TARGETS, OPEN_ALARM_STATES, RESPONSE_STAGES, stageReachedAt, type ResponseStage, type Alarm, type AlarmDetails, type AlarmSource, type AlarmState, type AlarmType, type ClockTargets, type GeoPoint, type Person, type ResolutionCategory, type Severity } from '../../../shared/domain.ts';
import type { CircleRing } from '../../../shared/site.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { AlarmChange, AlarmRepository, AuditEntry, TransitionResult } from './alarm-repository.ts';

export type RaiseAlarm<T extends AlarmType = AlarmType> = {
  [K in T]: {
    source: AlarmSource;
    type: K;
    severity: Severity;
    position: GeoPoint | null;
    details: AlarmDetails<K>;
    drill?: boolean;
    /** When the circle is already known (touch-circle), skip the lookup. */
    circleId?: string;
    /** One open alarm per key: a second report with the key updates the open alarm (see `merge`). */
    key?: string;
  };
}[T];

/** How a new report changes an open alarm of its key: the new facts, or null when nothing changed. */
export type MergeAlarm = (open: Alarm, next: RaiseAlarm) => RaiseAlarm | null;

export const SYSTEM: Person = { username: 'system', displayName: 'system' };

/**
 * How the system closes an alarm whose cause went away by itself: 其他 (other), with a note saying what
 * happened. Not 属实 (confirmed): nobody ruled on it; the record shows it was the system, and why.
 */
export const SYSTEM_RESOLUTION_CATEGORY: ResolutionCategory = 'other';

/** 'bad-request': the call names something that cannot be (a duplicate of itself, of no alarm); `field` says which. */
export class AlarmError extends Error {
  constructor(readonly code: 'not-found' | 'conflict' | 'bad-request', message: string, readonly state?: string, readonly field?: string) {
    super(message);
  }
}

/** Where an alarm is, for its clock targets. */
export interface AlarmZone {
  circleId: string | null;
  circleRing: CircleRing | null;
  gridCellId: string | null;
}

/** The 1-3-5 targets for an alarm of this type in this zone (fixed on the alarm when it is raised). */
export type TargetsFor = (type: AlarmType, zone: AlarmZone) => ClockTargets;

export interface AlarmServiceOptions {
  /** How many alarms list() returns when not told (the queue's page). */
  queueLimit?: number;
  /** Default: 1-3-5 (60/180/300 s) everywhere. */
  targetsFor?: TargetsFor;
}

/** At most this many alarms escalated by one sweep: a flood goes overdue over a few seconds, in short writes. */
const OVERDUE_BATCH = 1000;

const OPEN: readonly AlarmState[] = OPEN_ALARM_STATES;

export class AlarmService {
  private readonly queueLimit: number;
  private targetsFor: TargetsFor;

  constructor(
    private readonly repo: AlarmRepository,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly site: SiteModel,
    opts: AlarmServiceOptions = {},
  ) {
    this.queueLimit = opts.queueLimit ?? 500;
    this.targetsFor = opts.targetsFor ?? (() => ({ ...DEFAULT_CLOCK_TARGETS }));
  }

  /** The clock targets of alarms raised from now on (the response clock sets them once it read its file). */
  setClockTargets(targetsFor: TargetsFor): void {
    this.targetsFor = targetsFor;
  }

  async raise(input: RaiseAlarm, actor: Person = SYSTEM): Promise<Alarm> {
    return (await this.report([input], actor))[0];
  }

  /** Many alarms in one transaction (one writer, one commit): what a high-rate source uses. */
  raiseBatch(inputs: RaiseAlarm[], actor: Person = SYSTEM): Promise<Alarm[]> {
    return this.report(inputs, actor);
  }

  /**
   * Raises or updates, in one transaction: an input whose key has an open alarm is merged into it (by
   * `merge`; the default keeps the higher severity and the newest facts). With `quietAfterCloseMs`, an input
   * whose key had an alarm closed that recently is raised again only if `merge` finds it worse than the closed
   * one. Returns every alarm written.
   * Throws when the write fails: the caller must not count the report as done.
   */
  async report(inputs: RaiseAlarm[], actor: Person = SYSTEM, merge: MergeAlarm = newestFacts, opts: { quietAfterCloseMs?: number } = {}): Promise<Alarm[]> {
    if (!inputs.length) return [];
    const now = this.clock.now();
    const keys = [...new Set(inputs.flatMap((i) => (i.key ? [i.key] : [])))];
    const quiet = opts.quietAfterCloseMs ?? 0;
    const { inserted, updated } = await this.repo.upsertByKey(keys, (open, recentlyClosed) => {
      const insert: Array<{ alarm: Alarm; key: string | null }> = [];
      const changed = new Map<string, Alarm>();
      const audit: AuditEntry[] = [];
      const pendingByKey = new Map<string, Alarm>();
      for (const input of inputs) {
        const current = input.key ? (pendingByKey.get(input.key) ?? open.get(input.key)) : undefined;
        if (!current) {
          // Closed a moment ago (say as 误报): the same facts again are no new alarm; only worse ones are.
          const closed = input.key ? recentlyClosed.get(input.key) : undefined;
          const worse = closed ? merge(closed, input) : input;
          if (!worse) continue;
          const alarm = this.build(worse, now);
          insert.push({ alarm, key: input.key ?? null });
          if (input.key) pendingByKey.set(input.key, alarm);
          audit.push({ at: now, actor: actor.username, action: 'alarm.raise', subject: alarm.id, details: { type: alarm.type, severity: alarm.severity } });
          continue;
        }
        const next = merge(current, input);
        if (!next) continue;
        const built = this.build(next, now);
        // Severity never drops while open; a rise asks for attention again (back to 未确认).
        const severity = Math.max(current.severity, built.severity) as Severity;
        // A unit sent or on scene, or the cause dealt with: the state follows the response, the rise shows in the
        // severity. acknowledgedAt stays: the clock's acknowledge stage was reached; the seat confirms again.
        const reannounced = severity > current.severity && current.state === 'acknowledged';
        const alarm = {
          ...current,
          severity, position: built.position, circleId: built.circleId, circleRing: built.circleRing, gridCellId: built.gridCellId,
          details: built.details, updatedAt: now, updates: current.updates + 1,
          clock: { ...current.clock, targets: tightened(current, built.clock.targets, now) },
          ...(reannounced ? { state: 'new' as const, acknowledgedBy: null } : {}),
        } as Alarm;
        pendingByKey.set(input.key!, alarm);
        const wasInserted = insert.find((i) => i.alarm.id === alarm.id);
        if (wasInserted) wasInserted.alarm = alarm;
        else changed.set(alarm.id, alarm);
        if (severity > current.severity) {
          audit.push({ at: now, actor: actor.username, action: 'alarm.escalate', subject: alarm.id, details: { from: current.severity, to: severity } });
        }
      }
      return { insert, update: [...changed.values()], audit };
    }, quiet > 0 ? now - quiet : undefined);
    const written = [...inserted, ...updated];
    for (const a of written) this.bus.publish('alarm.changed', a);
    return written;
  }

  private build(input: RaiseAlarm, now: number): Alarm {
    const p = input.position;
    const circle = input.circleId
      ? this.site.pack.perceptionCircles.find((c) => c.id === input.circleId) ?? null
      : p ? this.site.innermostCircle(p.lon, p.lat) : null;
    const zone: AlarmZone = { circleId: circle?.id ?? null, circleRing: circle?.ring ?? null, gridCellId: p ? this.site.gridCellAt(p.lon, p.lat)?.id ?? null : null };
    return {
      id: randomUUID(),
      source: input.source,
      type: input.type,
      severity: input.severity,
      position: p,
      ...zone,
      raisedAt: now,
      updatedAt: now,
      updates: 1,
      state: 'new',
      drill: input.drill ?? false,
      acknowledgedAt: null, acknowledgedBy: null, closedAt: null, closedBy: null, resolution: null,
      assignedTo: null, dispatchedAt: null, onSceneAt: null, resolvedAt: null, resolvedBy: null, escalatedAt: null, incidentId: null,
      clock: { targets: { ...this.targetsFor(input.type, zone) }, overdue: [] },
      details: input.details,
    } as Alarm;
  }

  /** 确认: only a new alarm; of two seats acknowledging at once, one wins and the other is told who did. */
  async acknowledge(id: string, by: Person): Promise<Alarm> {
    const at = this.clock.now();
    return this.apply(id, 'acknowledge', ['new'], { kind: 'acknowledge', at, by }, { at, actor: by.username, action: 'alarm.acknowledge', subject: id });
  }

  /** 指派: the operator who works it (or nobody), in any open state. Who may be assigned is the caller's check. */
  async assign(id: string, to: Person | null, by: Person): Promise<Alarm> {
    const at = this.clock.now();
    return this.apply(id, 'assign', OPEN, { kind: 'assign', at, to }, {
      at, actor: by.username, action: 'alarm.assign', subject: id, details: { to: to?.username ?? null },
    });
  }

  /** 上报指挥员 by an operator, in any open state: recorded, and published for the commander as stage 'manual'. */
  async escalate(id: string, note: string, by: Person): Promise<Alarm> {
    const at = this.clock.now();
    const alarm = await this.apply(id, 'escalate', OPEN, { kind: 'escalate', at }, {
      at, actor: by.username, action: 'alarm.escalate-manual', subject: id, details: { note },
    });
    this.bus.publish('alarm.escalated', { alarm, stage: 'manual', at, by: by.username });
    return alarm;
  }

  /** 处置完毕: once acknowledged (or a unit sent or on scene); it stays open until closed with a category. */
  async resolve(id: string, note: string, by: Person): Promise<Alarm> {
    const at = this.clock.now();
    return this.apply(id, 'resolve', ['acknowledged', 'dispatched', 'on-scene'], { kind: 'resolve', at, by }, {
      at, actor: by.username, action: 'alarm.resolve', subject: id, details: { note },
    });
  }

  /**
   * 关闭 from any open state, with a category (属实/误报/演练/重复/其他) and a note; a duplicate names the alarm it
   * repeats (another alarm that exists), kept in the record.
   */
  async close(id: string, by: Person, resolution: { category: ResolutionCategory; note: string; duplicateOf?: string }): Promise<Alarm> {
    const { category, note, duplicateOf } = resolution;
    if (duplicateOf !== undefined) {
      if (category !== 'duplicate') throw new AlarmError('bad-request', `only a duplicate (重复) names the alarm it repeats, not a ${category} close`, undefined, 'duplicateOf');
      if (duplicateOf === id) throw new AlarmError('bad-request', `alarm ${id} cannot be a duplicate of itself`, undefined, 'duplicateOf');
      // Alarms are never deleted: one that exists now still exists when the close commits.
      if (!(await this.repo.get(duplicateOf))) throw new AlarmError('bad-request', `no alarm ${duplicateOf} to be a duplicate of`, undefined, 'duplicateOf');
    }
    const at = this.clock.now();
    return this.apply(id, 'close', OPEN, { kind: 'close', at, by, category, note }, {
      at, actor: by.username, action: 'alarm.close', subject: id, details: { category, note, ...(duplicateOf === undefined ? {} : { duplicateOf }) },
    });
  }

  /**
   * The 1-3-5 sweep (the response clock calls it every second of the core's clock): every open alarm with a
   * stage due and not reached is marked overdue for that stage once, escalated, recorded ('alarm.overdue'),
   * then published ('alarm.changed', and 'alarm.escalated' per stage by 'system'). Returns how many stages.
   * Live alarms only: a drill's alarms are timed by the drill, in drill time, and never reach the commander.
   */
  async escalateOverdue(): Promise<number> {
    const now = this.clock.now();
    const found = await this.repo.markOverdue(now, OVERDUE_BATCH, (alarm, stage, dueAt) => ({
      at: now, actor: SYSTEM.username, action: 'alarm.overdue', subject: alarm.id, details: { stage, dueAt },
    }));
    let stages = 0;
    for (const { alarm, stages: due } of found) {
      this.bus.publish('alarm.changed', alarm);
      for (const { stage } of due) this.bus.publish('alarm.escalated', { alarm, stage, at: now, by: SYSTEM.username });
      stages += due.length;
    }
    return stages;
  }

  /**
   * The system closes the open alarm of a key because its cause is gone (the last camera of a group is back):
   * closed by SYSTEM as 其他 with the note saying why, atomically with its audit entry, published like any
   * close. `details` gives its last facts from the open alarm, in the same write (say, no camera affected).
   * Null when no alarm of that key is open (an operator closed it already). Throws when the write fails.
   */
  async resolveByKey(key: string, note: string, opts: { details?: (open: Alarm) => AlarmDetails } = {}): Promise<Alarm | null> {
    const at = this.clock.now();
    const category: ResolutionCategory = SYSTEM_RESOLUTION_CATEGORY;
    const closed = await this.repo.closeByKey(
      key, { at, by: SYSTEM, category, note, details: opts.details },
      { at, actor: SYSTEM.username, action: 'alarm.close', details: { category, note, key } },
    );
    if (closed) this.bus.publish('alarm.changed', closed);
    return closed;
  }

  /** The open alarms of these keys, by key. */
  openByKeys(keys: string[]): Promise<Map<string, Alarm>> {
    return this.repo.openByKeys(keys);
  }

  async list(opts: { includeClosed?: boolean; limit?: number } = {}): Promise<{ alarms: Alarm[]; openCount: number; limit: number }> {
    const limit = opts.limit ?? this.queueLimit;
    const [alarms, openCount] = await Promise.all([this.repo.list({ includeClosed: opts.includeClosed ?? false, limit }), this.repo.openCount()]);
    return { alarms, openCount, limit };
  }

  get(id: string): Promise<Alarm | null> {
    return this.repo.get(id);
  }

  private async apply(id: string, verb: string, from: readonly AlarmState[], change: AlarmChange, audit: AuditEntry): Promise<Alarm> {
    return this.settled(id, await this.repo.transition(id, from, change, audit), verb);
  }

  private settled(id: string, result: TransitionResult, verb: string): Alarm {
    if ('missing' in result) throw new AlarmError('not-found', `no alarm ${id}`);
    if ('state' in result) {
      const why = result.state === 'new' ? 'it is still new; acknowledge it first' : `it is already ${result.state}`;
      throw new AlarmError('conflict', `cannot ${verb} alarm ${id}: ${why}`, result.state);
    }
    this.bus.publish('alarm.changed', result.ok);
    return result.ok;
  }
}

const TARGET_KEY: Record<ResponseStage, keyof ClockTargets> = { acknowledge: 'acknowledgeS', dispatch: 'dispatchS', 'on-scene': 'onSceneS' };

/**
 * An alarm that moves into a stricter zone (a drone from the remote circle into the core) gets the stricter
 * target for each stage still to come, counted from now; a deadline never moves later, and a stage reached or
 * already overdue keeps its target.
 */
function tightened(alarm: Alarm, zoneTargets: ClockTargets, now: number): ClockTargets {
  const targets = { ...alarm.clock.targets };
  const elapsedS = Math.ceil((now - alarm.raisedAt) / 1000);
  for (const stage of RESPONSE_STAGES) {
    if (stageReachedAt(alarm, stage) !== null || alarm.clock.overdue.some((o) => o.stage === stage)) continue;
    const k = TARGET_KEY[stage];
    targets[k] = Math.min(targets[k], elapsedS + zoneTargets[k]);
  }
  return targets;
}

/** The default merge: the newest facts replace the old ones. */
const newestFacts: MergeAlarm = (_open, next) => next;
