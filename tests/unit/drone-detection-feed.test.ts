// The drone-detection adapter against answers a real system might give: good, malformed, failing, silent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DroneDetectionFeed } from '../../src/main/core/drones/drone-detection-feed.ts';
import { HttpError, type HttpJsonClient } from '../../src/main/core/sources/http-json.ts';
import type { Alarm } from '../../src/shared/domain.ts';
import { testCore } from '../fixtures/core.ts';

let t: Awaited<ReturnType<typeof testCore>>;
let answer: () => unknown;
let requests: Array<{ url: string; headers?: Record<string, string> }>;
let alarms: Alarm[];
let feed: DroneDetectionFeed;

const http: HttpJsonClient = {
  async getJson(url, opts) {
    requests.push({ url, headers: opts.headers });
    return answer();
  },
};
const track = (id: string, lon: number, lat: number, extra: object = {}) => ({
  trackId: id, classification: 'drone', confidence: 0.9, position: { lat, lon, altMsl: 600 },
  velocity: { speed: 14, heading: 30 }, remoteId: null, updated: '2026-11-24T08:00:00Z', ...extra,
});

beforeEach(async () => {
  t = await testCore();
  requests = [];
  alarms = [];
  t.core.bus.subscribe((e, p) => e === 'alarm.changed' && alarms.push(p as Alarm));
  t.core.sources.register('drones', { zh: '无人机探测', en: 'Drone detection' }, 10_000);
  feed = new DroneDetectionFeed({ sourceId: 'drones', url: 'http://127.0.0.1:9/', apiKey: 'k-123', timeoutMs: 1000 }, http, t.core.tracks, t.core.sources);
});
afterEach(() => t.dispose());
const health = () => t.core.sources.list().find((s) => s.id === 'drones')!;

describe('drone detection feed', () => {
  it('turns tracks into console tracks, with touch-circle alarms, and sends the API key', async () => {
    answer = () => ({ serverTime: 'x', tracks: [track('D-1', 106.62, 29.66), track('D-2', 106.90, 29.95, { classification: 'bird' })] });
    await feed.pollOnce();
    expect(requests[0]).toEqual({ url: 'http://127.0.0.1:9/api/v1/tracks', headers: { 'X-Api-Key': 'k-123' } });
    expect(t.core.tracks.list().map((x) => [x.id, x.classification, x.circleRing])).toEqual([['D-1', 'drone', 'outer'], ['D-2', 'bird', null]]);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ type: 'touch-circle', circleRing: 'outer', details: { trackId: 'D-1', classification: 'drone' } });
    expect(health()).toMatchObject({ health: 'ok', detail: '2 tracks' });
  });

  it('reports a malformed answer with where it is wrong, keeps the last picture and keeps polling', async () => {
    answer = () => ({ serverTime: 'x', tracks: [track('D-1', 106.62, 29.66)] });
    await feed.pollOnce();
    answer = () => ({ serverTime: 'x', tracks: [track('D-1', 106.62, 29.66, { position: { lat: 'N29.7', lon: 106.6, altMsl: 1 } })] });
    await feed.pollOnce();
    expect(health()).toMatchObject({ health: 'degraded', detail: 'malformed answer: tracks.0.position.lat: Invalid input: expected number, received string' });
    expect(t.core.tracks.list().map((x) => x.id)).toEqual(['D-1']);
    answer = () => 'not an object';
    await feed.pollOnce();
    expect(health().detail).toMatch(/^malformed answer: body: /);
    answer = () => ({ serverTime: 'x', tracks: [] });
    await feed.pollOnce();
    expect(health()).toMatchObject({ health: 'ok' });
    expect(t.core.tracks.list()).toEqual([]); // the track left coverage
  });

  it('turns a silent system down after 10 s with one source-silent alarm, and back to ok when it answers', async () => {
    answer = () => {
      throw new HttpError('no answer from http://127.0.0.1:9/api/v1/tracks within 1 s');
    };
    await feed.pollOnce();
    expect(health()).toMatchObject({ health: 'degraded' });
    t.clock.advance(11_000);
    await feed.pollOnce();
    t.clock.advance(1_000);
    await feed.pollOnce();
    expect(health()).toMatchObject({ health: 'down', detail: 'no answer from http://127.0.0.1:9/api/v1/tracks within 1 s' });
    const silent = alarms.filter((a) => a.type === 'source-silent');
    expect(silent).toHaveLength(1);
    expect(silent[0]).toMatchObject({ source: 'system', severity: 3, details: { sourceId: 'drones' } });
    answer = () => ({ serverTime: 'x', tracks: [] });
    await feed.pollOnce();
    expect(health().health).toBe('ok');
  });
});
