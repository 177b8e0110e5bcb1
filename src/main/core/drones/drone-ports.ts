// The seams of the drone core. Sensor adapters (kinds drone-detection, remote-id, sapient) hand detections to a
// DroneIntake; the runway-ops adapter hands the runways in use to a RunwayIntake. The fusion asks a
// ThreatJudge what each track's threat is and a DroneAlarmPolicy to write the alarms of a batch; those two know
// nothing of sensors, the fusion nothing of clearance surfaces or alarm rules.
import type { DroneDetection, DroneIdentity, DroneTrack, Permit, RunwayState, RunwayUse, ThreatAssessment } from '../../../shared/drones.ts';

export interface DroneIntake {
  /**
   * One sensor's batch (one poll, or what a stream delivered at once). Resolves once the detections are stored
   * and what they raised is written; throws otherwise, and then nothing moved on (the adapter reports the
   * failure to the source registry, and a stream keeps the batch to hand it again).
   */
  reportDetections(sensorId: string, detections: DroneDetection[]): Promise<void>;
}

/** What an operations system says of its runways; the board keeps `suspended` and `since` itself. */
export type RunwayReport = Pick<RunwayUse, 'runwayId' | 'status' | 'direction' | 'operations'>;

export interface RunwayIntake {
  /** The whole picture from one feed; a runway the site has not is reported (logged) and skipped. */
  reportRunways(sourceId: string, runways: RunwayReport[]): void;
}

/** A track as the fusion has made it, before it is judged. */
export type UnjudgedTrack = Omit<DroneTrack, 'threat' | 'swarmId'>;

export interface ThreatJudge {
  assess(track: UnjudgedTrack, at: number): ThreatAssessment;
}

export interface DroneAlarmPolicy {
  /**
   * After a batch: `picture` is every track now (judged), `changed` the ids this batch moved or re-judged.
   * Groups swarms (returns trackId → swarmId for every member of a swarm), and writes the alarms of the changed
   * tracks and of the swarms in one transaction. Throws when they could not be stored: then the caller keeps
   * its previous state, so that the next batch raises them again.
   */
  apply(picture: readonly DroneTrack[], changed: ReadonlySet<string>): Promise<Map<string, string>>;
}

export interface PermitLookup {
  /** The permits that name this drone (by serial, registration or operator id) and are not revoked; valid or not at `at`. */
  naming(identity: DroneIdentity, at: number): Permit[];
}

export interface RunwayLookup {
  state(): RunwayState;
}
