// How a simulated object moves: a chain of straight legs, orbits and hovers in local metres (x east, y north)
// with a height above the aerodrome, evaluated at any second. Pure and deterministic: the same route gives the
// same position at the same second, which is what makes the simulated sky repeatable for a seed.

export interface RoutePoint {
  x: number;
  y: number;
  /** Metres above the aerodrome elevation. */
  h: number;
}

export interface RouteState extends RoutePoint {
  /** Ground speed, m/s. */
  speed: number;
  /** Track over the ground, degrees clockwise from north. */
  heading: number;
  /** m/s, positive climbing. */
  verticalSpeed: number;
}

export interface BuiltRoute {
  durationS: number;
  /** Where the object is tS seconds after the route starts; null before it starts and once it has ended. */
  at(tS: number): RouteState | null;
}

interface Segment {
  startS: number;
  durationS: number;
  at(dt: number): RouteState;
}

/** A climb or descent faster than this stretches the leg: small drones climb at a few m/s. */
const MAX_CLIMB_MPS = 4;
const headingOf = (dx: number, dy: number) => ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;

export class Route {
  private readonly segments: Segment[] = [];
  private t = 0;
  private here: RoutePoint;
  private lastHeading = 0;

  constructor(start: RoutePoint) {
    this.here = { ...start };
  }

  /** A straight leg to `p` at `speed` m/s over the ground (longer when the climb needs it). */
  to(p: RoutePoint, speed: number): this {
    const from = this.here;
    const dx = p.x - from.x;
    const dy = p.y - from.y;
    const dh = p.h - from.h;
    const dist = Math.hypot(dx, dy);
    const durationS = Math.max(dist / speed, Math.abs(dh) / MAX_CLIMB_MPS, 0.001);
    const heading = dist > 0.01 ? headingOf(dx, dy) : this.lastHeading;
    this.push(durationS, (dt) => {
      const k = dt / durationS;
      return { x: from.x + dx * k, y: from.y + dy * k, h: from.h + dh * k, speed: dist / durationS, heading, verticalSpeed: dh / durationS };
    });
    this.here = { ...p };
    this.lastHeading = heading;
    return this;
  }

  /** Clockwise circles about `center` from where the object is, for `durationS`, its height going to `toH`. */
  orbit(center: { x: number; y: number }, durationS: number, speed: number, toH = this.here.h): this {
    const from = this.here;
    const radius = Math.max(1, Math.hypot(from.x - center.x, from.y - center.y));
    const startAngle = Math.atan2(from.x - center.x, from.y - center.y); // clockwise from north
    const omega = speed / radius;
    const dh = toH - from.h;
    const at = (dt: number): RouteState => {
      const a = startAngle + omega * dt;
      return {
        x: center.x + radius * Math.sin(a),
        y: center.y + radius * Math.cos(a),
        h: from.h + (dh * dt) / durationS,
        speed,
        heading: ((((a * 180) / Math.PI + 90) % 360) + 360) % 360,
        verticalSpeed: dh / durationS,
      };
    };
    this.push(durationS, at);
    const end = at(durationS);
    this.here = { x: end.x, y: end.y, h: end.h };
    this.lastHeading = end.heading;
    return this;
  }

  /** A hover where it is. */
  hold(durationS: number): this {
    const p = { ...this.here };
    const heading = this.lastHeading;
    this.push(durationS, () => ({ ...p, speed: 0, heading, verticalSpeed: 0 }));
    return this;
  }

  get position(): RoutePoint {
    return { ...this.here };
  }

  build(): BuiltRoute {
    const segments = [...this.segments];
    const durationS = this.t;
    return {
      durationS,
      at(tS) {
        if (!(tS >= 0) || tS > durationS) return null;
        for (const s of segments) if (tS <= s.startS + s.durationS) return s.at(tS - s.startS);
        return null;
      },
    };
  }

  private push(durationS: number, at: (dt: number) => RouteState): void {
    this.segments.push({ startS: this.t, durationS, at });
    this.t += durationS;
  }
}
