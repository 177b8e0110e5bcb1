// Where alarms are kept: the interface the alarm service needs, so that a server database can replace SQLite
// without touching the service. Every method is one atomic write (with its audit entries) or one read.
import type { Alarm, AlarmState, Person } from '../../../shared/domain.ts';

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

export type TransitionResult = { ok: Alarm } | { missing: true } | { state: AlarmState };

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

  /** Moves an alarm from one of `from` to its next state, atomically: a second caller finds it moved. */
  transition(
    id: string,
    from: readonly AlarmState[],
    change: { state: 'acknowledged'; at: number; by: Person } | { state: 'closed'; at: number; by: Person; category: string; note: string },
    audit: AuditEntry,
  ): Promise<TransitionResult>;

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

  /** The open alarms of these keys (a read: what a source checks before fetching evidence). */
  openByKeys(keys: string[]): Promise<Map<string, Alarm>>;

  get(id: string): Promise<Alarm | null>;
  list(opts: { includeClosed: boolean; limit: number }): Promise<Alarm[]>;
  openCount(): Promise<number>;
}
