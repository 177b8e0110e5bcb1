// The units' true movements and the GPS fixes their devices report, as a pure function of the seed and the
// simulated time (plus the commands given): two fleets with the same seed report the same fixes at the same
// simulated second. Patrols walk (or drive) their route at their speed, pausing at some of its points for a
// seeded while; posts, stations and quick-response points stand at home. A `goto` takes a unit off its route
// straight to a point, where it holds; `resume` sends it back to the nearest point of its route (or home).
// Each fix carries seeded GPS noise of a few metres.
import type { LocalFrame, XY } from '../../main/core/geo/local-frame.ts';
import { dist, headingOf, RouteLoop } from './route-loop.ts';
import type { SimUnit } from './units-pack.ts';

/** A device reports a fix every this many simulated seconds. */
export const FIX_EVERY_S = 1;
/** Standard deviation of the GPS error, metres: moving, and standing. */
const NOISE_MOVING_M = 3;
const NOISE_STANDING_M = 1.5;
/** Half the pauses at a route point last 15–60 s; the other half are none. */
const PAUSE_CHANCE = 0.5;
const PAUSE_MIN_S = 15;
const PAUSE_SPAN_S = 45;

export type UnitMode = 'patrol' | 'standing' | 'goto' | 'holding' | 'returning';

export interface TruePosition {
  xy: XY;
  headingDeg: number;
  moving: boolean;
  mode: UnitMode;
}

/** A fix as the vendor platform's API gives it (GET /api/v1/positions). */
export interface DeviceFix {
  deviceId: string;
  lon: number;
  lat: number;
  speedMps: number;
  headingDeg: number;
  fixAt: string;
  accuracyM: number;
}

/** A route walk from a point of the loop, at a time; `cursor` is how far a query has advanced it. */
interface Walk {
  kind: 'walk';
  start: WalkPoint;
  cursor: WalkPoint;
}
interface WalkPoint {
  /** When it leaves (leg, offset), moving. */
  since: number;
  leg: number;
  offset: number;
  lap: number;
}
interface Stand {
  kind: 'stand';
  at: XY;
  headingDeg: number;
  mode: 'standing' | 'holding';
}
interface Transit {
  kind: 'transit';
  since: number;
  from: XY;
  to: XY;
  headingDeg: number;
  mode: 'goto' | 'returning';
  /** What follows its arrival (at the given simulated time). */
  then: (arrivalS: number) => Plan;
}
type Plan = Walk | Stand | Transit;

interface UnitState {
  unit: SimUnit;
  index: number;
  loop: RouteLoop | null;
  plan: Plan;
  silent: boolean;
  /** Its fixes carry a latitude that is not a number (a device or platform bug). */
  badFix: boolean;
}

/** A uniform number in [0, 1) from integers: the same inputs, the same number. */
export function hashUniform(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x01000193);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return (h >>> 0) / 4294967296;
}

export class Fleet {
  private readonly units = new Map<string, UnitState>();

  constructor(
    private readonly frame: LocalFrame,
    units: SimUnit[],
    private readonly opts: { seed: number; pauses?: boolean },
  ) {
    units.forEach((unit, index) => {
      const loop = unit.route ? new RouteLoop(unit.route) : null;
      const state: UnitState = { unit, index, loop, plan: this.homePlan(unit, loop, index), silent: false, badFix: false };
      this.units.set(unit.id, state);
    });
  }

  ids(): string[] {
    return [...this.units.keys()];
  }

  has(id: string): boolean {
    return this.units.has(id);
  }

  /** Where the unit truly is at simulated second `t` (no GPS error). */
  truePosition(id: string, t: number): TruePosition {
    return this.positionOf(this.require(id), t);
  }

