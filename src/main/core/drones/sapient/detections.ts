// A SAPIENT DetectionReport as the fusion wants it: a DroneDetection of sensor kind 'sapient', keyed by the
// node's object_id. A radar reads no serial, so a detection carries no identity. What cannot be placed (a UTM
// location, a range-bearing before the node has said where it stands) is a problem naming the report, and the
// report is skipped: the stream goes on.
import type { TrackClass } from '../../../../shared/domain.ts';
import type { DroneDetection } from '../../../../shared/drones.ts';
import { msOf } from './codec.ts';
import type { DetectionReport, SapientClassification, SapientLocation, SapientRangeBearing, SapientSubClass, SapientTimestamp } from './schema.ts';

const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

/** Where a node says it stands (from its StatusReport), for range-bearing reports. */
export interface NodePlace {
  lon: number;
  lat: number;
  altM: number;
}

export type Mapped = { detection: DroneDetection } | { problem: string } | { skipped: 'lost' };

export function detectionOf(
  report: DetectionReport,
  timestamp: SapientTimestamp,
  sensorId: string,
  node: NodePlace | null,
): Mapped {
  const where = `detection report ${report.reportId ?? '(no report_id)'}`;
  if (!report.reportId) return { problem: `${where}: no report_id (field 1)` };
  if (!report.objectId) return { problem: `${where}: no object_id (field 2)` };
  // A node marks an object it has lost with a last report that repeats where it was: not a new sighting.
  if (report.state && /^(lost|deleted|dropped)$/i.test(report.state.trim())) return { skipped: 'lost' };
  const placed = report.location
    ? fromLocation(report.location)
    : report.rangeBearing
      ? fromRangeBearing(report.rangeBearing, node)
      : 'no location or range_bearing (fields 5–6)';
  if (typeof placed === 'string') return { problem: `${where}: ${placed}` };
  const { lon, lat, altM } = placed;
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && Number.isFinite(altM) && Math.abs(altM) < 100_000)) {
    return { problem: `${where}: position ${lon}, ${lat}, ${altM} m is not on Earth` };
  }
  const { classification, confidence: classConfidence } = classOf(report.classification ?? []);
  const detection: DroneDetection = {
    sensorId,
    sensorKind: 'sapient',
    objectId: report.objectId,
    at: msOf(timestamp),
    position: { lon, lat, altM },
    classification,
    identity: null,
  };
  const confidence = report.detectionConfidence ?? classConfidence;
  if (confidence !== undefined && confidence >= 0 && confidence <= 1) detection.confidence = confidence;
  const v = report.enuVelocity;
  if (v && Number.isFinite(v.eastRate) && Number.isFinite(v.northRate)) {
    detection.speedMps = Math.hypot(v.eastRate, v.northRate);
    detection.headingDeg = (Math.atan2(v.eastRate, v.northRate) / DEG + 360) % 360;
    if (v.upRate !== undefined && Number.isFinite(v.upRate)) detection.verticalSpeedMps = v.upRate;
  }
  return { detection };
}

function fromLocation(loc: SapientLocation): NodePlace | string {
  if (typeof loc.x !== 'number' || typeof loc.y !== 'number') return 'location without x and y';
  if (loc.z === undefined) return 'location without an altitude (z)';
  // WGS84_G heights are above the geoid (MSL, as the console's surfaces); WGS84_E heights are taken as given.
  switch (loc.coordinateSystem) {
    case 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M':
      return { lon: loc.x, lat: loc.y, altM: loc.z };
    case 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_RAD_M':
      return { lon: loc.x / DEG, lat: loc.y / DEG, altM: loc.z };
    default:
      return `location in ${loc.coordinateSystem ?? 'no coordinate system'} (only LAT_LNG_DEG_M and LAT_LNG_RAD_M are read)`;
  }
}

/** Range and bearing from the node, to a position: flat Earth around the node, which is what a radar's range allows. */
function fromRangeBearing(rb: SapientRangeBearing, node: NodePlace | null): NodePlace | string {
  if (!node) return 'range_bearing before the node reported its location';
  if (rb.datum !== 'RANGE_BEARING_DATUM_TRUE') return `range_bearing against ${rb.datum ?? 'no datum'} (only RANGE_BEARING_DATUM_TRUE is read)`;
  if (rb.range === undefined || rb.azimuth === undefined) return 'range_bearing without range and azimuth';
  const units: Record<string, [angle: number, range: number]> = {
    RANGE_BEARING_COORDINATE_SYSTEM_DEGREES_M: [DEG, 1],
    RANGE_BEARING_COORDINATE_SYSTEM_RADIANS_M: [1, 1],
    RANGE_BEARING_COORDINATE_SYSTEM_DEGREES_KM: [DEG, 1000],
    RANGE_BEARING_COORDINATE_SYSTEM_RADIANS_KM: [1, 1000],
  };
  const unit = units[rb.coordinateSystem];
  if (!unit) return `range_bearing in ${rb.coordinateSystem ?? 'no coordinate system'}`;
  const range = rb.range * unit[1];
  const az = rb.azimuth * unit[0];
  const el = (rb.elevation ?? 0) * unit[0];
  const ground = range * Math.cos(el);
  const north = ground * Math.cos(az);
  const east = ground * Math.sin(az);
  return {
    lat: node.lat + north / EARTH_RADIUS_M / DEG,
    lon: node.lon + east / (EARTH_RADIUS_M * Math.cos(node.lat * DEG)) / DEG,
    altM: node.altM + range * Math.sin(el),
  };
}

/**
 * What the most confident classification says, through its sub-classes: a UAV (UAS, drone) is a drone, a bird a
 * bird. A bare 'Air Vehicle' stays unknown: at an airport that is as likely an aircraft as a drone.
 */
export function classOf(classifications: SapientClassification[]): { classification: TrackClass; confidence?: number } {
  const best = [...classifications].sort((a, b) => (b.confidence ?? 0) - (a.confidence ?? 0))[0];
  if (!best) return { classification: 'unknown' };
  const names = [best.type, ...subTypes(best.subClass ?? [])].map((n) => (n ?? '').trim().toLowerCase());
  const classification: TrackClass = names.some((n) => /^(uav|uas|drone)\b/.test(n)) ? 'drone' : names.some((n) => /^birds?\b/.test(n)) ? 'bird' : 'unknown';
  return { classification, ...(best.confidence !== undefined ? { confidence: best.confidence } : {}) };
}

function subTypes(subs: SapientSubClass[]): string[] {
  return subs.flatMap((s) => [s.type, ...subTypes(s.subClass ?? [])]);
}
