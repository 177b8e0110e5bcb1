// Where video patrol routes, runs and checks are kept (patrol_routes, patrol_runs, patrol_checks): the
// interface the patrol service needs and its SQLite implementation. Starting a run and seeding the demo
// routes are single transactions, so that two clicks cannot make two open runs or two seeds.
import type { PatrolCheck, PatrolRoute, PatrolRun, PatrolVerdict } from '../../../shared/video.ts';
import type { Database, Tx } from '../store/database.ts';

export interface PatrolRepository {
  routes(): Promise<PatrolRoute[]>;
  route(id: string): Promise<PatrolRoute | undefined>;
  upsertRoute(route: PatrolRoute, at: number): Promise<void>;
  /** Inserts the routes only if there are none yet; true when it did. */
  seedRoutes(routes: PatrolRoute[], at: number): Promise<boolean>;
  /** The open run of this route by this user, or else `run` inserted. */
  startRun(run: PatrolRun): Promise<{ run: PatrolRun; created: boolean }>;
  run(id: string): Promise<PatrolRun | undefined>;
  /** Records (or replaces) a camera's check while the run is open; false when the run is finished (nothing written). */
  addCheck(runId: string, check: PatrolCheck): Promise<boolean>;
  /** Closes an open run with the route's cameras it has no check for as missed; false when it was already finished. */
  finishRun(id: string, at: number, routeCameraIds: string[]): Promise<boolean>;
  /** Runs started within [from, to], newest first, at most `limit`. */
  runsBetween(from: number, to: number, limit: number): Promise<PatrolRun[]>;
}

interface RouteRow { id: string; name: string; camera_ids: string; dwell_s: number; schedule: string }
interface RunRow { id: string; route_id: string; route_name: string; by_user: string; by_name: string; started_at: number; finished_at: number | null; missed: string }
interface CheckRow { run_id: string; camera_id: string; verdict: string; note: string; at: number; snapshot_id: string | null }

const RUN_COLUMNS = 'id, route_id, route_name, by_user, by_name, started_at, finished_at, missed';
const toRoute = (r: RouteRow): PatrolRoute => ({ id: r.id, name: r.name, cameraIds: JSON.parse(r.camera_ids), dwellS: r.dwell_s, schedule: JSON.parse(r.schedule) });
const toCheck = (c: CheckRow): PatrolCheck => ({ cameraId: c.camera_id, verdict: c.verdict as PatrolVerdict, note: c.note, at: c.at, snapshotId: c.snapshot_id });
const toRun = (r: RunRow, checks: CheckRow[]): PatrolRun => ({
  id: r.id, routeId: r.route_id, routeName: r.route_name, by: { username: r.by_user, displayName: r.by_name },
  startedAt: r.started_at, finishedAt: r.finished_at, checks: checks.map(toCheck), missed: JSON.parse(r.missed),
});

const UPSERT_ROUTE = `INSERT INTO patrol_routes (id, name, camera_ids, dwell_s, schedule, updated_at) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET name = excluded.name, camera_ids = excluded.camera_ids, dwell_s = excluded.dwell_s,
    schedule = excluded.schedule, updated_at = excluded.updated_at`;
const routeParams = (r: PatrolRoute, at: number) => [r.id, r.name, JSON.stringify(r.cameraIds), r.dwellS, JSON.stringify(r.schedule), at];

export class SqlitePatrolRepository implements PatrolRepository {
  constructor(private readonly db: Database) {}

  async routes(): Promise<PatrolRoute[]> {
    return (await this.db.all<RouteRow>('SELECT id, name, camera_ids, dwell_s, schedule FROM patrol_routes ORDER BY name')).map(toRoute);
  }

  async route(id: string): Promise<PatrolRoute | undefined> {
    const r = await this.db.get<RouteRow>('SELECT id, name, camera_ids, dwell_s, schedule FROM patrol_routes WHERE id = ?', [id]);
    return r && toRoute(r);
  }

