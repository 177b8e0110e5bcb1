// The incident repository on SQLite: incidents, their steps (in SOP order: rowid) and notes; the alarms they hold
// are the alarms whose incident_id points at them. Every change runs in one transaction on the writer queue with
// its audit entries, so that two changes at once are one after the other and the second sees the first. A
// transaction reads only what it needs (no notes: an incident may hold hundreds, and the writer queue is every
// console's); the incident as committed is read after, on the read connection.
import type { Alarm, AlarmState, GeoPoint, Person } from '../../../shared/domain.ts';
import type { Incident, IncidentNote, IncidentStepState, TimelineEntry } from '../../../shared/response.ts';
import type { AuditEntry } from '../alarms/alarm-repository.ts';
import { linkAlarmsInTx } from '../alarms/sqlite-alarm-repository.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { Database, Tx } from '../store/database.ts';
import type { AlarmLinkFacts, IncidentChange, IncidentRefusal, IncidentRepository, NewIncident } from './incident-repository.ts';

type All = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

/** Notes one incident holds at most: beyond, a note is refused (the record and the report stay readable). */
export const MAX_NOTES_PER_INCIDENT = 500;
/** Notes per incident in a list (the newest); `notesTotal` says how many there are. */
export const LIST_NOTES = 50;

export class SqliteIncidentRepository implements IncidentRepository {
  constructor(private readonly db: Database) {}

  async create(alarmIds: string[], numberPrefix: string, build: (facts: AlarmLinkFacts[], number: string) => { incident: NewIncident; audit: AuditEntry[] }) {
    const created = await this.db.transaction(async (tx) => {
      const facts = await linkFacts(tx, alarmIds);
      const { incident: n, audit } = build(facts, await nextNumber(tx, numberPrefix));
      await tx.run(
        `INSERT INTO incidents (id, number, type_id, title, state, lon, lat, opened_at, opened_by, opened_by_name, drill)
         VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)`,
        [n.id, n.number, n.typeId, n.title, n.position?.lon ?? null, n.position?.lat ?? null, n.openedAt, n.openedBy.username, n.openedBy.displayName, n.drill ? 1 : 0],
      );
      await tx.run(
        `INSERT INTO incident_steps (incident_id, step_id, state) SELECT ?, value, 'pending' FROM json_each(?)`,
        [n.id, JSON.stringify(n.stepIds)],
      );
      const alarms = await linkAlarmsInTx(tx, alarmIds, n.id, n.openedAt);
      await appendAudit(tx, audit);
      return { id: n.id, alarms };
    });
    return { incident: (await this.get(created.id))!, alarms: created.alarms };
  }

  async addAlarms(id: string, alarmIds: string[], build: Parameters<IncidentRepository['addAlarms']>[2]): Promise<{ incident: Incident; alarms: Alarm[] } | IncidentRefusal> {
    const result = await this.db.transaction(async (tx) => {
      const [before] = await readIncidents(tx.all, 'id = ?', [id], 1, 0);
      if (!before) return { refused: 'missing' } as IncidentRefusal;
      if (before.state === 'closed') return { refused: 'closed', incident: before } as IncidentRefusal;
      const { link, position, audit } = build(before, await linkFacts(tx, alarmIds));
      if (!link.length) return { alarms: [] };
      const at = audit[0]?.at ?? before.openedAt;
      const alarms = await linkAlarmsInTx(tx, link, id, at);
      if (position && !before.position) await tx.run('UPDATE incidents SET lon = ?, lat = ? WHERE id = ?', [position.lon, position.lat, id]);
      await appendAudit(tx, audit);
      return { alarms };
    });
    if ('refused' in result) return result;
    return { incident: (await this.get(id))!, alarms: result.alarms };
  }

  tickStep(id: string, stepId: string, change: { state: 'done' | 'skipped'; at: number; by: Person; reason: string | null }, audit: AuditEntry) {
    return this.changeOpen(id, async (tx) => {
      const { changes } = await tx.run(
        `UPDATE incident_steps SET state = ?, at = ?, by_user = ?, by_name = ?, reason = ?
         WHERE incident_id = ? AND step_id = ? AND state = 'pending'`,
        [change.state, change.at, change.by.username, change.by.displayName, change.reason, id, stepId],
      );
      if (changes === 1) {
        await appendAudit(tx, [audit]);
        return null;
      }
      const [row] = await tx.all<StepRow>('SELECT * FROM incident_steps WHERE incident_id = ? AND step_id = ?', [id, stepId]);
      return row ? { refused: 'step-taken', step: stepFromRow(row) } : { refused: 'no-step' };
    });
  }

