// The drone-detection adapter against answers a real system might give: good, malformed, failing, silent.
// Its tracks reach the fusion as detections of one sensor (and through it the console's fused tracks).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DroneDetectionFeed } from '../../src/main/core/drones/drone-detection-feed.ts';
import type { DroneIntake } from '../../src/main/core/drones/drone-ports.ts';
import { HttpError, type HttpJsonClient } from '../../src/main/core/sources/http-json.ts';
import type { DronesChanged } from '../../src/shared/contract/drones.ts';
import type { DroneDetection } from '../../src/shared/drones.ts';
import type { Alarm } from '../../src/shared/domain.ts';
import { testCore } from '../fixtures/core.ts';

let t: Awaited<ReturnType<typeof testCore>>;
let answer: () => unknown;
let requests: Array<{ url: string; headers?: Record<string, string>; timeoutMs: number }>;
let alarms: Alarm[];
let changes: DronesChanged[];
let feed: DroneDetectionFeed;

const http: HttpJsonClient = {
  async getJson(url, opts) {
    requests.push({ url, headers: opts.headers, timeoutMs: opts.timeoutMs });
    return answer();
  },
};
const SERVER_TIME = '2026-11-24T08:00:00Z';
const track = (id: string, lon: number, lat: number, extra: object = {}) => ({
  trackId: id, classification: 'drone', confidence: 0.9, position: { lat, lon, altMsl: 600 },
  velocity: { speed: 14, heading: 30 }, remoteId: null, updated: SERVER_TIME, ...extra,
});
const answerOf = (...tracks: object[]) => ({ serverTime: SERVER_TIME, tracks });

