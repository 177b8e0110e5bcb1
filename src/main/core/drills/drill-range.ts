// The drill range (演练靶场): a second drone-detection simulator, started for one drill — seeded with the drill's
// seed, idle (no demo cycle, no random traffic), its clock at the drill's speed — whose endpoints become drill
// sources (every detection flagged drill). An inject starts a scenario in it; the drill's pauses and speed changes
// reach it as {"paused"} / {"speed"} commands, so that its drones stand still while the drill does. Stopped
// (sources first, then the process) when the drill ends or is aborted.
import type { CoreConfig } from '../config.ts';
import type { DataSources } from '../sources/data-sources.ts';
import type { SourceEntry } from '../sources/adapter-kind.ts';
import { startSimulatorProcess, type SimulatorProcess } from '../sources/simulator-process.ts';

/** The drill sources' ids: apart from any live source's. */
export const DRILL_SOURCE_IDS = { detection: 'drill-detection', remoteId: 'drill-remote-id', sapient: 'drill-sapient' } as const;
const CONTROL_TIMEOUT_MS = 5_000;
const ANSWER_MAX_BYTES = 256 * 1024;

export interface DrillRange {
  startScenario(name: string): Promise<void>;
  /** The drill's speed; 0 while it is paused. */
  setSpeed(speed: number): Promise<void>;
  stop(): Promise<void>;
}

/** Every endpoint of the range but its runway feed (the runways in use are the live airport's, never a drill's). */
export function drillRangeEntries(sim: Pick<SimulatorProcess, 'url' | 'apiKey' | 'endpoints'>): SourceEntry[] {
  type Entry = SourceEntry & Record<string, unknown>;
  const name = (zh: string, en: string) => ({ zh: `演练靶场·${zh}`, en: `Drill range · ${en}` });
  const entries: Entry[] = [
    { id: DRILL_SOURCE_IDS.detection, kind: 'drone-detection', name: name('无人机探测', 'drone detection'), url: sim.url, apiKey: sim.apiKey, intervalMs: 1000 },
  ];
  const { REMOTE_ID_URL, SAPIENT_PORT } = sim.endpoints;
  if (REMOTE_ID_URL) entries.push({ id: DRILL_SOURCE_IDS.remoteId, kind: 'remote-id', name: name('Remote ID', 'Remote ID'), url: REMOTE_ID_URL, apiKey: sim.apiKey, intervalMs: 1000 });
  if (SAPIENT_PORT) entries.push({ id: DRILL_SOURCE_IDS.sapient, kind: 'sapient', name: name('雷达', 'radar'), host: '127.0.0.1', port: Number(SAPIENT_PORT) });
  return entries;
}

export async function startDrillRange(opts: {
  config: Pick<CoreConfig, 'sitePath' | 'appRoot'>; seed: number; speed: number; sources: Pick<DataSources, 'startDrillSources'>; log: (line: string) => void;
}): Promise<DrillRange> {
  const sim = await startSimulatorProcess(
    'src/sim/drone-detection/main.ts',
    ['--site', opts.config.sitePath, '--seed', String(opts.seed), '--speed', String(opts.speed), '--scenarios', 'none'],
    { projectRoot: opts.config.appRoot, log: opts.log },
  );
  let sources: { stop(): Promise<void> };
  try {
    sources = opts.sources.startDrillSources(drillRangeEntries(sim));
  } catch (err) {
    await sim.stop();
    throw err;
  }
  opts.log(`Drill range: drone simulator at ${sim.url} (seed ${opts.seed}, ${opts.speed}×)`);
  let paused = false;
  let stopping: Promise<void> | undefined;
  const control = async (command: object) => {
    if (stopping) return;
    const res = await fetch(new URL('/sim/control', sim.url), {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': sim.apiKey }, body: JSON.stringify(command),
      signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
    });
    const text = (await res.text()).slice(0, ANSWER_MAX_BYTES);
    if (!res.ok) throw new Error(`the drill range refused ${JSON.stringify(command)}: ${res.status} ${text.slice(0, 200)}`);
  };
  return {
    // Once: the inject is one run of the scenario; a repeat would be a second, unplanned drone.
    startScenario: (name) => control({ scenario: name, action: 'start', once: true }),
    async setSpeed(speed) {
      if (speed <= 0) {
        if (!paused) await control({ paused: true });
        paused = true;
        return;
      }
      await control({ speed });
      if (paused) await control({ paused: false });
      paused = false;
    },
    stop: () => (stopping ??= (async () => {
      await sources.stop();
      await sim.stop();
      opts.log('Drill range: stopped');
    })()),
  };
}
