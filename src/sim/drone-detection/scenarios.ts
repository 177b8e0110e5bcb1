// The scenarios of the simulated sky, each a pure function of the seconds since it started: what an airport's
// counter-drone sensors would see in the situations the console must handle (a hobby drone under the approach,
// one crossing the centreline, a permitted survey that strays, a swarm, a radar-only drone, birds, and random
// traffic for load). Placed from the site pack's runway ends and aerodrome, so that they fit any site; the
// survey's permit area is fixed relative to the aerodrome reference point.
import { LocalFrame } from '../../main/core/geo/local-frame.ts';
import { Route, type BuiltRoute, type RouteState } from './route.ts';
import { buildScenario, positionAt, scenarioPeriodS, seededRandom } from './scenario.ts';
import type { SkyGeometry } from './sky-geometry.ts';
import type { SimUaType, SkyObject, SkyRemoteId } from './sky-types.ts';
import { SCENARIO_NAMES, type ScenarioName } from '../../shared/drone-scenarios.ts';

export { SCENARIO_NAMES, type ScenarioName };

export interface Scenario {
  name: ScenarioName;
  /** One run, seconds of simulated time (the random traffic's period includes its quiet minute). */
  durationS: number;
  /** The objects in the sky tS seconds into a run; `tag` is appended to every id (a new run gives new ids). */
  at(tS: number, tag: string): SkyObject[];
}

// ---- The survey permit: a rectangle east of the airfield, fixed relative to the aerodrome reference point. ----

/** The permit area's corners, local metres (x east, y north) from the aerodrome reference point. */
const SURVEY_AREA_LOCAL = { west: 3500, east: 4300, south: -1500, north: -1000 };
const SURVEY_CEILING_M = 120;
const SURVEY_SERIAL = '1668AVT2604SV01';

export interface SurveyPermit {
  operator: string;
  operatorId: string;
  serials: string[];
  /** [lon, lat] vertices, not closed. */
  area: Array<[number, number]>;
  /** Metres above the aerodrome elevation. */
  ceilingM: number;
}

/** The survey permit for a site: the demo seeds it, the survey-permit scenario flies inside it (and then out). */
export function surveyPermitFor(referencePoint: readonly [number, number]): SurveyPermit {
  const frame = new LocalFrame(referencePoint);
  const { west, east, south, north } = SURVEY_AREA_LOCAL;
  const corner = (x: number, y: number) => frame.toLonLat({ x, y }).map((v) => Number(v.toFixed(7))) as [number, number];
  return {
    operator: '渝北航测技术有限公司',
    operatorId: 'CHN87JX4KD2M9Q0',
    serials: [SURVEY_SERIAL],
    area: [corner(west, south), corner(east, south), corner(east, north), corner(west, north)],
    ceilingM: SURVEY_CEILING_M,
  };
}

/** The survey permit on the sample site (ZUCK), which the console's demo seeds and tests import. */
export const SURVEY_PERMIT: SurveyPermit = surveyPermitFor([106.651895, 29.712254]);

// ---- Helpers ----

type Base = Pick<SkyObject, 'id' | 'kind' | 'scenario' | 'remoteId' | 'seenBy'>;

/** An object at a route state; null on the ground (before take-off, after landing). */
function place(geo: SkyGeometry, base: Base, s: RouteState | null): SkyObject | null {
  if (!s || s.h < 1) return null;
  const [lon, lat] = geo.toLonLat(s);
  return {
    ...base, lat, lon, altMsl: geo.elevationM + s.h, heightAgl: s.h, speed: s.speed, heading: s.heading, verticalSpeed: s.verticalSpeed,
  };
}

function pilotAt(geo: SkyGeometry, p: { x: number; y: number }): SkyRemoteId['operator'] {
  const [lon, lat] = geo.toLonLat(p);
  return { lat, lon, altMsl: geo.elevationM + 1.5 };
}

