// The handovers table, and the open-alarm facts a handover summary is made of, in SQL.
import { OPEN_ALARM_STATES } from '../../../shared/domain.ts';
import type { Person } from '../../../shared/domain.ts';
import type { Handover, HandoverSummary } from '../../../shared/response.ts';
import type { Database, Tx } from '../store/database.ts';

interface HandoverRow {
  id: string;
  created_at: number;
  from_user: string;
  from_name: string;
  note: string;
  summary: string;
  state: Handover['state'];
  to_user: string | null;
  to_name: string | null;
  accepted_at: number | null;
}

const fromRow = (r: HandoverRow): Handover => ({
  id: r.id, createdAt: r.created_at, from: { username: r.from_user, displayName: r.from_name }, note: r.note,
  summary: JSON.parse(r.summary) as HandoverSummary, state: r.state,
  to: r.to_user ? { username: r.to_user, displayName: r.to_name ?? r.to_user } : null, acceptedAt: r.accepted_at,
});

/** Open live alarms: a drill's alarms (演练) never count in a handover's summary. */
const OPEN = `state IN (${OPEN_ALARM_STATES.map((s) => `'${s}'`).join(', ')}) AND drill = 0`;

export type AlarmFacts = Pick<HandoverSummary, 'openAlarms' | 'bySeverity' | 'overdue' | 'alarms'>;

export class HandoverRepository {
  constructor(private readonly db: Database) {}

  /** Counts of the open alarms, and the `limit` most urgent: severity, then an overdue stage, then the longest waiting. */
  async openAlarmFacts(limit: number): Promise<AlarmFacts> {
    const [counts, urgent] = await Promise.all([
      this.db.all<{ severity: 1 | 2 | 3 | 4; n: number; overdue: number }>(
        `SELECT severity, COUNT(*) AS n, SUM(overdue != '[]') AS overdue FROM alarms WHERE ${OPEN} GROUP BY severity`,
      ),
      this.db.all<{ id: string; type: string; severity: 1 | 2 | 3 | 4; state: string; raised_at: number }>(
        `SELECT id, type, severity, state, raised_at FROM alarms WHERE ${OPEN}
         ORDER BY severity DESC, overdue != '[]' DESC, raised_at ASC LIMIT ?`,
        [limit],
      ),
    ]);
    const bySeverity: Record<1 | 2 | 3 | 4, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
    for (const c of counts) bySeverity[c.severity] = c.n;
    return {
      openAlarms: counts.reduce((n, c) => n + c.n, 0),
      bySeverity,
      overdue: counts.reduce((n, c) => n + c.overdue, 0),
      alarms: urgent.map((a) => ({ id: a.id, type: a.type, severity: a.severity, state: a.state, raisedAt: a.raised_at })) as AlarmFacts['alarms'],
    };
  }

  async get(id: string): Promise<Handover | null> {
    const row = await this.db.get<HandoverRow>('SELECT * FROM handovers WHERE id = ?', [id]);
    return row ? fromRow(row) : null;
  }

  async list(limit: number): Promise<Handover[]> {
    return (await this.db.all<HandoverRow>('SELECT * FROM handovers ORDER BY created_at DESC, rowid DESC LIMIT ?', [limit])).map(fromRow);
  }

  async pendingOf(tx: Tx, username: string): Promise<boolean> {
    return (await tx.all("SELECT 1 FROM handovers WHERE from_user = ? COLLATE NOCASE AND state = 'pending'", [username])).length > 0;
  }

  async insert(tx: Tx, h: Handover): Promise<void> {
    await tx.run(
      `INSERT INTO handovers (id, created_at, from_user, from_name, note, summary, state) VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
      [h.id, h.createdAt, h.from.username, h.from.displayName, h.note, JSON.stringify(h.summary)],
    );
  }

  /** True when it was pending and is now accepted. */
  async accept(tx: Tx, id: string, to: Person, at: number): Promise<boolean> {
    const r = await tx.run(
      "UPDATE handovers SET state = 'accepted', to_user = ?, to_name = ?, accepted_at = ? WHERE id = ? AND state = 'pending'",
      [to.username, to.displayName, at, id],
    );
    return r.changes === 1;
  }

  /** True when it was pending and is now cancelled. */
  async cancel(tx: Tx, id: string): Promise<boolean> {
    return (await tx.run("UPDATE handovers SET state = 'cancelled' WHERE id = ? AND state = 'pending'", [id])).changes === 1;
  }
}
