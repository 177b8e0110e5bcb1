// The drone simulator as the console starts it: one process, four endpoints each on its own port (the
// detection API, the Remote ID receiver, the SAPIENT node, the operations system's runway feed), every HTTP
// endpoint behind the API key, a control endpoint that explains what it refuses, and after a kill -9 every
// endpoint back on its port.
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointLines, restartPortArgs, startSimulatorProcess, type SimulatorProcess } from '../../src/main/core/sources/simulator-process.ts';
import { droneSimulatorEntries } from '../../src/main/core/sources/data-sources.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let sim: SimulatorProcess;
beforeAll(async () => {
  sim = await startSimulatorProcess('src/sim/drone-detection/main.ts', ['--site', SAMPLE_SITE_FILE, '--scenarios', 'all', '--speed', '5'], {
    projectRoot: ROOT, log: () => undefined,
  });
}, 40_000);
afterAll(() => sim?.stop());

const get = (url: string, key: string | null = sim.apiKey) =>
  fetch(url, { headers: key ? { 'X-Api-Key': key } : {}, signal: AbortSignal.timeout(3000) });
const control = (body: string) =>
  fetch(`${sim.url}/sim/control`, { method: 'POST', headers: { 'X-Api-Key': sim.apiKey }, body, signal: AbortSignal.timeout(3000) });
