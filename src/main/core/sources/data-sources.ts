// Starts the configured data sources: each entry of the checked `sources` list, by its kind — a polled kind
// on a poller with backoff on the core's clock, a push kind as its own client — registered with the source
// registry, whose watchdog turns it down when it goes silent. In demo mode without a drone-detection entry,
// the drone simulator is started as its own process on the demo schedule, and each of its endpoints becomes
// one more entry (the detection API, the Remote ID receiver, the SAPIENT radar, the operations system's runway
// feed); likewise the VMS simulator without a `vms` entry, and the units' GPS simulator (src/sim/units) without a
// `unit-gps` entry. A source that cannot start is reported and left out: the console runs on without it.
import type { Clock } from '../clock.ts';
import type { CoreConfig } from '../config.ts';
import type { TrackService } from '../tracks/track-service.ts';
import type { EventCursors } from '../video/event-cursors.ts';
import type { VideoHttpClient } from '../video/video-http.ts';
import type { VideoIntake } from '../video/video-intake.ts';
import type { DroneIntake, RunwayIntake } from '../drones/drone-ports.ts';
import { sourceName, type PushAdapter, type SourceDeps, type SourceEntry } from './adapter-kind.ts';
import { findAdapterKind } from './adapter-kinds.ts';
import type { HttpJsonClient } from './http-json.ts';
import { startPolling, type Poller } from './poller.ts';
import { LEGACY_DRONE_ID } from './source-config.ts';
import type { SourceRegistry } from './source-registry.ts';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process.ts';
import type { UnitPositionIntake } from '../units/unit-registry.ts';

export interface DataSources {
  /**
   * Starts extra sources at run time (a drill range's endpoints): every detection they hand over is flagged drill,
   * and their source-silent alarms are drill alarms. `stop` stops them and takes them off the status bar.
   */
  startDrillSources(entries: SourceEntry[]): { stop(): Promise<void> };
  stop(): Promise<void>;
}

