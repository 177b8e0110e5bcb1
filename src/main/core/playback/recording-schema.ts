// Migration v10: the recording playback replays — what no other table keeps the history of: the general tracks'
// positions, the cameras' health, the units' statuses (with their positions, home posts included). Drone
// positions (drone_detections), alarms and the record (audit_log) are read where they already are; this adds the
// time indexes that let playback read them by instant.
// Every recording table is clustered on its time (WITHOUT ROWID, key starting with `at`): a seek reads one short
// contiguous range, and pruning by age deletes from the front.
import type { Migration } from '../store/migrations.ts';

export const RECORDING_MIGRATIONS: Migration[] = [
  {
    version: 10,
    name: 'playback: the recording (track positions, camera health, unit states) and time indexes on the record and alarms',
    up: [
      // One row per recorded track: a small integer key for the positions, and what playback labels it with.
      `CREATE TABLE rec_tracks (
        key INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        label TEXT,
        drill INTEGER NOT NULL DEFAULT 0,
        first_at INTEGER NOT NULL,
        last_at INTEGER NOT NULL
      )`,
      'CREATE INDEX rec_tracks_last_at ON rec_tracks (last_at)',
      // A track's position at `at`; gone = 1: it left the picture then. A track still in the picture is written
      // again at least every few seconds (a keyframe), so that the last row within the staleness window is enough.
      `CREATE TABLE rec_track_points (
        at INTEGER NOT NULL,
        track_key INTEGER NOT NULL,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        alt_m REAL NOT NULL,
        gone INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (at, track_key)
      ) WITHOUT ROWID`,
      // A camera's health when it changed, and every camera's at each state keyframe.
      `CREATE TABLE rec_camera_states (
        at INTEGER NOT NULL,
        camera_id TEXT NOT NULL,
        health TEXT NOT NULL,
        drill INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (at, camera_id)
      ) WITHOUT ROWID`,
      // A unit's status and position when either changed, and every unit's at each state keyframe.
      `CREATE TABLE rec_unit_states (
        at INTEGER NOT NULL,
        unit_id TEXT NOT NULL,
        call_sign TEXT NOT NULL,
        status TEXT NOT NULL,
        lon REAL,
        lat REAL,
        PRIMARY KEY (at, unit_id)
      ) WITHOUT ROWID`,
      // Playback reads the record and the alarms by time.
      'CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at)',
      'CREATE INDEX IF NOT EXISTS alarms_raised_at ON alarms (raised_at)',
      // The alarms open at an instant: closed after it (this index), or not closed yet (alarms_open_raised).
      'CREATE INDEX IF NOT EXISTS alarms_closed_at ON alarms (closed_at)',
    ],
  },
];