  addNote(id: string, note: IncidentNote, audit: AuditEntry) {
    return this.changeOpen(id, async (tx) => {
      const [held] = await tx.all<{ n: number }>('SELECT COUNT(*) AS n FROM incident_notes WHERE incident_id = ?', [id]);
      if ((held?.n ?? 0) >= MAX_NOTES_PER_INCIDENT) return { refused: 'too-many-notes', limit: MAX_NOTES_PER_INCIDENT };
      await tx.run(
        'INSERT INTO incident_notes (id, incident_id, at, by_user, by_name, text, snapshot_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [note.id, id, note.at, note.by.username, note.by.displayName, note.text, note.snapshotId],
      );
      await appendAudit(tx, [audit]);
      return null;
    });
  }

  close(id: string, change: { at: number; by: Person; summary: string }, audit: Parameters<IncidentRepository['close']>[2]) {
    return this.changeOpen(id, async (tx, open) => {
      await tx.run(
        "UPDATE incidents SET state = 'closed', closed_at = ?, closed_by = ?, closed_by_name = ?, summary = ? WHERE id = ? AND state = 'open'",
        [change.at, change.by.username, change.by.displayName, change.summary, id],
      );
      await appendAudit(tx, [audit(open)]);
      return null;
    });
  }

  async get(id: string) {
    return (await readIncidents(this.all, 'id = ?', [id], 1))[0] ?? null;
  }

  list({ openOnly, limit }: { openOnly: boolean; limit: number }) {
    return readIncidents(this.all, openOnly ? "state = 'open'" : '1', [], limit, LIST_NOTES);
  }

  async timeline(subjects: string[], limit: number): Promise<{ entries: TimelineEntry[]; omitted: number }> {
    const ids = JSON.stringify(subjects);
    // Newest first by the chain's order (index audit_log_subject), then shown oldest first.
    const rows = await this.db.all<{ id: number; at: number; actor: string; action: string; subject: string | null; details: string }>(
      'SELECT id, at, actor, action, subject, details FROM audit_log WHERE subject IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT ?',
      [ids, limit],
    );
    let omitted = 0;
    if (rows.length === limit) {
      const total = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log WHERE subject IN (SELECT value FROM json_each(?))', [ids]);
      omitted = (total?.n ?? limit) - limit;
    }
    const entries = rows
      .sort((a, b) => a.at - b.at || a.id - b.id)
      .map((r) => ({ at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: parseDetails(r.details) }));
    return { entries, omitted };
  }

  private readonly all: All = (sql, params) => this.db.all(sql, params);

  /** A change to an open incident: refused when there is none, or it is closed; `work` may refuse too. */
  /** `open` is the incident without its notes (what a change checks); the answer is the whole incident, read after the commit. */
  private async changeOpen(id: string, work: (tx: Tx, open: Incident) => Promise<IncidentRefusal | null>): Promise<IncidentChange> {
    const refusal = await this.db.transaction(async (tx): Promise<IncidentRefusal | null> => {
      const [before] = await readIncidents(tx.all, 'id = ?', [id], 1, 0);
      if (!before) return { refused: 'missing' };
      if (before.state === 'closed') return { refused: 'closed', incident: before };
      return work(tx, before);
    });
    if (refusal) return refusal;
    const after = await this.get(id);
    return after ? { ok: after } : { refused: 'missing' };
  }
}

/** `AJ-20261124-` → `AJ-20261124-001`, `-002` …: the day's highest number plus one (inside the writer's transaction). */
async function nextNumber(tx: Tx, prefix: string): Promise<string> {
  const [last] = await tx.all<{ number: string }>(
    // A range on the unique index of numbers: the day's numbers all sort between the prefix and prefix + '~'.
    'SELECT number FROM incidents WHERE number >= ? AND number < ? ORDER BY length(number) DESC, number DESC LIMIT 1',
    [prefix, `${prefix}~`],
  );
  const n = last ? Number(last.number.slice(prefix.length)) + 1 : 1;
  return `${prefix}${String(n).padStart(3, '0')}`;
}

async function linkFacts(tx: Tx, ids: string[]): Promise<AlarmLinkFacts[]> {
  const rows = await tx.all<{ id: string; state: AlarmState; incident_id: string | null; number: string | null; lon: number | null; lat: number | null; alt_m: number | null; drill: number }>(
    `SELECT a.id, a.state, a.incident_id, i.number, a.lon, a.lat, a.alt_m, a.drill
     FROM alarms a LEFT JOIN incidents i ON i.id = a.incident_id WHERE a.id IN (SELECT value FROM json_each(?))`,
    [JSON.stringify(ids)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const position: GeoPoint | null = r.lon === null || r.lat === null ? null : { lon: r.lon, lat: r.lat, ...(r.alt_m === null ? {} : { altM: r.alt_m }) };
    return [{ id: r.id, state: r.state, incidentId: r.incident_id, incidentNumber: r.number, position, drill: r.drill === 1 }];
  });
}

