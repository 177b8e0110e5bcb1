// A seeded camera inventory placed on the site the way an airport's VMS would have it: fixed cameras looking
// into the terminal halls, face cameras at security and the gates, kerbside and car-park cameras on the
// landside, high-mast PTZ cameras on the aprons, cameras along the perimeter fence looking along it, and
// checkpoint (卡口) cameras reading plates lane by lane. Groups are the access/aggregation switches the
// cameras hang off, named by area: the largest terminal's aggregation switch carries exactly 200 cameras
// (when there are enough), every other switch 8–48. Deterministic for (site, seed, count).
import type { SitePack } from '../../shared/site.ts';
import type { VmsCamera } from '../../main/core/video/vms-api.ts';
import { seededRandom } from '../drone-detection/scenario.ts';
import {
  add, alongRing, bearingDeg, centroid, dot, edges, fromBearing, length, openRing, perimeter,
  projection, randomInside, scale, signedArea, sub, unit, type Edge, type Pt,
} from './geometry.ts';

/** What a camera watches, which decides the analytic events it raises. */
export type Zone = 'hall' | 'face' | 'kerb' | 'carpark' | 'apron' | 'fence' | 'checkpoint' | 'yard';

export interface SimCamera extends VmsCamera {
  zone: Zone;
  /** Checkpoint cameras: the lane it reads and the direction of travel there. */
  lane?: { lane: number; direction: 'in' | 'out' };
}

/** The wire form: what /api/cameras answers. */
export function toApiCamera(c: SimCamera): VmsCamera {
  const { zone: _zone, lane: _lane, ...camera } = c;
  return camera;
}

/** The aggregation switch of the largest terminal carries exactly this many cameras in the default layout. */
export const AGGREGATION_GROUP_SIZE = 200;
const MIN_GROUP = 8;

type Text = { zh: string; en: string };
type Draft = Omit<SimCamera, 'lat' | 'lon' | 'groundAltM' | 'group'> & { at: Pt };
type Rnd = () => number;

interface Area {
  /** Switch names start with it: `T2-ACC-01`. */
  groupPrefix: string;
  weight: number;
  generate(count: number, rnd: Rnd): Draft[];
}

const round1 = (v: number) => Number(v.toFixed(1));
const between = (rnd: Rnd, lo: number, hi: number) => lo + rnd() * (hi - lo);
const clip = (s: string) => (s.length > 80 ? s.slice(0, 80) : s);
const text = (zh: string, en: string): Text => ({ zh: clip(zh), en: clip(en) });
const idSafe = (s: string) => s.replace(/[^\w.:-]+/g, '-').slice(0, 32);
const pad = (n: number, total: number) => String(n).padStart(Math.max(2, String(total).length), '0');
/** Degrees down from the horizontal to look at the ground `frac` of the range away. */
const tiltFor = (mountM: number, rangeM: number, frac = 0.5) => round1(Math.min(89, (Math.atan2(mountM, rangeM * frac) * 180) / Math.PI));
const turn = (deg: number) => ((deg % 360) + 360) % 360;

/** Splits `total` by weight (largest remainder), giving each share at least `min` when the total allows. */
export function apportion(total: number, weights: number[], min = 0): number[] {
  if (weights.length === 0) return [];
  const floor = total >= min * weights.length ? min : 0;
  const rest = total - floor * weights.length;
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const exact = weights.map((w) => (rest * w) / sum);
  const counts = exact.map((e) => Math.floor(e));
  let left = rest - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k].i]++;
  return counts.map((c) => c + floor);
}

/** Group sizes for `count` cameras: each 8–48 when count ≥ 8, seeded. */
function groupSizes(count: number, rnd: Rnd): number[] {
  if (count <= 0) return [];
  const target = 24 + Math.floor(rnd() * 24);
  const k = Math.max(1, Math.ceil(count / target));
  return apportion(count, new Array(k).fill(1));
}

export interface LayoutOptions {
  seed: number;
  cameras: number;
}

