// A console wired to the drone simulator the test controls: the simulator runs as its own process with its four
// systems (the detection API, the Remote ID receiver, the SAPIENT radar node, the airport operations runway
// feed), and the host is configured with one source per system, exactly as a site would point it at real ones.
// The test starts scenarios and scripts faults through the simulator's control endpoint.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startSimulatorProcess, type SimulatorProcess } from '../../src/main/core/sources/simulator-process.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';
import { startHost, type RunningHost } from './harness.ts';

export const DRONE_KEY_ENV = 'SKYFENCE_E2E_DRONE_KEY';

export interface DroneSim {
  process: SimulatorProcess;
  /** POST /sim/control; throws on an error answer. */
  control(body: Record<string, unknown>): Promise<unknown>;
  /** GET /sim/state. */
  state<T = Record<string, unknown>>(): Promise<T>;
}

export interface DroneHost {
  host: RunningHost;
  sim: DroneSim;
  stop(): Promise<void>;
}

/** What the drone test files share: one console and simulator, one browser (tests/e2e/drones.test.ts). */
export interface DroneTestContext {
  drones(): DroneHost;
  host(): RunningHost;
  browser(): Browser;
}

export async function startDroneHost(opts: { seed?: number; speed?: number; scenarios?: string[]; hostArgs?: string[] } = {}): Promise<DroneHost> {
  const process = await startSimulatorProcess(
    'src/sim/drone-detection/main.ts',
    ['--site', SAMPLE_SITE_FILE, '--seed', String(opts.seed ?? 7), '--speed', String(opts.speed ?? 1), '--scenarios', opts.scenarios?.length ? opts.scenarios.join(',') : 'none'],
    { log: () => undefined },
  );
  const { REMOTE_ID_URL, SAPIENT_PORT, OPS_URL } = process.endpoints;
  if (!REMOTE_ID_URL || !SAPIENT_PORT || !OPS_URL) throw new Error(`the drone simulator did not print every endpoint: ${JSON.stringify(process.endpoints)}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'skyfence-e2e-drones-'));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({
    sources: [
      { id: 'drone-detection', kind: 'drone-detection', url: process.url, apiKeyEnv: DRONE_KEY_ENV, intervalMs: 500 },
      { id: 'remote-id', kind: 'remote-id', name: { zh: '远程识别接收机', en: 'Remote ID receiver' }, url: REMOTE_ID_URL, apiKeyEnv: DRONE_KEY_ENV, intervalMs: 500 },
      { id: 'sapient-radar', kind: 'sapient', name: { zh: 'SAPIENT 雷达', en: 'SAPIENT radar' }, host: '127.0.0.1', port: Number(SAPIENT_PORT), silentAfterMs: 10_000 },
      { id: 'runway-ops', kind: 'runway-ops', name: { zh: '跑道运行', en: 'Runway operations' }, url: OPS_URL, apiKeyEnv: DRONE_KEY_ENV, intervalMs: 1000 },
    ],
  }));
  let host: RunningHost;
  try {
    host = await startHost(opts.hostArgs ?? [], { dataDir, env: { [DRONE_KEY_ENV]: process.apiKey }, simulators: false });
  } catch (err) {
    await process.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const headers = { 'X-Api-Key': process.apiKey, 'Content-Type': 'application/json' };
  return {
    host,
    sim: {
      process,
      async control(body) {
        const res = await fetch(new URL('/sim/control', process.url), { method: 'POST', headers, body: JSON.stringify(body) });
        const text = await res.text();
        if (!res.ok) throw new Error(`simulator control ${JSON.stringify(body)}: HTTP ${res.status} ${text}`);
        return text ? JSON.parse(text) : null;
      },
      async state() {
        const res = await fetch(new URL('/sim/state', process.url), { headers });
        if (!res.ok) throw new Error(`simulator state: HTTP ${res.status}`);
        return res.json();
      },
    },
    async stop() {
      await host.stop();
      await process.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
