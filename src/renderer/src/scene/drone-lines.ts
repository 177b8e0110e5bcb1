// The stalks (a vertical line down to the ground) and trails (recent positions) of the drone tracks that get
// them — the drone layer decides which (drone-detail.ts); at scale a few dozen, never thousands. A stalk follows
// its track on every move (two positions: a cheap in-place buffer write). A trail takes every new fix at once in
// memory but is written to its polyline at most once per TRAIL_WRITE_MS, by a timer when no later move comes:
// rewriting thirty-position polylines on every move is what made ten thousand tracks crawl.
//
// Draw calls stay few: a PolylineCollection issues a draw command per run of polylines with equal material, so
// stalks and trails sit in one collection per colour (a level change moves them), all sharing one material.
// Trails always have TRAIL_DRAWN positions (a young trail is padded with points a few centimetres apart below
// its oldest fix): a polyline whose vertex count changes makes its whole collection rebuild.
import type { ThreatLevel } from '../../../shared/drones.ts';
import { Cesium, type CesiumModule } from './cesium.ts';
import type { Selection } from './selection.ts';

/** Positions drawn in a trail (the store keeps more). */
export const TRAIL_DRAWN = 30;
/** A trail is rewritten at most this often. */
export const TRAIL_WRITE_MS = 1000;
/** A new fix closer than this to the last one adds nothing to the trail (a hovering drone). */
export const SAME_SPOT_M = 0.05;

export type StyleKey = ThreatLevel | 'lost';
export const STYLE_KEYS: readonly StyleKey[] = [0, 1, 2, 3, 4, 'lost'];

interface Lines {
  style: StyleKey;
  stalk: CesiumModule.Polyline;
  trail: CesiumModule.Polyline;
  /** TRAIL_DRAWN positions, oldest first, as they will be drawn at the next write; `real` of them are fixes. */
  pending: CesiumModule.Cartesian3[];
  real: number;
  /** Fixes in the trail as drawn now. */
  drawnReal: number;
  writtenAt: number;
  dirty: boolean;
}

type Collections = Map<StyleKey, { lines: CesiumModule.PolylineCollection; material: CesiumModule.Material }>;

export class DroneLines {
  private readonly stalks: Collections = new Map();
  private readonly trails: Collections = new Map();
  private readonly byId = new Map<string, Lines>();
  private readonly dirty = new Set<Lines>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerDue = Number.POSITIVE_INFINITY;

