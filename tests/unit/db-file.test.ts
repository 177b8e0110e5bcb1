// The database file: owner-only permissions whatever the umask.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../src/main/core/store/database.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const temp = tempDirs('skyfence-dbfile');
afterEach(() => temp.removeAll());

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

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
