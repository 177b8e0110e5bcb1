// A console wired to a VMS simulator the test controls: the simulator runs as its own process (as a vendor's
// VMS would), and the host is configured with a `vms` source pointing at it, exactly as a site would point it
// at its real VMS. The test scripts faults through the simulator's control endpoint.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulatorProcess, type SimulatorProcess } from '../../src/main/core/sources/simulator-process.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';
import type { Browser } from 'playwright-core';
import { startHost, type RunningHost } from './harness.ts';

export interface VmsSim {
  url: string;
  apiKey: string;
  /** POST /sim/control; throws on an error answer. */
  control(body: Record<string, unknown>): Promise<unknown>;
  /** GET with the key (an /api path), parsed as JSON. */
  get<T = unknown>(path: string): Promise<T>;
}

export interface VideoHost {
  host: RunningHost;
  sim: VmsSim;
  stop(): Promise<void>;
}

/** What the video test files share: one console and simulator, one browser (tests/e2e/video.test.ts). */
export interface VideoTestContext {
  video(): VideoHost;
  host(): RunningHost;
  browser(): Browser;
}

export const VMS_KEY_ENV = 'SKYFENCE_E2E_VMS_KEY';

export async function startVideoHost(opts: { cameras?: number; seed?: number; intervalMs?: number; frozen?: Record<string, number>; hostArgs?: string[] } = {}): Promise<VideoHost> {
  const process: SimulatorProcess = await startSimulatorProcess(
    'src/sim/vms/main.ts',
    ['--site', SAMPLE_SITE_FILE, '--seed', String(opts.seed ?? 7), '--cameras', String(opts.cameras ?? 300)],
    { log: () => undefined },
  );
  const sim = vmsSimClient(process.url, process.apiKey);
  const dataDir = mkdtempSync(join(tmpdir(), 'skyfence-e2e-video-'));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({
    sources: [{
      id: 'vms', kind: 'vms', name: { zh: '视频平台', en: 'VMS' }, url: process.url, apiKeyEnv: VMS_KEY_ENV,
      intervalMs: opts.intervalMs ?? 500,
      ...(opts.frozen ? { frozen: opts.frozen } : {}),
    }],
  }));
  let host: RunningHost;
  try {
    host = await startHost(opts.hostArgs ?? [], { dataDir, env: { [VMS_KEY_ENV]: process.apiKey } });
  } catch (err) {
    await process.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    host, sim,
    async stop() {
      await host.stop();
      await process.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function vmsSimClient(url: string, apiKey: string): VmsSim {
  const headers = { 'X-Api-Key': apiKey, 'Content-Type': 'application/json' };
  return {
    url, apiKey,
    async control(body) {
      const res = await fetch(new URL('/sim/control', url), { method: 'POST', headers, body: JSON.stringify(body) });
      const text = await res.text();
      if (!res.ok) throw new Error(`simulator control ${JSON.stringify(body)}: HTTP ${res.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
    async get(path) {
      const res = await fetch(new URL(path, url), { headers });
      if (!res.ok) throw new Error(`simulator GET ${path}: HTTP ${res.status}`);
      return res.json();
    },
  };
}