interface IncidentRow {
  id: string; number: string; type_id: string; title: string; state: 'open' | 'closed'; lon: number | null; lat: number | null;
  opened_at: number; opened_by: string; opened_by_name: string; closed_at: number | null; closed_by: string | null; closed_by_name: string | null;
  summary: string | null; drill: number;
}
interface StepRow { incident_id: string; step_id: string; state: IncidentStepState['state']; at: number | null; by_user: string | null; by_name: string | null; reason: string | null }
interface NoteRow { id: string; incident_id: string; at: number; by_user: string; by_name: string; text: string; snapshot_id: string | null; total?: number }

/** `notesTotal` when the rows read are the newest of more. */
const notesTotalOf = (rows: NoteRow[] | undefined): { notesTotal?: number } =>
  rows?.length && rows[0].total !== undefined && rows[0].total > rows.length ? { notesTotal: rows[0].total } : {};

const person = (username: string | null, name: string | null): Person | null => (username === null ? null : { username, displayName: name ?? username });

const stepFromRow = (s: StepRow): IncidentStepState => ({ stepId: s.step_id, state: s.state, at: s.at, by: person(s.by_user, s.by_name), reason: s.reason });

/**
 * Incidents with their steps, notes and alarm ids: four reads, however many incidents. `notesLimit`: all notes
 * (null), none (0: a transaction's check), or the newest so many per incident, with `notesTotal` where some
 * were left out.
 */
async function readIncidents(all: All, where: string, params: unknown[], limit: number, notesLimit: number | null = null): Promise<Incident[]> {
  const rows = await all<IncidentRow>(`SELECT * FROM incidents WHERE ${where} ORDER BY opened_at DESC, rowid DESC LIMIT ?`, [...params, limit]);
  if (!rows.length) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const [steps, notes, alarms] = await Promise.all([
    all<StepRow>('SELECT * FROM incident_steps WHERE incident_id IN (SELECT value FROM json_each(?)) ORDER BY rowid', [ids]),
    notesLimit === 0
      ? Promise.resolve([] as NoteRow[])
      : notesLimit === null
        ? all<NoteRow>('SELECT * FROM incident_notes WHERE incident_id IN (SELECT value FROM json_each(?)) ORDER BY at, rowid', [ids])
        : all<NoteRow>(
          `SELECT * FROM (
             SELECT *, ROW_NUMBER() OVER (PARTITION BY incident_id ORDER BY at DESC, rowid DESC) AS nth, COUNT(*) OVER (PARTITION BY incident_id) AS total
             FROM incident_notes WHERE incident_id IN (SELECT value FROM json_each(?))
           ) WHERE nth <= ? ORDER BY at, nth DESC`,
          [ids, notesLimit],
        ),
    all<{ id: string; incident_id: string }>('SELECT id, incident_id FROM alarms WHERE incident_id IN (SELECT value FROM json_each(?)) ORDER BY raised_at, rowid', [ids]),
  ]);
  const group = <T extends { incident_id: string }>(list: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of list) m.set(x.incident_id, [...(m.get(x.incident_id) ?? []), x]);
    return m;
  };
  const stepsOf = group(steps);
  const notesOf = group(notes);
  const alarmsOf = group(alarms);
  return rows.map((r) => ({
    id: r.id, number: r.number, typeId: r.type_id, title: r.title, state: r.state,
    position: r.lon === null || r.lat === null ? null : { lon: r.lon, lat: r.lat },
    alarmIds: (alarmsOf.get(r.id) ?? []).map((a) => a.id),
    openedAt: r.opened_at, openedBy: { username: r.opened_by, displayName: r.opened_by_name },
    closedAt: r.closed_at, closedBy: person(r.closed_by, r.closed_by_name), summary: r.summary,
    steps: (stepsOf.get(r.id) ?? []).map(stepFromRow),
    notes: (notesOf.get(r.id) ?? []).map((n) => ({ id: n.id, at: n.at, by: { username: n.by_user, displayName: n.by_name }, text: n.text, snapshotId: n.snapshot_id })),
    drill: r.drill === 1,
    ...notesTotalOf(notesOf.get(r.id)),
  }));
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { text };
  }
}