const tracks = async () => ((await (await get(`${sim.url}/api/v1/tracks`)).json()) as { tracks: Array<{ trackId: string }> }).tracks;
const tcpOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the drone simulator process', () => {
  it('prints every endpoint for its parent, each on its own port', () => {
    const { REMOTE_ID_URL, SAPIENT_PORT, OPS_URL, SIM_URL } = sim.endpoints;
    expect(SIM_URL).toBe(sim.url);
    expect(REMOTE_ID_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(OPS_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(SAPIENT_PORT).toMatch(/^\d+$/);
    const ports = [sim.url, REMOTE_ID_URL, OPS_URL].map((u) => new URL(u).port).concat(SAPIENT_PORT);
    expect(new Set(ports).size).toBe(4);
  });

  it('becomes one demo source per endpoint', () => {
    const { REMOTE_ID_URL, SAPIENT_PORT, OPS_URL } = sim.endpoints;
    expect(droneSimulatorEntries(sim)).toEqual([
      { id: 'drone-detection', kind: 'drone-detection', url: sim.url, apiKey: sim.apiKey, intervalMs: 1000 },
      { id: 'remote-id', kind: 'remote-id', url: REMOTE_ID_URL, apiKey: sim.apiKey, intervalMs: 1000 },
      { id: 'sapient-radar', kind: 'sapient', host: '127.0.0.1', port: Number(SAPIENT_PORT) },
      { id: 'runway-ops', kind: 'runway-ops', url: OPS_URL, apiKey: sim.apiKey, intervalMs: 5000 },
    ]);
  });

  it('answers every HTTP endpoint with the key and only with it, and listens for SAPIENT', async () => {
    const { REMOTE_ID_URL, SAPIENT_PORT, OPS_URL } = sim.endpoints;
    for (const url of [`${sim.url}/api/v1/tracks`, `${REMOTE_ID_URL}/api/drones`, `${OPS_URL}/ops/v1/runways`, `${sim.url}/sim/state`]) {
      expect((await get(url, null)).status).toBe(401);
      expect((await get(url, 'wrong')).status).toBe(401);
      expect((await get(url)).status).toBe(200);
    }
    const ids = (await tracks()).map((t) => t.trackId);
    expect(ids.some((id) => id.startsWith('LOITER-1'))).toBe(true);
    expect(ids.some((id) => id.startsWith('SWARM-'))).toBe(true);
    expect(ids.some((id) => id.startsWith('RADAR-'))).toBe(false); // the radar-only drone is not the detection system's
    const rid = (await (await get(`${REMOTE_ID_URL}/api/drones`)).json()) as { receiver: unknown; drones: unknown[] };
    expect(rid).toMatchObject({ receiver: { id: expect.any(String) }, drones: expect.any(Array) });
    expect(await (await get(`${OPS_URL}/ops/v1/runways`)).json()).toMatchObject({
      updated: expect.any(String),
      runways: [
        { id: '02L/20R', status: 'in-use', direction: '02L', operations: 'arrivals' },
        { id: '02R/20L', status: 'in-use', direction: '02R', operations: 'departures' },
        { id: '03R/21L', status: 'closed', direction: null, operations: null },
      ],
    });
    expect(await tcpOpen(Number(SAPIENT_PORT))).toBe(true);
  });

  it('refuses bad control commands with what is wrong and where, and keeps running', async () => {
    const refused = async (body: string, error: RegExp) => {
      const res = await control(body);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(error);
    };
    await refused('{"scenario":', /^the body of POST \/sim\/control is not JSON \(.+\); send \{"scenario":"swarm","action":"start"\}/);
    await refused('[1]', /^send a JSON object: /);
    await refused('{"hello":1}', /^the command names no scenario, sensor or runway: send /);
    await refused('{"scenario":"tornado","action":"start"}', /^scenario: .*"approach-loiter"/);
    await refused('{"scenario":"swarm","action":"pause"}', /^action: .*"start".*"stop"/);
    await refused('{"sensor":"remote-id","fault":"garbage"}', /^fault: .*"malformed"/);
    await refused('{"sensor":"sapient","fault":"error500"}', /^fault: .*"drop-mid-message"/);
    await refused('{"sensor":"radio","fault":"silent"}', /^sensor: /);
    await refused('{"runway":{"id":"09/27","status":"closed","direction":null,"operations":null}}', /^runway\.id: the site ZUCK has no runway "09\/27" \(it has 02L\/20R, 02R\/20L, 03R\/21L\)$/);
    await refused('{"runway":{"id":"02L/20R","status":"in-use","direction":"21L","operations":"arrivals"}}', /^runway\.direction: a runway in use needs its direction, one of 02L or 20R$/);
    await refused('{"runway":{"id":"03R/21L","status":"closed","direction":"03R","operations":null}}', /^runway\.direction, runway\.operations: a closed runway has neither/);
    const big = await control(JSON.stringify({ scenario: 'swarm', action: 'start', pad: 'x'.repeat(5000) }));
    expect(big.status).toBe(413);
    expect((await get(`${sim.url}/api/v1/health`)).status).toBe(200);
  });

  it('stops and starts scenarios, injects faults per sensor and sets runways on command', async () => {
    const { REMOTE_ID_URL, OPS_URL } = sim.endpoints;
    expect((await control('{"scenario":"swarm","action":"stop"}')).status).toBe(200);
    expect((await tracks()).some((t) => t.trackId.startsWith('SWARM-'))).toBe(false);
    const state = await (await control('{"scenario":"swarm","action":"start"}')).json();
    expect(state.scenarios.find((s: { name: string }) => s.name === 'swarm')).toEqual({ name: 'swarm', how: 'manual', active: true });
    expect((await tracks()).filter((t) => t.trackId.startsWith('SWARM-') && t.trackId.endsWith('-M2R1'))).toHaveLength(50);

    expect((await control('{"sensor":"remote-id","fault":"error500"}')).status).toBe(200);
    expect((await get(`${REMOTE_ID_URL}/api/drones`)).status).toBe(500);
    expect((await get(`${sim.url}/api/v1/tracks`)).status).toBe(200); // the other systems are unaffected
    expect((await control('{"sensor":"remote-id","fault":"none"}')).status).toBe(200);
    expect((await get(`${REMOTE_ID_URL}/api/drones`)).status).toBe(200);
    expect((await control('{"sensor":"ops","fault":"malformed"}')).status).toBe(200);
    expect((await (await get(`${OPS_URL}/ops/v1/runways`)).json()).runways[0].status).toBe('sideways');
    expect((await control('{"sensor":"ops","fault":"none"}')).status).toBe(200);
    const sapient = await (await control('{"sensor":"sapient","fault":"garbage"}')).json();
    expect(sapient.faults).toEqual({ detection: 'none', 'remote-id': 'none', ops: 'none', sapient: 'garbage' });
    await control('{"sensor":"sapient","fault":"none"}');

    expect((await control('{"runway":{"id":"02L/20R","status":"in-use","direction":"20R","operations":"mixed"}}')).status).toBe(200);
    const ops = await (await get(`${OPS_URL}/ops/v1/runways`)).json();
    expect(ops.runways[0]).toEqual({ id: '02L/20R', status: 'in-use', direction: '20R', operations: 'mixed' });
    expect(Date.now() - Date.parse(ops.updated)).toBeLessThan(5000);
  });

  it.runIf(process.platform === 'linux')('is back with every endpoint on its port after a kill -9', async () => {
    const before = { ...sim.endpoints };
    process.kill(sim.pid!, 'SIGKILL');
    const { REMOTE_ID_URL, SAPIENT_PORT, OPS_URL } = before;
    for (const end = Date.now() + 15_000; Date.now() < end; await sleep(200)) {
      try {
        if ((await get(`${OPS_URL}/ops/v1/runways`)).status === 200 && (await get(`${sim.url}/api/v1/health`)).status === 200) break;
      } catch {
        // still down
      }
    }
    expect(sim.restarts).toBe(1);
    expect((await get(`${REMOTE_ID_URL}/api/drones`)).status).toBe(200);
    expect(await tcpOpen(Number(SAPIENT_PORT))).toBe(true);
  }, 30_000);
});

describe('endpoint lines', () => {
  it('reads NAME_URL and NAME_PORT lines, and gives the flags that put each back on its port', () => {
    const endpoints = endpointLines('booting\nREMOTE_ID_URL http://127.0.0.1:4711\nSAPIENT_PORT 4712\nOPS_URL http://127.0.0.1:4713\nSKYFENCE_SIM_VMS x\nSIM_URL http://127.0.0.1:4710\n');
    expect(endpoints).toEqual({
      REMOTE_ID_URL: 'http://127.0.0.1:4711', SAPIENT_PORT: '4712', OPS_URL: 'http://127.0.0.1:4713', SIM_URL: 'http://127.0.0.1:4710',
    });
    expect(restartPortArgs(endpoints)).toEqual(['--remote-id-port', '4711', '--sapient-port', '4712', '--ops-port', '4713']);
  });
});