export async function startDataSources(
  config: CoreConfig,
  deps: {
    clock: Clock; tracks: TrackService; sources: SourceRegistry; http: HttpJsonClient; video: VideoIntake; cursors: EventCursors;
    drones: DroneIntake; runways: RunwayIntake; units: UnitPositionIntake;
    videoHttp?: VideoHttpClient; log: (line: string) => void; random?: () => number;
  },
): Promise<DataSources> {
  const running: Array<Poller | PushAdapter> = [];
  const simulators: SimulatorProcess[] = [];
  const entries = [...config.sources];

  if (config.demo && config.simulators && !entries.some((e) => e.kind === 'drone-detection')) {
    try {
      const sim = await startSimulatorProcess('src/sim/drone-detection/main.ts', ['--site', config.sitePath, '--demo-schedule'], { projectRoot: config.appRoot, log: deps.log });
      simulators.push(sim);
      entries.push(...droneSimulatorEntries(sim));
      deps.log(`Demo: drone simulator at ${sim.url} (Remote ID ${sim.endpoints.REMOTE_ID_URL}, SAPIENT port ${sim.endpoints.SAPIENT_PORT}, operations ${sim.endpoints.OPS_URL})`);
    } catch (err) {
      deps.log(`Demo: the drone-detection simulator did not start, running without it: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  if (config.demo && config.simulators && !entries.some((e) => e.kind === 'vms')) {
    try {
      const sim = await startSimulatorProcess('src/sim/vms/main.ts', ['--site', config.sitePath, '--faults', 'demo'], { projectRoot: config.appRoot, log: deps.log });
      simulators.push(sim);
      const simulated: SourceEntry & { url: string; intervalMs: number } = { id: 'vms', kind: 'vms', url: sim.url, apiKey: sim.apiKey, intervalMs: 1000 };
      entries.push(simulated);
      deps.log(`Demo: VMS simulator at ${sim.url}`);
    } catch (err) {
      deps.log(`Demo: the VMS simulator did not start, running without it: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  if (config.demo && config.simulators && !entries.some((e) => e.kind === 'unit-gps')) {
    try {
      const sim = await startSimulatorProcess('src/sim/units/main.ts', ['--site', config.sitePath], { projectRoot: config.appRoot, log: deps.log });
      simulators.push(sim);
      entries.push(unitGpsSimulatorEntry(sim));
      deps.log(`Demo: units' GPS simulator at ${sim.url}`);
    } catch (err) {
      deps.log(`Demo: the units' GPS simulator did not start, running without it: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  const adapterDeps: SourceDeps = { ...deps, random: deps.random ?? Math.random };
  for (const entry of entries) {
    try {
      running.push(startSource(entry, adapterDeps));
    } catch (err) {
      deps.log(`Source ${entry.id} (${entry.kind}) did not start, running without it: ${(err as Error).message}`);
    }
  }

  const drillDeps: SourceDeps = {
    ...adapterDeps,
    drones: { reportDetections: (sensorId, detections) => deps.drones.reportDetections(sensorId, detections.map((d) => ({ ...d, drill: true }))) },
  };
  const drillSets = new Set<Array<Poller | PushAdapter>>();
  return {
    startDrillSources(drillEntries) {
      const started: Array<Poller | PushAdapter> = [];
      const ids: string[] = [];
      drillSets.add(started);
      for (const entry of drillEntries) {
        try {
          started.push(startSource(entry, drillDeps, { drill: true }));
          ids.push(entry.id);
        } catch (err) {
          deps.log(`Drill source ${entry.id} (${entry.kind}) did not start: ${(err as Error).message}`);
        }
      }
      let stopping: Promise<void> | undefined;
      return {
        stop: () => (stopping ??= (async () => {
          await Promise.all(started.map((r) => r.stop()));
          for (const id of ids) deps.sources.unregister(id);
          drillSets.delete(started);
        })()),
      };
    },
    async stop() {
      await Promise.all([...drillSets].flatMap((set) => set.map((r) => r.stop())));
      await Promise.all(running.map((r) => r.stop()));
      await Promise.all(simulators.map((s) => s.stop()));
    },
  };
}

/** The sources of the drone simulator's endpoints: detection API, Remote ID receiver, SAPIENT radar, runway feed. */
export function droneSimulatorEntries(sim: Pick<SimulatorProcess, 'url' | 'apiKey' | 'endpoints'>): SourceEntry[] {
  const { REMOTE_ID_URL, SAPIENT_PORT, OPS_URL } = sim.endpoints;
  type Simulated = SourceEntry & Record<string, unknown>;
  const entries: Simulated[] = [{ id: LEGACY_DRONE_ID, kind: 'drone-detection', url: sim.url, apiKey: sim.apiKey, intervalMs: 1000 }];
  if (REMOTE_ID_URL) entries.push({ id: 'remote-id', kind: 'remote-id', url: REMOTE_ID_URL, apiKey: sim.apiKey, intervalMs: 1000 });
  if (SAPIENT_PORT) entries.push({ id: 'sapient-radar', kind: 'sapient', host: '127.0.0.1', port: Number(SAPIENT_PORT) });
  if (OPS_URL) entries.push({ id: 'runway-ops', kind: 'runway-ops', url: OPS_URL, apiKey: sim.apiKey, intervalMs: 5000 });
  return entries;
}

/** The source of the units' GPS simulator: its positions API, polled every 2 s (the kind's default). */
export function unitGpsSimulatorEntry(sim: Pick<SimulatorProcess, 'url' | 'apiKey'>): SourceEntry & { url: string; intervalMs: number } {
  return { id: 'unit-gps', kind: 'unit-gps', url: sim.url, apiKey: sim.apiKey, intervalMs: 2000 };
}

/** Registers one checked entry and starts its adapter. */
export function startSource(entry: SourceEntry, deps: SourceDeps, opts: { drill?: boolean } = {}): Poller | PushAdapter {
  const kind = findAdapterKind(entry.kind);
  if (!kind) throw new Error(`no adapter kind "${entry.kind}"`);
  deps.sources.register({ id: entry.id, kind: kind.kind, name: sourceName(entry, kind), silentAfterMs: entry.silentAfterMs ?? kind.defaultSilentAfterMs, drill: opts.drill });
  if (kind.mode === 'push') return kind.create(entry, deps);
  const adapter = kind.create(entry, deps);
  return startPolling(
    deps.clock, { intervalMs: adapter.intervalMs, backoffMaxMs: adapter.backoffMaxMs, random: deps.random }, () => adapter.pollOnce(),
    (line) => deps.log(`source ${entry.id}: ${line}`),
  );
}
