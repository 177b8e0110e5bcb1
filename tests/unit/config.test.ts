import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../fixtures/temp-dirs.ts';
import { defaultDataDir, loadConfig } from '../../src/main/core/config.ts';

const temp = tempDirs('skyfence-config');
const tempDir = () => temp.make();
afterEach(() => temp.removeAll());

describe('configuration', () => {
  it('defaults the data directory to the OS application-data folder', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/skyfence');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toMatch(/Skyfence$/);
  });

  it('takes config.json, then environment, then flags', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ host: { port: 7001 }, imagery: { url: 'https://pgis.example/wmts', kind: 'wmts', layer: 'base' } }));
    expect(loadConfig(['--data-dir', dir], {})).toMatchObject({ port: 7001, demo: false, imagery: { kind: 'wmts', layer: 'base' } });
    expect(loadConfig(['--data-dir', dir], { SKYFENCE_PORT: '7002' }).port).toBe(7002);
    const flagged = loadConfig(['--data-dir', dir, '--port', '7003', '--demo', '--imagery-url', 'https://t.example/{z}/{x}/{y}.png'], { SKYFENCE_PORT: '7002' });
    expect(flagged).toMatchObject({ port: 7003, demo: true, imagery: { url: 'https://t.example/{z}/{x}/{y}.png', kind: 'xyz' } });
  });

  it('says what is wrong with a bad config file or flag', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ host: { port: 'eighty' }, colour: 'red' }));
    expect(() => loadConfig(['--data-dir', dir], {})).toThrow(/config\.json: host\.port: .*; \$: Unrecognized key/);
    expect(() => loadConfig(['--data-dir', tempDir(), '--port', '99999'], {})).toThrow('--port must be 0–65535, not 99999');
    expect(() => loadConfig(['--data-dir', tempDir(), '--imagery-url', 'x', '--imagery-kind', 'png'], {})).toThrow(/--imagery-url\/--imagery-kind: url: .*kind: /);
  });
});