  constructor(
    private readonly primitives: CesiumModule.PrimitiveCollection,
    colourOf: (style: StyleKey, alpha: number) => CesiumModule.Color,
    private readonly requestRender: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    for (const key of STYLE_KEYS) {
      this.stalks.set(key, { lines: primitives.add(new Cesium.PolylineCollection()), material: Cesium.Material.fromType('Color', { color: colourOf(key, 0.55) }) });
      this.trails.set(key, { lines: primitives.add(new Cesium.PolylineCollection()), material: Cesium.Material.fromType('Color', { color: colourOf(key, 0.8) }) });
    }
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Fixes in a track's trail as drawn now (0: no trail). */
  trailPoints(id: string): number {
    return this.byId.get(id)?.drawnReal ?? 0;
  }

  /** Draws a track's stalk and trail, the trail seeded with `seed` (its recent fixes, oldest first, ending at `position`). */
  add(id: string, style: StyleKey, position: CesiumModule.Cartesian3, ground: CesiumModule.Cartesian3, seed: readonly CesiumModule.Cartesian3[]): void {
    if (this.byId.has(id)) return;
    const fixes = dedupe([...seed, position]).slice(-TRAIL_DRAWN);
    const pending = padTrail(fixes);
    const pick = { kind: 'drone', trackId: id } satisfies Selection;
    const l: Lines = {
      style, pending, real: fixes.length, drawnReal: fixes.length, writtenAt: this.now(), dirty: false,
      stalk: this.addStalk(style, pick, [position, ground]),
      trail: this.addTrail(style, pick, pending.slice()),
    };
    this.byId.set(id, l);
  }

  /** Moves a track's stalk now and takes the new fix into its trail (drawn within TRAIL_WRITE_MS). */
  move(id: string, style: StyleKey, position: CesiumModule.Cartesian3, ground: CesiumModule.Cartesian3): void {
    const l = this.byId.get(id);
    if (!l) return;
    if (l.style !== style) this.restyle(l, style);
    l.stalk.positions = [position, ground];
    const p = l.pending;
    if (Cesium.Cartesian3.distance(p[p.length - 1], position) < SAME_SPOT_M) return;
    p.shift();
    p.push(position);
    if (l.real < TRAIL_DRAWN) {
      l.real++;
      // Keep the padding at the start just below the oldest fix, so that the trail does not reach back to it.
      const pad = TRAIL_DRAWN - l.real;
      const oldest = p[pad];
      for (let i = 0; i < pad; i++) p[i] = offsetDown(oldest, (pad - i) * 0.05);
    }
    l.dirty = true;
    const due = l.writtenAt + TRAIL_WRITE_MS;
    if (due <= this.now()) this.write(l);
    else {
      this.dirty.add(l);
      this.schedule(due);
    }
  }

  /** Restyles a track's lines without a move (a level or state change). */
  restyleOnly(id: string, style: StyleKey): void {
    const l = this.byId.get(id);
    if (l && l.style !== style) this.restyle(l, style);
  }

  remove(id: string): void {
    const l = this.byId.get(id);
    if (!l) return;
    removeSharing(this.stalks.get(l.style)!.lines, l.stalk);
    removeSharing(this.trails.get(l.style)!.lines, l.trail);
    this.dirty.delete(l);
    this.byId.delete(id);
  }

  setVisible(on: boolean): void {
    for (const { lines } of [...this.stalks.values(), ...this.trails.values()]) lines.show = on;
  }

  /** No more timed trail writes (the viewer is going). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerDue = Number.POSITIVE_INFINITY;
  }

  destroy(): void {
    this.stop();
    for (const id of [...this.byId.keys()]) this.remove(id);
    for (const { lines } of [...this.stalks.values(), ...this.trails.values()]) this.primitives.remove(lines);
  }

  private addStalk(style: StyleKey, id: Selection, positions: CesiumModule.Cartesian3[]): CesiumModule.Polyline {
    const c = this.stalks.get(style)!;
    return c.lines.add({ id, positions, width: 1.5, material: c.material });
  }

  private addTrail(style: StyleKey, id: Selection, positions: CesiumModule.Cartesian3[]): CesiumModule.Polyline {
    const c = this.trails.get(style)!;
    return c.lines.add({ id, positions, width: 2, material: c.material });
  }

  /** Moves a track's lines to the collections of its new colour. */
  private restyle(l: Lines, style: StyleKey): void {
    const id = l.stalk.id as Selection;
    const stalk = l.stalk.positions;
    removeSharing(this.stalks.get(l.style)!.lines, l.stalk);
    removeSharing(this.trails.get(l.style)!.lines, l.trail);
    l.stalk = this.addStalk(style, id, stalk);
    l.trail = this.addTrail(style, id, l.pending.slice());
    l.drawnReal = l.real;
    l.dirty = false;
    this.dirty.delete(l);
    l.style = style;
  }

  private write(l: Lines): void {
    // A copy: Cesium keeps the array it is given, and `pending` goes on changing.
    l.trail.positions = l.pending.slice();
    l.drawnReal = l.real;
    l.writtenAt = this.now();
    l.dirty = false;
    this.dirty.delete(l);
  }

  private schedule(due: number): void {
    if (this.timer && due >= this.timerDue) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => this.writeDue(), Math.max(0, due - this.now()));
  }

  /** Writes every trail whose time has come, and waits for the next. */
  private writeDue(): void {
    this.timer = null;
    this.timerDue = Number.POSITIVE_INFINITY;
    const now = this.now();
    let next = Number.POSITIVE_INFINITY;
    let wrote = false;
    for (const l of [...this.dirty]) {
      const due = l.writtenAt + TRAIL_WRITE_MS;
      if (due <= now) {
        this.write(l);
        wrote = true;
      } else next = Math.min(next, due);
    }
    if (wrote) this.requestRender();
    if (next < Number.POSITIVE_INFINITY) this.schedule(next);
  }
}

/**
 * Removes a polyline whose material other polylines share: Cesium's remove destroys the removed polyline's
 * material, which would leave every other polyline of that colour with a destroyed one (the next render throws).
 */
export function removeSharing(collection: CesiumModule.PolylineCollection, line: CesiumModule.Polyline): void {
  (line as unknown as { _material?: unknown })._material = undefined;
  collection.remove(line);
}

/** Drops consecutive points that Cesium would take as one (a polyline needs two distinct points). */
export function dedupe(points: CesiumModule.Cartesian3[]): CesiumModule.Cartesian3[] {
  return points.filter((p, i) => i === 0 || Cesium.Cartesian3.distance(p, points[i - 1]) >= SAME_SPOT_M);
}

/** A point `m` metres lower (negative: higher), along the local vertical. */
export function offsetDown(p: CesiumModule.Cartesian3, m: number): CesiumModule.Cartesian3 {
  const c = Cesium.Cartographic.fromCartesian(p);
  return Cesium.Cartesian3.fromRadians(c.longitude, c.latitude, c.height - m);
}

/** TRAIL_DRAWN positions: the fixes, after padding points 5 cm apart below the oldest (never two alike). */
function padTrail(fixes: CesiumModule.Cartesian3[]): CesiumModule.Cartesian3[] {
  const pad = TRAIL_DRAWN - fixes.length;
  return [...Array.from({ length: pad }, (_, i) => offsetDown(fixes[0], (pad - i) * 0.05)), ...fixes];
}
