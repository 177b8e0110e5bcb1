// Migration v9: the drills (one row per run, the plan as it was run), their event logs (drill time for the
// evaluation, wall time beside it for playback and for mapping alarm times into drill time) and the
// coordinator's observations.
import type { Migration } from '../store/migrations.ts';

export const DRILL_MIGRATIONS: Migration[] = [
  {
    version: 9,
    name: 'drills: runs, their event logs and observations',
    up: [
      `CREATE TABLE drills (
        id TEXT PRIMARY KEY,
        plan_id TEXT NOT NULL,
        plan_version INTEGER NOT NULL,
        -- The plan exactly as run (JSON): a later revision of the file does not rewrite history.
        plan TEXT NOT NULL,
        seed INTEGER NOT NULL,
        start_speed REAL NOT NULL,
        speed REAL NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'paused', 'ended', 'aborted')),
        coordinator TEXT NOT NULL,
        coordinator_name TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        abort_reason TEXT,
        -- The steps' last known states (JSON DrillStepState[]), alarm ids included.
        steps TEXT NOT NULL DEFAULT '[]'
      )`,
      'CREATE INDEX drills_started ON drills (started_at DESC)',
      `CREATE TABLE drill_log (
        drill_id TEXT NOT NULL REFERENCES drills (id),
        seq INTEGER NOT NULL,
        drill_ms INTEGER NOT NULL,
        wall_at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        step_id TEXT,
        action TEXT,
        -- JSON, so that a number stays a number.
        detail TEXT,
        PRIMARY KEY (drill_id, seq)
      )`,
      `CREATE TABLE drill_observations (
        id INTEGER PRIMARY KEY,
        drill_id TEXT NOT NULL REFERENCES drills (id),
        at_ms INTEGER NOT NULL,
        wall_at INTEGER NOT NULL,
        by_user TEXT NOT NULL,
        by_name TEXT NOT NULL,
        text TEXT NOT NULL,
        step_id TEXT
      )`,
      'CREATE INDEX drill_observations_drill ON drill_observations (drill_id, id)',
    ],
  },
];
