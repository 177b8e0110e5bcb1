// What the runway board's picture means for a threatened runway: in use, closed, or unknown (no feed, or the
// feed does not mention it), and whether an approach or take-off path is flown now. A runway suspended by the
// drone response keeps the verdict it would have without the suspension: the drone is why it is suspended, and
// the aircraft held for it are waiting to use it as the feed says. `suspended()` tells the two apart.
import type { RunwayState, RunwayUse } from '../../../shared/drones.ts';
import type { SitePack } from '../../../shared/site.ts';

export type RunwayUseVerdict = 'in-use' | 'closed' | 'unknown';

export class RunwayUseReader {
  /** A runway end designator or runway id → the site runway's id. */
  private readonly runwayIdOf = new Map<string, string>();

  constructor(site: SitePack) {
    for (const r of site.runways) {
      this.runwayIdOf.set(r.id, r.id);
      for (const e of r.ends) this.runwayIdOf.set(e.designator, r.id);
    }
  }

  /** The site runway a surface's runway (an end designator or a runway id) belongs to; null for none. */
  runwayOf(surfaceRunway: string | null | undefined): string | null {
    return surfaceRunway ? (this.runwayIdOf.get(surfaceRunway) ?? null) : null;
  }

  /** Whether the runway has movements at all. */
  runway(state: RunwayState, runwayId: string): RunwayUseVerdict {
    const use = find(state, runwayId);
    if (!use) return 'unknown';
    return use.status === 'in-use' ? 'in-use' : 'closed';
  }

  /** Whether the console's drone response has suspended the runway (whatever the feed says of its use). */
  suspended(state: RunwayState, runwayId: string): boolean {
    return find(state, runwayId)?.suspended === true;
  }

  /**
   * Whether aircraft fly this path now: landing on `end` (approach; arrivals or mixed towards `end`), or taking
   * off from `end` (departures or mixed from `end`). 'closed' also when the runway is used the other way.
   */
  path(state: RunwayState, kind: 'approach' | 'take-off', end: string): RunwayUseVerdict {
    const runwayId = this.runwayOf(end);
    const use = runwayId ? find(state, runwayId) : undefined;
    if (!use) return 'unknown';
    if (use.status !== 'in-use') return 'closed';
    // An in-use runway without a direction: the feed did not say which way, so either path may be flown.
    if (use.direction === null) return 'unknown';
    if (use.direction !== end) return 'closed';
    const ops = use.operations ?? 'mixed';
    const flown = ops === 'mixed' || (kind === 'approach' ? ops === 'arrivals' : ops === 'departures');
    return flown ? 'in-use' : 'closed';
  }
}

const find = (state: RunwayState, runwayId: string): RunwayUse | undefined => state.runways.find((r) => r.runwayId === runwayId);
