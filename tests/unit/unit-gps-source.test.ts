// The `unit-gps` source against the GPS simulator's process over loopback: every unit's fix reaches the unit
// registry with the device's own fix time; a garbage answer is a malformed problem with its path and the next
// good poll recovers; a bad fix is skipped by path while the others are used; a platform that keeps failing
// goes down with a source-silent alarm like any source, and what could not be stored is handed again.
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmService } from '../../src/main/core/alarms/alarm-service.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { fetchJsonClient, type HttpJsonClient } from '../../src/main/core/sources/http-json.ts';
import { startSimulatorProcess, type SimulatorProcess } from '../../src/main/core/sources/simulator-process.ts';
import { sourcesFromConfig } from '../../src/main/core/sources/source-config.ts';
import { SourceRegistry } from '../../src/main/core/sources/source-registry.ts';
import type { RefusedFix, UnitPositionIntake } from '../../src/main/core/units/unit-registry.ts';
import { UnitGpsFeed, unitGpsKind, type UnitFix } from '../../src/main/core/units/unit-gps-source.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';
import { testCore } from '../fixtures/core.ts';
import { dispatch, type Session } from '../../src/main/core/api.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let sim: SimulatorProcess;
beforeAll(async () => {
  sim = await startSimulatorProcess('src/sim/units/main.ts', ['--site', SAMPLE_SITE_FILE, '--speed', '10'], { projectRoot: ROOT, log: () => undefined });
}, 40_000);
afterAll(() => sim?.stop());