  async upsertRoute(route: PatrolRoute, at: number): Promise<void> {
    await this.db.run(UPSERT_ROUTE, routeParams(route, at));
  }

  seedRoutes(routes: PatrolRoute[], at: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [{ n }] = await tx.all<{ n: number }>('SELECT COUNT(*) AS n FROM patrol_routes');
      if (n > 0) return false;
      for (const r of routes) await tx.run(UPSERT_ROUTE, routeParams(r, at));
      return true;
    });
  }

  startRun(run: PatrolRun): Promise<{ run: PatrolRun; created: boolean }> {
    return this.db.transaction(async (tx) => {
      const [open] = await tx.all<RunRow>(
        `SELECT ${RUN_COLUMNS} FROM patrol_runs WHERE route_id = ? AND by_user = ? AND finished_at IS NULL ORDER BY started_at DESC LIMIT 1`,
        [run.routeId, run.by.username],
      );
      if (open) return { run: toRun(open, await checksOf(tx, [open.id])), created: false };
      await tx.run(
        'INSERT INTO patrol_runs (id, route_id, route_name, by_user, by_name, started_at, finished_at, missed) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)',
        [run.id, run.routeId, run.routeName, run.by.username, run.by.displayName, run.startedAt, '[]'],
      );
      return { run, created: true };
    });
  }

  async run(id: string): Promise<PatrolRun | undefined> {
    const r = await this.db.get<RunRow>(`SELECT ${RUN_COLUMNS} FROM patrol_runs WHERE id = ?`, [id]);
    return r && toRun(r, await this.db.all<CheckRow>('SELECT * FROM patrol_checks WHERE run_id = ? ORDER BY at', [id]));
  }

  addCheck(runId: string, c: PatrolCheck): Promise<boolean> {
    // The run's openness is read in the same transaction as the write: a finish that commits while the
    // check's snapshot is fetched leaves this write with no row to change.
    return this.db.transaction(async (tx) => {
      const r = await tx.run(
        `INSERT INTO patrol_checks (run_id, camera_id, verdict, note, at, snapshot_id)
         SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM patrol_runs WHERE id = ? AND finished_at IS NULL)
         ON CONFLICT (run_id, camera_id) DO UPDATE SET verdict = excluded.verdict, note = excluded.note, at = excluded.at,
           snapshot_id = excluded.snapshot_id`,
        [runId, c.cameraId, c.verdict, c.note, c.at, c.snapshotId, runId],
      );
      return r.changes > 0;
    });
  }

  finishRun(id: string, at: number, routeCameraIds: string[]): Promise<boolean> {
    // Missed is worked out from the checks committed when the run closes, not from an earlier read.
    return this.db.transaction(async (tx) => {
      const checked = new Set((await tx.all<{ camera_id: string }>('SELECT camera_id FROM patrol_checks WHERE run_id = ?', [id])).map((c) => c.camera_id));
      const missed = routeCameraIds.filter((cameraId) => !checked.has(cameraId));
      const r = await tx.run('UPDATE patrol_runs SET finished_at = ?, missed = ? WHERE id = ? AND finished_at IS NULL', [at, JSON.stringify(missed), id]);
      return r.changes > 0;
    });
  }

  async runsBetween(from: number, to: number, limit: number): Promise<PatrolRun[]> {
    const runs = await this.db.all<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM patrol_runs WHERE started_at BETWEEN ? AND ? ORDER BY started_at DESC, id LIMIT ?`,
      [from, to, limit],
    );
    const checks = await checksOf(this.db, runs.map((r) => r.id));
    return runs.map((r) => toRun(r, checks.filter((c) => c.run_id === r.id)));
  }
}

async function checksOf(db: Pick<Tx, 'all'>, runIds: string[]): Promise<CheckRow[]> {
  if (runIds.length === 0) return [];
  return db.all<CheckRow>(
    'SELECT run_id, camera_id, verdict, note, at, snapshot_id FROM patrol_checks WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY at',
    [JSON.stringify(runIds)],
  );
}
