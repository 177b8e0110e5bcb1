// Where alarms are kept: the interface the alarm service needs, so that a server database can replace SQLite
// without touching the service. Every method is one atomic write (with its audit entries) or one read.
import type { Alarm, AlarmState, Person, ResponseStage } from '../../../shared/domain.ts';

export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  details?: Record<string, unknown>;
}

/** A stored alarm and the key that makes it one of a kind while open (a target and a reason). */
export interface StoredAlarm {
  alarm: Alarm;
  key: string | null;
}

/** What an operator does to one alarm: a move to the next state, or a change of who has it / who looks at it. */
export type AlarmChange =
  | { kind: 'acknowledge'; at: number; by: Person }
  | { kind: 'resolve'; at: number; by: Person }
  | { kind: 'close'; at: number; by: Person; category: string; note: string }
  /** 指派: the alarm's operator, or nobody. */
  | { kind: 'assign'; at: number; to: Person | null }
  /** 上报: escalated_at keeps the first time it reached the commander. */
  | { kind: 'escalate'; at: number };

export type TransitionResult = { ok: Alarm } | { missing: true } | { state: AlarmState };

/** One alarm whose clock ran out on one or more stages in a sweep, as it is after. */
export interface OverdueAlarm {
  alarm: Alarm;
  stages: Array<{ stage: ResponseStage; dueAt: number }>;
}

export interface AlarmRepository {
  /**
   * In one transaction: reads the open alarms with these keys (and the newest closed one of each key closed
   * after `closedSince`), lets `decide` say what to insert and what to
   * update, writes that with its audit entries. Two reports of one key can never both insert.
   */
  upsertByKey(
    keys: string[],
    decide: (open: Map<string, Alarm>, recentlyClosed: Map<string, Alarm>) => { insert: StoredAlarm[]; update: Alarm[]; audit: AuditEntry[] },
    closedSince?: number,
  ): Promise<{ inserted: Alarm[]; updated: Alarm[] }>;

  /**
   * Applies `change` to an alarm in one of the states `from`, atomically with its audit entry: of two callers
   * at once, the second finds it moved on and gets its state.
   */
  transition(id: string, from: readonly AlarmState[], change: AlarmChange, audit: AuditEntry): Promise<TransitionResult>;

  /**
   * Closes the open alarm of a key, atomically with its audit entry (the entry gets the alarm's id as subject);
   * `details`, when given, makes its last facts from the open alarm in the same write. Null when no alarm of
   * that key is open.
   */
  closeByKey(
    key: string,
    change: { at: number; by: Person; category: string; note: string; details?: (open: Alarm) => unknown },
    audit: Omit<AuditEntry, 'subject'>,
  ): Promise<Alarm | null>;

  /**
   * The 1-3-5 sweep, in one transaction: every open, unresolved alarm with a stage due by `now`, not reached and
   * not yet overdue (due strictly before `now`) gets that stage added to its overdue list (at `now`) and escalated_at set if unset, with an
   * audit entry per stage from `audit`. At most `limit` alarms per call, oldest first (the rest next time).
   */
  markOverdue(now: number, limit: number, audit: (alarm: Alarm, stage: ResponseStage, dueAt: number) => AuditEntry): Promise<OverdueAlarm[]>;

  /** The open alarms of these keys (a read: what a source checks before fetching evidence). */
  openByKeys(keys: string[]): Promise<Map<string, Alarm>>;

  get(id: string): Promise<Alarm | null>;
  list(opts: { includeClosed: boolean; limit: number }): Promise<Alarm[]>;
  openCount(): Promise<number>;
}
