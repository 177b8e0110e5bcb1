import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../fixtures/temp-dirs.ts';
import { Database } from '../../src/main/core/store/database.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations.ts';
import { acquireInstanceLock, InstanceLockedError } from '../../src/main/core/store/instance-lock.ts';
import { testCore } from '../fixtures/core.ts';

const temp = tempDirs('skyfence-db');
const tempDir = () => temp.make();
afterEach(() => temp.removeAll());

describe('migrations', () => {
  it('applies every migration once, in order, and records it', async () => {
    const file = join(tempDir(), 'a.db');
    const db = await Database.open(file);
    expect((await db.appliedMigrations()).map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect((await db.get<{ journal_mode: string }>('PRAGMA journal_mode'))?.journal_mode).toBe('wal');
    await db.close();
    const again = await Database.open(file);
    expect(await again.appliedMigrations()).toHaveLength(MIGRATIONS.length);
    await again.close();
  });

  it('applies a new migration on top of an existing database', async () => {
    const file = join(tempDir(), 'b.db');
    await (await Database.open(file)).close();
    const next = [...MIGRATIONS, { version: 99, name: 'test column', up: ['ALTER TABLE alarms ADD COLUMN extra TEXT'] }];
    const db = await Database.open(file, next);
    expect((await db.appliedMigrations()).at(-1)).toMatchObject({ version: 99, name: 'test column' });
    await db.run(`INSERT INTO alarms (id, source, type, severity, title, raised_at, state, extra) VALUES ('x','manual','manual',1,'t',0,'new','e')`);
    await db.close();
  });

  it('refuses a database from a newer console, and a renamed migration', async () => {
    const file = join(tempDir(), 'c.db');
    await (await Database.open(file, [...MIGRATIONS, { version: 50, name: 'future', up: [] }])).close();
    await expect(Database.open(file)).rejects.toThrow(/schema version 50, newer than this console knows/);
    const renamed = MIGRATIONS.map((m) => (m.version === 1 ? { ...m, name: 'renamed' } : m));
    const file2 = join(tempDir(), 'd.db');
    await (await Database.open(file2)).close();
    await expect(Database.open(file2, renamed)).rejects.toThrow(/was applied as "accounts" but is now "renamed"/);
  });

  it('rolls a failed migration back completely', async () => {
    const file = join(tempDir(), 'e.db');
    const bad = [...MIGRATIONS, { version: 90, name: 'bad', up: ['CREATE TABLE t (a)', 'NOT SQL'] }];
    await expect(Database.open(file, bad)).rejects.toThrow(/syntax error/);
    const db = await Database.open(file);
    expect(await db.get(`SELECT name FROM sqlite_master WHERE name = 't'`)).toBeUndefined();
    await db.close();
  });
});

describe('reads and writes', () => {
  it('never lets a read see the rows of a transaction that has not committed, nor of one that rolled back', async () => {
    const db = await Database.open(join(tempDir(), 'r.db'));
    const count = async () => (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))!.n;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const wasInserted = new Promise<void>((r) => (inserted = r));
    const tx = db.transaction(async (t) => {
      await t.run(`INSERT INTO audit_log (at, actor, action) VALUES (1, 'a', 'x')`);
      expect((await t.all<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))[0].n).toBe(1); // the transaction sees its own row
      inserted();
      await held;
    });
    await wasInserted;
    expect(await count()).toBe(0);
    release();
    await tx;
    expect(await count()).toBe(1);
    await expect(db.transaction(async (t) => {
      await t.run(`INSERT INTO audit_log (at, actor, action) VALUES (2, 'b', 'y')`);
      throw new Error('disk full');
    })).rejects.toThrow('disk full');
    expect(await count()).toBe(1);
    await db.close();
  });
});

describe('instance lock', () => {
  it('refuses a second console on the same data directory and frees it on close', async () => {
    const first = await testCore();
    try {
      expect(() => acquireInstanceLock(first.dataDir)).toThrow(InstanceLockedError);
      expect(() => acquireInstanceLock(first.dataDir)).toThrow(/already using the data directory/);
    } finally {
      await first.core.close();
    }
    const lock = acquireInstanceLock(first.dataDir);
    lock.release();
    await first.dispose();
  });
});