  /** The latest fix of every device that reports, as of simulated second `t`; `wallMs` maps a simulated second to the wall clock. */
  fixes(t: number, wallMs: (simS: number) => number): Array<DeviceFix | (Omit<DeviceFix, 'lat'> & { lat: string })> {
    const fixS = Math.floor(t / FIX_EVERY_S) * FIX_EVERY_S;
    const fixIndex = Math.round(fixS / FIX_EVERY_S);
    const out: Array<DeviceFix | (Omit<DeviceFix, 'lat'> & { lat: string })> = [];
    for (const s of this.units.values()) {
      if (s.silent) continue;
      const p = this.positionOf(s, fixS);
      const seed = this.opts.seed;
      const sigma = p.moving ? NOISE_MOVING_M : NOISE_STANDING_M;
      const [dx, dy] = gaussianPair(hashUniform(seed, s.index, fixIndex, 1), hashUniform(seed, s.index, fixIndex, 2));
      const [lon, lat] = this.frame.toLonLat({ x: p.xy.x + dx * sigma, y: p.xy.y + dy * sigma });
      const speed = p.moving ? s.unit.speedMps * (0.95 + 0.1 * hashUniform(seed, s.index, fixIndex, 3)) : 0;
      const fix = {
        deviceId: s.unit.id,
        lon: round(lon, 7),
        lat: round(lat, 7),
        speedMps: round(speed, 2),
        headingDeg: round(p.headingDeg, 1) % 360,
        fixAt: new Date(wallMs(fixS)).toISOString(),
        accuracyM: round(3 + 5 * hashUniform(seed, s.index, fixIndex, 4), 1),
      };
      out.push(s.badFix ? { ...fix, lat: `N${fix.lat.toFixed(4)}` } : fix);
    }
    return out;
  }

  /** Off its route (or post) straight to `to` at its speed, then it holds there. */
  goto(id: string, to: XY, t: number): void {
    const s = this.require(id);
    const here = this.positionOf(s, t);
    s.plan = transit(here.xy, to, t, here.headingDeg, 'goto', () => ({ kind: 'stand', at: to, headingDeg: headingOf(here.xy, to), mode: 'holding' }));
  }

  /** Back to the nearest point of its route and on along it; a unit without a route back home. */
  resume(id: string, t: number): void {
    const s = this.require(id);
    const here = this.positionOf(s, t);
    if (s.loop && s.loop.total > 0) {
      const join = s.loop.nearest(here.xy);
      s.plan = transit(here.xy, join.xy, t, here.headingDeg, 'returning', (arrival) => walkFrom({ since: arrival, leg: join.leg, offset: join.offset, lap: 0 }));
    } else {
      const home = s.unit.home ?? here.xy;
      s.plan = transit(here.xy, home, t, here.headingDeg, 'returning', () => ({ kind: 'stand', at: home, headingDeg: 0, mode: 'standing' }));
    }
  }

  setSilent(id: string, silent: boolean): void {
    this.require(id).silent = silent;
  }

  setBadFix(id: string, bad: boolean): void {
    this.require(id).badFix = bad;
  }

  /** Each unit's mode, true position and device state at `t` (for /sim/state). */
  state(t: number): Array<{ id: string; mode: UnitMode; moving: boolean; lon: number; lat: number; headingDeg: number; silent: boolean; badFix: boolean }> {
    return [...this.units.values()].map((s) => {
      const p = this.positionOf(s, t);
      const [lon, lat] = this.frame.toLonLat(p.xy);
      return { id: s.unit.id, mode: p.mode, moving: p.moving, lon: round(lon, 7), lat: round(lat, 7), headingDeg: round(p.headingDeg, 1), silent: s.silent, badFix: s.badFix };
    });
  }

  private require(id: string): UnitState {
    const s = this.units.get(id);
    if (!s) throw new UnknownUnitError(id, this.ids());
    return s;
  }

