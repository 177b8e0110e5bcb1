// What one drone's Remote ID broadcast says, gathered from its decoded messages: who it is (BasicID, SelfID,
// OperatorID), where it is and how it moves (Location), where its pilot stands (System). Then the same as a
// DroneDetection for the fusion.
import type { DroneDetection, DroneIdentity } from '../../../../shared/drones.ts';
import type { GeoPoint } from '../../../../shared/domain.ts';
import { RemoteIdError, remoteIdTimeMs, type LocationMessage, type RemoteIdMessage, type SystemMessage } from './codec.ts';

export interface RemoteIdSummary {
  /** Only what the broadcast gave. */
  identity: Partial<DroneIdentity>;
  /** The id the drone is known by: its serial, else its CAA registration, else another BasicID (type:id); null without BasicID. */
  objectId: string | null;
  /** Geodetic altitude when sent, else the barometric one. */
  position: { lat: number; lon: number; altM: number } | null;
  heightAglM: number | null;
  speedMps: number | null;
  headingDeg: number | null;
  verticalSpeedMps: number | null;
  status: LocationMessage['status'] | null;
  pilot: GeoPoint | null;
  pilotLocationType: SystemMessage['operatorLocationType'] | null;
  /** Location timestamp: seconds after the full hour. */
  locationTimestampS: number | null;
  /** System timestamp, epoch milliseconds. */
  systemTimeMs: number | null;
}

export function summarise(messages: readonly RemoteIdMessage[]): RemoteIdSummary {
  const identity: Partial<DroneIdentity> = {};
  let otherId: string | null = null;
  let location: LocationMessage | null = null;
  let system: SystemMessage | null = null;
  for (const m of messages) {
    switch (m.type) {
      case 'basic-id':
        if (m.idType === 'serial-number') identity.serial = m.uasId;
        else if (m.idType === 'caa-registration') identity.registrationId = m.uasId;
        else if (m.idType !== 'none' && m.uasId) otherId ??= `${m.idType}:${m.uasId}`;
        if (m.uaType !== 'none') identity.uaType = m.uaType;
        break;
      case 'location':
        location = m;
        break;
      case 'system':
        system = m;
        break;
      case 'self-id':
        if (m.description) identity.selfIdText = m.description;
        break;
      case 'operator-id':
        if (m.operatorId) identity.operatorId = m.operatorId;
        break;
      case 'authentication':
        break; // signatures are not checked: nothing of them reaches the picture
    }
  }
  const loc = location as LocationMessage | null;
  const sys = system as SystemMessage | null;
  const altM = loc ? (loc.altitudeGeoM ?? loc.altitudeBaroM) : null;
  return {
    identity,
    objectId: identity.serial ?? identity.registrationId ?? otherId,
    position: loc && loc.lat !== null && loc.lon !== null && altM !== null ? { lat: loc.lat, lon: loc.lon, altM } : null,
    // A height above the take-off point is not above the ground under the drone.
    heightAglM: loc && loc.heightType === 'above-ground' ? loc.heightM : null,
    speedMps: loc?.speedMps ?? null,
    headingDeg: loc?.directionDeg ?? null,
    verticalSpeedMps: loc?.verticalSpeedMps ?? null,
    status: loc?.status ?? null,
    pilot: sys && sys.operatorLat !== null && sys.operatorLon !== null
      ? { lat: sys.operatorLat, lon: sys.operatorLon, ...(sys.operatorAltitudeGeoM !== null ? { altM: sys.operatorAltitudeGeoM } : {}) }
      : null,
    pilotLocationType: sys?.operatorLocationType ?? null,
    locationTimestampS: loc?.timestampS ?? null,
    systemTimeMs: sys?.timestampS != null ? remoteIdTimeMs(sys.timestampS) : null,
  };
}

/** How far a drone's own clock may be from the receiver's before the time it was heard is used instead. */
const MAX_CLOCK_SKEW_MS = 60_000;

/**
 * The full time of a Location timestamp (seconds after the hour), taken in the hour that puts it nearest to
 * `nearMs` (when it was heard); null when it is unknown or further than a minute from it.
 */
export function locationTimeMs(timestampS: number | null, nearMs: number): number | null {
  if (timestampS === null) return null;
  const hour = 3_600_000;
  const base = Math.floor(nearMs / hour) * hour + timestampS * 1000;
  const best = [base - hour, base, base + hour].reduce((a, b) => (Math.abs(b - nearMs) < Math.abs(a - nearMs) ? b : a));
  return Math.abs(best - nearMs) <= MAX_CLOCK_SKEW_MS ? best : null;
}

export interface HeardBy {
  sensorId: string;
  /** When the receiver heard the broadcast (epoch ms). */
  heardAtMs: number;
  rssiDbm?: number;
}

/** The broadcast as one detection; throws RemoteIdError when it has no BasicID or no position. */
export function toDetection(summary: RemoteIdSummary, heard: HeardBy): DroneDetection {
  if (!summary.objectId) throw new RemoteIdError('no BasicID message: nothing to identify the drone by');
  if (!summary.position) throw new RemoteIdError('no Location message with a position');
  const { lat, lon, altM } = summary.position;
  const detection: DroneDetection = {
    sensorId: heard.sensorId,
    sensorKind: 'remote-id',
    objectId: summary.objectId,
    at: locationTimeMs(summary.locationTimestampS, heard.heardAtMs) ?? heard.heardAtMs,
    position: { lon, lat, altM },
    classification: 'drone', // only drones broadcast Remote ID
    identity: summary.identity,
    pilot: summary.pilot,
  };
  if (summary.heightAglM !== null) detection.heightAglM = summary.heightAglM;
  if (summary.speedMps !== null) detection.speedMps = summary.speedMps;
  if (summary.headingDeg !== null) detection.headingDeg = summary.headingDeg;
  if (summary.verticalSpeedMps !== null) detection.verticalSpeedMps = summary.verticalSpeedMps;
  if (heard.rssiDbm !== undefined) detection.rssiDbm = heard.rssiDbm;
  return detection;
}
