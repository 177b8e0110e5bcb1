// The alarm repository on SQLite: batched inserts through json_each, keyed updates and state transitions each
// in one transaction, with their audit entries, checked by the rows they change.
import { RESPONSE_STAGES, stageDueAt, stageReachedAt, type Alarm, type AlarmState, type Person, type ResolutionCategory, type ResponseStage, type Severity } from '../../../shared/domain.ts';
import type { Database, Tx } from '../store/database.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { AlarmChange, AlarmRepository, AuditEntry, OverdueAlarm, StoredAlarm, TransitionResult } from './alarm-repository.ts';

export class SqliteAlarmRepository implements AlarmRepository {
  constructor(private readonly db: Database) {}

  upsertByKey(
    keys: string[],
    decide: (open: Map<string, Alarm>, recentlyClosed: Map<string, Alarm>) => { insert: StoredAlarm[]; update: Alarm[]; audit: AuditEntry[] },
    closedSince = Number.POSITIVE_INFINITY,
  ): Promise<{ inserted: Alarm[]; updated: Alarm[] }> {
    return this.db.transaction(async (tx) => {
      const open = new Map<string, Alarm>();
      const closed = new Map<string, Alarm>();
      if (keys.length) {
        const rows = await tx.all<AlarmRow>(
          `SELECT * FROM alarms WHERE alarm_key IN (SELECT value FROM json_each(?)) AND (state != 'closed' OR closed_at > ?)
           ORDER BY closed_at`,
          [JSON.stringify(keys), Number.isFinite(closedSince) ? closedSince : Number.MAX_SAFE_INTEGER],
        );
        for (const r of rows) (r.state === 'closed' ? closed : open).set(r.alarm_key!, fromRow(r));
      }
      const { insert, update, audit } = decide(open, closed);
      if (insert.length) {
        await tx.run(INSERT_ALARMS_SQL, [alarmRowsJson(insert)]);
      }
      if (update.length) {
        const result = await tx.run(
          `UPDATE alarms SET severity = u.value->>'severity', lon = u.value->>'lon', lat = u.value->>'lat', alt_m = u.value->>'altM',
             circle_id = u.value->>'circleId', circle_ring = u.value->>'circleRing', grid_cell = u.value->>'gridCellId',
             updated_at = u.value->>'updatedAt', updates = u.value->>'updates', state = u.value->>'state',
             acknowledged_at = u.value->>'acknowledgedAt', acknowledged_by = u.value->>'ackBy', acknowledged_by_name = u.value->>'ackByName',
             details = u.value->>'details', ack_target_s = u.value->>'ackTargetS', dispatch_target_s = u.value->>'dispatchTargetS',
             on_scene_target_s = u.value->>'onSceneTargetS'
           FROM json_each(?) AS u WHERE alarms.id = u.value->>'id' AND alarms.state != 'closed'`,
          [JSON.stringify(update.map(flat))],
        );
        if (result.changes !== update.length) throw new Error(`alarm update changed ${result.changes} of ${update.length} rows`);
      }
      await insertAudit(tx, audit);
      return { inserted: insert.map((i) => i.alarm), updated: update };
    });
  }

  transition(id: string, from: readonly AlarmState[], change: AlarmChange, audit: AuditEntry): Promise<TransitionResult> {
    const [set, params] = changeSql(change);
    return this.db.transaction(async (tx) => {
      const result = await tx.run(`UPDATE alarms SET ${set} WHERE id = ? AND state IN (SELECT value FROM json_each(?))`, [...params, id, JSON.stringify(from)]);
      const [row] = await tx.all<AlarmRow>('SELECT * FROM alarms WHERE id = ?', [id]);
      if (!row) return { missing: true as const };
      if (result.changes !== 1) return { state: row.state };
      await insertAudit(tx, [audit]);
      return { ok: fromRow(row) };
    });
  }

