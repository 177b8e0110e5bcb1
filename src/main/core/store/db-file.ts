// The database file on disk: readable by the operator's account only (the db and its -wal and -shm, whatever
// the umask).
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';

/** The SQLite files of a database: the file itself, then its WAL and shared-memory index. */
export const databaseFiles = (file: string): string[] => [file, `${file}-wal`, `${file}-shm`];

/** Creates the database file with mode 0600 before SQLite opens it (SQLite gives its -wal and -shm the same mode). */
export function createPrivateDatabaseFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  restrictDatabaseFiles(file);
}

/** Sets 0600 on the database and on its -wal and -shm where they exist: the umask never widens them. */
export function restrictDatabaseFiles(file: string): void {
  if (process.platform === 'win32') return; // the data directory's ACL guards them there
  for (const f of databaseFiles(file)) if (existsSync(f)) chmodSync(f, 0o600);
}
