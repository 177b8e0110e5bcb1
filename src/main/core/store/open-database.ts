// Opens the console's database at start: a damaged one is refused with DatabaseCorruptError, or, when the
// operator started with --recover-db, moved aside (kept) and replaced by a fresh one.
import { Database } from './database.ts';
import { DatabaseCorruptError, moveDamagedDatabaseAside } from './db-file.ts';

export async function openConsoleDatabase(file: string, opts: { recover: boolean; log: (line: string) => void }): Promise<Database> {
  try {
    return await Database.open(file);
  } catch (err) {
    if (!(err instanceof DatabaseCorruptError) || !opts.recover) throw err;
    const aside = moveDamagedDatabaseAside(file);
    opts.log(`--recover-db: the damaged database was moved aside to ${aside} (kept for investigation); starting with a fresh database.`);
    return Database.open(file);
  }
}
