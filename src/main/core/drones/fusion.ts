// PLACEHOLDER (replaced by the fusion helper): detections from every sensor into one track per object.
import type { DroneHistory } from '../../../shared/contract/drones.ts';
import type { DroneDetection, DroneTrack } from '../../../shared/drones.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { Database } from '../store/database.ts';
import type { DroneAlarmPolicy, DroneIntake, ThreatJudge } from './drone-ports.ts';

export class DroneFusion implements DroneIntake {
  constructor(private readonly deps: { db: Database; clock: Clock; bus: EventBus; site: SiteModel; threat: ThreatJudge; alarms: DroneAlarmPolicy; log: (line: string) => void }) {}
  /** Loads what it needs and starts its state timer (active → aging → lost → dropped). */
  async start(): Promise<void> {}
  async reportDetections(_sensorId: string, _detections: DroneDetection[]): Promise<void> { throw new Error('fusion: not built yet'); }
  list(): DroneTrack[] { return []; }
  get(_id: string): DroneTrack | undefined { return undefined; }
  async history(_q: { trackId?: string; from?: number; to?: number; limit: number }): Promise<DroneHistory> { return { points: [], truncated: false }; }
  /** Re-judges every track (a permit or the runways changed) and writes what changed. */
  async reassess(): Promise<void> {}
  async stop(): Promise<void> {}
}
