// What the operator has selected on the map or in the queue: shared by the scene, its detail card and the queue.
import type { ClearanceFeature } from '../../../shared/clearance.ts';
import type { PerceptionCircle, Runway, SiteFeature } from '../../../shared/site.ts';

export type Selection =
  | { kind: 'feature'; feature: SiteFeature }
  | { kind: 'runway'; runway: Runway }
  | { kind: 'surface'; surface: ClearanceFeature['properties'] }
  | { kind: 'circle'; circle: PerceptionCircle }
  | { kind: 'alarm'; alarmId: string }
  | { kind: 'track'; trackId: string }
  /** A fused drone track (drones.list), by the console's id of it. */
  | { kind: 'drone'; trackId: string }
  | { kind: 'point'; lon: number; lat: number }
  | { kind: 'camera'; cameraId: string };
