// The runway-ops source against the simulator's operations feed over loopback: the runways in use reach the
// runway board (a fake RunwayIntake here) as the operations system says them, a change is seen on the next
// poll, and a malformed or failing feed is reported with what is wrong while nothing wrong reaches the board.
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunwayIntake, RunwayReport } from '../../src/main/core/drones/drone-ports.ts';
import { runwayOpsKind } from '../../src/main/core/drones/runway-ops-source.ts';
import type { PollAdapter, SourceDeps } from '../../src/main/core/sources/adapter-kind.ts';
import { findAdapterKind } from '../../src/main/core/sources/adapter-kinds.ts';
import { fetchJsonClient } from '../../src/main/core/sources/http-json.ts';
import { startSimulatorProcess, type SimulatorProcess } from '../../src/main/core/sources/simulator-process.ts';
import { testCore } from '../fixtures/core.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let sim: SimulatorProcess;
let t: Awaited<ReturnType<typeof testCore>>;
let reports: Array<{ sourceId: string; runways: RunwayReport[] }>;
let adapter: PollAdapter;

beforeAll(async () => {
  sim = await startSimulatorProcess('src/sim/drone-detection/main.ts', ['--site', SAMPLE_SITE_FILE, '--scenarios', 'none'], { projectRoot: ROOT, log: () => undefined });
}, 40_000);
afterAll(() => sim?.stop());

const control = (body: object) =>
  fetch(`${sim.url}/sim/control`, { method: 'POST', headers: { 'X-Api-Key': sim.apiKey }, body: JSON.stringify(body) });
const runways: RunwayIntake = { reportRunways: (sourceId, r) => void reports.push({ sourceId, runways: r }) };
const make = (config: object) => {
  const parsed = runwayOpsKind.configSchema.parse({ id: 'runway-ops', kind: 'runway-ops', ...config });
  const deps = { http: fetchJsonClient, runways, sources: t.core.sources, log: () => undefined } as unknown as SourceDeps;
  return runwayOpsKind.create({ ...parsed, apiKey: sim.apiKey }, deps);
};
const health = () => t.core.sources.get('runway-ops')!;

describe('runway-ops source', () => {
  beforeEach(async () => {
    t = await testCore();
    reports = [];
    t.core.sources.register({ id: 'runway-ops', kind: 'runway-ops', name: runwayOpsKind.defaultName, silentAfterMs: runwayOpsKind.defaultSilentAfterMs });
    adapter = make({ url: sim.endpoints.OPS_URL });
  });
  afterEach(() => t.dispose());

  it('is a registered kind with a strict configuration, polled every 5 s by default', () => {
    expect(findAdapterKind('runway-ops')).toBe(runwayOpsKind);
    expect(adapter.intervalMs).toBe(5000);
    expect(runwayOpsKind.configSchema.safeParse({ id: 'ops', kind: 'runway-ops', url: 'ftp://x' }).success).toBe(false);
    const misspelt = runwayOpsKind.configSchema.safeParse({ id: 'ops', kind: 'runway-ops', url: 'http://x', interval: 100 });
    expect(misspelt.success).toBe(false);
    expect(misspelt.error!.issues[0].message).toMatch(/interval/);
  });

  it('hands the runways in use to the runway board, and a change on the next poll', async () => {
    expect(await adapter.pollOnce()).toBe(true);
    expect(reports).toEqual([{
      sourceId: 'runway-ops',
      runways: [
        { runwayId: '02L/20R', status: 'in-use', direction: '02L', operations: 'arrivals' },
        { runwayId: '02R/20L', status: 'in-use', direction: '02R', operations: 'departures' },
        { runwayId: '03R/21L', status: 'closed', direction: null, operations: null },
      ],
    }]);
    expect(health()).toMatchObject({ health: 'ok', counts: { runways: 3, inUse: 2 } });

    expect((await control({ runway: { id: '02L/20R', status: 'closed', direction: null, operations: null } })).status).toBe(200);
    expect(await adapter.pollOnce()).toBe(true);
    expect(reports[1].runways[0]).toEqual({ runwayId: '02L/20R', status: 'closed', direction: null, operations: null });
    expect(health().counts).toEqual({ runways: 3, inUse: 1 });
    await control({ runway: { id: '02L/20R', status: 'in-use', direction: '02L', operations: 'arrivals' } });
  });

  it('reports a malformed answer with where it is wrong, and hands nothing on', async () => {
    await control({ sensor: 'ops', fault: 'malformed' });
    try {
      expect(await adapter.pollOnce()).toBe(false);
      expect(reports).toEqual([]);
      expect(health()).toMatchObject({ health: 'degraded', problem: { code: 'malformed', path: 'runways.0.status' } });
    } finally {
      await control({ sensor: 'ops', fault: 'none' });
    }
    expect(await adapter.pollOnce()).toBe(true);
    expect(health().health).toBe('ok');
  });

  it('reports an operations system that answers errors, and a wrong API key', async () => {
    await control({ sensor: 'ops', fault: 'error500' });
    try {
      expect(await adapter.pollOnce()).toBe(false);
      expect(health()).toMatchObject({ health: 'degraded', problem: { code: 'http-status', status: 500 } });
    } finally {
      await control({ sensor: 'ops', fault: 'none' });
    }
    const parsed = runwayOpsKind.configSchema.parse({ id: 'runway-ops', kind: 'runway-ops', url: sim.endpoints.OPS_URL });
    const wrongKey = runwayOpsKind.create({ ...parsed, apiKey: 'wrong' }, { http: fetchJsonClient, runways, sources: t.core.sources, log: () => undefined } as unknown as SourceDeps);
    expect(await wrongKey.pollOnce()).toBe(false);
    expect(health()).toMatchObject({ problem: { code: 'http-status', status: 401 } });
    expect(reports).toEqual([]);
  });
});
