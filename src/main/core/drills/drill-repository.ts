// The drills tables in SQL: a drill's row (the plan as run, its seed, speed, status, coordinator, times, abort
// reason, the steps' last states), its event log with the wall time of each entry, and the observations. Writes
// take the caller's transaction, so that a control, its log lines and its audit entry commit together.
import type { Person } from '../../../shared/domain.ts';
import type { DrillObservation, DrillStatus, DrillStepState, Plan } from '../../../shared/drills.ts';
import type { Database, Tx } from '../store/database.ts';
import type { DrillLogEntry } from './drill-engine-types.ts';

/** A log entry as stored: the engine's (drill time) and the core's wall time when it was written down. */
export type StoredLogEntry = DrillLogEntry & { wallAt: number };

export interface DrillRecord {
  id: string;
  planId: string;
  planVersion: number;
  plan: Plan;
  seed: number;
  /** The speed it started at (the log's speed entries say how it changed). */
  startSpeed: number;
  speed: number;
  status: DrillStatus;
  coordinator: Person;
  startedAt: number;
  endedAt: number | null;
  abortReason: string | null;
  steps: DrillStepState[];
}

interface DrillRow {
  id: string; plan_id: string; plan_version: number; plan: string; seed: number; start_speed: number; speed: number; status: DrillStatus;
  coordinator: string; coordinator_name: string; started_at: number; ended_at: number | null; abort_reason: string | null; steps: string;
}

interface LogRow { seq: number; drill_ms: number; wall_at: number; kind: DrillLogEntry['kind']; step_id: string | null; action: DrillLogEntry['action'] | null; detail: string | null }

interface ObservationRow { id: number; at_ms: number; wall_at: number; by_user: string; by_name: string; text: string; step_id: string | null }

const fromRow = (r: DrillRow): DrillRecord => ({
  id: r.id, planId: r.plan_id, planVersion: r.plan_version, plan: JSON.parse(r.plan) as Plan, seed: r.seed, startSpeed: r.start_speed, speed: r.speed,
  status: r.status, coordinator: { username: r.coordinator, displayName: r.coordinator_name }, startedAt: r.started_at, endedAt: r.ended_at,
  abortReason: r.abort_reason, steps: JSON.parse(r.steps) as DrillStepState[],
});

const logFromRow = (r: LogRow): StoredLogEntry => ({
  seq: r.seq, drillMs: r.drill_ms, kind: r.kind, wallAt: r.wall_at,
  ...(r.step_id !== null && { stepId: r.step_id }),
  ...(r.action !== null && { action: r.action }),
  ...(r.detail !== null && { detail: JSON.parse(r.detail) as string | number }),
});

const observationFromRow = (r: ObservationRow): DrillObservation => ({
  id: r.id, atMs: r.at_ms, wallAt: r.wall_at, by: r.by_name || r.by_user, text: r.text, ...(r.step_id !== null && { stepId: r.step_id }),
});

export class DrillRepository {
  constructor(private readonly db: Database) {}

  async insert(tx: Tx, d: DrillRecord): Promise<void> {
    await tx.run(
      `INSERT INTO drills (id, plan_id, plan_version, plan, seed, start_speed, speed, status, coordinator, coordinator_name, started_at, ended_at, abort_reason, steps)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [d.id, d.planId, d.planVersion, JSON.stringify(d.plan), d.seed, d.startSpeed, d.speed, d.status, d.coordinator.username, d.coordinator.displayName,
        d.startedAt, d.endedAt, d.abortReason, JSON.stringify(d.steps)],
    );
  }

  async update(tx: Tx, id: string, d: Pick<DrillRecord, 'status' | 'speed' | 'endedAt' | 'abortReason' | 'steps'>): Promise<void> {
    await tx.run('UPDATE drills SET status = ?, speed = ?, ended_at = ?, abort_reason = ?, steps = ? WHERE id = ?',
      [d.status, d.speed, d.endedAt, d.abortReason, JSON.stringify(d.steps), id]);
  }

  /** Log entries in one statement; an entry already stored (same seq) is left as it was. */
  async appendLog(tx: Tx, drillId: string, entries: readonly StoredLogEntry[]): Promise<void> {
    if (!entries.length) return;
    await tx.run(
      `INSERT OR IGNORE INTO drill_log (drill_id, seq, drill_ms, wall_at, kind, step_id, action, detail)
       SELECT ?, value->>'seq', value->>'drillMs', value->>'wallAt', value->>'kind', value->>'stepId', value->>'action', value->>'detail' FROM json_each(?)`,
      [drillId, JSON.stringify(entries.map((e) => ({ ...e, detail: e.detail === undefined ? null : JSON.stringify(e.detail) })))],
    );
  }

  async addObservation(tx: Tx, drillId: string, o: { atMs: number; wallAt: number; by: Person; text: string; stepId?: string }): Promise<number> {
    const { lastID } = await tx.run(
      'INSERT INTO drill_observations (drill_id, at_ms, wall_at, by_user, by_name, text, step_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [drillId, o.atMs, o.wallAt, o.by.username, o.by.displayName, o.text, o.stepId ?? null],
    );
    return lastID;
  }

  async get(id: string): Promise<DrillRecord | null> {
    const row = await this.db.get<DrillRow>('SELECT * FROM drills WHERE id = ?', [id]);
    return row ? fromRow(row) : null;
  }

  async list(limit: number): Promise<DrillRecord[]> {
    return (await this.db.all<DrillRow>('SELECT * FROM drills ORDER BY started_at DESC, rowid DESC LIMIT ?', [limit])).map(fromRow);
  }

  /** Drills left running or paused (by a host that stopped mid-drill). */
  async unfinished(): Promise<DrillRecord[]> {
    return (await this.db.all<DrillRow>("SELECT * FROM drills WHERE status IN ('running', 'paused') ORDER BY started_at")).map(fromRow);
  }

  async log(drillId: string): Promise<StoredLogEntry[]> {
    return (await this.db.all<LogRow>('SELECT seq, drill_ms, wall_at, kind, step_id, action, detail FROM drill_log WHERE drill_id = ? ORDER BY seq', [drillId])).map(logFromRow);
  }

  async observations(drillId: string): Promise<DrillObservation[]> {
    return (await this.db.all<ObservationRow>('SELECT * FROM drill_observations WHERE drill_id = ? ORDER BY id', [drillId])).map(observationFromRow);
  }

  /** The drill alarms still open: what an end or abort closes. */
  async openDrillAlarmIds(): Promise<string[]> {
    return (await this.db.all<{ id: string }>("SELECT id FROM alarms WHERE drill = 1 AND state != 'closed' ORDER BY raised_at")).map((r) => r.id);
  }

  /** The drill alarms raised while the drill ran (for the after-action report). */
  async drillAlarmIdsBetween(from: number, to: number): Promise<string[]> {
    return (await this.db.all<{ id: string }>('SELECT id FROM alarms WHERE drill = 1 AND raised_at >= ? AND raised_at <= ? ORDER BY raised_at, rowid', [from, to])).map((r) => r.id);
  }
}