  /** Where a unit starts: a patrol at a seeded point of its route, anyone else at home. */
  private homePlan(unit: SimUnit, loop: RouteLoop | null, index: number): Plan {
    if (loop && loop.total > 0) {
      const start = loop.at(hashUniform(this.opts.seed, index, 0x57a7) * loop.total);
      return walkFrom({ since: 0, leg: start.leg, offset: start.offset, lap: 0 });
    }
    const at = unit.home ?? unit.route?.[0] ?? { x: 0, y: 0 };
    return { kind: 'stand', at, headingDeg: 0, mode: 'standing' };
  }

  private positionOf(s: UnitState, t: number): TruePosition {
    for (;;) {
      const plan = s.plan;
      if (plan.kind === 'stand') return { xy: plan.at, headingDeg: plan.headingDeg, moving: false, mode: plan.mode };
      if (plan.kind === 'walk') return this.walkAt(s, plan, t);
      const d = dist(plan.from, plan.to);
      const arrival = plan.since + d / s.unit.speedMps;
      if (t >= arrival) {
        s.plan = plan.then(arrival);
        continue;
      }
      const f = t <= plan.since || d === 0 ? 0 : (t - plan.since) / (arrival - plan.since);
      const xy = { x: plan.from.x + (plan.to.x - plan.from.x) * f, y: plan.from.y + (plan.to.y - plan.from.y) * f };
      return { xy, headingDeg: d > 0 ? headingOf(plan.from, plan.to) : plan.headingDeg, moving: d > 0, mode: plan.mode };
    }
  }

  /** The walk at `t`: moving along a leg, or pausing at the point that ends it. Queries move its cursor on. */
  private walkAt(s: UnitState, walk: Walk, t: number): TruePosition {
    const loop = s.loop!;
    const speed = s.unit.speedMps;
    if (t < walk.cursor.since) walk.cursor = { ...walk.start };
    if (t < walk.cursor.since) return { ...pick(loop.on(walk.cursor.leg, walk.cursor.offset)), moving: false, mode: 'patrol' };
    for (;;) {
      const { since, leg, offset, lap } = walk.cursor;
      const arrival = since + (loop.legLengths[leg] - offset) / speed;
      if (t < arrival) return { ...pick(loop.on(leg, offset + (t - since) * speed)), moving: true, mode: 'patrol' };
      const next = leg + 1 === loop.legs ? 0 : leg + 1;
      const leaves = arrival + this.pauseS(s.index, lap, next);
      if (t < leaves) return { ...pick(loop.on(leg, loop.legLengths[leg])), moving: false, mode: 'patrol' };
      walk.cursor = { since: leaves, leg: next, offset: 0, lap: next === 0 ? lap + 1 : lap };
    }
  }

  /** How long a patrol stays at point `vertex` on lap `lap`. */
  private pauseS(index: number, lap: number, vertex: number): number {
    if (this.opts.pauses === false) return 0;
    const seed = this.opts.seed;
    if (hashUniform(seed, index, lap, vertex, 0x9a05e) >= PAUSE_CHANCE) return 0;
    return PAUSE_MIN_S + PAUSE_SPAN_S * hashUniform(seed, index, lap, vertex, 0xd0e5);
  }
}

export class UnknownUnitError extends Error {
  constructor(readonly unitId: string, known: string[]) {
    super(`unitId: no unit "${unitId}" (there are ${known.join(', ')})`);
  }
}

function walkFrom(start: WalkPoint): Walk {
  return { kind: 'walk', start, cursor: { ...start } };
}

function transit(from: XY, to: XY, since: number, headingDeg: number, mode: Transit['mode'], then: Transit['then']): Transit {
  return { kind: 'transit', since, from: { ...from }, to, headingDeg, mode, then };
}

const pick = (p: { xy: XY; headingDeg: number }) => ({ xy: p.xy, headingDeg: p.headingDeg });

/** Two independent standard normal numbers from two uniforms (Box–Muller). */
function gaussianPair(u1: number, u2: number): [number, number] {
  const r = Math.sqrt(-2 * Math.log(Math.max(u1, 1e-12)));
  return [r * Math.cos(2 * Math.PI * u2), r * Math.sin(2 * Math.PI * u2)];
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