export function buildLayout(site: SitePack, opts: LayoutOptions): SimCamera[] {
  const rnd = seededRandom(opts.seed ^ 0x5eed);
  const proj = projection(site.aerodrome.referencePoint);
  const features = site.features.features;
  const polygonOf = (f: (typeof features)[number]) => (f.geometry.type === 'Polygon' ? openRing(f.geometry.coordinates[0].map(proj.toLocal)) : null);

  const complexes = terminalComplexes(features, polygonOf);
  const checkpoints = checkpointArea(features, proj.toLocal, rnd);
  const ckpCount = Math.min(checkpoints.lanes.length, Math.floor(opts.cameras / 10));
  const largest = complexes.slice().sort((a, b) => b.area - a.area)[0];
  const big = largest && opts.cameras >= 250 ? AGGREGATION_GROUP_SIZE : 0;
  const rest = opts.cameras - big - ckpCount;

  const areas: Area[] = [];
  const hallShare = complexes.filter((c) => c !== largest || !big).reduce((s, c) => s + c.area, 0) || 1;
  for (const c of complexes) {
    if (c === largest && big) {
      if (rest >= 400) areas.push({ groupPrefix: `${c.code}-ACC`, weight: 0.25, generate: (n, r) => hallCameras(c, n, r, 'extra') });
    } else {
      areas.push({ groupPrefix: `${c.code}-ACC`, weight: (0.3 * c.area) / hallShare, generate: (n, r) => hallCameras(c, n, r) });
    }
  }
  const landside = complexes.filter((c) => c.main.landside);
  for (const c of landside) areas.push({ groupPrefix: `${c.code}-LS-ACC`, weight: 0.2 / landside.length, generate: (n, r) => landsideCameras(c, n, r) });
  const aprons = features.flatMap((f) => (f.properties.kind === 'apron' && polygonOf(f) ? [{ f, ring: polygonOf(f)! }] : []));
  const apronArea = aprons.reduce((s, a) => s + Math.abs(signedArea(a.ring)), 0) || 1;
  for (const a of aprons) {
    const area = text(a.f.properties.name.zh, a.f.properties.name.en);
    areas.push({ groupPrefix: `${idSafe(a.f.id)}-ACC`, weight: (0.2 * Math.abs(signedArea(a.ring))) / apronArea, generate: (n, r) => apronCameras(idSafe(a.f.id), area, a.ring, n, r) });
  }
  const fences = features.flatMap((f) => (f.properties.kind === 'fence' && polygonOf(f) ? [{ f, ring: polygonOf(f)! }] : []));
  if (fences.length) areas.push({ groupPrefix: 'FENCE-ACC', weight: 0.3, generate: (n, r) => fenceCameras(fences, n, r) });
  if (areas.length === 0 && !big) areas.push({ groupPrefix: 'YARD-ACC', weight: 1, generate: (n, r) => yardCameras(n, r) });

  const groups: Array<{ prefix: string; drafts: Draft[]; firstIs200?: boolean }> = [];
  if (big) groups.push({ prefix: `${largest.code}-AGG`, drafts: hallCameras(largest, big, rnd), firstIs200: true });
  const counts = apportion(Math.max(0, rest), areas.map((a) => a.weight), MIN_GROUP);
  areas.forEach((a, i) => counts[i] > 0 && groups.push({ prefix: a.groupPrefix, drafts: a.generate(counts[i], rnd) }));
  if (ckpCount > 0) groups.push({ prefix: 'CKP-ACC', drafts: checkpoints.lanes.slice(0, ckpCount) });

  const seen = new Set<string>();
  const cameras: SimCamera[] = [];
  const groupNumbers = new Map<string, number>();
  for (const g of groups) {
    const sizes = g.firstIs200 ? [g.drafts.length] : groupSizes(g.drafts.length, rnd);
    let at = 0;
    for (const size of sizes) {
      const n = (groupNumbers.get(g.prefix) ?? 0) + 1;
      groupNumbers.set(g.prefix, n);
      const group = `${g.prefix}-${pad(n, 1)}`;
      for (const d of g.drafts.slice(at, at + size)) {
        let id = d.id;
        for (let k = 2; seen.has(id); k++) id = `${d.id}-${k}`;
        seen.add(id);
        const { lat, lon } = proj.toLonLat(d.at);
        // In the order of the wire schema, so that the JSON reads like the API's documentation.
        cameras.push({
          id, name: d.name, kind: d.kind, lat, lon, groundAltM: site.aerodrome.elevationM, mountHeightM: d.mountHeightM,
          headingDeg: d.headingDeg, tiltDeg: d.tiltDeg, fovDeg: d.fovDeg, rangeM: d.rangeM, presets: d.presets, group,
          area: d.area, checkpoint: d.checkpoint, zone: d.zone, ...(d.lane ? { lane: d.lane } : {}),
        });
      }
      at += size;
    }
  }
  return cameras;
}

