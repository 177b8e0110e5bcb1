// Starting the console with bad input: each gets one clear message, and nothing else breaks.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../fixtures/temp-dirs.ts';
import { startHost } from './harness.ts';

const temp = tempDirs('skyfence-start');
const tempDir = () => temp.make();
afterAll(() => temp.removeAll());

const runHost = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/main/host/main.ts', '--port', '0', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('console start-up', () => {
  it('refuses a second console on the same data directory', async () => {
    const dataDir = tempDir();
    const first = await startHost([], { dataDir });
    try {
      const second = runHost(['--data-dir', dataDir]);
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/^skyfence: another Skyfence console \(pid \d+\) is already using the data directory/);
      expect(second.stderr).not.toMatch(/\n\s+at /); // no stack trace
      // The first one is unharmed.
      expect((await fetch(`http://127.0.0.1:${first.port}/`)).status).toBe(200);
    } finally {
      await first.stop();
    }
  });

  it('names every problem of a broken site file and starts nothing', () => {
    const dir = tempDir();
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{ "format": "skyfence-site", ');
    const r = runHost(['--data-dir', tempDir(), '--site', notJson]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('skyfence: the site file is not valid:\nbroken.json: $: not valid JSON');
  });
});