  closeByKey(
    key: string,
    change: { at: number; by: Person; category: string; note: string; details?: (open: Alarm) => unknown },
    audit: Omit<AuditEntry, 'subject'>,
  ): Promise<Alarm | null> {
    return this.db.transaction(async (tx) => {
      const [openRow] = await tx.all<AlarmRow>("SELECT * FROM alarms WHERE alarm_key = ? AND state != 'closed'", [key]);
      if (!openRow) return null;
      const open = fromRow(openRow);
      const details = change.details?.(open);
      await tx.run(
        `UPDATE alarms SET state = 'closed', closed_at = ?, closed_by = ?, closed_by_name = ?, resolution_category = ?, resolution = ?,
           details = COALESCE(?, details), updated_at = CASE WHEN ? IS NULL THEN updated_at ELSE ? END
         WHERE id = ? AND state != 'closed'`,
        [change.at, change.by.username, change.by.displayName, change.category, change.note,
          details === undefined ? null : JSON.stringify(details), details === undefined ? null : 1, change.at, open.id],
      );
      await insertAudit(tx, [{ ...audit, subject: open.id }]);
      const [row] = await tx.all<AlarmRow>('SELECT * FROM alarms WHERE id = ?', [open.id]);
      return fromRow(row);
    });
  }

  async openByKeys(keys: string[]): Promise<Map<string, Alarm>> {
    if (!keys.length) return new Map();
    const rows = await this.db.all<AlarmRow>(
      "SELECT * FROM alarms WHERE alarm_key IN (SELECT value FROM json_each(?)) AND state != 'closed'",
      [JSON.stringify(keys)],
    );
    return new Map(rows.map((r) => [r.alarm_key!, fromRow(r)]));
  }

  async get(id: string): Promise<Alarm | null> {
    const row = await this.db.get<AlarmRow>('SELECT * FROM alarms WHERE id = ?', [id]);
    return row ? fromRow(row) : null;
  }

  async list({ includeClosed, limit }: { includeClosed: boolean; limit: number }): Promise<Alarm[]> {
    // Open first (the partial index on open alarms), then, when asked, the newest closed to fill the limit.
    const open = await this.db.all<AlarmRow>(`SELECT * FROM alarms WHERE state != 'closed' ORDER BY severity DESC, drill, raised_at DESC LIMIT ?`, [limit]);
    const closed = includeClosed && open.length < limit
      ? await this.db.all<AlarmRow>(`SELECT * FROM alarms WHERE state = 'closed' ORDER BY severity DESC, drill, raised_at DESC LIMIT ?`, [limit - open.length])
      : [];
    return [...open, ...closed].map(fromRow);
  }

  async markOverdue(now: number, limit: number, audit: (alarm: Alarm, stage: ResponseStage, dueAt: number) => AuditEntry): Promise<OverdueAlarm[]> {
    // A read first, on the read connection: most sweeps find nothing and take no write lock.
    const due = await this.db.all<{ id: string }>(`SELECT id FROM alarms WHERE ${OVERDUE_WHERE} LIMIT 1`, [now, now, now, now]);
    if (!due.length) return [];
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<AlarmRow>(`SELECT * FROM alarms WHERE ${OVERDUE_WHERE} ORDER BY raised_at LIMIT ?`, [now, now, now, now, limit]);
      const found: OverdueAlarm[] = [];
      for (const row of rows) {
        const before = fromRow(row);
        const already = new Set(before.clock.overdue.map((o) => o.stage));
        const stages = RESPONSE_STAGES
          .filter((stage) => !already.has(stage) && stageReachedAt(before, stage) === null && stageDueAt(before, stage) < now)
          .map((stage) => ({ stage, dueAt: stageDueAt(before, stage) }));
        if (!stages.length) continue;
        const alarm = {
          ...before,
          escalatedAt: before.escalatedAt ?? now,
          clock: { ...before.clock, overdue: [...before.clock.overdue, ...stages.map(({ stage }) => ({ stage, at: now }))] },
        } as Alarm;
        found.push({ alarm, stages });
      }
      if (!found.length) return [];
      await tx.run(
        `UPDATE alarms SET overdue = u.value->>'overdue', escalated_at = COALESCE(escalated_at, u.value->>'at')
         FROM json_each(?) AS u WHERE alarms.id = u.value->>'id'`,
        [JSON.stringify(found.map(({ alarm }) => ({ id: alarm.id, overdue: JSON.stringify(alarm.clock.overdue), at: now })))],
      );
      await insertAudit(tx, found.flatMap(({ alarm, stages }) => stages.map(({ stage, dueAt }) => audit(alarm, stage, dueAt))));
      return found;
    });
  }

  async openCount(): Promise<number> {
    return (await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM alarms WHERE state != 'closed'"))?.n ?? 0;
  }
}

const insertAudit = (tx: Tx, entries: AuditEntry[]) => appendAudit(tx, entries);