// ---- terminals ---------------------------------------------------------------------------------------------

interface TerminalPolygon {
  id: string;
  name: Text;
  ring: Pt[];
  area: number;
  heightM: number;
  /** The edge facing the landside (kerb, car parks), with its outward normal; null for a pier. */
  landside: Edge | null;
  /** Projection range along the landside normal: depth 0 at the landside edge, 1 at the far side. */
  depth(p: Pt): number;
}

interface TerminalComplex {
  code: string;
  main: TerminalPolygon;
  piers: TerminalPolygon[];
  area: number;
}

function terminalComplexes(features: SitePack['features']['features'], polygonOf: (f: SitePack['features']['features'][number]) => Pt[] | null): TerminalComplex[] {
  const byCode = new Map<string, TerminalPolygon[]>();
  for (const f of features) {
    if (f.properties.kind !== 'terminal') continue;
    const ring = polygonOf(f);
    if (!ring || ring.length < 3) continue;
    const code = idSafe(/\bT\d+[A-Z]?\b/.exec(f.properties.name.en)?.[0] ?? f.id);
    const c = centroid(ring);
    // The landside looks away from the runways, which lie around the aerodrome reference point (the origin).
    const awayFromRunways = unit(c);
    const es = edges(ring);
    const longest = Math.max(...es.map((e) => e.length));
    const landside = es.filter((e) => e.length >= 0.3 * longest).sort((a, b) => dot(b.outward, awayFromRunways) - dot(a.outward, awayFromRunways))[0];
    const proj = ring.map((p) => dot(p, landside.outward));
    const [lo, hi] = [Math.min(...proj), Math.max(...proj)];
    const polygon: TerminalPolygon = {
      id: idSafe(f.id),
      name: text(f.properties.name.zh, f.properties.name.en),
      ring,
      area: Math.abs(signedArea(ring)),
      heightM: f.properties.heightM ?? 15,
      landside,
      depth: (p) => (hi - dot(p, landside.outward)) / Math.max(1, hi - lo),
    };
    byCode.set(code, [...(byCode.get(code) ?? []), polygon]);
  }
  return [...byCode].map(([code, polys]) => {
    const [main, ...piers] = polys.sort((a, b) => b.area - a.area);
    return { code, main, piers: piers.map((p) => ({ ...p, landside: null })), area: polys.reduce((s, p) => s + p.area, 0) };
  });
}

interface HallZone {
  key: string;
  level: 'DEP' | 'ARR' | null;
  zh: string;
  en: string;
  weight: number;
  face: boolean;
  /** Where in the depth of the building (0 landside … 1 airside). */
  depth: [number, number];
}

const MAIN_ZONES: HallZone[] = [
  { key: 'CHK', level: 'DEP', zh: '值机区', en: 'check-in', weight: 0.14, face: false, depth: [0.05, 0.3] },
  { key: 'SEC', level: 'DEP', zh: '安检口', en: 'security', weight: 0.12, face: true, depth: [0.3, 0.42] },
  { key: 'LNG', level: 'DEP', zh: '候机区', en: 'gate lounge', weight: 0.22, face: false, depth: [0.5, 0.95] },
  { key: 'GATE', level: 'DEP', zh: '登机口', en: 'gate', weight: 0.08, face: true, depth: [0.85, 0.98] },
  { key: 'RTL', level: 'DEP', zh: '商业区', en: 'retail', weight: 0.08, face: false, depth: [0.4, 0.6] },
  { key: 'BAG', level: 'ARR', zh: '行李提取厅', en: 'baggage reclaim', weight: 0.14, face: false, depth: [0.3, 0.7] },
  { key: 'HALL', level: 'ARR', zh: '迎客大厅', en: 'arrivals hall', weight: 0.14, face: false, depth: [0.03, 0.25] },
  { key: 'EXIT', level: 'ARR', zh: '到达出口', en: 'exit', weight: 0.08, face: false, depth: [0, 0.08] },
];
const PIER_ZONES: HallZone[] = [
  { key: 'LNG', level: null, zh: '候机区', en: 'gate lounge', weight: 0.7, face: false, depth: [0, 1] },
  { key: 'GATE', level: null, zh: '登机口', en: 'gate', weight: 0.3, face: true, depth: [0, 1] },
];
const LEVEL_TEXT = { DEP: { zh: '出发层', en: 'Departures' }, ARR: { zh: '到达层', en: 'Arrivals' } };

