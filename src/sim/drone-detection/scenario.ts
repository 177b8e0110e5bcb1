// The random traffic of the simulated sky (scenario `random-traffic`, see scenarios.ts), kept for load: each
// target flies in from the edge of the remote circle toward a point near the runways, loiters, and leaves.
// Deterministic for a seed, so a test or a drill sees the same sky.
// Positions use a local equirectangular projection about the aerodrome reference point: good to metres within
// 30 km, which is all a simulator needs (the console itself computes on the WGS84 ellipsoid).

export interface SimTarget {
  trackId: string;
  classification: 'drone' | 'bird' | 'unknown';
  remoteId: { serial: string; operator: string } | null;
  speedMps: number;
  /** Waypoints in local metres (x east, y north) and height above the aerodrome; leg times follow from speed. */
  legs: Array<{ x: number; y: number; h: number }>;
  startS: number;
}

export interface SimPosition {
  lat: number;
  lon: number;
  altMsl: number;
  speed: number;
  heading: number;
}

/** mulberry32: a small, good-enough seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildScenario(seed: number, count: number): SimTarget[] {
  const rnd = seededRandom(seed);
  const targets: SimTarget[] = [];
  for (let i = 0; i < count; i++) {
    const bearing = rnd() * 2 * Math.PI;
    const from = 12000 + rnd() * 7000; // first detected 12–19 km out: inside the remote circle of most sites
    const near = 800 + rnd() * 3500;
    const nearBearing = rnd() * 2 * Math.PI;
    const out = bearing + Math.PI / 2 + rnd() * Math.PI;
    const h = 80 + rnd() * 400;
    const kind = rnd();
    const classification = kind < 0.75 ? 'drone' : kind < 0.9 ? 'unknown' : 'bird';
    const target = { x: near * Math.sin(nearBearing), y: near * Math.cos(nearBearing) };
    targets.push({
      trackId: `D-${String(i + 1).padStart(4, '0')}`,
      classification,
      remoteId: classification === 'drone' && rnd() < 0.6 ? { serial: `1581F${Math.floor(rnd() * 1e8).toString(16).toUpperCase()}`, operator: `CHN-OP-${Math.floor(rnd() * 90000 + 10000)}` } : null,
      speedMps: classification === 'bird' ? 9 + rnd() * 6 : 12 + rnd() * 10,
      startS: i * (10 + rnd() * 25),
      legs: [
        { x: from * Math.sin(bearing), y: from * Math.cos(bearing), h },
        { ...target, h },
        { x: target.x + 300, y: target.y + 300, h: h * 0.8 },
        { x: target.x, y: target.y, h },
        { x: from * Math.sin(out), y: from * Math.cos(out), h: h * 1.2 },
      ],
    });
  }
  return targets;
}

/** Where a target is t seconds into the scenario, or null before it starts and after it has left. */
export function positionAt(target: SimTarget, tS: number, origin: { lat: number; lon: number; elevationM: number }): SimPosition | null {
  let elapsed = tS - target.startS;
  if (elapsed < 0) return null;
  for (let i = 0; i + 1 < target.legs.length; i++) {
    const a = target.legs[i];
    const b = target.legs[i + 1];
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    const duration = length / target.speedMps;
    if (elapsed <= duration) {
      const k = duration === 0 ? 1 : elapsed / duration;
      const x = a.x + (b.x - a.x) * k;
      const y = a.y + (b.y - a.y) * k;
      const metresPerDegLat = 111_132;
      const metresPerDegLon = 111_320 * Math.cos((origin.lat * Math.PI) / 180);
      return {
        lat: origin.lat + y / metresPerDegLat,
        lon: origin.lon + x / metresPerDegLon,
        altMsl: origin.elevationM + a.h + (b.h - a.h) * k,
        speed: target.speedMps,
        heading: ((Math.atan2(b.x - a.x, b.y - a.y) * 180) / Math.PI + 360) % 360,
      };
    }
    elapsed -= duration;
  }
  return null;
}

/** Scenario seconds until the last target has left, plus a quiet minute: the sky then starts over. */
export function scenarioPeriodS(targets: SimTarget[]): number {
  const endOf = (t: SimTarget) =>
    t.startS + t.legs.slice(1).reduce((sum, b, i) => sum + Math.hypot(b.x - t.legs[i].x, b.y - t.legs[i].y) / t.speedMps, 0);
  return Math.max(0, ...targets.map(endOf)) + 60;
}
