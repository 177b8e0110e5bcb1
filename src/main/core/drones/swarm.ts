// Swarms: many drones flying together are one thing to the operator. Active drone (or unclassified) tracks are
// grouped by single linkage (a track joins a group when it is within SWARM_LINK_M of any member); a group of
// SWARM_MIN_SIZE or more is a swarm. Swarm ids are stable while the swarm flies: a group keeps the id of the
// swarm it shares most members with, so that its one alarm follows it as drones join and leave.
import type { DroneTrack } from '../../../shared/drones.ts';

export const SWARM_LINK_M = 400;
export const SWARM_MIN_SIZE = 8;
const METRES_PER_DEGREE_LAT = 111_320;

interface Point {
  id: string;
  lon: number;
  lat: number;
}

/** Single-linkage groups of points within `linkM` of a neighbour, each sorted by id; largest first. */
export function linkGroups(points: readonly Point[], linkM: number): string[][] {
  if (!points.length) return [];
  // Within a few hundred metres an equirectangular projection about the points' mean latitude is exact to
  // well under a metre; a grid of link-sized cells makes the neighbour search linear.
  const meanLat = points.reduce((s, p) => s + p.lat, 0) / points.length;
  const kx = METRES_PER_DEGREE_LAT * Math.cos((meanLat * Math.PI) / 180);
  const xy = points.map((p) => ({ x: p.lon * kx, y: p.lat * METRES_PER_DEGREE_LAT }));
  const parent = points.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const cells = new Map<string, number[]>();
  xy.forEach((p, i) => {
    const key = `${Math.floor(p.x / linkM)},${Math.floor(p.y / linkM)}`;
    (cells.get(key) ?? cells.set(key, []).get(key)!).push(i);
  });
  xy.forEach((p, i) => {
    const cx = Math.floor(p.x / linkM);
    const cy = Math.floor(p.y / linkM);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const j of cells.get(`${cx + dx},${cy + dy}`) ?? []) {
          if (j <= i) continue;
          if (Math.hypot(p.x - xy[j].x, p.y - xy[j].y) <= linkM) parent[root(j)] = root(i);
        }
      }
    }
  });
  const groups = new Map<number, string[]>();
  points.forEach((p, i) => {
    const r = root(i);
    (groups.get(r) ?? groups.set(r, []).get(r)!).push(p.id);
  });
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => b.length - a.length || a[0].localeCompare(b[0]));
}

export interface Swarm {
  id: string;
  members: DroneTrack[];
  drill: boolean;
}

/** The swarms now, with the ids they had before; `commit` makes them the swarms the next batch is matched against. */
export interface SwarmProposal {
  swarms: Swarm[];
  commit(): void;
}

export class SwarmTracker {
  private swarms = new Map<string, ReadonlySet<string>>();
  private next = 1;

  /**
   * Groups the picture into swarms. New swarms get `SWARM-<n>`, skipping ids `isTaken` says are in use (an open
   * alarm of an earlier run of the console).
   */
  async propose(picture: readonly DroneTrack[], isTaken: (id: string) => Promise<boolean>): Promise<SwarmProposal> {
    const candidates = picture.filter((t) => t.state === 'active' && (t.classification === 'drone' || t.classification === 'unknown'));
    const byId = new Map(candidates.map((t) => [t.id, t]));
    // Drill tracks swarm with drill tracks only: a drill must never merge into a live alarm.
    const groups = [false, true].flatMap((drill) =>
      linkGroups(candidates.filter((t) => t.drill === drill).map((t) => ({ id: t.id, ...t.position })), SWARM_LINK_M)
        .filter((g) => g.length >= SWARM_MIN_SIZE)
        .map((ids) => ({ ids, drill })),
    );

    // Greedy matching on shared members, most shared first: each old swarm names at most one new group.
    const pairs: Array<{ group: number; id: string; shared: number }> = [];
    groups.forEach((g, i) => {
      for (const [id, members] of this.swarms) {
        const shared = g.ids.reduce((n, t) => n + (members.has(t) ? 1 : 0), 0);
        if (shared > 0) pairs.push({ group: i, id, shared });
      }
    });
    pairs.sort((a, b) => b.shared - a.shared || a.id.localeCompare(b.id) || a.group - b.group);
    const named = new Map<number, string>();
    const used = new Set<string>();
    for (const p of pairs) {
      if (named.has(p.group) || used.has(p.id)) continue;
      named.set(p.group, p.id);
      used.add(p.id);
    }
    let next = this.next;
    for (let i = 0; i < groups.length; i++) {
      if (named.has(i)) continue;
      let id = `SWARM-${next++}`;
      for (let tries = 0; tries < 1000 && (await isTaken(id)); tries++) id = `SWARM-${next++}`;
      named.set(i, id);
    }

    const swarms = groups.map((g, i) => ({ id: named.get(i)!, members: g.ids.map((t) => byId.get(t)!), drill: g.drill }));
    return {
      swarms,
      commit: () => {
        this.swarms = new Map(swarms.map((s) => [s.id, new Set(s.members.map((m) => m.id))]));
        this.next = next;
      },
    };
  }
}