describe('drone detection feed', () => {
  beforeEach(async () => {
    t = await testCore();
    requests = [];
    alarms = [];
    changes = [];
    t.core.bus.subscribe((e, p) => {
      if (e === 'alarm.changed') alarms.push(p as Alarm);
      if (e === 'drones.changed') changes.push(p as DronesChanged);
    });
    t.core.sources.register({ id: 'drones', kind: 'drone-detection', name: { zh: '无人机探测', en: 'Drone detection' }, silentAfterMs: 10_000 });
    feed = new DroneDetectionFeed({ sourceId: 'drones', url: 'http://127.0.0.1:9/', apiKey: 'k-123', timeoutMs: 1000 }, http, t.core.drones.fusion, t.core.sources, t.clock, () => undefined);
  });
  afterEach(() => t.dispose());
  const health = () => t.core.sources.get('drones')!;
  const fused = () => t.core.drones.fusion.list().sort((a, b) => a.id.localeCompare(b.id));

  it('hands its tracks to the fusion as detections with their Remote ID, and sends the API key', async () => {
    const seen: Array<{ sensorId: string; detections: DroneDetection[] }> = [];
    const intake: DroneIntake = { reportDetections: async (sensorId, detections) => void seen.push({ sensorId, detections }) };
    const own = new DroneDetectionFeed({ sourceId: 'drones', url: 'http://127.0.0.1:9/', apiKey: 'k-123', timeoutMs: 1000 }, http, intake, t.core.sources, t.clock, () => undefined);
    answer = () => answerOf(
      track('D-1', 106.62, 29.66, { remoteId: { serial: '1596F3ABCD', operator: 'CHN-OP-1' } }),
      // Updated 4 s before the system's own time: 4 s old on ours, whatever its clock says.
      track('D-2', 106.90, 29.95, { classification: 'bird', confidence: undefined, velocity: undefined, updated: '2026-11-24T07:59:56Z' }),
    );
    expect(await own.pollOnce()).toBe(true);
    expect(requests[0]).toEqual({ url: 'http://127.0.0.1:9/api/v1/tracks', headers: { 'X-Api-Key': 'k-123' }, timeoutMs: 1000 });
    const now = t.clock.now();
    expect(seen).toEqual([{
      sensorId: 'drones',
      detections: [
        {
          sensorId: 'drones', sensorKind: 'detection', objectId: 'D-1', at: now, position: { lon: 106.62, lat: 29.66, altM: 600 },
          speedMps: 14, headingDeg: 30, classification: 'drone', confidence: 0.9, identity: { serial: '1596F3ABCD', operatorId: 'CHN-OP-1' },
        },
        {
          sensorId: 'drones', sensorKind: 'detection', objectId: 'D-2', at: now - 4_000, position: { lon: 106.90, lat: 29.95, altM: 600 },
          speedMps: undefined, headingDeg: undefined, classification: 'bird', confidence: undefined, identity: null,
        },
      ],
    }]);
    expect(health()).toMatchObject({ kind: 'drone-detection', health: 'ok', counts: { tracks: 2 } });
  });

  it("makes fused tracks of the system's tracks, stored, with one drones.changed per poll", async () => {
    answer = () => answerOf(track('D-1', 106.62, 29.66, { remoteId: { serial: '1596F3ABCD', operator: 'CHN-OP-1' } }), track('D-2', 106.90, 29.95, { classification: 'bird' }));
    expect(await feed.pollOnce()).toBe(true);
    expect(fused().map((x) => [x.id, x.label, x.classification, x.identity?.operatorId ?? null, x.contacts.map((c) => `${c.sensorId}/${c.objectId}`)])).toEqual([
      ['UAS-000001', '1596F3ABCD', 'drone', 'CHN-OP-1', ['drones/D-1']], ['UAS-000002', 'UAS-000002', 'bird', null, ['drones/D-2']],
    ]);
    t.clock.advance(1_000);
    answer = () => answerOf(track('D-2', 106.9001, 29.9501, { classification: 'bird' }), track('D-3', 106.65, 29.69));
    await feed.pollOnce();
    expect(changes.map((c) => [c.updated.map((x) => x.contacts[0].objectId), c.removed])).toEqual([[['D-1', 'D-2'], []], [['D-2', 'D-3'], []]]);
    // D-1 is no longer reported: the fusion keeps it (active for 30 s, then aging) rather than dropping it at once.
    expect(fused().map((x) => [x.contacts[0].objectId, x.label, x.state])).toEqual([['D-1', '1596F3ABCD', 'active'], ['D-2', 'UAS-000002', 'active'], ['D-3', 'UAS-000003', 'active']]);
    const history = await t.core.drones.fusion.history({ limit: 100 });
    expect(history.points.map((p) => [p.trackId, p.sensorKind, p.sensorId])).toEqual([
      ['UAS-000001', 'detection', 'drones'], ['UAS-000002', 'detection', 'drones'], ['UAS-000002', 'detection', 'drones'], ['UAS-000003', 'detection', 'drones'],
    ]);
  });

  it('reports a malformed answer with where it is wrong, keeps the last picture and keeps polling', async () => {
    answer = () => answerOf(track('D-1', 106.62, 29.66));
    await feed.pollOnce();
    answer = () => answerOf(track('D-1', 106.62, 29.66, { position: { lat: 'N29.7', lon: 106.6, altMsl: 1 } }));
    expect(await feed.pollOnce()).toBe(false);
    expect(health()).toMatchObject({
      health: 'degraded',
      problem: { code: 'malformed', path: 'tracks.0.position.lat', more: 0, message: 'malformed answer: tracks.0.position.lat: Invalid input: expected number, received string' },
    });
    expect(fused().map((x) => x.contacts[0].objectId)).toEqual(['D-1']);
    answer = () => 'not an object';
    await feed.pollOnce();
    expect(health().problem).toMatchObject({ code: 'malformed', path: 'body' });
    answer = () => answerOf();
    await feed.pollOnce();
    expect(health()).toMatchObject({ health: 'ok', counts: { tracks: 0 } });
  });

  it('does not count a poll whose detections could not be stored, and stores them at the next good one', async () => {
    answer = () => answerOf(track('D-1', 106.62, 29.66));
    await t.core.db.exec(`CREATE TEMP TRIGGER full BEFORE INSERT ON drone_detections BEGIN SELECT RAISE(ABORT, 'database or disk is full (test)'); END`);
    expect(await feed.pollOnce()).toBe(false);
    expect(health()).toMatchObject({ health: 'degraded', problem: { code: 'storage', message: 'could not store the detections of this answer: SQLITE_CONSTRAINT: database or disk is full (test)' } });
    expect(fused()).toEqual([]);
    await t.core.db.exec('DROP TRIGGER temp.full');
    expect(await feed.pollOnce()).toBe(true);
    expect(fused().map((x) => x.contacts[0].objectId)).toEqual(['D-1']);
    expect(health().health).toBe('ok');
  });

  it('stays degraded (not down) after a failed poll, turns down after 10 s silent with one source-silent alarm, and back to ok', async () => {
    const problem = { code: 'timeout' as const, target: 'http://127.0.0.1:9/api/v1/tracks', message: 'no answer from http://127.0.0.1:9/api/v1/tracks within 1 s' };
    answer = () => answerOf(track('D-1', 106.62, 29.66));
    await feed.pollOnce();
    answer = () => {
      throw new HttpError(problem);
    };
    await feed.pollOnce();
    expect(health()).toMatchObject({ health: 'degraded', problem });
    t.clock.advance(9_000);
    await feed.pollOnce();
    expect(health().health).toBe('degraded');
    // The watchdog turns it down on time, poll or no poll.
    t.clock.advance(1_000);
    await t.core.sources.settled();
    expect(health()).toMatchObject({ health: 'down', problem });
    t.clock.advance(1_000);
    await feed.pollOnce();
    t.clock.advance(5_000);
    await feed.pollOnce();
    await t.core.sources.settled();
    const silent = alarms.filter((a) => a.type === 'source-silent');
    expect(silent).toHaveLength(1);
    expect(silent[0]).toMatchObject({ source: 'system', severity: 3, details: { sourceId: 'drones', problem, silentForS: 10 } });
    // Its track ages in the fusion meanwhile: 16 s without a detection is still active, 31 s is aging.
    expect(fused().map((x) => x.state)).toEqual(['active']);
    t.clock.advance(15_000);
    expect(fused().map((x) => x.state)).toEqual(['aging']);
    answer = () => answerOf();
    await feed.pollOnce();
    expect(health().health).toBe('ok');
  });
});

