// The alarm pipeline: every source raises alarms here, in one model; each change is stored with its audit
// entry in one transaction, and published only after it committed. Position-bearing alarms are placed in
// their perception circle and patrol grid cell. A keyed alarm (one target, one reason) is raised once and
// then updated while it is open: a target crossing four rings is one alarm that deepens, not four.
import { randomUUID } from 'node:crypto';
import { DEFAULT_CLOCK_TARGETS, type Alarm, type AlarmDetails, type AlarmSource, type AlarmType, type GeoPoint, type Person, type ResolutionCategory, type Severity } from '../../../shared/domain.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { AlarmRepository, AuditEntry } from './alarm-repository.ts';

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

export class AlarmError extends Error {
  constructor(readonly code: 'not-found' | 'conflict', message: string, readonly state?: string) {
    super(message);
  }
}

export class AlarmService {
  constructor(
    private readonly repo: AlarmRepository,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly site: SiteModel,
    private readonly queueLimit = 500,
  ) {}

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
        const escalated = severity > current.severity && current.state === 'acknowledged';
        const alarm = {
          ...current,
          severity, position: built.position, circleId: built.circleId, circleRing: built.circleRing, gridCellId: built.gridCellId,
          details: built.details, updatedAt: now, updates: current.updates + 1,
          ...(escalated ? { state: 'new' as const, acknowledgedAt: null, acknowledgedBy: null } : {}),
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
    return {
      id: randomUUID(),
      source: input.source,
      type: input.type,
      severity: input.severity,
      position: p,
      circleId: circle?.id ?? null,
      circleRing: circle?.ring ?? null,
      gridCellId: p ? this.site.gridCellAt(p.lon, p.lat)?.id ?? null : null,
      raisedAt: now,
      updatedAt: now,
      updates: 1,
      state: 'new',
      drill: input.drill ?? false,
      acknowledgedAt: null, acknowledgedBy: null, closedAt: null, closedBy: null, resolution: null,
      assignedTo: null, dispatchedAt: null, onSceneAt: null, resolvedAt: null, resolvedBy: null, escalatedAt: null, incidentId: null,
      clock: { targets: { ...DEFAULT_CLOCK_TARGETS }, overdue: [] },
      details: input.details,
    } as Alarm;
  }

  /** 确认: only a new alarm; of two seats acknowledging at once, one wins and the other is told who did. */
  async acknowledge(id: string, by: Person): Promise<Alarm> {
    const at = this.clock.now();
    const result = await this.repo.transition(id, ['new'], { state: 'acknowledged', at, by }, { at, actor: by.username, action: 'alarm.acknowledge', subject: id });
    return this.settled(id, result, 'acknowledge');
  }

  /** 关闭 with a category (属实/误报/演练/重复/其他) and a note; an acknowledged or new alarm. */
  async close(id: string, by: Person, resolution: { category: ResolutionCategory; note: string }): Promise<Alarm> {
    const at = this.clock.now();
    const result = await this.repo.transition(
      id, ['new', 'acknowledged'], { state: 'closed', at, by, ...resolution },
      { at, actor: by.username, action: 'alarm.close', subject: id, details: { ...resolution } },
    );
    return this.settled(id, result, 'close');
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

  private settled(id: string, result: Awaited<ReturnType<AlarmRepository['transition']>>, verb: string): Alarm {
    if ('missing' in result) throw new AlarmError('not-found', `no alarm ${id}`);
    if ('state' in result) throw new AlarmError('conflict', `cannot ${verb} alarm ${id}: it is already ${result.state}`, result.state);
    this.bus.publish('alarm.changed', result.ok);
    return result.ok;
  }
}

/** The default merge: the newest facts replace the old ones. */
const newestFacts: MergeAlarm = (_open, next) => next;
