// "Who can see this": the cameras whose range and field of view cover a point on the map, nearest first.
// Horizontal geometry on the WGS84 ellipsoid (geodesic distance and bearing); tilt and height are not
// modelled. A fixed, checkpoint or face camera covers a point within its range and ±fov/2 of its heading; a
// PTZ camera covers anything within range (it turns), and names the preset that looks there, if one does.
// Cameras that are not online still appear (the operator should know a dead camera would have seen it), but
// after every online one.
import type { Camera, CameraCoverage, CameraState } from '../../../shared/video.ts';
import { geodesicInverse } from '../geo/local-frame.ts';

export interface CoveragePoint {
  lon: number;
  lat: number;
  altM?: number;
}

/** Metres per degree of latitude, a little under the smallest on the ellipsoid: the pre-filter stays generous. */
const M_PER_DEG_LAT_MIN = 110_500;
/** Slack of the plane pre-filter over the geodesic answer (a 20 km range is off by under 2 m and 0.2°). */
const PREFILTER_SLACK_M = 2;
const PREFILTER_SLACK_DEG = 1;

/** Metres per degree of latitude and longitude at a latitude (WGS84 series): the pre-filter's plane. */
function metresPerDegree(latDeg: number): { lat: number; lon: number } {
  const p = (latDeg * Math.PI) / 180;
  return { lat: 111132.92 - 559.82 * Math.cos(2 * p) + 1.175 * Math.cos(4 * p), lon: 111412.84 * Math.cos(p) - 93.5 * Math.cos(3 * p) };
}

/** Smallest angle between two bearings, degrees (0..180). */
export function angleBetween(a: number, b: number): number {
  const d = Math.abs((((a - b) % 360) + 360) % 360);
  return d > 180 ? 360 - d : d;
}

export function camerasCovering(
  cameras: readonly Camera[],
  states: readonly CameraState[],
  point: CoveragePoint,
  opts: { limit?: number } = {},
): CameraCoverage[] {
  const cosLat = Math.cos((point.lat * Math.PI) / 180);
  const found: Array<CameraCoverage & { online: boolean }> = [];
  for (const cam of cameras) {
    // A cheap box first: thousands of cameras, a handful near the point.
    const boxLat = (cam.rangeM * 1.01) / M_PER_DEG_LAT_MIN;
    if (Math.abs(cam.position.lat - point.lat) > boxLat) continue;
    const boxLon = cosLat > 1e-6 ? boxLat / cosLat : 360;
    const dLon = Math.abs(((cam.position.lon - point.lon + 540) % 360) - 180);
    if (dLon > boxLon) continue;

    // Then a plane estimate with slack, so that the geodesic (tens of µs) is computed only for near-certain hits.
    const m = metresPerDegree((cam.position.lat + point.lat) / 2);
    const east = (((point.lon - cam.position.lon + 540) % 360) - 180) * m.lon;
    const north = (point.lat - cam.position.lat) * m.lat;
    const roughM = Math.hypot(east, north);
    if (roughM > cam.rangeM * 1.001 + PREFILTER_SLACK_M) continue;
    if (cam.kind !== 'ptz' && cam.fovDeg < 360 && roughM > 5) {
      const roughBearing = (Math.atan2(east, north) * 180) / Math.PI;
      if (angleBetween(cam.headingDeg, roughBearing) > cam.fovDeg / 2 + PREFILTER_SLACK_DEG) continue;
    }

    const { distanceM, azimuthDeg } = geodesicInverse([cam.position.lon, cam.position.lat], [point.lon, point.lat]);
    if (distanceM > cam.rangeM) continue;
    const bearingDeg = (azimuthDeg + 360) % 360;
    let presetId: string | null = null;
    if (cam.kind === 'ptz') {
      let best = Number.POSITIVE_INFINITY;
      for (const p of cam.presets) {
        const off = angleBetween(p.headingDeg, bearingDeg);
        if (off <= cam.fovDeg / 2 && off < best) {
          best = off;
          presetId = p.id;
        }
      }
    } else if (cam.fovDeg < 360 && distanceM > 0 && angleBetween(cam.headingDeg, bearingDeg) > cam.fovDeg / 2) {
      continue;
    }
    found.push({ cameraId: cam.id, distanceM, bearingDeg, presetId, online: false });
  }
  // Health only for the few found: the states of thousands are not indexed for one question.
  if (found.length > 0) {
    const byId = new Map(found.map((f) => [f.cameraId, f]));
    for (const s of states) {
      const f = byId.get(s.id);
      if (f) f.online = s.health === 'online';
    }
  }
  found.sort((a, b) => Number(b.online) - Number(a.online) || a.distanceM - b.distanceM);
  return found.slice(0, opts.limit ?? found.length).map(({ online: _online, ...c }) => c);
}