/** `part`: the second batch of one terminal's cameras (after its aggregation switch's 200), numbered on. */
function hallCameras(c: TerminalComplex, count: number, rnd: Rnd, part: 'first' | 'extra' = 'first'): Draft[] {
  const polys = [c.main, ...c.piers];
  const perPoly = apportion(count, polys.map((p) => p.area));
  return polys.flatMap((poly, pi) => {
    const isMain = pi === 0;
    const zones = isMain ? MAIN_ZONES : PIER_ZONES;
    const perZone = apportion(perPoly[pi], zones.map((z) => z.weight));
    const label = isMain ? { zh: c.code, en: c.code } : poly.name;
    const mid = centroid(poly.ring);
    return zones.flatMap((z, zi) => {
      const n = perZone[zi];
      const out: Draft[] = [];
      for (let i = 1; i <= n; i++) {
        const p = randomInside(poly.ring, rnd, (q) => {
          const d = poly.depth(q);
          return !isMain || (d >= z.depth[0] && d <= z.depth[1]);
        });
        const level = z.level ? LEVEL_TEXT[z.level] : null;
        const num = part === 'extra' ? `X${pad(i, n)}` : pad(i, n);
        const id = [isMain ? c.code : poly.id, z.level, z.key, num].filter(Boolean).join('-');
        const place = { zh: [label.zh, level?.zh, z.zh].filter(Boolean).join(' '), en: [label.en, level?.en, z.en].filter(Boolean).join(' ') };
        const toCentre = sub(mid, p);
        let headingDeg: number;
        if (z.face && poly.landside) headingDeg = turn(bearingDeg(poly.landside.outward) + between(rnd, -10, 10));
        else if (length(toCentre) < 20) headingDeg = rnd() * 360;
        else headingDeg = turn(bearingDeg(toCentre) + between(rnd, -40, 40));
        const mountHeightM = z.face ? 3 : round1(Math.min(Math.max(3, poly.heightM * 0.6), between(rnd, 3.5, 12)));
        const fovDeg = z.face ? 40 : Math.round(between(rnd, 60, 90));
        const rangeM = z.face ? 15 : Math.round(between(rnd, 40, 120));
        out.push({
          id,
          name: text(`${place.zh} ${num}`, `${place.en[0].toUpperCase()}${place.en.slice(1)} ${num}`),
          kind: z.face ? 'face' : 'fixed',
          zone: z.face ? 'face' : 'hall',
          at: p,
          mountHeightM,
          headingDeg: round1(headingDeg),
          tiltDeg: tiltFor(mountHeightM, rangeM),
          fovDeg,
          rangeM,
          presets: [],
          area: level ? text(`${label.zh} ${level.zh}`, `${label.en} ${level.en}`) : label,
          checkpoint: null,
        });
      }
      return out;
    });
  });
}

