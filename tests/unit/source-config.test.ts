// The `sources` list of config.json: each entry checked by its kind with JSON-path errors, API keys read from
// the environment, and the older `droneDetection` field and --drone-url flag mapped to one entry.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/core/config.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const temp = tempDirs('skyfence-sources');
afterEach(() => temp.removeAll());

function load(file: object | null, argv: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const dir = temp.make();
  if (file) writeFileSync(join(dir, 'config.json'), JSON.stringify(file));
  return { dir, load: () => loadConfig(['--data-dir', dir, ...argv], env) };
}

describe('source configuration', () => {
  it('takes a list of sources of several kinds, with API keys from the environment', () => {
    const { load: cfg } = load({
      sources: [
        { id: 'detect-north', kind: 'drone-detection', name: '北区探测', url: 'https://detect.example', apiKeyEnv: 'DETECT_KEY', intervalMs: 2000, timeoutMs: 1500, silentAfterMs: 20_000 },
        { id: 'radar', kind: 'track-stream', name: { zh: '雷达', en: 'Radar' }, url: 'tcp://10.20.0.5:4001', trackTtlMs: 20_000 },
      ],
    }, [], { DETECT_KEY: 'secret-1' });
    expect(cfg().sources).toEqual([
      { id: 'detect-north', kind: 'drone-detection', name: '北区探测', url: 'https://detect.example', apiKeyEnv: 'DETECT_KEY', apiKey: 'secret-1', intervalMs: 2000, timeoutMs: 1500, silentAfterMs: 20_000 },
      { id: 'radar', kind: 'track-stream', name: { zh: '雷达', en: 'Radar' }, url: 'tcp://10.20.0.5:4001', trackTtlMs: 20_000 },
    ]);
  });

  it('maps the older droneDetection field to the entry drone-detection, and lets --drone-url override its URL', () => {
    const legacy = { droneDetection: { url: 'http://detect.example:8080', apiKeyEnv: 'DK', intervalMs: 500 } };
    expect(load(legacy, [], { DK: 'k' }).load().sources).toEqual([
      { id: 'drone-detection', kind: 'drone-detection', url: 'http://detect.example:8080', apiKeyEnv: 'DK', apiKey: 'k', intervalMs: 500 },
    ]);
    expect(load(legacy, ['--drone-url', 'http://other.example'], { DK: 'k' }).load().sources[0]).toMatchObject({ url: 'http://other.example', intervalMs: 500 });
    // The flag alone, with the key from SKYFENCE_DRONE_API_KEY as before.
    expect(load(null, ['--drone-url', 'http://127.0.0.1:7001'], { SKYFENCE_DRONE_API_KEY: 'sim' }).load().sources).toEqual([
      { id: 'drone-detection', kind: 'drone-detection', url: 'http://127.0.0.1:7001', apiKey: 'sim' },
    ]);
    expect(load(null, [], { SKYFENCE_DRONE_URL: 'http://127.0.0.1:7002' }).load().sources[0]).toMatchObject({ id: 'drone-detection', url: 'http://127.0.0.1:7002' });
    expect(load(null).load().sources).toEqual([]);
  });

  it('says which entry and field are wrong', () => {
    const wrong = (file: object | null, argv: string[] = [], env: NodeJS.ProcessEnv = {}) => {
      const { dir, load: cfg } = load(file, argv, env);
      try {
        cfg();
      } catch (err) {
        return (err as Error).message.split(join(dir, 'config.json')).join('config.json');
      }
      throw new Error('no error');
    };
    expect(wrong({ sources: [{ id: 'radar', kind: 'track-stream', url: 'http://x:1' }] })).toBe('config.json: sources[0].url: must be tcp://host:port, e.g. tcp://10.20.0.5:4001');
    expect(wrong({ sources: [{ id: 'd', kind: 'drone-detection', url: 'tcp://x:1', intervalMs: 5, colour: 'red' }] })).toBe(
      'config.json: sources[0].intervalMs: Too small: expected number to be >=200; ' +
        'config.json: sources[0].url: must be an http(s) URL, e.g. https://detect.example; config.json: sources[0]: Unrecognized key: "colour"',
    );
    expect(wrong({ sources: [{ id: 'a', kind: 'radar' }] })).toBe('config.json: sources[0].kind: unknown kind "radar" (known: drone-detection, remote-id, sapient, runway-ops, track-stream, vms, onvif, unit-gps)');
    expect(wrong({ sources: ['x', { id: 'Bad Id', kind: 'track-stream', url: 'tcp://h:1', name: { zh: '' } }] })).toMatch(
      /^config\.json: sources\[0\]: must be an object with id and kind; config\.json: sources\[1\]\.id: an id is .*; config\.json: sources\[1\]\.name: /,
    );
    expect(wrong({ sources: [{ id: 'a', kind: 'track-stream', url: 'tcp://h:1' }, { id: 'a', kind: 'track-stream', url: 'tcp://h:2' }] })).toBe(
      'config.json: sources[1].id: "a" is already the id of sources[0]',
    );
    expect(wrong({ sources: [{ id: 'manual-feed', kind: 'track-stream', url: 'tcp://h:1' }] })).toMatch(/sources\[0\]\.id: "manual-feed" is the console's own manual feed/);
    expect(wrong({ sources: [{ id: 'd', kind: 'drone-detection', url: 'https://d.example', apiKeyEnv: 'NOPE' }] })).toBe(
      'config.json: sources[0].apiKeyEnv: the environment variable NOPE is not set',
    );
    expect(wrong({ sources: [{ id: 'drone-detection', kind: 'drone-detection', url: 'https://d.example' }], droneDetection: { url: 'https://e.example' } })).toMatch(
      /droneDetection and sources\[0\] both configure the source "drone-detection": keep one/,
    );
    expect(wrong({ droneDetection: { url: 'ftp://d.example' } })).toBe('config.json: droneDetection.url: must be an http(s) URL, e.g. https://detect.example');
    expect(wrong(null, ['--drone-url', 'detect.example'])).toBe('--drone-url (or SKYFENCE_DRONE_URL): must be an http(s) URL, e.g. https://detect.example');
  });
});
