// Demo mode starts the units' GPS simulator as its own process and polls it as the source `unit-gps`, so that
// the units move on the map out of the box; a configured `unit-gps` entry replaces it.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AlarmService } from '../../src/main/core/alarms/alarm-service.ts';
import { systemClock } from '../../src/main/core/clock.ts';
import type { CoreConfig } from '../../src/main/core/config.ts';
import { startDataSources } from '../../src/main/core/sources/data-sources.ts';
import { fetchJsonClient } from '../../src/main/core/sources/http-json.ts';
import { SourceRegistry } from '../../src/main/core/sources/source-registry.ts';
import type { UnitFix } from '../../src/main/core/units/unit-gps-source.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Entries of the other simulated kinds keep the drone and VMS simulators from starting; nothing listens there.
const OTHERS = [
  { id: 'drone-detection', kind: 'drone-detection', url: 'http://127.0.0.1:9', intervalMs: 60_000 },
  { id: 'vms', kind: 'vms', url: 'http://127.0.0.1:9', intervalMs: 60_000 },
];

async function demo(extra: Array<Record<string, unknown>>) {
  const registry = new SourceRegistry(systemClock, {} as AlarmService, { changed: () => undefined });
  const batches: UnitFix[][] = [];
  const log: string[] = [];
  const config = { demo: true, simulators: true, sitePath: SAMPLE_SITE_FILE, appRoot: ROOT, sources: [...OTHERS, ...extra] } as unknown as CoreConfig;
  const sources = await startDataSources(config, {
    clock: systemClock, sources: registry, http: fetchJsonClient, log: (l) => log.push(l),
    units: { has: () => true, reportPositions: async (_id, fixes) => (batches.push(fixes), []) },
    tracks: {} as never, video: {} as never, cursors: {} as never, drones: {} as never, runways: {} as never,
  });
  return { registry, batches, log, stop: async () => { await sources.stop(); registry.stop(); } };
}

describe('demo mode', () => {
  it("starts the GPS simulator and polls it as the source unit-gps", async () => {
    const d = await demo([]);
    try {
      expect(d.log.find((l) => l.startsWith("Demo: units' GPS simulator at http://127.0.0.1:"))).toBeTruthy();
      for (let i = 0; i < 100 && !d.batches.length; i++) await new Promise((r) => setTimeout(r, 50));
      expect(d.batches[0]).toHaveLength(16);
      expect(d.registry.get('unit-gps')).toMatchObject({ kind: 'unit-gps', health: 'ok', counts: { fixes: 16, units: 16 } });
    } finally {
      await d.stop();
    }
  }, 40_000);

  it('starts no GPS simulator when config.json has a unit-gps source', async () => {
    const d = await demo([{ id: 'pdt', kind: 'unit-gps', url: 'http://127.0.0.1:9', intervalMs: 60_000 }]);
    try {
      expect(d.log.some((l) => l.includes("units' GPS simulator"))).toBe(false);
      expect(d.registry.get('unit-gps')).toBeUndefined();
      expect(d.registry.get('pdt')?.kind).toBe('unit-gps');
    } finally {
      await d.stop();
    }
  });
});
