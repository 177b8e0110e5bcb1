// What playback reads from the tables other features keep: drone positions (drone_detections), the alarms and
// their stage times, the record (audit_log) and a drill's log (drill_log, when that table exists). Read
// connection only: nothing here writes.
import type { AlarmState, AlarmType, Severity } from '../../../shared/domain.ts';
import type { Database } from '../store/database.ts';

export interface DroneAtRow {
  id: string;
  at: number;
  lon: number;
  lat: number;
  altM: number;
  level: number;
  label: string | null;
  drill: number | null;
}

export interface AlarmAtRow {
  id: string;
  type: AlarmType;
  severity: Severity;
  title: string;
  lon: number | null;
  lat: number | null;
  altM: number | null;
  drill: number;
  raisedAt: number;
  acknowledgedAt: number | null;
  dispatchedAt: number | null;
  onSceneAt: number | null;
  resolvedAt: number | null;
}

export interface AuditAtRow {
  id: number;
  at: number;
  actor: string;
  name: string;
  action: string;
  subject: string | null;
  details: string;
}

export interface DrillLogRow {
  seq: number;
  drillMs: number;
  wallAt: number;
  kind: string;
  stepId: string | null;
  detail: string | null;
}

/** The actor the system's own entries carry (alarm-service SYSTEM). */
export const SYSTEM_ACTOR = 'system';

/** An alarm's state at `at`, from the times its stages were reached (the latest stage reached by then). */
export function alarmStateAt(a: Pick<AlarmAtRow, 'acknowledgedAt' | 'dispatchedAt' | 'onSceneAt' | 'resolvedAt'>, at: number): AlarmState {
  const reached = (t: number | null) => t !== null && t <= at;
  if (reached(a.resolvedAt)) return 'resolved';
  if (reached(a.onSceneAt)) return 'on-scene';
  if (reached(a.dispatchedAt)) return 'dispatched';
  if (reached(a.acknowledgedAt)) return 'acknowledged';
  return 'new';
}

const ALARM_COLUMNS = `id, type, severity, title, lon, lat, alt_m AS altM, drill, raised_at AS raisedAt, acknowledged_at AS acknowledgedAt,
  dispatched_at AS dispatchedAt, on_scene_at AS onSceneAt, resolved_at AS resolvedAt`;

export class PeriodReader {
  constructor(private readonly db: Database) {}

  /** Each drone track's last detection in (after, at], with its label and drill flag. */
  dronesAt(after: number, at: number): Promise<DroneAtRow[]> {
    return this.db.all<DroneAtRow>(
      `SELECT d.track_id AS id, d.at, d.lon, d.lat, d.altM, d.level, t.label, t.drill
       FROM (SELECT track_id, max(at) AS at, lon, lat, alt_m AS altM, level FROM drone_detections WHERE at > ? AND at <= ? GROUP BY track_id) d
       LEFT JOIN drone_tracks t ON t.id = d.track_id ORDER BY d.track_id`,
      [after, at],
    );
  }

  /** How many drone tracks were seen at some time in [from, to]. */
  async droneCount(from: number, to: number): Promise<number> {
    const row = await this.db.get<{ n: number }>('SELECT count(*) AS n FROM drone_tracks WHERE first_seen <= ? AND last_seen >= ?', [to, from]);
    return row?.n ?? 0;
  }

  /** The alarms open at `at`: raised by then, and closed after it or not yet. */
  alarmsOpenAt(at: number): Promise<AlarmAtRow[]> {
    return this.db.all<AlarmAtRow>(
      `SELECT ${ALARM_COLUMNS} FROM alarms WHERE closed_at > ?1 AND raised_at <= ?1
       UNION ALL
       SELECT ${ALARM_COLUMNS} FROM alarms WHERE state != 'closed' AND closed_at IS NULL AND raised_at <= ?1
       ORDER BY raisedAt, id`,
      [at],
    );
  }

  /** The severity an alarm had at `at`, for those escalated after it (the `from` of their first later escalation). */
  async severitiesBefore(ids: string[], at: number): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const rows = await this.db.all<{ subject: string; details: string }>(
      `SELECT subject, details, min(at) FROM audit_log
       WHERE subject IN (SELECT value FROM json_each(?)) AND action = 'alarm.escalate' AND at > ? GROUP BY subject`,
      [JSON.stringify(ids), at],
    );
    const out = new Map<string, number>();
    for (const r of rows) {
      const from = parseDetails(r.details).from;
      if (typeof from === 'number') out.set(r.subject, from);
    }
    return out;
  }

  /** Alarms raised in [from, to], earliest first, at most `limit`. */
  alarmsRaised(from: number, to: number, limit: number): Promise<Array<Pick<AlarmAtRow, 'id' | 'title' | 'raisedAt' | 'drill' | 'severity'>>> {
    return this.db.all(
      'SELECT id, title, raised_at AS raisedAt, drill, severity FROM alarms WHERE raised_at >= ? AND raised_at <= ? ORDER BY raised_at, id LIMIT ?',
      [from, to, limit],
    );
  }

  /** Titles of alarms by id (an action in the period may concern an alarm raised before it). */
  async alarmTitles(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db.all<{ id: string; title: string }>('SELECT id, title FROM alarms WHERE id IN (SELECT value FROM json_each(?))', [JSON.stringify(ids)]);
    return new Map(rows.map((r) => [r.id, r.title]));
  }

  /**
   * Entries of the record in [from, to] (or (from, to] when `afterFrom`), earliest first, at most `limit`, with the
   * actor's display name. `operatorsOnly` leaves out the system's own entries.
   */
  audit(from: number, to: number, opts: { limit: number; afterFrom?: boolean; operatorsOnly?: boolean; skipActions?: string[] }): Promise<AuditAtRow[]> {
    return this.db.all<AuditAtRow>(
      `SELECT a.id, a.at, a.actor, coalesce(u.display_name, a.actor) AS name, a.action, a.subject, a.details
       FROM audit_log a LEFT JOIN users u ON u.username = a.actor
       WHERE a.at ${opts.afterFrom ? '>' : '>='} ? AND a.at <= ? ${opts.operatorsOnly ? 'AND a.actor != ?' : 'AND ? IS NOT NULL'}
         AND a.action NOT IN (SELECT value FROM json_each(?))
       ORDER BY a.at, a.id LIMIT ?`,
      [from, to, SYSTEM_ACTOR, JSON.stringify(opts.skipActions ?? []), opts.limit],
    );
  }

  /** The speed a drill started at (drills.start_speed), or 1 when unknown. */
  async drillStartSpeed(drillId: string): Promise<number> {
    const row = await this.db.get<{ s: number }>('SELECT start_speed AS s FROM drills WHERE id = ?', [drillId]).catch(() => undefined);
    return row?.s ?? 1;
  }

  /** A drill's log (drill_log, written by the drill engine), or none when that table does not exist (yet). */
  async drillLog(drillId: string, limit: number): Promise<DrillLogRow[]> {
    const table = await this.db.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'drill_log'");
    if (!table) return [];
    return this.db.all<DrillLogRow>(
      `SELECT seq, drill_ms AS drillMs, wall_at AS wallAt, kind, step_id AS stepId, CAST(detail AS TEXT) AS detail
       FROM drill_log WHERE drill_id = ? ORDER BY seq LIMIT ?`,
      [drillId, limit],
    );
  }
}

export function parseDetails(details: string): Record<string, unknown> {
  try {
    const v = JSON.parse(details) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