describe('drone detection as a configured source', () => {
  let s: Awaited<ReturnType<typeof testCore>>;
  let calls: Array<{ at: number; timeoutMs: number }>;
  let reply: () => Promise<unknown>;
  let hangs: Array<() => void>;
  const settle = () => new Promise<void>((r) => setTimeout(r, 5));
  beforeEach(async () => {
    calls = [];
    hangs = [];
    reply = async () => ({ serverTime: 'x', tracks: [] });
    s = await testCore([], {
      http: { getJson: (_url, opts) => (calls.push({ at: s?.clock.now() ?? 0, timeoutMs: opts.timeoutMs }), reply()) },
      configFile: { sources: [{ id: 'detect', kind: 'drone-detection', url: 'http://detect.test/', intervalMs: 2000, timeoutMs: 1500, backoffMaxMs: 8000 }] },
    });
  });
  afterEach(async () => {
    for (const fail of hangs) fail(); // a real client's timeout ends a hung request; the core waits for it to stop
    await s.dispose();
    expect(s.clock.timersPending).toBe(0);
  });

  it('is polled at its interval with its timeout, and backs off while it fails', async () => {
    expect(s.core.sources.get('detect')).toMatchObject({ kind: 'drone-detection', name: { zh: '无人机探测', en: 'Drone detection' } });
    await s.clock.advanceAsync(4_000, settle);
    expect(calls.map((c) => c.timeoutMs)).toEqual([1500, 1500, 1500]);
    const t0 = s.clock.now();
    reply = async () => {
      throw new HttpError({ code: 'http-status', status: 503, message: 'HTTP 503' });
    };
    calls = [];
    await s.clock.advanceAsync(40_000, settle);
    const gaps = calls.map((c, i) => c.at - (i ? calls[i - 1].at : t0));
    expect(gaps[0]).toBe(2000); // the first failure comes at the normal interval…
    const within = (g: number, lo: number, hi: number) => g >= lo && g <= hi;
    // …then 2–4 s, 4–8 s, and never more than the cap of 8 s.
    expect([within(gaps[1], 2000, 4000), within(gaps[2], 4000, 8000), gaps.slice(3).every((g) => within(g, 4000, 8000))]).toEqual([true, true, true]);
    expect(s.core.sources.get('detect')).toMatchObject({ health: 'down', problem: { code: 'http-status', status: 503 } });
  });

  it('turns down on time with one source-silent alarm while a request hangs', async () => {
    await s.clock.advanceAsync(0, settle); // the first poll, good
    // A system that accepts the next request and never answers (until the test ends).
    reply = () => new Promise((_resolve, reject) => hangs.push(() => reject(new Error('ended'))));
    await s.clock.advanceAsync(2_000, settle);
    const hung = calls.length;
    await s.clock.advanceAsync(7_999, settle);
    expect(calls.length).toBe(hung); // no second request while one hangs
    expect(s.core.sources.get('detect')!.health).toBe('ok');
    await s.clock.advanceAsync(1, settle);
    await s.core.sources.settled();
    expect(s.core.sources.get('detect')).toMatchObject({ health: 'down', problem: { code: 'silent' } });
    const silent = (await s.core.alarms.list()).alarms.filter((a) => a.type === 'source-silent');
    expect(silent.map((a) => a.details)).toEqual([{ sourceId: 'detect', sourceName: { zh: '无人机探测', en: 'Drone detection' }, problem: { code: 'silent', message: 'no usable data for 10 s' }, silentForS: 10 }]);
  });
});
