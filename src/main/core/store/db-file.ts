// The database file on disk: readable by the operator's account only (the db and its -wal and -shm, whatever
// the umask), checked for damage when opened, and moved aside (kept for investigation) when the operator
// asks to start again with --recover-db.
import { chmodSync, closeSync, existsSync, openSync, renameSync } from 'node:fs';

/** The SQLite files of a database: the file itself, then its WAL and shared-memory index. */
export const databaseFiles = (file: string): string[] => [file, `${file}-wal`, `${file}-shm`];

export class DatabaseCorruptError extends Error {
  constructor(readonly file: string, readonly detail: string) {
    super(
      `the database ${file} is damaged (${detail}), so the console cannot start on it. To recover, start the console with ` +
        `--recover-db: it moves the damaged files aside to ${file}.corrupt-<timestamp> (kept for investigation) and starts ` +
        'with a fresh, empty database (accounts are created again as on first run); or restore the file from a backup.',
    );
    this.name = 'DatabaseCorruptError';
  }
}

/** Creates the database file with mode 0600 before SQLite opens it (SQLite gives its -wal and -shm the same mode). */
export function createPrivateDatabaseFile(file: string): void {
  if (file === '' || file === ':memory:' || file.startsWith('file:')) return; // no file of ours to guard
  closeSync(openSync(file, 'a', 0o600));
  restrictDatabaseFiles(file);
}

/** Sets 0600 on the database and on its -wal and -shm where they exist: the umask never widens them. */
export function restrictDatabaseFiles(file: string): void {
  if (process.platform === 'win32' || file === '' || file === ':memory:' || file.startsWith('file:')) return; // the data directory's ACL guards them there
  for (const f of databaseFiles(file)) if (existsSync(f)) chmodSync(f, 0o600);
}

/** SQLite's answer to a damaged or foreign file. */
export function isCorruptionError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB';
}

/** Throws DatabaseCorruptError unless `PRAGMA quick_check` (run by `query`) answers "ok". */
export async function checkDatabaseIntact(file: string, query: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<void> {
  const rows = await query('PRAGMA quick_check');
  const problems = rows.map((r) => String(Object.values(r)[0]));
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new DatabaseCorruptError(file, `integrity check: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ' …' : ''}`);
  }
}

/**
 * Moves a damaged database and its -wal and -shm aside to <file>.corrupt-<timestamp>[-wal|-shm], so that the
 * console can start on a fresh one; returns the new name of the database file.
 */
export function moveDamagedDatabaseAside(file: string, now = new Date()): string {
  const aside = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  for (const [from, to] of [[file, aside], [`${file}-wal`, `${aside}-wal`], [`${file}-shm`, `${aside}-shm`]]) {
    if (existsSync(from)) renameSync(from, to);
  }
  return aside;
}
