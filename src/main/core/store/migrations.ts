// Numbered schema migrations. Never edit an applied one: add the next number.
export interface Migration {
  version: number;
  name: string;
  up: string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts',
    up: [
      `CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('operator', 'coordinator', 'commander', 'admin')),
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'alarms',
    up: [
      `CREATE TABLE alarms (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        type TEXT NOT NULL,
        severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),
        title TEXT NOT NULL,
        lon REAL, lat REAL, alt_m REAL,
        circle_id TEXT, circle_ring TEXT, grid_cell TEXT,
        raised_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('new', 'acknowledged', 'closed')),
        drill INTEGER NOT NULL DEFAULT 0,
        acknowledged_at INTEGER, acknowledged_by TEXT,
        closed_at INTEGER, closed_by TEXT, resolution TEXT,
        details TEXT NOT NULL DEFAULT '{}'
      )`,
      'CREATE INDEX alarms_open ON alarms (state, severity DESC, raised_at DESC)',
    ],
  },
  {
    version: 3,
    name: 'audit log',
    up: [
      `CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        details TEXT NOT NULL DEFAULT '{}'
      )`,
    ],
  },
  {
    version: 4,
    name: 'alarms: one open alarm per key, resolution category, who by name',
    up: [
      'ALTER TABLE alarms ADD COLUMN alarm_key TEXT',
      'ALTER TABLE alarms ADD COLUMN updated_at INTEGER',
      'ALTER TABLE alarms ADD COLUMN updates INTEGER NOT NULL DEFAULT 1',
      'ALTER TABLE alarms ADD COLUMN resolution_category TEXT',
      'ALTER TABLE alarms ADD COLUMN acknowledged_by_name TEXT',
      'ALTER TABLE alarms ADD COLUMN closed_by_name TEXT',
      'UPDATE alarms SET updated_at = raised_at',
      // At most one open alarm per key (a target and a reason): the database, not only the service, holds the rule.
      "CREATE UNIQUE INDEX alarms_open_key ON alarms (alarm_key) WHERE alarm_key IS NOT NULL AND state != 'closed'",
    ],
  },
  {
    version: 5,
    name: 'accounts: disabled, must change password',
    up: [
      'ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0',
      // Set for passwords someone else chose (first run, an administrator's reset): changed at the next sign-in.
      'ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0',
    ],
  },
  {
    version: 6,
    name: 'video: source cursors, evidence, plate reads, watch list, wall layouts, video patrol',
    up: [
      // Where each event feed was read up to: saved after the alarms it raised committed.
      `CREATE TABLE source_cursors (
        source_id TEXT PRIMARY KEY,
        cursor TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      )`,
      // Snapshots kept as evidence (an event's, a patrol check's): the VMS may prune its own.
      `CREATE TABLE evidence (
        id TEXT PRIMARY KEY,
        camera_id TEXT NOT NULL,
        taken_at INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        data BLOB NOT NULL
      )`,
      'CREATE INDEX evidence_taken ON evidence (taken_at)',
      `CREATE TABLE plate_reads (
        id TEXT PRIMARY KEY,
        source_id TEXT NOT NULL,
        camera_id TEXT NOT NULL,
        checkpoint_id TEXT NOT NULL,
        plate TEXT NOT NULL,
        direction TEXT NOT NULL,
        lane INTEGER NOT NULL,
        at INTEGER NOT NULL,
        watch_hit INTEGER NOT NULL DEFAULT 0,
        snapshot_id TEXT
      )`,
      'CREATE INDEX plate_reads_plate ON plate_reads (plate, at)',
      'CREATE INDEX plate_reads_checkpoint ON plate_reads (checkpoint_id, at)',
      'CREATE INDEX plate_reads_at ON plate_reads (at)',
      `CREATE TABLE watchlist (
        plate TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        added_by TEXT NOT NULL,
        added_by_name TEXT NOT NULL,
        added_at INTEGER NOT NULL
      )`,
      `CREATE TABLE wall_layouts (
        name TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        tiles TEXT NOT NULL,
        saved_by TEXT NOT NULL,
        saved_by_name TEXT NOT NULL,
        saved_at INTEGER NOT NULL
      )`,
      `CREATE TABLE patrol_routes (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        camera_ids TEXT NOT NULL,
        dwell_s INTEGER NOT NULL,
        schedule TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      )`,
      `CREATE TABLE patrol_runs (
        id TEXT PRIMARY KEY,
        route_id TEXT NOT NULL,
        route_name TEXT NOT NULL,
        by_user TEXT NOT NULL,
        by_name TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        missed TEXT NOT NULL DEFAULT '[]'
      )`,
      'CREATE INDEX patrol_runs_started ON patrol_runs (started_at)',
      `CREATE TABLE patrol_checks (
        run_id TEXT NOT NULL REFERENCES patrol_runs (id),
        camera_id TEXT NOT NULL,
        verdict TEXT NOT NULL,
        note TEXT NOT NULL,
        at INTEGER NOT NULL,
        snapshot_id TEXT,
        PRIMARY KEY (run_id, camera_id)
      )`,
    ],
  },
  {
    version: 7,
    name: 'drones: fused tracks and their detections, permits, the response to drone alarms',
    up: [
      // One row per fused track: what it was, and the worst it got (the history's index).
      `CREATE TABLE drone_tracks (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        classification TEXT NOT NULL,
        serial TEXT,
        identity TEXT,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        max_level INTEGER NOT NULL DEFAULT 0,
        drill INTEGER NOT NULL DEFAULT 0
      )`,
      'CREATE INDEX drone_tracks_last_seen ON drone_tracks (last_seen)',
      'CREATE INDEX drone_tracks_serial ON drone_tracks (serial)',
      // Every detection as a sensor gave it, with the track it was fused into: nothing a sensor said is lost.
      `CREATE TABLE drone_detections (
        id INTEGER PRIMARY KEY,
        track_id TEXT NOT NULL,
        sensor_id TEXT NOT NULL,
        sensor_kind TEXT NOT NULL,
        object_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        alt_m REAL NOT NULL,
        level INTEGER NOT NULL DEFAULT 0,
        payload TEXT NOT NULL
      )`,
      'CREATE INDEX drone_detections_track ON drone_detections (track_id, at)',
      'CREATE INDEX drone_detections_at ON drone_detections (at)',
      `CREATE TABLE permits (
        id TEXT PRIMARY KEY,
        operator TEXT NOT NULL,
        operator_id TEXT,
        serials TEXT NOT NULL,
        area TEXT NOT NULL,
        ceiling_m REAL NOT NULL,
        valid_from INTEGER NOT NULL,
        valid_to INTEGER NOT NULL,
        purpose TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_by_name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        revoked_by TEXT,
        revoked_by_name TEXT,
        revoke_reason TEXT
      )`,
      // The response to a drone alarm, step by step; append-only (a step is never edited, a later one follows).
      `CREATE TABLE drone_response_steps (
        id INTEGER PRIMARY KEY,
        alarm_id TEXT NOT NULL,
        step TEXT NOT NULL,
        at INTEGER NOT NULL,
        by_user TEXT NOT NULL,
        by_name TEXT NOT NULL,
        payload TEXT NOT NULL
      )`,
      'CREATE INDEX drone_response_steps_alarm ON drone_response_steps (alarm_id, id)',
    ],
  },
];