/**
 * Open, unresolved live alarms with a stage past due at now (?1 ×4: reached exactly on time is in time), not
 * reached and not yet overdue. Drill alarms are left out: their drill may be paused or run at 10×, so the core's
 * clock says nothing about them, and the drill's own evaluation times them in drill time (a drill never reaches
 * the commander as 已上报). The leading
 * `state != 'closed'` lets SQLite use the partial index alarms_open_raised; stage names are quoted in the
 * overdue JSON, so '"dispatch"' does not match inside another word.
 */
export const OVERDUE_WHERE = `state != 'closed' AND state != 'resolved' AND drill = 0 AND raised_at <= ? AND (
    (acknowledged_at IS NULL AND dispatched_at IS NULL AND raised_at + ack_target_s * 1000 < ? AND instr(overdue, '"acknowledge"') = 0)
    OR (dispatched_at IS NULL AND raised_at + dispatch_target_s * 1000 < ? AND instr(overdue, '"dispatch"') = 0)
    OR (on_scene_at IS NULL AND raised_at + on_scene_target_s * 1000 < ? AND instr(overdue, '"on-scene"') = 0))`;

/** The SET clause of each change, and its parameters. */
function changeSql(change: AlarmChange): [string, unknown[]] {
  switch (change.kind) {
    case 'acknowledge':
      // acknowledged_at keeps the first acknowledgement: the 1-3-5 clock measures the first response, and an
      // alarm re-announced by a severity rise (back to new) must not count as unacknowledged since it was raised.
      return ["state = 'acknowledged', acknowledged_at = COALESCE(acknowledged_at, ?), acknowledged_by = ?, acknowledged_by_name = ?",
        [change.at, change.by.username, change.by.displayName]];
    case 'resolve':
      return ["state = 'resolved', resolved_at = ?, resolved_by = ?, resolved_by_name = ?", [change.at, change.by.username, change.by.displayName]];
    case 'close':
      return ["state = 'closed', closed_at = ?, closed_by = ?, closed_by_name = ?, resolution_category = ?, resolution = ?",
        [change.at, change.by.username, change.by.displayName, change.category, change.note]];
    case 'assign':
      return ['assigned_to = ?, assigned_to_name = ?', [change.to?.username ?? null, change.to?.displayName ?? null]];
    case 'escalate':
      return ['escalated_at = COALESCE(escalated_at, ?)', [change.at]];
  }
}

/** Many alarms in one statement: a JSON array of rows (alarmRowsJson) read through json_each. */
export const INSERT_ALARMS_SQL = `INSERT INTO alarms (id, alarm_key, source, type, severity, title, lon, lat, alt_m, circle_id, circle_ring, grid_cell,
    raised_at, updated_at, updates, state, drill, details, ack_target_s, dispatch_target_s, on_scene_target_s, overdue, incident_id)
  SELECT value->>'id', value->>'key', value->>'source', value->>'type', value->>'severity', value->>'type', value->>'lon',
    value->>'lat', value->>'altM', value->>'circleId', value->>'circleRing', value->>'gridCellId', value->>'raisedAt',
    value->>'updatedAt', value->>'updates', value->>'state', value->>'drill', value->>'details',
    value->>'ackTargetS', value->>'dispatchTargetS', value->>'onSceneTargetS', value->>'overdue', value->>'incidentId'
  FROM json_each(?)`;

export const alarmRowsJson = (rows: StoredAlarm[]) => JSON.stringify(rows.map(({ alarm, key }) => ({ ...flat(alarm), key })));

/** An alarm as the flat row the JSON statements read. */
function flat(a: Alarm) {
  return {
    ...a,
    lon: a.position?.lon ?? null, lat: a.position?.lat ?? null, altM: a.position?.altM ?? null,
    drill: a.drill ? 1 : 0, details: JSON.stringify(a.details),
    ackBy: a.acknowledgedBy?.username ?? null, ackByName: a.acknowledgedBy?.displayName ?? null,
    ackTargetS: a.clock.targets.acknowledgeS, dispatchTargetS: a.clock.targets.dispatchS, onSceneTargetS: a.clock.targets.onSceneS,
    overdue: JSON.stringify(a.clock.overdue),
  };
}

