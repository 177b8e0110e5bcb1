// "Who can see this": field of view, range, PTZ presets, ordering, and 5,000 cameras. Test points are placed
// with a local metres-per-degree series (not the module's geodesics), so that the geometry is checked, not echoed.
import { describe, expect, it } from 'vitest';
import { camerasCovering } from '../../src/main/core/video/who-can-see.ts';
import type { Camera, CameraCoverage, CameraState } from '../../src/shared/video.ts';
import { camera } from '../fixtures/video-svc-cameras.ts';

const ORIGIN = { lon: 104.441, lat: 30.573 };

/** Metres per degree at a latitude (the standard series for the WGS84 ellipsoid). */
function metresPerDegree(latDeg: number): { lat: number; lon: number } {
  const p = (latDeg * Math.PI) / 180;
  return {
    lat: 111132.92 - 559.82 * Math.cos(2 * p) + 1.175 * Math.cos(4 * p) - 0.0023 * Math.cos(6 * p),
    lon: 111412.84 * Math.cos(p) - 93.5 * Math.cos(3 * p) + 0.118 * Math.cos(5 * p),
  };
}

/** The point `distanceM` from `from` on bearing `bearingDeg` (a short hop on the local plane). */
function offset(from: { lon: number; lat: number }, bearingDeg: number, distanceM: number): { lon: number; lat: number } {
  const b = (bearingDeg * Math.PI) / 180;
  const north = distanceM * Math.cos(b);
  const east = distanceM * Math.sin(b);
  const m = metresPerDegree(from.lat + north / 2 / 111_000);
  return { lat: from.lat + north / m.lat, lon: from.lon + east / m.lon };
}

/** Distance and bearing from a to b on the local plane. */
function planar(a: { lon: number; lat: number }, b: { lon: number; lat: number }): { distanceM: number; bearingDeg: number } {
  const m = metresPerDegree((a.lat + b.lat) / 2);
  const north = (b.lat - a.lat) * m.lat;
  const east = (b.lon - a.lon) * m.lon;
  return { distanceM: Math.hypot(east, north), bearingDeg: ((Math.atan2(east, north) * 180) / Math.PI + 360) % 360 };
}

const online = (cams: Camera[]): CameraState[] => cams.map((c) => ({ id: c.id, health: 'online', since: 0 }));
const eastCam = camera('vms/east', { ...ORIGIN, headingDeg: 90, fovDeg: 60, rangeM: 100 });

describe('who can see a point', () => {
  it('covers a point inside the field of view and range, and not one beyond either', () => {
    const sees = (bearing: number, dist: number) => camerasCovering([eastCam], online([eastCam]), offset(ORIGIN, bearing, dist)).length === 1;
    expect(sees(100, 90)).toBe(true);
    expect(sees(61, 90)).toBe(true); // 29° left of the heading
    expect(sees(110, 110)).toBe(false); // beyond 100 m
    expect(sees(131, 90)).toBe(false); // 41° off a 60° field of view
    expect(sees(59, 90)).toBe(false);
    expect(sees(270, 20)).toBe(false); // behind it
    const [c] = camerasCovering([eastCam], online([eastCam]), offset(ORIGIN, 100, 90));
    expect(c.cameraId).toBe('vms/east');
    expect(c.distanceM).toBeCloseTo(90, 0);
    expect(c.bearingDeg).toBeCloseTo(100, 0);
    expect(c.presetId).toBeNull();
  });

  it('lets a PTZ camera see all round within range and names the preset that looks there', () => {
    const ptz = camera('vms/ptz', {
      ...ORIGIN, kind: 'ptz', headingDeg: 0, fovDeg: 40, rangeM: 300,
      presets: [0, 90, 180, 270].map((h) => ({ id: `p${h}`, name: `${h}`, headingDeg: h, tiltDeg: 5 })),
    });
    const at = (bearing: number, dist: number) => camerasCovering([ptz], online([ptz]), offset(ORIGIN, bearing, dist));
    expect(at(175, 200)[0].presetId).toBe('p180');
    expect(at(355, 50)[0].presetId).toBe('p0'); // across north
    expect(at(135, 50)).toHaveLength(1); // covered: it turns …
    expect(at(135, 50)[0].presetId).toBeNull(); // … but no preset looks there
    expect(at(90, 310)).toEqual([]);
  });

  it('puts the nearest first, online cameras before the others, and keeps to the limit', () => {
    const target = offset(ORIGIN, 0, 500);
    const cams = [300, 50, 120, 80].map((d, i) => camera(`vms/c${i}`, { ...offset(target, 270, d), headingDeg: 90, fovDeg: 30, rangeM: 400 }));
    const states = online(cams);
    expect(camerasCovering(cams, states, target).map((c) => c.cameraId)).toEqual(['vms/c1', 'vms/c3', 'vms/c2', 'vms/c0']);
    states[1].health = 'offline';
    states[3].health = 'frozen';
    expect(camerasCovering(cams, states, target).map((c) => c.cameraId)).toEqual(['vms/c2', 'vms/c0', 'vms/c1', 'vms/c3']);
    expect(camerasCovering(cams, states, target, { limit: 2 }).map((c) => c.cameraId)).toEqual(['vms/c2', 'vms/c0']);
  });

  it('answers for 5,000 cameras quickly, finding exactly the ones the plane geometry finds', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const cams = Array.from({ length: 5000 }, (_, i) => {
      const kind = i % 10 === 0 ? 'ptz' : 'fixed';
      return camera(`vms/r${i}`, { ...offset(ORIGIN, rnd() * 360, rnd() * 3000), kind, headingDeg: rnd() * 360, fovDeg: 20 + rnd() * 90, rangeM: 50 + rnd() * 250 });
    });
    const states = online(cams);
    const points = Array.from({ length: 20 }, () => offset(ORIGIN, rnd() * 360, rnd() * 2500));
    // The best of five rounds: the machine is shared, and a busy moment is not the code's speed.
    let answers: CameraCoverage[][] = [];
    let msPerQuery = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 5; round++) {
      const started = performance.now();
      answers = points.map((p) => camerasCovering(cams, states, p));
      msPerQuery = Math.min(msPerQuery, (performance.now() - started) / points.length);
    }
    expect(msPerQuery).toBeLessThan(10);

    let found = 0;
    points.forEach((p, k) => {
      const got = new Set(answers[k].map((c) => c.cameraId));
      found += got.size;
      for (const cam of cams) {
        const { distanceM, bearingDeg } = planar(cam.position, p);
        const off = Math.abs(((bearingDeg - cam.headingDeg + 540) % 360) - 180);
        // Leave out the cases within a few centimetres or hundredths of a degree of an edge.
        if (Math.abs(distanceM - cam.rangeM) < 0.5 || (cam.kind !== 'ptz' && Math.abs(off - cam.fovDeg / 2) < 0.05)) continue;
        const expected = distanceM <= cam.rangeM && (cam.kind === 'ptz' || off <= cam.fovDeg / 2);
        expect(got.has(cam.id), `${cam.id} for point ${k} (${distanceM.toFixed(1)} m, ${off.toFixed(1)}° off)`).toBe(expected);
      }
    });
    expect(found).toBeGreaterThan(10); // the test is not vacuous
  });
});
