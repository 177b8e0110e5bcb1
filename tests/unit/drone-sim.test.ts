import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScenario, positionAt, scenarioPeriodS } from '../../src/sim/drone-detection/scenario.ts';
import { startSkySim, type SkySim } from '../../src/sim/drone-detection/server.ts';
import { parseSite } from '../../src/main/core/site/load-site.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

const origin = { lat: 29.712254, lon: 106.651895, elevationM: 416 };
const distanceKm = (p: { lat: number; lon: number }) =>
  Math.hypot((p.lat - origin.lat) * 111.132, (p.lon - origin.lon) * 111.32 * Math.cos((origin.lat * Math.PI) / 180));

describe('drone-detection simulator scenario', () => {
  it('is the same sky for the same seed, and another for another seed', () => {
    expect(buildScenario(7, 6)).toEqual(buildScenario(7, 6));
    expect(buildScenario(7, 6)).not.toEqual(buildScenario(8, 6));
  });

  it('flies each target in from 12–19 km to within 4.3 km of the airport, above it, and out again', () => {
    for (const target of buildScenario(20261124, 6)) {
      const first = positionAt(target, target.startS, origin)!;
      expect(distanceKm(first)).toBeGreaterThan(11.9);
      expect(distanceKm(first)).toBeLessThan(19.1);
      let closest = Infinity;
      let t = target.startS;
      for (let p = positionAt(target, t, origin); p; p = positionAt(target, (t += 10), origin)) {
        closest = Math.min(closest, distanceKm(p));
        expect(p.altMsl).toBeGreaterThan(origin.elevationM + 60);
      }
      expect(closest).toBeLessThan(4.4);
      expect(positionAt(target, target.startS - 1, origin)).toBeNull();
      expect(positionAt(target, t + 10, origin)).toBeNull(); // it has left
    }
  });

  it('has a period that ends after the last target has left', () => {
    const targets = buildScenario(20261124, 6);
    const period = scenarioPeriodS(targets);
    // A quiet minute at the end: everyone has left 59 s before the period ends, someone was still flying at 61 s.
    expect(targets.every((t) => positionAt(t, period - 59, origin) === null)).toBe(true);
    expect(targets.some((t) => positionAt(t, period - 61, origin) !== null)).toBe(true);
  });
});

describe('drone-detection simulator control endpoint, over HTTP', () => {
  const apiKey = 'sim-test-key';
  let sim: SkySim & { url: string };
  beforeAll(async () => {
    const site = parseSite(readFileSync(SAMPLE_SITE_FILE, 'utf8'), 'site.json');
    const started = await startSkySim({ site, apiKey, seed: 1, targets: 2, speed: 1, scenarios: ['random-traffic'], demoSchedule: false });
    sim = { ...started, url: started.detectionUrl };
  });
  afterAll(() => sim.close());
  const fault = (body: string) => fetch(`${sim.url}/sim/fault`, { method: 'POST', headers: { 'X-Api-Key': apiKey }, body });
  const healthy = async () => (await fetch(`${sim.url}/api/v1/health`, { headers: { 'X-Api-Key': apiKey } })).status === 200;

  /** Sends raw bytes on a new connection; resolves with whatever comes back before the server closes it. */
  const raw = (bytes: string, hangUp = false) =>
    new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(sim.url).port), '127.0.0.1', () => {
        socket.write(bytes);
        if (hangUp) socket.destroy();
      });
      let answer = '';
      socket.on('data', (d) => (answer += d));
      socket.on('close', () => resolve(answer));
      socket.on('error', () => resolve(answer));
    });

  it('answers a body that is not JSON with 400 and what to send, and keeps running', async () => {
    const res = await fault('mode=silent');
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/^the body of POST \/sim\/fault is not JSON \(.+\); send \{"mode":"none\|malformed\|silent\|error500"\}$/);
    expect((await fault('null')).status).toBe(400);
    expect((await fault('{"mode":"sideways"}')).status).toBe(400);
    // Requests that are not HTTP, and a client hanging up halfway through a body, leave it running too.
    expect(await raw('GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    await raw(`POST /sim/fault HTTP/1.1\r\nHost: x\r\nX-Api-Key: ${apiKey}\r\nContent-Length: 100\r\n\r\n{"mo`, true);
    expect(await healthy()).toBe(true);
    expect((await fault('{"mode":"none"}')).status).toBe(200);
  });

  it('refuses a body over 4 KiB with 413, with or without a Content-Length', async () => {
    const big = JSON.stringify({ mode: 'none', padding: 'x'.repeat(5000) });
    const res = await fault(big);
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe('the body of POST /sim/fault must be at most 4096 bytes of JSON, like {"mode":"silent"}');
    const chunked = await raw(
      `POST /sim/fault HTTP/1.1\r\nHost: x\r\nX-Api-Key: ${apiKey}\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `${(5000).toString(16)}\r\n${'x'.repeat(5000)}\r\n0\r\n\r\n`,
    );
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /);
    expect(await healthy()).toBe(true);
  });
});
