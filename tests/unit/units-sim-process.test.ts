// The units' GPS simulator as the console starts it: its own process behind an API key, the positions API a
// vendor platform would give, --speed running its time faster, the controls (goto, silent, faults) answering
// what they refuse, and after a kill -9 the same URL again.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geodesicInverse } from '../../src/main/core/geo/local-frame.ts';
import { startSimulatorProcess, type SimulatorProcess } from '../../src/main/core/sources/simulator-process.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SPEED = 20;
let sim: SimulatorProcess;
beforeAll(async () => {
  sim = await startSimulatorProcess('src/sim/units/main.ts', ['--site', SAMPLE_SITE_FILE, '--speed', String(SPEED), '--seed', '5'], { projectRoot: ROOT, log: () => undefined });
}, 40_000);
afterAll(() => sim?.stop());

interface Fix { deviceId: string; lon: number; lat: unknown; speedMps: number; headingDeg: number; fixAt: string; accuracyM: number }
interface SimUnitState { id: string; mode: string; moving: boolean; lon: number; lat: number }
interface SimState { simulatedS: number; fault: string | null; units: SimUnitState[] }

const get = (path: string, key: string | null = sim.apiKey) => fetch(`${sim.url}${path}`, { headers: key ? { 'X-Api-Key': key } : {}, signal: AbortSignal.timeout(8000) });
const positions = async () => (await (await get('/api/v1/positions')).json()) as { timestamp: string; fixes: Fix[] | string };
const state = async () => (await (await get('/sim/state')).json()) as SimState;
const control = (body: unknown) =>
  fetch(`${sim.url}/sim/control`, { method: 'POST', headers: { 'X-Api-Key': sim.apiKey }, body: typeof body === 'string' ? body : JSON.stringify(body), signal: AbortSignal.timeout(3000) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const metres = (a: { lon: number; lat: number }, b: { lon: number; lat: number }) => geodesicInverse([a.lon, a.lat], [b.lon, b.lat]).distanceM;

describe('the GPS simulator process', () => {
  it('answers with the key only, one fix per unit in the vendor shape', async () => {
    expect((await get('/api/v1/positions', null)).status).toBe(401);
    expect((await get('/api/v1/positions', 'wrong')).status).toBe(401);
    const answer = await positions();
    expect(Date.parse(answer.timestamp)).toBeGreaterThan(Date.now() - 5000);
    const fixes = answer.fixes as Fix[];
    expect(fixes).toHaveLength(16);
    expect(fixes[0]).toEqual({
      deviceId: 'SWAT-1', lon: expect.any(Number), lat: expect.any(Number), speedMps: expect.any(Number),
      headingDeg: expect.any(Number), fixAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), accuracyM: expect.any(Number),
    });
    // A fix is at most one simulated second old.
    for (const f of fixes) expect(Date.now() - Date.parse(f.fixAt)).toBeLessThan(1000 / SPEED + 2000);
  });

  it('moves the patrols at their speeds on its faster clock; the posts stay put', async () => {
    const a = await state();
    await sleep(1000);
    const b = await state();
    const dt = b.simulatedS - a.simulatedS;
    expect(dt).toBeGreaterThan(SPEED * 0.9);
    const speeds: Record<string, number> = { 'T2-P1': 1.4, 'T1-P1': 1.4, 'T3-P1': 1.4, 'TRF-1': 10, 'TRF-2': 12, 'SWAT-1': 8, 'WJ-1': 6, 'SEC-T3A': 1.4 };
    let movedFar = 0;
    for (const [id, speed] of Object.entries(speeds)) {
      const moved = metres(a.units.find((u) => u.id === id)!, b.units.find((u) => u.id === id)!);
      expect(moved).toBeLessThanOrEqual(speed * dt * 1.01 + 0.01);
      if (moved > speed * dt * 0.5) movedFar++;
    }
    expect(movedFar).toBeGreaterThanOrEqual(3); // the rest may be pausing at a point
    for (const id of ['PP-T2', 'PS-MAIN', 'SWAT-Q', 'VOL-GTC']) {
      expect(metres(a.units.find((u) => u.id === id)!, b.units.find((u) => u.id === id)!)).toBeLessThan(0.01);
    }
  });

  it('sends a unit to a point, where it holds, and back to its route on resume', async () => {
    const start = (await state()).units.find((u) => u.id === 'PP-T2')!;
    const target = { lon: start.lon + 0.0005, lat: start.lat }; // about 48 m: 35 simulated s on foot, under 2 s here
    expect((await control({ unitId: 'PP-T2', goto: target })).status).toBe(200);
    const on = (await state()).units.find((u) => u.id === 'PP-T2')!;
    expect(on.mode).toBe('goto');
    await sleep(2600);
    const there = (await state()).units.find((u) => u.id === 'PP-T2')!;
    expect(there.mode).toBe('holding');
    expect(metres(there, target)).toBeLessThan(0.05);
    const fix = ((await positions()).fixes as Fix[]).find((f) => f.deviceId === 'PP-T2')!;
    expect(metres({ lon: fix.lon, lat: fix.lat as number }, target)).toBeLessThan(10);
    expect((await control({ unitId: 'PP-T2', resume: true })).status).toBe(200);
    await sleep(2600);
    expect(metres((await state()).units.find((u) => u.id === 'PP-T2')!, start)).toBeLessThan(0.05);
  });

  it('drops a dead GPS from the answer until it is back', async () => {
    await control({ unitId: 'TRF-1', silent: true });
    expect(((await positions()).fixes as Fix[]).map((f) => f.deviceId)).not.toContain('TRF-1');
    await control({ unitId: 'TRF-1', silent: false });
    expect(((await positions()).fixes as Fix[]).map((f) => f.deviceId)).toContain('TRF-1');
  });

  it('injects faults: garbage, HTTP 500, slow, and back to normal', async () => {
    await control({ fault: 'garbage' });
    const garbage = await get('/api/v1/positions');
    expect(garbage.status).toBe(200);
    expect(((await garbage.json()) as { fixes: unknown }).fixes).toEqual(expect.any(String));
    await control({ fault: 'http-500' });
    expect((await get('/api/v1/positions')).status).toBe(500);
    await control({ fault: 'slow', delayMs: 700 });
    const t0 = Date.now();
    expect((await get('/api/v1/positions')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(650);
    await control({ fault: null });
    expect(Array.isArray((await positions()).fixes)).toBe(true);
    expect((await state()).fault).toBeNull();
  });

  it('refuses bad commands with the field and what to send', async () => {
    const refused = async (body: unknown, status: number, pattern: RegExp) => {
      const res = await control(body);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(pattern);
    };
    await refused('not json', 400, /not JSON.*send \{"unitId"/);
    await refused({ unitId: 'T2-P1' }, 400, /no goto, resume, silent, badFix or fault/);
    await refused({ unitId: 'T2-P1', goto: { lon: 106.63, lat: 'north' } }, 400, /^goto\.lat:/);
    await refused({ unitId: 'T2-P1', goto: { lon: 29.71, lat: 106.63 } }, 400, /^goto\.lat:/);
    await refused({ unitId: 'T2-P1', goto: { lon: 29.71, lat: 60 } }, 400, /km from the site.*lon and lat swapped/);
    await refused({ unitId: 'NOPE', resume: true }, 404, /no unit "NOPE"/);
    await refused({ fault: 'melt' }, 400, /^fault:/);
    await refused(JSON.stringify({ fault: null, pad: 'x'.repeat(5000) }), 413, /at most 4096 bytes/);
  });

  it('comes back at the same URL after being killed', async () => {
    const pid = sim.pid!;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (sim.pid && sim.pid !== pid) {
        const res = await get('/api/v1/positions').catch(() => null);
        if (res?.status === 200) break;
      }
      if (Date.now() > deadline) throw new Error('the simulator did not come back');
      await sleep(200);
    }
    expect(sim.restarts).toBe(1);
    expect(((await positions()).fixes as Fix[])).toHaveLength(16);
  }, 40_000);
});