const control = async (body: unknown) => {
  const res = await fetch(`${sim.url}/sim/control`, { method: 'POST', headers: { 'X-Api-Key': sim.apiKey }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`control ${JSON.stringify(body)}: ${res.status} ${await res.text()}`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A unit registry that keeps what it is handed, and can be made to fail (a full disk). */
class FakeIntake implements UnitPositionIntake {
  batches: UnitFix[][] = [];
  failing = false;
  has(): boolean {
    return true;
  }
  async reportPositions(sourceId: string, fixes: UnitFix[]): Promise<RefusedFix[]> {
    expect(sourceId).toBe('gps');
    if (this.failing) throw new Error('SQLITE_FULL: database or disk is full');
    this.batches.push(fixes);
    return [];
  }
  get last(): UnitFix[] {
    return this.batches.at(-1) ?? [];
  }
}

let clock: ManualClock;
let intake: FakeIntake;
let registry: SourceRegistry;
let raised: Array<{ type: string; details: unknown }>;
let resolvedKeys: string[];
let feed: UnitGpsFeed;
const logs: string[] = [];

beforeEach(async () => {
  await control({ fault: null });
  clock = new ManualClock();
  intake = new FakeIntake();
  raised = [];
  resolvedKeys = [];
  const alarms = {
    raise: async (a: { type: string; details: unknown }) => void raised.push(a),
    resolveByKey: async (key: string) => void resolvedKeys.push(key),
  } as unknown as AlarmService;
  registry = new SourceRegistry(clock, alarms, { changed: () => undefined });
  registry.register({ id: 'gps', kind: 'unit-gps', name: unitGpsKind.defaultName, silentAfterMs: unitGpsKind.defaultSilentAfterMs });
  feed = new UnitGpsFeed({ sourceId: 'gps', url: sim.url, apiKey: sim.apiKey, timeoutMs: 3000 }, fetchJsonClient, intake, registry, (l) => logs.push(l));
});
afterEach(() => registry.stop());

describe('the unit-gps source', () => {
  it("hands every unit's fix to the registry at the device's fix time, and counts them", async () => {
    const before = Date.now();
    expect(await feed.pollOnce()).toBe(true);
    expect(intake.last).toHaveLength(16);
    const swat = intake.last.find((f) => f.unitId === 'SWAT-1')!;
    expect(swat.position).toEqual({ lon: expect.closeTo(106.65, 0), lat: expect.closeTo(29.72, 0) });
    expect(swat.at).toBeGreaterThan(before - 1000);
    expect(swat.at).toBeLessThanOrEqual(Date.now());
    expect(registry.get('gps')).toMatchObject({ health: 'ok', counts: { fixes: 16, units: 16 } });
    await sleep(250); // 2.5 simulated seconds: every device has a newer fix
    expect(await feed.pollOnce()).toBe(true);
    expect(intake.last).toHaveLength(16);
    expect(intake.last.find((f) => f.unitId === 'SWAT-1')!.at).toBeGreaterThan(swat.at);
  });

  it('reports a garbage answer as malformed with its path, and recovers on the next good poll', async () => {
    await control({ fault: 'garbage' });
    expect(await feed.pollOnce()).toBe(false);
    expect(intake.batches).toHaveLength(0);
    expect(registry.get('gps')).toMatchObject({ health: 'degraded', problem: { code: 'malformed', path: 'fixes' } });
    expect(logs.at(-1)).toMatch(/unit gps gps: malformed answer: fixes: /);
    await control({ fault: null });
    expect(await feed.pollOnce()).toBe(true);
    expect(intake.last).toHaveLength(16);
    expect(registry.get('gps')?.health).toBe('ok');
    expect(registry.get('gps')?.problem).toBeUndefined();
  });

  it('skips a bad fix, naming it by path, and uses the others', async () => {
    await control({ unitId: 'TRF-2', badFix: true });
    try {
      expect(await feed.pollOnce()).toBe(true);
      expect(intake.last.map((f) => f.unitId)).not.toContain('TRF-2');
      expect(intake.last).toHaveLength(15);
      // TRF-2 is the fourth unit of the file: fixes[3].
      expect(registry.get('gps')).toMatchObject({ health: 'degraded', problem: { code: 'malformed', path: 'fixes.3.lat', more: 0 }, counts: { fixes: 15, units: 15 } });
    } finally {
      await control({ unitId: 'TRF-2', badFix: false });
    }
  });

  it('names an HTTP failure and goes down with a source-silent alarm when it lasts; closes it when back', async () => {
    await control({ fault: 'http-500' });
    expect(await feed.pollOnce()).toBe(false);
    expect(registry.get('gps')).toMatchObject({ health: 'degraded', problem: { code: 'http-status', status: 500 } });
    clock.advance(unitGpsKind.defaultSilentAfterMs + 1000);
    expect(await feed.pollOnce()).toBe(false);
    await registry.settled();
    expect(registry.get('gps')?.health).toBe('down');
    expect(raised).toEqual([expect.objectContaining({ type: 'source-silent', details: expect.objectContaining({ sourceId: 'gps', problem: expect.objectContaining({ code: 'http-status' }) }) })]);
    await control({ fault: null });
    expect(await feed.pollOnce()).toBe(true);
    await sleep(10);
    expect(registry.get('gps')?.health).toBe('ok');
    expect(resolvedKeys).toHaveLength(1);
  });

  it('hands the same fixes again when the registry could not store them', async () => {
    intake.failing = true;
    expect(await feed.pollOnce()).toBe(false);
    expect(registry.get('gps')).toMatchObject({ problem: { code: 'storage', message: expect.stringMatching(/SQLITE_FULL/) } });
    intake.failing = false;
    expect(await feed.pollOnce()).toBe(true);
    expect(intake.last).toHaveLength(16);
  });
});

describe('the unit-gps source, on answers the simulator does not give', () => {
  const answering = (body: unknown): HttpJsonClient => ({ getJson: async () => body });
  const feedOn = (body: unknown) => new UnitGpsFeed({ sourceId: 'gps', url: 'http://gps.example', timeoutMs: 1000 }, answering(body), intake, registry, () => undefined);
  const fix = (deviceId: string, fixAt: string, lon = 106.63) => ({ deviceId, lon, lat: 29.71, speedMps: 1, headingDeg: 90, fixAt, accuracyM: 4 });

  it('hands a unit only its newest fix, and not again while the platform lists it unchanged (a dead device)', async () => {
    const timestamp = '2026-11-24T08:00:10Z';
    const body = { timestamp, fixes: [fix('A', '2026-11-24T08:00:05Z', 106.1), fix('A', '2026-11-24T08:00:09Z', 106.2), fix('B', '2026-11-24T08:00:09Z')] };
    const f = feedOn(body);
    expect(await f.pollOnce()).toBe(true);
    expect(intake.last).toEqual([
      { unitId: 'A', position: { lon: 106.2, lat: 29.71 }, at: Date.parse('2026-11-24T08:00:09Z') },
      { unitId: 'B', position: { lon: 106.63, lat: 29.71 }, at: Date.parse('2026-11-24T08:00:09Z') },
    ]);
    expect(await f.pollOnce()).toBe(true);
    expect(intake.batches).toHaveLength(1); // nothing new: nothing handed
    expect(registry.get('gps')).toMatchObject({ health: 'ok', counts: { fixes: 2, units: 2 } });
  });

  it('skips a fix stamped far after the platform time, and one without a fix time', async () => {
    const f = feedOn({ timestamp: '2026-11-24T08:00:10Z', fixes: [fix('A', '2026-11-24T09:00:00Z'), { ...fix('B', 'x'), fixAt: undefined }, fix('C', '2026-11-24T08:00:09Z')] });
    expect(await f.pollOnce()).toBe(true);
    expect(intake.last.map((x) => x.unitId)).toEqual(['C']);
    expect(registry.get('gps')?.problem).toMatchObject({ code: 'malformed', path: 'fixes.0.fixAt', more: 1, message: expect.stringMatching(/3590 s after the platform's time/) });
  });

  it('refuses an answer that is not the positions document', async () => {
    expect(await feedOn([1, 2]).pollOnce()).toBe(false);
    expect(registry.get('gps')?.problem).toMatchObject({ code: 'malformed', path: 'body' });
    expect(await feedOn({ timestamp: 'yesterday', fixes: [] }).pollOnce()).toBe(false);
    expect(registry.get('gps')?.problem).toMatchObject({ code: 'malformed', path: 'timestamp' });
  });
});

describe('a unit-gps entry of config.json', () => {
  it('is checked by its kind, with its defaults and the path of a wrong field', () => {
    const [entry] = sourcesFromConfig({ sources: [{ id: 'pdt', kind: 'unit-gps', url: 'https://gps.example' }] }, 'config.json', {});
    expect(entry).toMatchObject({ id: 'pdt', kind: 'unit-gps', url: 'https://gps.example' });
    expect(unitGpsKind.create(entry as never, {} as never).intervalMs).toBe(2000);
    expect(() => sourcesFromConfig({ sources: [{ id: 'pdt', kind: 'unit-gps', url: 'ftp://x', interval: 5 }] }, 'config.json', {}))
      .toThrow('config.json: sources[0].url: must be an http(s) URL, e.g. https://gps.example; config.json: sources[0]: Unrecognized key: "interval"');
    const [keyed] = sourcesFromConfig({ sources: [{ id: 'pdt', kind: 'unit-gps', url: 'https://gps.example' }] }, 'config.json', { SKYFENCE_GPS_API_KEY: 'k1' });
    expect(keyed.apiKey).toBe('k1'); // the kind's default variable
  });
});

describe('the unit-gps source, against a hostile or faulty platform (the real unit registry)', () => {
  let t: Awaited<ReturnType<typeof testCore>>;
  beforeEach(async () => { t = await testCore(); });
  afterEach(() => t.dispose());
  let answer: unknown;
  const http: HttpJsonClient = { getJson: async () => answer };
  const unitS: Session = { user: { username: 'unit-swat1', displayName: 'SWAT-1', role: 'unit', unitId: 'SWAT-1' }, origin: 'terminal:x' };
  const iso = (ms: number) => new Date(ms).toISOString();
  const coreFeed = () => {
    t.core.sources.register({ id: 'gps', kind: 'unit-gps', name: { zh: 'g', en: 'g' }, silentAfterMs: 30_000 });
    return new UnitGpsFeed({ sourceId: 'gps', url: 'http://gps.invalid', timeoutMs: 1000 }, http, t.core.units.units, t.core.sources, () => undefined);
  };

  it('remembers fix times for the fleet only, however many unknown device ids it is sent', async () => {
    const feed = coreFeed();
    for (let poll = 0; poll < 20; poll++) {
      const now = t.clock.now();
      answer = { timestamp: iso(now), fixes: [
        ...Array.from({ length: 4990 }, (_, i) => ({ deviceId: `ghost-${poll}-${i}`, lon: 106.6, lat: 29.7, fixAt: iso(now) })),
        { deviceId: 'SWAT-1', lon: 106.63, lat: 29.70 + poll * 1e-5, fixAt: iso(now) },
      ] };
      expect(await feed.pollOnce()).toBe(true);
      t.clock.advance(2000);
    }
    const handed = (feed as unknown as { handed: Map<string, number> }).handed;
    expect(handed.size).toBeLessThanOrEqual(t.core.units.units.list().length);
    expect([...handed.keys()]).toEqual(['SWAT-1']);
    expect(t.core.units.units.get('SWAT-1')!.position!.lat).toBeCloseTo(29.70019, 5);
    expect(t.core.units.units.unknownFixCount).toBe(20 * 4990);
  }, 60_000);

  it("refuses a fix dated ahead of the core clock (the platform's clock says 2100 too): later true fixes move the unit", async () => {
    const feed = coreFeed();
    const y2100 = Date.parse('2100-01-01T00:00:00Z');
    answer = { timestamp: iso(y2100), fixes: [{ deviceId: 'TRF-1', lon: 106.64, lat: 29.71, fixAt: iso(t.clock.now()) }, { deviceId: 'SWAT-1', lon: 106.631, lat: 29.701, fixAt: iso(y2100) }] };
    expect(await feed.pollOnce()).toBe(true);
    expect(t.core.sources.get('gps')).toMatchObject({ health: 'degraded', problem: { path: 'fixes.1.fixAt', message: expect.stringMatching(/after the console's time/) } });
    expect(t.core.units.units.get('SWAT-1')!.positionSource).toBe('home');
    expect(t.core.units.units.get('TRF-1')!.position).toMatchObject({ lon: 106.64, lat: 29.71 });
    expect(t.core.units.units.badFixCount).toBe(1);
    t.clock.advance(5000);
    const now = t.clock.now();
    answer = { timestamp: iso(now), fixes: [{ deviceId: 'SWAT-1', lon: 106.632, lat: 29.702, fixAt: iso(now) }] };
    expect(await feed.pollOnce()).toBe(true);
    expect(t.core.units.units.get('SWAT-1')).toMatchObject({ position: { lon: 106.632, lat: 29.702 }, positionAt: now });
    expect(t.core.sources.get('gps')?.health).toBe('ok');
    t.clock.advance(2000);
    await dispatch(t.core, unitS, 'terminal.report', { reportId: 'true-pos-1', kind: 'position', position: { lon: 106.633, lat: 29.703 }, at: now });
    expect(t.core.units.units.get('SWAT-1')!.position).toMatchObject({ lon: 106.633, lat: 29.703 });
  }, 60_000);

  it('refuses a fix far from the airport, counted as a bad fix, naming its path', async () => {
    const feed = coreFeed();
    answer = { timestamp: iso(t.clock.now()), fixes: [{ deviceId: 'SWAT-1', lon: -73.98, lat: 40.75, fixAt: iso(t.clock.now()) }] };
    expect(await feed.pollOnce()).toBe(true);
    expect(t.core.sources.get('gps')).toMatchObject({ health: 'degraded', problem: { path: 'fixes.0.lon', message: expect.stringMatching(/km from the airport/) } });
    expect(t.core.units.units.get('SWAT-1')!.positionSource).toBe('home');
    expect(t.core.units.units.badFixCount).toBe(1);
    const far = (await dispatch(t.core, unitS, 'terminal.report', { reportId: 'far-away-1', kind: 'position', position: { lon: -73.9, lat: 40.7 }, at: 0 })) as { applied: boolean };
    expect(far.applied).toBe(false);
    expect(t.core.units.units.get('SWAT-1')!.positionSource).toBe('home');
  }, 60_000);
});