function landsideCameras(c: TerminalComplex, count: number, rnd: Rnd): Draft[] {
  const edge = c.main.landside!;
  const [kerbs, parks] = apportion(count, [0.6, 0.4]);
  const out: Draft[] = [];
  const depKerbs = Math.ceil(kerbs / 2);
  for (let i = 0; i < kerbs; i++) {
    const dep = i < depKerbs;
    const n = dep ? depKerbs : kerbs - depKerbs;
    const k = dep ? i : i - depKerbs;
    const along = edge.length * ((k + 0.5 + between(rnd, -0.2, 0.2)) / Math.max(1, n));
    const p = add(add(edge.a, scale(edge.dir, along)), scale(edge.outward, dep ? 12 : 25));
    // Along the kerb, turned a little toward the doors.
    const alongDir = k % 2 === 0 ? edge.dir : scale(edge.dir, -1);
    const headingDeg = round1(turn(bearingDeg(add(alongDir, scale(edge.outward, -0.3)))));
    const mountHeightM = round1(between(rnd, 6, 9));
    const rangeM = Math.round(between(rnd, 60, 120));
    const num = pad(k + 1, n);
    out.push({
      id: `${c.code}-KERB-${dep ? 'DEP' : 'ARR'}-${num}`,
      name: dep ? text(`${c.code} 出发车道边 ${num}`, `${c.code} Departures kerb ${num}`) : text(`${c.code} 到达车道边 ${num}`, `${c.code} Arrivals kerb ${num}`),
      kind: 'fixed', zone: 'kerb', at: p, mountHeightM, headingDeg, tiltDeg: tiltFor(mountHeightM, rangeM),
      fovDeg: Math.round(between(rnd, 60, 90)), rangeM, presets: [],
      area: text(`${c.code} 车道边`, `${c.code} kerbside`), checkpoint: null,
    });
  }
  // The car park: a block in front of the terminal, 100–260 m out on the landside.
  const mid = add(edge.a, scale(edge.dir, edge.length / 2));
  const half = Math.min(200, edge.length / 2);
  for (let i = 1; i <= parks; i++) {
    const p = add(add(mid, scale(edge.dir, between(rnd, -half, half))), scale(edge.outward, between(rnd, 100, 260)));
    const mountHeightM = round1(between(rnd, 8, 12));
    const rangeM = Math.round(between(rnd, 60, 110));
    const num = pad(i, parks);
    out.push({
      id: `${c.code}-PARK-${num}`,
      name: text(`${c.code} 停车场 ${num}`, `${c.code} car park ${num}`),
      kind: 'fixed', zone: 'carpark', at: p, mountHeightM, headingDeg: round1(rnd() * 360), tiltDeg: tiltFor(mountHeightM, rangeM),
      fovDeg: Math.round(between(rnd, 70, 90)), rangeM, presets: [],
      area: text(`${c.code} 停车场`, `${c.code} car park`), checkpoint: null,
    });
  }
  return out;
}

// ---- airside -----------------------------------------------------------------------------------------------

function apronCameras(apronId: string, area: Text, ring: Pt[], count: number, rnd: Rnd): Draft[] {
  const spacing = Math.sqrt(Math.abs(signedArea(ring)) / Math.max(1, count)) * 0.6;
  const masts: Pt[] = [];
  const out: Draft[] = [];
  for (let i = 1; i <= count; i++) {
    const p = randomInside(ring, rnd, (q) => masts.every((m) => length(sub(m, q)) >= spacing));
    masts.push(p);
    const mountHeightM = round1(between(rnd, 20, 30));
    const rangeM = Math.round(between(rnd, 300, 800));
    const n = 4 + Math.floor(rnd() * 5);
    const start = rnd() * 360;
    const firstStand = 100 + Math.floor(rnd() * 8) * 100 + (i % 10) * 10;
    const presets = Array.from({ length: n }, (_, k) => ({
      id: `P${k + 1}`,
      name: `${firstStand + k} 机位`,
      headingDeg: round1(turn(start + (k * 360) / n + between(rnd, -10, 10))),
      tiltDeg: tiltFor(mountHeightM, rangeM, between(rnd, 0.15, 0.6)),
    }));
    const num = pad(i, count);
    out.push({
      id: `${apronId}-PTZ-${num}`,
      name: text(`${area.zh} 高杆 ${num}`, `${area.en} mast ${num}`),
      kind: 'ptz', zone: 'apron', at: p, mountHeightM,
      headingDeg: presets[0].headingDeg, tiltDeg: presets[0].tiltDeg, fovDeg: 40, rangeM, presets,
      area, checkpoint: null,
    });
  }
  return out;
}

const SECTORS = [
  ['北段', 'north'], ['东北段', 'north-east'], ['东段', 'east'], ['东南段', 'south-east'],
  ['南段', 'south'], ['西南段', 'south-west'], ['西段', 'west'], ['西北段', 'north-west'],
] as const;

