// PLACEHOLDER (replaced by the threat helper): the runways in use, from an operations feed, and suspensions.
import type { RunwayState } from '../../../shared/drones.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { RunwayIntake, RunwayLookup, RunwayReport } from './drone-ports.ts';

export class RunwayBoard implements RunwayIntake, RunwayLookup {
  constructor(private readonly deps: { site: SiteModel; clock: Clock; bus: EventBus; log: (line: string) => void }) {}
  state(): RunwayState { return { sourceId: null, updatedAt: null, runways: [] }; }
  reportRunways(_sourceId: string, _runways: RunwayReport[]): void {}
  /** The drone response suspends and resumes a runway (kept over feed updates until resumed). */
  setSuspended(_runwayId: string, _suspended: boolean): void { throw new Error('runways: not built yet'); }
  onChange(_fn: () => void): () => void { return () => undefined; }
}
