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
];
