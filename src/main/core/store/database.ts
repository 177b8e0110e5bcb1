// SQLite through the `sqlite3` package: WAL, numbered migrations, two connections. Writes (and transactions)
// go through one queue on the writer connection, so that a transaction is never interleaved with another
// write; reads go to a separate read-only connection, so that they never see rows of an open transaction.
// Only repositories (…-repository.ts) use this class: services see their repository interfaces.
import sqlite3 from 'sqlite3';
import { MIGRATIONS, type Migration } from './migrations.ts';
import { checkDatabaseIntact, createPrivateDatabaseFile, DatabaseCorruptError, isCorruptionError, restrictDatabaseFiles } from './db-file.ts';

export type Row = Record<string, unknown>;
export type RunResult = { changes: number; lastID: number };

/** What a transaction's work may do: statements on the writer connection, inside the transaction. */
export interface Tx {
  run(sql: string, params?: unknown[]): Promise<RunResult>;
  all<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

export class Database {
  private writeQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly writer: sqlite3.Database,
    private reader: sqlite3.Database,
  ) {}

  static async open(file: string, migrations: readonly Migration[] = MIGRATIONS): Promise<Database> {
    // Owner-only files; a damaged file is refused (DatabaseCorruptError says how to recover): see db-file.ts.
    createPrivateDatabaseFile(file);
    let db: Database | undefined;
    try {
      const writer = await openConnection(file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE);
      db = new Database(writer, writer);
      await db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
      await checkDatabaseIntact(file, (sql) => allOn(writer, sql));
      await db.migrate(migrations);
      db.reader = await openConnection(file, sqlite3.OPEN_READONLY);
      await new Promise<void>((resolve, reject) => db!.reader.exec('PRAGMA busy_timeout = 5000;', (err) => (err ? reject(err) : resolve())));
    } catch (err) {
      await db?.close().catch(() => undefined);
      throw isCorruptionError(err) ? new DatabaseCorruptError(file, (err as Error).message) : err;
    }
    restrictDatabaseFiles(file); // the -wal and -shm exist now
    return db;
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.writer.exec(sql, (err) => (err ? reject(err) : resolve())));
  }

  /** A read of committed data only. */
  all<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return allOn<T>(this.reader, sql, params);
  }

  async get<T = Row>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** One write, queued behind the others. */
  run(sql: string, params: unknown[] = []): Promise<RunResult> {
    return this.enqueue(() => this.runNow(sql, params));
  }

  /** Several statements (reads included) in one transaction, queued as one write; rolled back on any error. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      await this.exec('BEGIN IMMEDIATE');
      try {
        const result = await work({ run: (sql, params) => this.runNow(sql, params), all: (sql, params) => allOn(this.writer, sql, params) });
        await this.exec('COMMIT');
        return result;
      } catch (err) {
        await this.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    await this.writeQueue.catch(() => undefined);
    if (this.reader !== this.writer) await closeConnection(this.reader);
    await closeConnection(this.writer);
  }

  /** Applied migrations, oldest first. */
  appliedMigrations(): Promise<Array<{ version: number; name: string; applied_at: string }>> {
    return allOn(this.writer, 'SELECT version, name, applied_at FROM schema_migrations ORDER BY version');
  }

  private runNow(sql: string, params: unknown[] = []): Promise<RunResult> {
    return new Promise((resolve, reject) =>
      this.writer.run(sql, params, function (err) {
        if (err) reject(err);
        else resolve({ changes: this.changes, lastID: this.lastID });
      }),
    );
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const next = this.writeQueue.then(job, job);
    this.writeQueue = next.catch(() => undefined);
    return next;
  }

  private async migrate(migrations: readonly Migration[]): Promise<void> {
    await this.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const applied = new Map((await this.appliedMigrations()).map((m) => [m.version, m.name]));
    const newest = Math.max(0, ...applied.keys());
    const known = Math.max(0, ...migrations.map((m) => m.version));
    if (newest > known) {
      throw new Error(`the database has schema version ${newest}, newer than this console knows (${known}): upgrade the console`);
    }
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) {
        if (applied.get(m.version) !== m.name) {
          throw new Error(`migration ${m.version} was applied as "${applied.get(m.version)}" but is now "${m.name}"`);
        }
        continue;
      }
      await this.transaction(async (tx) => {
        for (const statement of m.up) await tx.run(statement);
        await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
          m.version, m.name, new Date().toISOString(),
        ]);
      });
    }
  }
}

function openConnection(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const d = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(d)));
  });
}

function closeConnection(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

function allOn<T>(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))));
}
