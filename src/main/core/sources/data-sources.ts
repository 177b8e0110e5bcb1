// Starts the data sources the configuration asks for: the configured drone-detection system, or in demo
// mode the simulator, started as its own process. A source that cannot start is reported and left out:
// the console runs on without it.
import type { Clock } from '../clock.ts';
import type { CoreConfig } from '../config.ts';
import { DroneDetectionFeed } from '../drones/drone-detection-feed.ts';
import type { TrackService } from '../tracks/track-service.ts';
import type { HttpJsonClient } from './http-json.ts';
import { startPolling, type Poller } from './poller.ts';
import type { SourceRegistry } from './source-registry.ts';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process.ts';

export interface DataSources {
  stop(): Promise<void>;
}

export async function startDataSources(
  config: CoreConfig,
  deps: { clock: Clock; tracks: TrackService; sources: SourceRegistry; http: HttpJsonClient; log: (line: string) => void },
): Promise<DataSources> {
  const pollers: Poller[] = [];
  const simulators: SimulatorProcess[] = [];

  let drone = config.droneDetection;
  if (!drone && config.demo && config.simulators) {
    try {
      const sim = await startSimulatorProcess('src/sim/drone-detection/main.ts', ['--site', config.sitePath, '--speed', '2'], { projectRoot: config.appRoot });
      simulators.push(sim);
      drone = { url: sim.url, apiKey: sim.apiKey, intervalMs: 1000 };
      deps.log(`Demo: drone-detection simulator at ${sim.url}`);
    } catch (err) {
      deps.log(`Demo: the drone-detection simulator did not start, running without it: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (drone) {
    const id = 'drone-detection';
    deps.sources.register(id, 'drone-detection', { zh: '无人机探测', en: 'Drone detection' }, 10_000);
    const feed = new DroneDetectionFeed({ sourceId: id, url: drone.url, apiKey: drone.apiKey, timeoutMs: 3000 }, deps.http, deps.tracks, deps.sources);
    pollers.push(startPolling(deps.clock, drone.intervalMs, () => feed.pollOnce(), deps.log));
  }

  return {
    async stop() {
      await Promise.all(pollers.map((p) => p.stop()));
      await Promise.all(simulators.map((s) => s.stop()));
    },
  };
}
