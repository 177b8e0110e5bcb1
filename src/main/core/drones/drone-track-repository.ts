// The fused tracks' storage on SQLite: every detection with the track it was fused into and the level judged
// (drone_detections), one row per track with the worst level it reached (drone_tracks), both written in one
// transaction per batch through json_each; the history read back by track or time window; old rows deleted
// in short batches so that retention never holds the writer for long.
import type { DroneHistory } from '../../../shared/contract/drones.ts';
import type { DroneDetection, DroneHistoryPoint, DroneIdentity, DroneSensorKind, ThreatLevel } from '../../../shared/drones.ts';
import type { Database } from '../store/database.ts';

/** One detection as stored: its track, the level judged for that track in its batch, and the detection itself. */
export interface StoredDetection {
  trackId: string;
  level: ThreatLevel;
  detection: DroneDetection;
}

export interface StoredTrack {
  id: string;
  label: string;
  classification: string;
  serial: string | null;
  identity: DroneIdentity | null;
  firstSeen: number;
  lastSeen: number;
  level: ThreatLevel;
  drill: boolean;
}

/**
 * The detection insert, shared with the bench's baseline so that both store the same bytes with the same SQL:
 * the columns come out of the detection (`d`), the payload is the detection as the adapter gave it.
 */
export const INSERT_DETECTIONS_SQL = `INSERT INTO drone_detections (track_id, sensor_id, sensor_kind, object_id, at, lon, lat, alt_m, level, payload)
  SELECT value->>'t', value->>'$.d.sensorId', value->>'$.d.sensorKind', value->>'$.d.objectId', value->>'$.d.at',
         value->>'$.d.position.lon', value->>'$.d.position.lat', value->>'$.d.position.altM', value->>'l', value->'d'
  FROM json_each(?)`;

export const detectionRowsJson = (rows: readonly StoredDetection[]) =>
  JSON.stringify(rows.map((r) => ({ t: r.trackId, l: r.level, d: r.detection })));

const UPSERT_TRACKS_SQL = `INSERT INTO drone_tracks (id, label, classification, serial, identity, first_seen, last_seen, max_level, drill)
  SELECT value->>'id', value->>'label', value->>'classification', value->>'serial', value->>'identity',
         value->>'firstSeen', value->>'lastSeen', value->>'level', value->>'drill'
  FROM json_each(?) WHERE true
  ON CONFLICT (id) DO UPDATE SET label = excluded.label, classification = excluded.classification, serial = excluded.serial,
    identity = excluded.identity, last_seen = max(last_seen, excluded.last_seen), max_level = max(max_level, excluded.max_level)`;

const trackRowsJson = (tracks: readonly StoredTrack[]) =>
  JSON.stringify(tracks.map((t) => ({ ...t, identity: t.identity ? JSON.stringify(t.identity) : null, drill: t.drill ? 1 : 0 })));

interface HistoryRow {
  track_id: string;
  at: number;
  lon: number;
  lat: number;
  alt_m: number;
  level: number;
  sensor_kind: string;
  sensor_id: string;
}

export class DroneTrackRepository {
  constructor(private readonly db: Database) {}

  /** The highest console id number ever given (UAS-000042 → 42), so that a restart continues the sequence. */
  async highestSequence(): Promise<number> {
    const row = await this.db.get<{ n: number | null }>(
      `SELECT max(CAST(substr(id, 5) AS INTEGER)) AS n FROM drone_tracks WHERE id GLOB 'UAS-[0-9]*'`,
    );
    return row?.n ?? 0;
  }

  /** A batch's detections and the tracks they moved, in one transaction: all stored, or none. */
  async storeBatch(detections: readonly StoredDetection[], tracks: readonly StoredTrack[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (tracks.length) await tx.run(UPSERT_TRACKS_SQL, [trackRowsJson(tracks)]);
      if (detections.length) {
        const r = await tx.run(INSERT_DETECTIONS_SQL, [detectionRowsJson(detections)]);
        if (r.changes !== detections.length) throw new Error(`stored ${r.changes} of ${detections.length} detections`);
      }
    });
  }

  /** Raises the worst level reached of tracks re-judged without a detection (a permit revoked, a runway opened). */
  async raiseMaxLevels(levels: ReadonlyArray<{ id: string; level: ThreatLevel }>): Promise<void> {
    if (!levels.length) return;
    await this.db.run(
      `UPDATE drone_tracks SET max_level = max(max_level, u.value->>'level') FROM json_each(?) AS u WHERE drone_tracks.id = u.value->>'id'`,
      [JSON.stringify(levels)],
    );
  }

  /** One point per detection, oldest first; the earliest `limit` when there are more (then `truncated`). */
  async history(q: { trackId?: string; from?: number; to?: number; limit: number }): Promise<DroneHistory> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.trackId !== undefined) (where.push('track_id = ?'), params.push(q.trackId));
    if (q.from !== undefined) (where.push('at >= ?'), params.push(q.from));
    if (q.to !== undefined) (where.push('at <= ?'), params.push(q.to));
    const rows = await this.db.all<HistoryRow>(
      `SELECT track_id, at, lon, lat, alt_m, level, sensor_kind, sensor_id FROM drone_detections
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at, id LIMIT ?`,
      [...params, q.limit + 1],
    );
    const points: DroneHistoryPoint[] = rows.slice(0, q.limit).map((r) => ({
      trackId: r.track_id, at: r.at, lon: r.lon, lat: r.lat, altM: r.alt_m, level: r.level as ThreatLevel,
      sensorKind: r.sensor_kind as DroneSensorKind, sensorId: r.sensor_id,
    }));
    return { points, truncated: rows.length > q.limit };
  }

  /** Deletes up to `max` detections older than `before`; returns how many it deleted. */
  async deleteDetectionsBefore(before: number, max: number): Promise<number> {
    const r = await this.db.run(
      'DELETE FROM drone_detections WHERE id IN (SELECT id FROM drone_detections WHERE at < ? ORDER BY at LIMIT ?)',
      [before, max],
    );
    return r.changes;
  }

  /** Deletes up to `max` tracks last seen before `before` (their detections are gone with the same cut-off). */
  async deleteTracksBefore(before: number, max: number): Promise<number> {
    const r = await this.db.run('DELETE FROM drone_tracks WHERE id IN (SELECT id FROM drone_tracks WHERE last_seen < ? LIMIT ?)', [before, max]);
    return r.changes;
  }
}
