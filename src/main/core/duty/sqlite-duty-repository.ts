// Patrol duty in SQLite: the roster per day and shift (duty_rosters) and the check-ins at mandatory points
// (duty_checkins, one per point, unit and shift). Each write carries its audit entry in the same transaction.
import type { Person } from '../../../shared/domain.ts';
import type { DutyCheckIn, DutyRoster } from '../../../shared/response.ts';
import type { AuditEntry } from '../alarms/alarm-repository.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { Database } from '../store/database.ts';

type Assignments = DutyRoster['assignments'];

interface RosterRow { date: string; shift_id: string; assignments: string; updated_at: number; updated_by: string; updated_by_name: string }

export class SqliteDutyRepository {
  constructor(private readonly db: Database) {}

  async roster(date: string, shiftId: string): Promise<DutyRoster | null> {
    const row = await this.db.get<RosterRow>('SELECT * FROM duty_rosters WHERE date = ? AND shift_id = ?', [date, shiftId]);
    if (!row) return null;
    return {
      date: row.date, shiftId: row.shift_id, assignments: JSON.parse(row.assignments) as Assignments,
      updatedAt: row.updated_at, updatedBy: { username: row.updated_by, displayName: row.updated_by_name },
    };
  }

  /** Stores a roster (replacing the one of that day and shift) with its audit entry, in one transaction. */
  async saveRoster(date: string, shiftId: string, assignments: Assignments, at: number, by: Person, audit: AuditEntry): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO duty_rosters (date, shift_id, assignments, updated_at, updated_by, updated_by_name) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (date, shift_id) DO UPDATE SET assignments = excluded.assignments, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by, updated_by_name = excluded.updated_by_name`,
        [date, shiftId, JSON.stringify(assignments), at, by.username, by.displayName],
      );
      await appendAudit(tx, [audit]);
    });
  }

  /** A check-in, once per point, unit and shift; its audit entry only when it is new. Returns whether it was. */
  async addCheckIn(date: string, shiftId: string, c: DutyCheckIn, audit: AuditEntry): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { changes } = await tx.run(
        'INSERT OR IGNORE INTO duty_checkins (date, shift_id, point_id, unit_id, at) VALUES (?, ?, ?, ?, ?)',
        [date, shiftId, c.pointId, c.unitId, c.at],
      );
      if (changes) await appendAudit(tx, [audit]);
      return changes > 0;
    });
  }

  checkIns(date: string, shiftId: string): Promise<DutyCheckIn[]> {
    return this.db.all<DutyCheckIn>(
      'SELECT point_id AS pointId, unit_id AS unitId, at FROM duty_checkins WHERE date = ? AND shift_id = ? ORDER BY at',
      [date, shiftId],
    );
  }

  /** Which points of a shift were already flagged missed (a restart must not flag them twice). */
  async flaggedMissed(subjectPrefix: string, since: number): Promise<Set<string>> {
    const rows = await this.db.all<{ subject: string }>(
      "SELECT subject FROM audit_log WHERE action = 'duty.missed' AND at >= ? AND subject LIKE ? ESCAPE '\\'",
      [since, `${subjectPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
    );
    return new Set(rows.map((r) => r.subject));
  }

  /** The missed points of an ended shift, one audit entry each, in one transaction. */
  async flagMissed(entries: AuditEntry[]): Promise<void> {
    if (entries.length) await this.db.transaction((tx) => appendAudit(tx, entries));
  }
}
