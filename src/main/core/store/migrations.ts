// Numbered schema migrations. Never edit an applied one: add the next number.
import { DRILL_MIGRATIONS } from '../drills/drill-schema.ts';
import { RECORDING_MIGRATIONS } from '../playback/recording-schema.ts';
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
  {
    version: 8,
    name: 'response: the alarm workflow and its clocks, unit accounts, the hash-chained record, units and orders, terminal reports, patrol duty, incidents, handovers',
    up: [
      // The alarm states grow (dispatched, on scene, resolved): SQLite changes a CHECK only by rebuilding the table.
      `CREATE TABLE alarms_v8 (
        id TEXT PRIMARY KEY,
        alarm_key TEXT,
        source TEXT NOT NULL,
        type TEXT NOT NULL,
        severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),
        title TEXT NOT NULL,
        lon REAL, lat REAL, alt_m REAL,
        circle_id TEXT, circle_ring TEXT, grid_cell TEXT,
        raised_at INTEGER NOT NULL,
        updated_at INTEGER,
        updates INTEGER NOT NULL DEFAULT 1,
        state TEXT NOT NULL CHECK (state IN ('new', 'acknowledged', 'dispatched', 'on-scene', 'resolved', 'closed')),
        drill INTEGER NOT NULL DEFAULT 0,
        acknowledged_at INTEGER, acknowledged_by TEXT, acknowledged_by_name TEXT,
        assigned_to TEXT, assigned_to_name TEXT,
        dispatched_at INTEGER, on_scene_at INTEGER,
        resolved_at INTEGER, resolved_by TEXT, resolved_by_name TEXT,
        escalated_at INTEGER,
        -- The 1-3-5 targets fixed when raised, in seconds; and the stages that went overdue: [{stage, at}].
        ack_target_s INTEGER NOT NULL DEFAULT 60,
        dispatch_target_s INTEGER NOT NULL DEFAULT 180,
        on_scene_target_s INTEGER NOT NULL DEFAULT 300,
        overdue TEXT NOT NULL DEFAULT '[]',
        incident_id TEXT,
        closed_at INTEGER, closed_by TEXT, closed_by_name TEXT,
        resolution_category TEXT, resolution TEXT,
        details TEXT NOT NULL DEFAULT '{}'
      )`,
      `INSERT INTO alarms_v8 (id, alarm_key, source, type, severity, title, lon, lat, alt_m, circle_id, circle_ring, grid_cell, raised_at,
         updated_at, updates, state, drill, acknowledged_at, acknowledged_by, acknowledged_by_name, closed_at, closed_by, closed_by_name,
         resolution_category, resolution, details)
       SELECT id, alarm_key, source, type, severity, title, lon, lat, alt_m, circle_id, circle_ring, grid_cell, raised_at,
         updated_at, updates, state, drill, acknowledged_at, acknowledged_by, acknowledged_by_name, closed_at, closed_by, closed_by_name,
         resolution_category, resolution, details FROM alarms`,
      'DROP TABLE alarms',
      'ALTER TABLE alarms_v8 RENAME TO alarms',
      'CREATE INDEX alarms_open ON alarms (state, severity DESC, raised_at DESC)',
      "CREATE UNIQUE INDEX alarms_open_key ON alarms (alarm_key) WHERE alarm_key IS NOT NULL AND state != 'closed'",
      'CREATE INDEX alarms_incident ON alarms (incident_id) WHERE incident_id IS NOT NULL',
      // The clocks' sweep reads the open alarms whose next stage may be due.
      "CREATE INDEX alarms_open_raised ON alarms (raised_at) WHERE state != 'closed'",

      // A unit's terminal signs in as role `unit`, tied to its unit.
      `CREATE TABLE users_v8 (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('operator', 'coordinator', 'commander', 'admin', 'unit')),
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        must_change_password INTEGER NOT NULL DEFAULT 0,
        unit_id TEXT,
        CHECK ((role = 'unit') = (unit_id IS NOT NULL))
      )`,
      `INSERT INTO users_v8 (id, username, display_name, role, password_hash, created_at, disabled, must_change_password)
       SELECT id, username, display_name, role, password_hash, created_at, disabled, must_change_password FROM users`,
      'DROP TABLE users',
      'ALTER TABLE users_v8 RENAME TO users',

      // The record is a hash chain (see store/audit-chain.ts): each entry's hash covers its facts and the previous
      // hash. Append-only in the database too: no delete; an update only seals an entry written before the chain.
      'ALTER TABLE audit_log ADD COLUMN prev_hash TEXT',
      'ALTER TABLE audit_log ADD COLUMN hash TEXT',
      'CREATE INDEX audit_log_subject ON audit_log (subject, id)',
      `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
      `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN OLD.hash IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,

      // Units: who they are comes from the site's units file; what they are doing and where, from here.
      `CREATE TABLE unit_state (
        unit_id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('available', 'dispatched', 'on-scene', 'off-duty')),
        order_id TEXT,
        lon REAL, lat REAL, alt_m REAL,
        position_at INTEGER,
        position_source TEXT,
        updated_at INTEGER NOT NULL
      )`,
      // Positions kept for the map's trails and for playback; pruned by age.
      `CREATE TABLE unit_positions (
        unit_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        lon REAL NOT NULL, lat REAL NOT NULL,
        source TEXT NOT NULL
      )`,
      'CREATE INDEX unit_positions_unit ON unit_positions (unit_id, at)',
      'CREATE INDEX unit_positions_at ON unit_positions (at)',
      `CREATE TABLE dispatch_orders (
        id TEXT PRIMARY KEY,
        alarm_id TEXT NOT NULL,
        incident_id TEXT,
        unit_id TEXT NOT NULL,
        call_sign TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sent', 'acknowledged', 'on-scene', 'done', 'cancelled')),
        guidance TEXT NOT NULL DEFAULT '',
        lon REAL, lat REAL,
        eta_s INTEGER,
        sent_at INTEGER NOT NULL, sent_by TEXT NOT NULL, sent_by_name TEXT NOT NULL,
        acknowledged_at INTEGER, on_scene_at INTEGER, done_at INTEGER, cancelled_at INTEGER,
        note TEXT,
        drill INTEGER NOT NULL DEFAULT 0
      )`,
      'CREATE INDEX dispatch_orders_alarm ON dispatch_orders (alarm_id)',
      "CREATE INDEX dispatch_orders_open ON dispatch_orders (unit_id) WHERE state IN ('sent', 'acknowledged', 'on-scene')",
      // At most one open order per unit: the database holds the rule, not only the service.
      "CREATE UNIQUE INDEX dispatch_orders_one_open ON dispatch_orders (unit_id) WHERE state IN ('sent', 'acknowledged', 'on-scene')",
      // A terminal's reports by its own id: one sent again after a lost connection is not applied twice.
      `CREATE TABLE terminal_reports (
        unit_id TEXT NOT NULL,
        report_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (unit_id, report_id)
      )`,

      // Patrol duty: the roster per day and shift, and the check-ins at mandatory points.
      `CREATE TABLE duty_rosters (
        date TEXT NOT NULL,
        shift_id TEXT NOT NULL,
        assignments TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        updated_by TEXT NOT NULL,
        updated_by_name TEXT NOT NULL,
        PRIMARY KEY (date, shift_id)
      )`,
      `CREATE TABLE duty_checkins (
        date TEXT NOT NULL,
        shift_id TEXT NOT NULL,
        point_id TEXT NOT NULL,
        unit_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (date, shift_id, point_id, unit_id)
      )`,

      // Incidents, their SOP steps and notes.
      `CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        type_id TEXT NOT NULL,
        title TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
        lon REAL, lat REAL,
        opened_at INTEGER NOT NULL, opened_by TEXT NOT NULL, opened_by_name TEXT NOT NULL,
        closed_at INTEGER, closed_by TEXT, closed_by_name TEXT,
        summary TEXT,
        drill INTEGER NOT NULL DEFAULT 0
      )`,
      `CREATE TABLE incident_steps (
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        step_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'skipped')),
        at INTEGER, by_user TEXT, by_name TEXT, reason TEXT,
        PRIMARY KEY (incident_id, step_id)
      )`,
      `CREATE TABLE incident_notes (
        id TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        at INTEGER NOT NULL, by_user TEXT NOT NULL, by_name TEXT NOT NULL,
        text TEXT NOT NULL,
        snapshot_id TEXT
      )`,
      'CREATE INDEX incident_notes_incident ON incident_notes (incident_id, at)',

      // Shift handovers: the outgoing operator's summary, signed off by the incoming one.
      `CREATE TABLE handovers (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        from_user TEXT NOT NULL, from_name TEXT NOT NULL,
        note TEXT NOT NULL,
        summary TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'cancelled')),
        to_user TEXT, to_name TEXT,
        accepted_at INTEGER
      )`,
      // One handover waits at a time per seat's outgoing operator.
      "CREATE UNIQUE INDEX handovers_one_pending ON handovers (from_user) WHERE state = 'pending'",
    ],
  },
  ...DRILL_MIGRATIONS,
  ...RECORDING_MIGRATIONS,
];