interface AlarmRow {
  id: string; alarm_key: string | null; source: Alarm['source']; type: Alarm['type']; severity: Severity; title: string;
  lon: number | null; lat: number | null; alt_m: number | null;
  circle_id: string | null; circle_ring: Alarm['circleRing']; grid_cell: string | null;
  raised_at: number; updated_at: number | null; updates: number; state: AlarmState; drill: number;
  acknowledged_at: number | null; acknowledged_by: string | null; acknowledged_by_name: string | null;
  assigned_to: string | null; assigned_to_name: string | null; dispatched_at: number | null; on_scene_at: number | null;
  resolved_at: number | null; resolved_by: string | null; resolved_by_name: string | null; escalated_at: number | null;
  ack_target_s: number; dispatch_target_s: number; on_scene_target_s: number; overdue: string; incident_id: string | null;
  closed_at: number | null; closed_by: string | null; closed_by_name: string | null;
  resolution_category: string | null; resolution: string | null; details: string;
}

const person = (username: string | null, name: string | null): Person | null => (username === null ? null : { username, displayName: name ?? username });

function fromRow(r: AlarmRow): Alarm {
  return {
    id: r.id, source: r.source, type: r.type, severity: r.severity,
    position: r.lon === null || r.lat === null ? null : { lon: r.lon, lat: r.lat, ...(r.alt_m === null ? {} : { altM: r.alt_m }) },
    circleId: r.circle_id, circleRing: r.circle_ring, gridCellId: r.grid_cell,
    raisedAt: r.raised_at, updatedAt: r.updated_at ?? r.raised_at, updates: r.updates,
    state: r.state, drill: r.drill === 1,
    acknowledgedAt: r.acknowledged_at, acknowledgedBy: person(r.acknowledged_by, r.acknowledged_by_name),
    assignedTo: person(r.assigned_to, r.assigned_to_name),
    dispatchedAt: r.dispatched_at, onSceneAt: r.on_scene_at,
    resolvedAt: r.resolved_at, resolvedBy: person(r.resolved_by, r.resolved_by_name),
    escalatedAt: r.escalated_at,
    clock: {
      targets: { acknowledgeS: r.ack_target_s, dispatchS: r.dispatch_target_s, onSceneS: r.on_scene_target_s },
      overdue: JSON.parse(r.overdue) as Alarm['clock']['overdue'],
    },
    incidentId: r.incident_id,
    closedAt: r.closed_at, closedBy: person(r.closed_by, r.closed_by_name),
    resolution: r.state === 'closed' ? { category: (r.resolution_category ?? 'other') as ResolutionCategory, note: r.resolution ?? '' } : null,
    details: JSON.parse(r.details),
  } as Alarm;
}

/**
 * Moves an alarm on to 已派警 or 已到场 inside another repository's transaction (an order and the alarm it moves
 * commit together). An alarm already at or past the stage keeps its state (its first time stays); a closed one
 * is not touched. Returns the alarm as it is after, or null when there is no such open alarm.
 */
export async function advanceAlarmInTx(tx: Tx, id: string, change: { stage: 'dispatched' | 'on-scene'; at: number }): Promise<Alarm | null> {
  const before = change.stage === 'dispatched' ? ['new', 'acknowledged'] : ['new', 'acknowledged', 'dispatched'];
  const column = change.stage === 'dispatched' ? 'dispatched_at' : 'on_scene_at';
  await tx.run(
    `UPDATE alarms SET state = CASE WHEN state IN (SELECT value FROM json_each(?)) THEN ? ELSE state END,
       ${column} = COALESCE(${column}, ?), dispatched_at = COALESCE(dispatched_at, ?), updated_at = ?
     WHERE id = ? AND state != 'closed'`,
    [JSON.stringify(before), change.stage, change.at, change.at, change.at, id],
  );
  const [row] = await tx.all<AlarmRow>("SELECT * FROM alarms WHERE id = ? AND state != 'closed'", [id]);
  return row ? fromRow(row) : null;
}

/** Ties alarms to an incident inside the incident's transaction; returns them as they are after. */
export async function linkAlarmsInTx(tx: Tx, ids: string[], incidentId: string, at: number): Promise<Alarm[]> {
  await tx.run('UPDATE alarms SET incident_id = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))', [incidentId, at, JSON.stringify(ids)]);
  const rows = await tx.all<AlarmRow>('SELECT * FROM alarms WHERE id IN (SELECT value FROM json_each(?))', [JSON.stringify(ids)]);
  return rows.map(fromRow);
}
