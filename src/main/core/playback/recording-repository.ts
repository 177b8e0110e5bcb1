// The SQL of the recording (rec_* tables, migration v10): one batch written in one transaction, pruning by age
// in short slices, and the reads playback makes of it — each a bounded time range on a table clustered by time.
import type { Database } from '../store/database.ts';

export interface TrackPointRow {
  id: string;
  at: number;
  lon: number;
  lat: number;
  altM: number;
  /** 1: the track left the picture at `at`. */
  gone: 0 | 1;
  drill: 0 | 1;
  label: string | null;
}

export interface CameraStateRow {
  at: number;
  cameraId: string;
  health: string;
  drill: 0 | 1;
}

export interface UnitStateRow {
  at: number;
  unitId: string;
  callSign: string;
  status: string;
  lon: number | null;
  lat: number | null;
}

export interface RecordingBatch {
  tracks: TrackPointRow[];
  cameras: CameraStateRow[];
  units: UnitStateRow[];
}

/** Pruning deletes one slice of this much time per write, so that no single write holds the writer long. */
const PRUNE_SLICE_MS = 60_000;
const RECORDING_TABLES = ['rec_track_points', 'rec_camera_states', 'rec_unit_states'] as const;

export class RecordingRepository {
  constructor(private readonly db: Database) {}

  /** One batch, one transaction: the tracks' index rows first (their keys), then their points, states and units. */
  async write(batch: RecordingBatch): Promise<void> {
    if (!batch.tracks.length && !batch.cameras.length && !batch.units.length) return;
    await this.db.transaction(async (tx) => {
      if (batch.tracks.length) {
        const tracks = JSON.stringify(batch.tracks.map((r) => [r.id, r.at, r.lon, r.lat, r.altM, r.gone, r.drill, r.label]));
        await tx.run(
          `INSERT INTO rec_tracks (id, label, drill, first_at, last_at)
           SELECT j.value ->> 0, j.value ->> 7, j.value ->> 6, j.value ->> 1, j.value ->> 1 FROM json_each(?) j WHERE true
           ON CONFLICT (id) DO UPDATE SET
             last_at = max(last_at, excluded.last_at),
             label = coalesce(excluded.label, label),
             drill = max(drill, excluded.drill)`,
          [tracks],
        );
        await tx.run(
          `INSERT OR REPLACE INTO rec_track_points (at, track_key, lon, lat, alt_m, gone)
           SELECT j.value ->> 1, t.key, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5
           FROM json_each(?) j JOIN rec_tracks t ON t.id = j.value ->> 0`,
          [tracks],
        );
      }
      if (batch.cameras.length) {
        await tx.run(
          `INSERT OR REPLACE INTO rec_camera_states (at, camera_id, health, drill)
           SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3 FROM json_each(?) j`,
          [JSON.stringify(batch.cameras.map((r) => [r.at, r.cameraId, r.health, r.drill]))],
        );
      }
      if (batch.units.length) {
        await tx.run(
          `INSERT OR REPLACE INTO rec_unit_states (at, unit_id, call_sign, status, lon, lat)
           SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5 FROM json_each(?) j`,
          [JSON.stringify(batch.units.map((r) => [r.at, r.unitId, r.callSign, r.status, r.lon, r.lat]))],
        );
      }
    });
  }

  /** Deletes what was recorded before `cutoff`, a minute of recording per write; returns the rows deleted. */
  async pruneBefore(cutoff: number): Promise<number> {
    let deleted = 0;
    for (const table of RECORDING_TABLES) {
      for (;;) {
        const oldest = await this.db.get<{ at: number | null }>(`SELECT min(at) AS at FROM ${table}`);
        if (oldest?.at === null || oldest?.at === undefined || oldest.at >= cutoff) break;
        const { changes } = await this.db.run(`DELETE FROM ${table} WHERE at < ?`, [Math.min(oldest.at + PRUNE_SLICE_MS, cutoff)]);
        deleted += changes;
      }
    }
    deleted += (await this.db.run('DELETE FROM rec_tracks WHERE last_at < ?', [cutoff])).changes;
    return deleted;
  }

  // ---- reads (the read connection: committed data only, nothing written) ----

  /** Each track's last row in (after, at], those that left the picture by then excluded. */
  async tracksAt(after: number, at: number): Promise<TrackPointRow[]> {
    const rows = await this.db.all<TrackPointRow>(
      `SELECT t.id, p.at, p.lon, p.lat, p.altM, p.gone, t.drill, t.label
       FROM (SELECT track_key, max(at) AS at, lon, lat, alt_m AS altM, gone FROM rec_track_points WHERE at > ? AND at <= ? GROUP BY track_key) p
       JOIN rec_tracks t ON t.key = p.track_key ORDER BY t.id`,
      [after, at],
    );
    return rows.filter((r) => r.gone === 0);
  }

  /**
   * The same picture the naive way, for the benchmark's baseline: every row up to `at`, the last of each track,
   * then the staleness window applied.
   */
  async tracksAtByFullScan(at: number, staleMs: number): Promise<TrackPointRow[]> {
    const rows = await this.db.all<TrackPointRow>(
      `SELECT t.id, p.at, p.lon, p.lat, p.altM, p.gone, t.drill, t.label
       FROM (SELECT track_key, max(at) AS at, lon, lat, alt_m AS altM, gone FROM rec_track_points WHERE at <= ? GROUP BY track_key) p
       JOIN rec_tracks t ON t.key = p.track_key ORDER BY t.id`,
      [at],
    );
    return rows.filter((r) => r.gone === 0 && r.at > at - staleMs);
  }

  /** Each camera's last recorded health in (after, at]. */
  camerasAt(after: number, at: number): Promise<CameraStateRow[]> {
    return this.db.all<CameraStateRow>(
      `SELECT max(at) AS at, camera_id AS cameraId, health, drill FROM rec_camera_states WHERE at > ? AND at <= ?
       GROUP BY camera_id ORDER BY camera_id`,
      [after, at],
    );
  }

  /** Each unit's last recorded status and position in (after, at]. */
  unitsAt(after: number, at: number): Promise<UnitStateRow[]> {
    return this.db.all<UnitStateRow>(
      `SELECT max(at) AS at, unit_id AS unitId, call_sign AS callSign, status, lon, lat FROM rec_unit_states WHERE at > ? AND at <= ?
       GROUP BY unit_id ORDER BY unit_id`,
      [after, at],
    );
  }

  /** How many distinct tracks were in the picture at some time in [from, to]. */
  async trackCount(from: number, to: number): Promise<number> {
    const row = await this.db.get<{ n: number }>('SELECT count(*) AS n FROM rec_tracks WHERE first_at <= ? AND last_at >= ?', [to, from]);
    return row?.n ?? 0;
  }
}
