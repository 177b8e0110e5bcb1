// The database file: owner-only permissions whatever the umask, a damaged file refused at start with the way
// to recover, and --recover-db moving it aside (kept) so that the console starts on a fresh one.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/core/config.ts';
import { startCore } from '../../src/main/core/core.ts';
import { Database } from '../../src/main/core/store/database.ts';
import { DatabaseCorruptError } from '../../src/main/core/store/db-file.ts';
import { acquireInstanceLock } from '../../src/main/core/store/instance-lock.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const temp = tempDirs('skyfence-dbfile');
afterEach(() => temp.removeAll());

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);
const start = (dataDir: string, extra: string[] = [], log: (l: string) => void = () => undefined) =>
  startCore(loadConfig(['--data-dir', dataDir, '--no-sim', ...extra], { SKYFENCE_ADMIN_PASSWORD: 'test-password-1' }), { log });

/** A closed database of ~40 pages with rows in audit_log, its bytes, and its path. */
async function filledDatabase(): Promise<{ file: string; bytes: Buffer }> {
  const file = join(temp.make(), 'skyfence.db');
  const db = await Database.open(file);
  for (let i = 0; i < 400; i++) {
    await db.run(`INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?, 'a', 'x', ?, ?)`, [i, 's'.repeat(100), 'd'.repeat(200)]);
  }
  await db.close();
  return { file, bytes: readFileSync(file) };
}

describe('database file permissions', () => {
  it.runIf(process.platform !== 'win32')('creates the database, its -wal and -shm readable by the owner only, even with umask 000', async () => {
    const file = join(temp.make(), 'skyfence.db');
    const umask = process.umask(0);
    try {
      const db = await Database.open(file);
      await db.run(`INSERT INTO audit_log (at, actor, action) VALUES (1, 'a', 'x')`);
      expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual(['600', '600', '600']);
      await db.close();
    } finally {
      process.umask(umask);
    }
  });
});

describe('an in-memory database', () => {
  it('opens without a file named ":memory:" appearing', async () => {
    const dir = temp.make();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const db = await Database.open(':memory:');
      await db.close();
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('a damaged database', () => {
  it('is refused at start when it is not a database at all, saying which file, that it is damaged and how to recover', async () => {
    const dataDir = temp.make();
    const file = join(dataDir, 'skyfence.db');
    writeFileSync(file, Buffer.from('not a database, just garbage bytes '.repeat(200)));
    const started = start(dataDir);
    await expect(started).rejects.toThrow(DatabaseCorruptError);
    await expect(started).rejects.toThrow(`the database ${file} is damaged (SQLITE_NOTADB: file is not a database), so the console cannot start on it. To recover, start the console with --recover-db`);
    acquireInstanceLock(dataDir).release(); // the refused start let the data directory go
  });

  it('is refused when truncated mid-file', async () => {
    const { file, bytes } = await filledDatabase();
    writeFileSync(file, bytes.subarray(0, 4096 * 3 + 100));
    await expect(Database.open(file)).rejects.toThrow(new RegExp(`^the database ${file} is damaged \\(SQLITE_CORRUPT`));
  });

  it('is refused when a data page is damaged, even one that opening and migrating never read', async () => {
    const { file, bytes } = await filledDatabase();
    bytes.fill(0xa5, 4096 * 20, 4096 * 21);
    writeFileSync(file, bytes);
    await expect(Database.open(file)).rejects.toThrow(DatabaseCorruptError);
  });

  it('is moved aside and kept with --recover-db, and the console starts on a fresh database', async () => {
    const dataDir = temp.make();
    const file = join(dataDir, 'skyfence.db');
    const garbage = Buffer.from('not a database, just garbage bytes '.repeat(200));
    writeFileSync(file, garbage);
    const lines: string[] = [];
    const core = await start(dataDir, ['--recover-db'], (l) => lines.push(l));
    try {
      const aside = readdirSync(dataDir).filter((f) => /^skyfence\.db\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z$/.test(f));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(dataDir, aside[0]))).toEqual(garbage);
      expect(lines[0]).toBe(`--recover-db: the damaged database was moved aside to ${join(dataDir, aside[0])} (kept for investigation); starting with a fresh database.`);
      expect(await core.db.get(`SELECT username FROM users WHERE username = 'admin'`)).toEqual({ username: 'admin' });
    } finally {
      await core.close();
    }
  });

  it('takes --recover-db as a flag without a value', () => {
    const dataDir = temp.make();
    expect(loadConfig(['--data-dir', dataDir], {}).recoverDb).toBe(false);
    expect(loadConfig(['--data-dir', dataDir, '--recover-db'], {}).recoverDb).toBe(true);
    expect(() => loadConfig(['--recover-db', 'yes', '--data-dir', dataDir], {})).toThrow('--recover-db takes no value (given: yes)');
  });
});