const hex = (rnd: () => number, n: number) => Array.from({ length: n }, () => '0123456789ABCDEF'[Math.floor(rnd() * 16)]).join('');
const digits = (rnd: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');

/** A Remote ID identity: a CTA-2063-A serial (manufacturer code, length code, serial), and the rest. */
function remoteId(rnd: () => number, opts: { pilot: SkyRemoteId['operator']; uaType?: SimUaType; selfIdText: string; registered?: boolean }): SkyRemoteId {
  return {
    serial: `1581F${hex(rnd, 15)}`, // manufacturer code 1581, length code F: 15 characters follow
    registrationId: opts.registered === false ? null : `UAS${digits(rnd, 8)}`,
    uaType: opts.uaType ?? 2,
    operatorId: `CHN${hex(rnd, 12)}`,
    selfIdText: opts.selfIdText,
    operator: opts.pilot,
  };
}

function single(geo: SkyGeometry, name: ScenarioName, base: Omit<Base, 'id' | 'scenario'> & { id: string }, route: BuiltRoute): Scenario {
  return {
    name,
    durationS: route.durationS,
    at: (tS, tag) => {
      const o = place(geo, { ...base, id: base.id + tag, scenario: name }, route.at(tS));
      return o ? [o] : [];
    },
  };
}

const add = (p: { x: number; y: number }, v: { x: number; y: number }, k = 1) => ({ x: p.x + v.x * k, y: p.y + v.y * k });

// ---- The scenarios ----

/** A hobby multirotor loitering 1.5 km out under the approach to the first runway end, climbing through the surface. */
function approachLoiter(geo: SkyGeometry, seed: number): Scenario {
  const rnd = seededRandom(seed ^ 0x0a11);
  const designator = geo.designators()[0]; // 02L on the sample site
  const outM = 1500;
  const centre = geo.onApproach(designator, outM);
  const surface = geo.approachSurfaceAbove(designator, outM);
  const pilot = geo.onApproach(designator, outM + 150, 450);
  const end = geo.end(designator);
  const orbitStart = add(centre, end.inbound, 60); // on the 60 m circle, threshold side
  const route = new Route({ ...pilot, h: 0 })
    .to({ ...pilot, h: 25 }, 3)
    .to({ ...orbitStart, h: Math.max(8, surface - 15) }, 8)
    .orbit(centre, 200, 5, surface + 30) // rises through the surface: 15 m below it to 30 m above
    .orbit(centre, 90, 5)
    .orbit(centre, 40, 5, surface + 10)
    .to({ ...pilot, h: 25 }, 8)
    .to({ ...pilot, h: 0 }, 3)
    .build();
  return single(geo, 'approach-loiter', {
    id: 'LOITER-1', kind: 'drone', seenBy: { detection: true, sapient: true },
    remoteId: remoteId(rnd, { pilot: pilotAt(geo, pilot), selfIdText: 'Aerial photo' }),
  }, route);
}

/**
 * A drone crossing the extended centreline of the second end of the first runway (20R) 2 km out at 80 m above the
 * aerodrome, from the left to the right of an aircraft on that approach, and leaving.
 */
function centrelineCrossing(geo: SkyGeometry, seed: number): Scenario {
  const rnd = seededRandom(seed ^ 0xc055);
  const designator = geo.designators()[1]; // 20R on the sample site
  const outM = 2000;
  const from = geo.onApproach(designator, outM, 1500);
  const to = geo.onApproach(designator, outM, -1500);
  const gone = geo.onApproach(designator, outM, -2800);
  const pilot = geo.onApproach(designator, outM + 300, 1900);
  const route = new Route({ ...pilot, h: 0 })
    .to({ ...pilot, h: 80 }, 4)
    .to({ ...from, h: 80 }, 12)
    .to({ ...to, h: 80 }, 12)
    .to({ ...gone, h: 90 }, 14)
    .build();
  return single(geo, 'centreline-crossing', {
    id: 'CROSS-1', kind: 'drone', seenBy: { detection: true, sapient: true },
    remoteId: remoteId(rnd, { pilot: pilotAt(geo, pilot), selfIdText: 'FPV cruising', registered: false }),
  }, route);
}

/** A VTOL survey drone mowing the lawn inside its permit at 100 m; above the ceiling once; then strays out east. */
function surveyPermit(geo: SkyGeometry): Scenario {
  const { west, east, south, north } = SURVEY_AREA_LOCAL;
  const launch = { x: west + 60, y: (south + north) / 2 };
  const pilot = { x: west - 350, y: launch.y };
  const rows = [0, 1, 2, 3, 4].map((i) => south + 60 + i * ((north - south - 120) / 4));
  const [w, e] = [west + 60, east - 60];
  const h = 100;
  const route = new Route({ ...launch, h: 0 }).to({ ...launch, h }, 4).to({ x: w, y: rows[0], h }, 18);
  rows.forEach((y, i) => {
    const [a, b] = i % 2 === 0 ? [w, e] : [e, w];
    if (i > 0) route.to({ x: a, y, h: i === 3 ? h : route.position.h }, 18);
    // Pass 3 climbs to 140 m, above the 120 m ceiling; pass 4 comes back down.
    route.to({ x: b, y, h: i === 2 ? SURVEY_CEILING_M + 20 : h }, 18);
  });
  route.to({ x: east + 500, y: rows[4], h }, 18).orbit({ x: east + 500, y: rows[4] - 100 }, 45, 15).to({ ...launch, h }, 18).to({ ...launch, h: 0 }, 4);
  return single(geo, 'survey-permit', {
    id: 'SURVEY-1', kind: 'drone', seenBy: { detection: true, sapient: true },
    remoteId: {
      serial: SURVEY_SERIAL, registrationId: 'UAS26040417', uaType: 4, operatorId: SURVEY_PERMIT.operatorId, selfIdText: 'Survey ZUCK permit',
      operator: pilotAt(geo, pilot),
    },
  }, route.build());
}

export const SWARM_SIZE = 50;

/** 50 small drones, 10 abreast and 5 deep, 40 m apart (±6 m), from 6.5 km east across the inner circle to the west. */
function swarm(geo: SkyGeometry, seed: number): Scenario {
  const rnd = seededRandom(seed ^ 0x5a4a);
  const leader = new Route({ x: 6500, y: 400, h: 110 }).to({ x: -5500, y: 400, h: 110 }, 22).build();
  const pilot = pilotAt(geo, { x: 6900, y: 0 });
  const broadcasting = new Set(shuffled(rnd, SWARM_SIZE).slice(0, 22 + Math.floor(rnd() * 7)));
  const members = Array.from({ length: SWARM_SIZE }, (_, i) => {
    const row = Math.floor(i / 10);
    const col = i % 10;
    return {
      id: `SWARM-${String(i + 1).padStart(2, '0')}`,
      dx: row * 40 + (rnd() - 0.5) * 12, // along the track (east of the leader: behind it)
      dy: (col - 4.5) * 40 + (rnd() - 0.5) * 12,
      dh: (rnd() - 0.5) * 10,
      phase: rnd() * 2 * Math.PI,
      remoteId: broadcasting.has(i) ? remoteId(rnd, { pilot, selfIdText: 'Light show', uaType: 2 }) : null,
    };
  });
  return {
    name: 'swarm',
    durationS: leader.durationS,
    at(tS, tag) {
      const lead = leader.at(tS);
      if (!lead) return [];
      return members.flatMap((m) => {
        const wobble = 2 * Math.sin(tS / 7 + m.phase);
        const o = place(geo, { id: m.id + tag, kind: 'drone', scenario: 'swarm', remoteId: m.remoteId, seenBy: { detection: true, sapient: true } },
          { ...lead, x: lead.x + m.dx + wobble, y: lead.y + m.dy - wobble, h: lead.h + m.dh });
        return o ? [o] : [];
      });
    },
  };
}

/** A drone without Remote ID under the approach to the last runway end (21L, a closed runway on the sample site). */
function radarOnly(geo: SkyGeometry): Scenario {
  const designator = geo.designators().at(-1)!;
  const centre = geo.onApproach(designator, 1200);
  const route = new Route({ ...geo.onApproach(designator, 3000, 800), h: 60 })
    .to({ ...add(centre, geo.end(designator).inbound, 80), h: 60 }, 14)
    .orbit(centre, 120, 6, 90)
    .to({ ...geo.onApproach(designator, 3000, -1500), h: 90 }, 14)
    .build();
  return single(geo, 'radar-only', { id: 'RADAR-1', kind: 'drone', remoteId: null, seenBy: { detection: false, sapient: true } }, route);
}

/** A flock of 15–30 birds crossing the airfield from the south-west, which only the radar reports. */
function birdFlock(geo: SkyGeometry, seed: number): Scenario {
  const rnd = seededRandom(seed ^ 0xb14d);
  const centre = new Route({ x: -3000, y: -2200, h: 80 }).to({ x: 2800, y: 1800, h: 120 }, 13).build();
  const count = 15 + Math.floor(rnd() * 16);
  const birds = Array.from({ length: count }, (_, i) => ({
    id: `BIRD-${String(i + 1).padStart(2, '0')}`,
    dx: (rnd() - 0.5) * 160, dy: (rnd() - 0.5) * 100, dh: (rnd() - 0.5) * 40, phase: rnd() * 2 * Math.PI,
  }));
  return {
    name: 'bird-flock',
    durationS: centre.durationS,
    at(tS, tag) {
      const c = centre.at(tS);
      if (!c) return [];
      return birds.flatMap((b) => {
        const o = place(geo, { id: b.id + tag, kind: 'bird', scenario: 'bird-flock', remoteId: null, seenBy: { detection: false, sapient: true } },
          { ...c, x: c.x + b.dx + 6 * Math.sin(tS / 5 + b.phase), y: c.y + b.dy + 6 * Math.cos(tS / 4 + b.phase), h: c.h + b.dh + 3 * Math.sin(tS / 3 + b.phase) });
        return o ? [o] : [];
      });
    },
  };
}

/** The seeded random targets of the first simulator (--targets N), for load: in from 12–19 km, loiter, out. */
function randomTraffic(geo: SkyGeometry, seed: number, count: number): Scenario {
  const targets = buildScenario(seed, count);
  const origin = { lat: geo.site.aerodrome.referencePoint[1], lon: geo.site.aerodrome.referencePoint[0], elevationM: geo.elevationM };
  const identities = targets.map((t) => {
    if (!t.remoteId) return null;
    const near = t.legs[1];
    const pilot = pilotAt(geo, { x: near.x + 350, y: near.y - 350 });
    return {
      serial: t.remoteId.serial, registrationId: null, uaType: 2 as const, operatorId: t.remoteId.operator, selfIdText: 'Recreational', operator: pilot,
    };
  });
  return {
    name: 'random-traffic',
    durationS: scenarioPeriodS(targets),
    at(tS, tag) {
      return targets.flatMap((t, i) => {
        const p = positionAt(t, tS, origin);
        if (!p) return [];
        const h = p.altMsl - geo.elevationM;
        return [{
          id: t.trackId + tag, kind: t.classification === 'bird' ? 'bird' : 'drone', scenario: 'random-traffic',
          lat: p.lat, lon: p.lon, altMsl: p.altMsl, heightAgl: h, speed: p.speed, heading: p.heading, verticalSpeed: 0,
          remoteId: identities[i], seenBy: { detection: true, sapient: true },
        } satisfies SkyObject];
      });
    },
  };
}

function shuffled(rnd: () => number, n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Every scenario for a site and a seed; `targets` is the random traffic's count. */
export function buildScenarios(geo: SkyGeometry, seed: number, targets: number): Record<ScenarioName, Scenario> {
  return {
    'approach-loiter': approachLoiter(geo, seed),
    'centreline-crossing': centrelineCrossing(geo, seed),
    'survey-permit': surveyPermit(geo),
    swarm: swarm(geo, seed),
    'radar-only': radarOnly(geo),
    'bird-flock': birdFlock(geo, seed),
    'random-traffic': randomTraffic(geo, seed, targets),
  };
}
