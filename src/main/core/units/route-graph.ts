// The roads and paths a unit drives or walks, as a graph in the site's local metric frame, for the estimated
// arrival. Built from lines: points of different lines within JOIN_M are one node, and a line's end that
// stops within JOIN_M of another line's segment is joined to it there (a T junction). A position off the
// graph reaches it straight, to the nearest point of the nearest segment (at most SNAP_M away).
import type { XY } from '../geo/local-frame.ts';

export const JOIN_M = 15;
/** Further than this from every road, the graph says nothing about a position: straight line. */
export const SNAP_M = 500;

interface Segment { a: number; b: number; length: number }

/** Where a position meets the graph: on segment `seg`, `along` metres from its end `a`, `offM` from the position. */
export interface Snap { seg: number; along: number; offM: number }

export class RouteGraph {
  private readonly nodes: XY[] = [];
  private readonly segments: Segment[] = [];
  private readonly adjacency: Array<Array<{ to: number; w: number }>> = [];
  private readonly index: SegmentIndex;

  constructor(lines: ReadonlyArray<ReadonlyArray<XY>>) {
    const byCell = new Map<string, number[]>();
    const cell = (p: XY) => [Math.floor(p.x / JOIN_M), Math.floor(p.y / JOIN_M)];
    const nodeAt = (p: XY): number => {
      const [cx, cy] = cell(p);
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const n of byCell.get(`${cx + dx},${cy + dy}`) ?? []) if (dist(this.nodes[n], p) <= JOIN_M) return n;
        }
      }
      this.nodes.push(p);
      const key = `${cx},${cy}`;
      byCell.set(key, [...(byCell.get(key) ?? []), this.nodes.length - 1]);
      return this.nodes.length - 1;
    };
    const raw: Array<[number, number]> = [];
    const ends = new Set<number>();
    for (const line of lines) {
      const ids = line.map(nodeAt);
      for (let i = 1; i < ids.length; i++) if (ids[i] !== ids[i - 1]) raw.push([ids[i - 1], ids[i]]);
      ends.add(ids[0]).add(ids[ids.length - 1]);
    }
    // A line's end near another segment (not its own) splits that segment at the end's projection.
    const splits = new Map<number, Array<{ t: number; node: number }>>();
    const rawIndex = new SegmentIndex(this.nodes, raw);
    for (const e of ends) {
      const near = rawIndex.nearest(this.nodes[e], JOIN_M, (i) => raw[i][0] !== e && raw[i][1] !== e);
      if (near && near.t > 0 && near.t < 1) splits.set(near.i, [...(splits.get(near.i) ?? []), { t: near.t, node: e }]);
    }
    for (let i = 0; i < this.nodes.length; i++) this.adjacency.push([]);
    raw.forEach(([a, b], i) => {
      const chain = [a, ...(splits.get(i) ?? []).sort((x, y) => x.t - y.t).map((s) => s.node), b];
      for (let k = 1; k < chain.length; k++) this.addSegment(chain[k - 1], chain[k]);
    });
    this.index = new SegmentIndex(this.nodes, this.segments.map((s) => [s.a, s.b]));
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** The nearest point of the graph to `p`, or null when none is within SNAP_M. */
  snap(p: XY): Snap | null {
    const near = this.index.nearest(p, SNAP_M);
    return near ? { seg: near.i, along: near.t * this.segments[near.i].length, offM: near.d } : null;
  }

  /**
   * Distances over the graph from `target` (Dijkstra once): a function giving, for another snapped position,
   * the distance along the roads between the two snap points (without the off-road legs), or null when no
   * path joins them.
   */
  distancesFrom(target: Snap): (from: Snap) => number | null {
    const dist = new Float64Array(this.nodes.length).fill(Number.POSITIVE_INFINITY);
    const heap = new MinHeap();
    const ts = this.segments[target.seg];
    const seed = (n: number, d: number) => {
      if (d < dist[n]) {
        dist[n] = d;
        heap.push(n, d);
      }
    };
    seed(ts.a, target.along);
    seed(ts.b, ts.length - target.along);
    for (let top = heap.pop(); top; top = heap.pop()) {
      if (top.d > dist[top.n]) continue;
      for (const { to, w } of this.adjacency[top.n]) seed(to, top.d + w);
    }
    return (from) => {
      const s = this.segments[from.seg];
      let d = Math.min(dist[s.a] + from.along, dist[s.b] + s.length - from.along);
      if (from.seg === target.seg) d = Math.min(d, Math.abs(from.along - target.along));
      return Number.isFinite(d) ? d : null;
    };
  }

  private addSegment(a: number, b: number): void {
    if (a === b) return;
    const length = dist(this.nodes[a], this.nodes[b]);
    this.segments.push({ a, b, length });
    this.adjacency[a].push({ to: b, w: length });
    this.adjacency[b].push({ to: a, w: length });
  }
}