function fenceCameras(fences: Array<{ f: SitePack['features']['features'][number]; ring: Pt[] }>, count: number, rnd: Rnd): Draft[] {
  const perFence = apportion(count, fences.map((x) => perimeter(x.ring)));
  return fences.flatMap(({ f, ring }, fi) => {
    const n = perFence[fi];
    const total = perimeter(ring);
    const mid = centroid(ring);
    const out: Draft[] = [];
    for (let i = 0; i < n; i++) {
      const { p: onFence, dir } = alongRing(ring, ((i + 0.5 + between(rnd, -0.2, 0.2)) * total) / n);
      // A few metres inside the fence; every other camera looks the other way, so that pairs see each other.
      const p = add(onFence, scale(unit(sub(mid, onFence)), 3));
      const look = i % 2 === 0 ? dir : scale(dir, -1);
      const sector = SECTORS[Math.round(bearingDeg(sub(onFence, mid)) / 45) % 8];
      const mountHeightM = round1(between(rnd, 4, 6));
      const num = pad(i + 1, n);
      out.push({
        id: `${idSafe(f.id)}-${num}`,
        name: text(`${f.properties.name.zh} ${sector[0]} ${num}`, `${f.properties.name.en} ${sector[1]} ${num}`),
        kind: 'fixed', zone: 'fence', at: p, mountHeightM, headingDeg: bearingDeg(look), tiltDeg: tiltFor(mountHeightM, 150, 0.4),
        fovDeg: 30, rangeM: 150, presets: [],
        area: text(`${f.properties.name.zh} ${sector[0]}`, `${f.properties.name.en} ${sector[1]}`), checkpoint: null,
      });
    }
    return out;
  });
}

// ---- landside checkpoints ----------------------------------------------------------------------------------

function checkpointArea(features: SitePack['features']['features'], toLocal: (c: readonly number[]) => Pt, rnd: Rnd): { lanes: Draft[] } {
  const roads = features.flatMap((f) => (f.properties.kind === 'road' && f.geometry.type === 'LineString' ? [f.geometry.coordinates.map(toLocal)] : []));
  const lanes: Draft[] = [];
  for (const f of features) {
    if (f.properties.kind !== 'checkpoint' || f.geometry.type !== 'Point') continue;
    const at = toLocal(f.geometry.coordinates);
    const k = 2 + Math.floor(rnd() * 3);
    // Traffic runs along the nearest road; "in" is the way toward the airport (the reference point).
    let road: Pt | null = null;
    let best = 500;
    for (const line of roads) {
      for (let i = 0; i + 1 < line.length; i++) {
        const d = distanceToSegment(at, line[i], line[i + 1]);
        if (d < best) [best, road] = [d, unit(sub(line[i + 1], line[i]))];
      }
    }
    let inbound = road ?? unit(scale(at, -1));
    if (dot(inbound, scale(at, -1)) < 0) inbound = scale(inbound, -1);
    const across = { x: inbound.y, y: -inbound.x };
    const inLanes = Math.ceil(k / 2);
    const cpId = idSafe(f.id);
    for (let lane = 1; lane <= k; lane++) {
      const direction = lane <= inLanes ? 'in' : 'out';
      const p = add(at, scale(across, 3.5 * (lane - (k + 1) / 2)));
      // Each camera faces the traffic of its lane, from a gantry 6 m up.
      const look = direction === 'in' ? scale(inbound, -1) : inbound;
      lanes.push({
        id: `${cpId}-L${lane}`,
        name: text(`${f.properties.name.zh} 车道 ${lane}（${direction === 'in' ? '进' : '出'}）`, `${f.properties.name.en} lane ${lane} (${direction})`),
        kind: 'checkpoint', zone: 'checkpoint', at: p, mountHeightM: 6, headingDeg: bearingDeg(look), tiltDeg: tiltFor(6, 30),
        fovDeg: 35, rangeM: 30, presets: [],
        area: text(f.properties.name.zh, f.properties.name.en), checkpoint: cpId, lane: { lane, direction },
      });
    }
  }
  return { lanes };
}

function distanceToSegment(p: Pt, a: Pt, b: Pt): number {
  const ab = sub(b, a);
  const t = Math.max(0, Math.min(1, dot(sub(p, a), ab) / Math.max(1e-9, dot(ab, ab))));
  return length(sub(p, add(a, scale(ab, t))));
}

/** A site with none of the places above: fixed cameras about the reference point. */
function yardCameras(count: number, rnd: Rnd): Draft[] {
  return Array.from({ length: count }, (_, i) => {
    const p = scale(fromBearing(rnd() * 360), between(rnd, 50, 1500));
    const num = pad(i + 1, count);
    return {
      id: `YARD-${num}`, name: text(`场区 ${num}`, `Airfield ${num}`), kind: 'fixed' as const, zone: 'yard' as const, at: p,
      mountHeightM: 8, headingDeg: round1(rnd() * 360), tiltDeg: tiltFor(8, 100), fovDeg: 70, rangeM: 100, presets: [],
      area: text('场区', 'Airfield'), checkpoint: null,
    };
  });
}
