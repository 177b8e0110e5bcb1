// skyfence audit verify [--data-dir D]: checks the console's hash-chained record (执法规范化) from outside the
// console. Opens the database read-only (never migrates, never writes; works while the console runs, reading
// one consistent snapshot), walks the chain, checks its head against <dataDir>/audit-head.json.
// Exit 0: intact (one line: entries, head hash). Exit 1: broken (the first broken entry: id, time, actor,
// action, what is wrong). Exit 2: no database, not a database, too old to carry the chain, or bad usage.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sqlite3 from 'sqlite3';
import { defaultDataDir } from '../main/core/config.ts';
import { parseFlags } from '../shared/flags.ts';
import { AUDIT_HEAD_FILE, readAuditAnchor } from '../main/core/record/audit-head.ts';
import { AUDIT_PAGE_SQL, verifyChain, type StoredAuditRow } from '../main/core/record/audit-verify.ts';

export const AUDIT_USAGE = '  skyfence audit verify [--data-dir D]   (checks the hash-chained record; exit 0 intact, 1 broken, 2 unreadable)';

/** The first schema version whose audit log is a hash chain. */
const CHAIN_SCHEMA = 8;

interface Writer {
  write(text: string): unknown;
}

export async function runAudit(args: string[], out: Writer, err: Writer, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = args;
  const flags = parseFlags(rest);
  const unknown = Object.keys(flags).filter((f) => f !== 'data-dir');
  if (command !== 'verify' || unknown.length || flags['data-dir'] === true) {
    err.write(`${unknown.length ? `unknown option --${unknown[0]}\n` : ''}usage:\n${AUDIT_USAGE}\n`);
    return 2;
  }
  const dataDir = resolve(typeof flags['data-dir'] === 'string' ? flags['data-dir'] : env.SKYFENCE_DATA_DIR ?? defaultDataDir(env));
  const file = join(dataDir, 'skyfence.db');
  if (!existsSync(file)) {
    err.write(`audit verify: no database at ${file} (is --data-dir the console's data directory?)\n`);
    return 2;
  }
  let anchor;
  try {
    anchor = readAuditAnchor(dataDir);
  } catch (e) {
    err.write(`audit verify: the head anchor is unreadable: ${(e as Error).message}\n`);
    return 2;
  }

  let db: sqlite3.Database;
  try {
    db = await open(file);
  } catch (e) {
    err.write(`audit verify: cannot open ${file} read-only (${(e as Error).message})\n`);
    return 2;
  }
  try {
    const version = await schemaVersion(db);
    if (version < CHAIN_SCHEMA) {
      err.write(`audit verify: ${file} has schema version ${version}; the record is hash-chained from version ${CHAIN_SCHEMA} on: start the console once to seal it\n`);
      return 2;
    }
    // One read transaction: every page comes from the same snapshot, whatever the console appends meanwhile.
    await exec(db, 'BEGIN');
    const verdict = await verifyChain((afterId, limit) => all<StoredAuditRow>(db, AUDIT_PAGE_SQL, [afterId, limit]), { anchor });
    await exec(db, 'COMMIT');

    const mismatches = readdirSync(dataDir).filter((f) => f.startsWith(`${AUDIT_HEAD_FILE}.mismatch-`));
    const notes = [
      verdict.anchored ? '' : `note: no head anchor (${AUDIT_HEAD_FILE}) to check the newest entries against: their deletion would not show`,
      ...mismatches.map((f) => `note: at a start the console found the record did not match its kept head: see ${join(dataDir, f)} and the entry audit.head-mismatch`),
    ].filter(Boolean);
    if (verdict.ok) {
      const head = verdict.headHash ? `head #${verdict.entries} ${verdict.headHash.slice(0, 16)}…` : 'no entries yet';
      out.write(`${file}: the record is intact: ${verdict.entries} entries, ${head}${verdict.anchored ? ', matching the kept head' : ''}\n`);
      for (const n of notes) out.write(`${n}\n`);
      return 0;
    }
    const b = verdict.firstBroken!;
    const who = b.at === null ? 'entry not in the database' : `${new Date(b.at).toISOString()}, ${b.actor}, ${b.action}`;
    out.write(`${file}: the record is BROKEN at entry ${b.id} (${who}): ${b.problem}: ${verdict.explanation}\n`);
    out.write(`${verdict.entries} entries before it are intact\n`);
    for (const n of notes) out.write(`${n}\n`);
    return 1;
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' ? 'not a readable SQLite database' : (e as Error).message;
    err.write(`audit verify: cannot read ${file}: ${why}\n`);
    return 2;
  } finally {
    await new Promise((r) => db.close(() => r(undefined)));
  }
}

function open(file: string): Promise<sqlite3.Database> {
  return new Promise((resolvePromise, reject) => {
    const d = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (e) => {
      if (e) return reject(e);
      // The console may hold the write lock for a moment: wait for it rather than fail.
      d.exec('PRAGMA busy_timeout = 5000', (e2) => (e2 ? reject(e2) : resolvePromise(d)));
    });
  });
}

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((r, reject) => db.exec(sql, (e) => (e ? reject(e) : r())));
}

function all<T>(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((r, reject) => db.all(sql, params, (e, rows) => (e ? reject(e) : r(rows as T[]))));
}

async function schemaVersion(db: sqlite3.Database): Promise<number> {
  const tables = await all<{ name: string }>(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'audit_log')");
  if (tables.length < 2) return 0;
  const [row] = await all<{ v: number | null }>(db, 'SELECT MAX(version) AS v FROM schema_migrations');
  return row?.v ?? 0;
}
