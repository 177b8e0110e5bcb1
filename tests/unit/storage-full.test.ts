// A full disk must not lose alarms for good. With SQLite's page limit set to the database's size (what a full
// disk looks like to it), writes fail with SQLITE_FULL: a poll whose alarms could not be stored is not a good
// poll (its tracks do not move on, the source shows a storage problem), and a source-silent alarm that could
// not be stored is tried again. Once there is room, the next polls raise both alarms.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../src/main/core/core.ts';
import { HttpError, type HttpJsonClient } from '../../src/main/core/sources/http-json.ts';
import type { Alarm } from '../../src/shared/domain.ts';
import { testCore } from '../fixtures/core.ts';

/** Fills the database up to a page limit at its current size, until nothing more fits. */
async function fillDisk(core: Core): Promise<void> {
  const [{ page_count }] = await core.db.all<{ page_count: number }>('PRAGMA page_count');
  await core.db.exec(`PRAGMA max_page_count = ${page_count}`);
  for (let misses = 0, i = 0; misses < 5; i++) {
    if (i > 5_000) throw new Error('the database never filled up');
    try {
      await core.alarms.raise({ source: 'manual', type: 'manual', severity: 1, position: null, details: { note: '' } });
      misses = 0;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_FULL') throw err;
      misses++;
    }
  }
}
const liftDiskLimit = (core: Core) => core.db.exec('PRAGMA max_page_count = 2147483646');

let t: Awaited<ReturnType<typeof testCore>>;
let northTracks: unknown[];
let alarms: Alarm[];
let log: string[];
const http: HttpJsonClient = {
  async getJson(url) {
    if (url.startsWith('http://north.test/')) return { serverTime: 'x', tracks: northTracks };
    throw new HttpError({ code: 'http-status', status: 500, target: 'http://south.test/api/v1/tracks', message: 'http://south.test/api/v1/tracks answered HTTP 500' });
  },
};
/** Lets each poll's SQLite write finish before the next timer fires. */
const settle = () => new Promise<void>((r) => setTimeout(r, 20));
const ofType = (type: Alarm['type']) => [...new Map(alarms.filter((a) => a.type === type).map((a) => [a.id, a])).values()];

beforeEach(async () => {
  northTracks = [];
  log = [];
  t = await testCore([], {
    http,
    log: (line) => log.push(line),
    configFile: {
      sources: [
        { id: 'north', kind: 'drone-detection', url: 'http://north.test/', silentAfterMs: 60_000 },
        { id: 'south', kind: 'drone-detection', url: 'http://south.test/' },
      ],
    },
  });
  alarms = [];
  t.core.bus.subscribe((e, p) => e === 'alarm.changed' && alarms.push(p as Alarm));
  await t.clock.advanceAsync(0, settle);
});
afterEach(() => t.dispose());

describe('a full disk', () => {
  it('loses no drone or source-silent alarm: both come with the next polls once there is room', async () => {
    expect(t.core.sources.get('north')).toMatchObject({ health: 'ok' });
    await fillDisk(t.core);

    // A drone enters the outer circle while nothing can be written; the south system goes silent meanwhile.
    northTracks = [{ trackId: 'D-1', classification: 'drone', position: { lat: 29.66, lon: 106.62, altMsl: 300 }, updated: 'x' }];
    await t.clock.advanceAsync(12_000, settle);
    await t.core.sources.settled();
    expect(ofType('drone-threat')).toEqual([]);
    expect(ofType('source-silent')).toEqual([]);
    expect(t.core.sources.get('north')).toMatchObject({ health: 'degraded', problem: { code: 'storage', message: expect.stringMatching(/SQLITE_FULL/) } });
    expect(t.core.sources.get('south')).toMatchObject({ health: 'down', problem: { code: 'http-status', status: 500 } });
    // (A few detections may still fit in the last free pages; once they do not, the poll fails and says why.)
    expect(log.some((l) => /drone detection north: could not store .*SQLITE_FULL/.test(l))).toBe(true);
    expect(log.some((l) => /source south: the source-silent alarm could not be stored \(.*SQLITE_FULL.*\); trying again in 5 s/.test(l))).toBe(true);

    await liftDiskLimit(t.core);
    await t.clock.advanceAsync(5_000, settle); // the next poll of each, backoff included
    await vi.waitFor(() => expect(ofType('drone-threat')).toHaveLength(1));
    const [track] = t.core.drones.fusion.list();
    expect(track).toMatchObject({ label: track.id, threat: { circleRing: 'outer' }, contacts: [{ sensorId: 'north', objectId: 'D-1' }] });
    expect(ofType('drone-threat')[0]).toMatchObject({ circleRing: 'outer', details: { trackId: track.id, label: track.id } });
    expect(t.core.sources.get('north')).toMatchObject({ health: 'ok' });
    await t.core.sources.settled();
    expect(ofType('source-silent')).toHaveLength(1);
    expect(ofType('source-silent')[0]).toMatchObject({ details: { sourceId: 'south', problem: { code: 'http-status', status: 500 } } });

    // And each only once.
    await t.clock.advanceAsync(10_000, settle);
    await t.core.sources.settled();
    const open = (await t.core.alarms.list()).alarms.filter((a) => a.type !== 'manual');
    expect(open.map((a) => [a.type, a.updates]).sort()).toEqual([['drone-threat', 1], ['source-silent', 1]]);
  });
});
