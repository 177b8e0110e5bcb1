// A damaged database at start: the browser host refuses it with one clear message (no stack trace) naming
// the file and --recover-db, and with --recover-db it starts, keeping the damaged file aside.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../fixtures/temp-dirs.ts';
import { startHost } from './harness.ts';

const temp = tempDirs('skyfence-corrupt');
afterAll(() => temp.removeAll());

describe('a damaged database at start', () => {
  it('is refused with one clear message, and --recover-db starts on a fresh one', async () => {
    const dataDir = temp.make();
    const file = join(dataDir, 'skyfence.db');
    writeFileSync(file, Buffer.from('garbage, not a database '.repeat(300)));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/host/main.ts', '--port', '0', '--data-dir', dataDir, '--no-sim'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^skyfence: the database ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is damaged \\(.+\\), so the console cannot start on it\\. To recover, start the console with --recover-db`));
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const host = await startHost(['--recover-db'], { dataDir });
    try {
      expect(host.output()).toMatch(/--recover-db: the damaged database was moved aside to .*skyfence\.db\.corrupt-/);
      expect(readdirSync(dataDir).some((f) => f.startsWith('skyfence.db.corrupt-'))).toBe(true);
      expect((await fetch(`http://127.0.0.1:${host.port}/`)).status).toBe(200);
    } finally {
      await host.stop();
    }
  });
});