const dist = (p: XY, q: XY) => Math.hypot(p.x - q.x, p.y - q.y);

/** Where `p` projects on segment a-b: the fraction t along it (clamped) and the distance to that point. */
function project(p: XY, a: XY, b: XY): { t: number; d: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return { t, d: Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy)) };
}

const CELL_M = 100;

/** Segments bucketed on a square grid, for the nearest one to a point within a radius. */
class SegmentIndex {
  private readonly cells = new Map<number, number[]>();
  /** Which query last looked at each segment: no Set per query. */
  private readonly seenBy: Uint32Array;
  private query = 0;

  constructor(private readonly nodes: readonly XY[], private readonly segs: ReadonlyArray<readonly [number, number]>) {
    this.seenBy = new Uint32Array(segs.length);
    segs.forEach(([a, b], i) => {
      const p = nodes[a];
      const q = nodes[b];
      // Every cell the segment's bounding box covers: a superset of the cells it crosses, which is enough.
      for (let cx = Math.floor(Math.min(p.x, q.x) / CELL_M); cx <= Math.floor(Math.max(p.x, q.x) / CELL_M); cx++) {
        for (let cy = Math.floor(Math.min(p.y, q.y) / CELL_M); cy <= Math.floor(Math.max(p.y, q.y) / CELL_M); cy++) {
          const list = this.cells.get(cellKey(cx, cy));
          if (list) list.push(i);
          else this.cells.set(cellKey(cx, cy), [i]);
        }
      }
    });
  }

  /** The nearest segment within `maxM` (that `accept` lets through): its index, where along it (0–1), how far. */
  nearest(p: XY, maxM: number, accept: (i: number) => boolean = () => true): { i: number; t: number; d: number } | null {
    const cx = Math.floor(p.x / CELL_M);
    const cy = Math.floor(p.y / CELL_M);
    const stamp = ++this.query;
    let best: { i: number; t: number; d: number } | null = null;
    // Ring by ring outwards: a segment first met in ring k is at least k-1 cells away.
    for (let k = 0; (k - 1) * CELL_M <= maxM; k++) {
      if (best && best.d <= (k - 1) * CELL_M) break;
      for (let dx = -k; dx <= k; dx++) {
        const step = Math.abs(dx) === k ? 1 : 2 * k;
        for (let dy = -k; dy <= k; dy += Math.max(1, step)) {
          for (const i of this.cells.get(cellKey(cx + dx, cy + dy)) ?? []) {
            if (this.seenBy[i] === stamp) continue;
            this.seenBy[i] = stamp;
            if (!accept(i)) continue;
            const { t, d } = project(p, this.nodes[this.segs[i][0]], this.nodes[this.segs[i][1]]);
            if (d <= maxM && (!best || d < best.d)) best = { i, t, d };
          }
        }
      }
    }
    return best;
  }
}

/** Cells as one number: ±2^20 cells of 100 m each way is far beyond any site. */
const cellKey = (cx: number, cy: number) => (cx + 1048576) * 2097152 + (cy + 1048576);

/** A binary heap of (node, distance), smallest distance first. */
class MinHeap {
  private readonly n: number[] = [];
  private readonly d: number[] = [];

  push(node: number, d: number): void {
    this.n.push(node);
    this.d.push(d);
    let i = this.n.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.d[parent] <= this.d[i]) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { n: number; d: number } | undefined {
    if (!this.n.length) return undefined;
    const top = { n: this.n[0], d: this.d[0] };
    const lastN = this.n.pop()!;
    const lastD = this.d.pop()!;
    if (this.n.length) {
      this.n[0] = lastN;
      this.d[0] = lastD;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.n.length && this.d[l] < this.d[m]) m = l;
        if (r < this.n.length && this.d[r] < this.d[m]) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  private swap(i: number, j: number): void {
    [this.n[i], this.n[j]] = [this.n[j], this.n[i]];
    [this.d[i], this.d[j]] = [this.d[j], this.d[i]];
  }
}
