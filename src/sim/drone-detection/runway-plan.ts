// The airport operations system's runway plan (跑道运行计划), as its feed GET /ops/v1/runways gives it: a
// realistic default (the first runway in use towards its first end for arrivals, the second for departures, the
// rest closed), in demo mode the direction reversed for the last 2.5 minutes of every other cycle (a change of
// runway direction as the wind turns), and what the control endpoint sets by hand, which stays until changed.
import type { SitePack } from '../../shared/site.ts';

export interface OpsRunway {
  id: string;
  status: 'in-use' | 'closed';
  direction: string | null;
  operations: 'arrivals' | 'departures' | 'mixed' | null;
}

export interface OpsRunwayAnswer {
  updated: string;
  runways: OpsRunway[];
}

/** When, in an odd demo cycle, the in-use runways turn round (until the cycle ends). */
export const DEMO_REVERSE_FROM_S = 450;

export class RunwayPlan {
  private readonly overrides = new Map<string, OpsRunway>();
  private last = '';
  private updatedMs: number;

  constructor(private readonly site: SitePack, startMs: number) {
    this.updatedMs = startMs;
  }

  /** The plan now; `demo` gives the demo cycle (null without the schedule). */
  at(nowMs: number, demo: { cycle: number; inCycleS: number } | null): OpsRunwayAnswer {
    const reversed = demo !== null && demo.cycle % 2 === 1 && demo.inCycleS >= DEMO_REVERSE_FROM_S;
    const runways = this.site.runways.map((r, i) => this.overrides.get(r.id) ?? this.planned(i, reversed));
    const key = JSON.stringify(runways);
    if (key !== this.last) {
      if (this.last) this.updatedMs = nowMs;
      this.last = key;
    }
    return { updated: new Date(this.updatedMs).toISOString(), runways };
  }

  /** Sets one runway by hand; throws with what is wrong when the site has no such runway or end. */
  set(r: OpsRunway): void {
    const runway = this.site.runways.find((x) => x.id === r.id);
    if (!runway) throw new Error(`runway.id: the site ${this.site.id} has no runway "${r.id}" (it has ${this.site.runways.map((x) => x.id).join(', ')})`);
    const ends = runway.ends.map((e) => e.designator);
    if (r.status === 'in-use') {
      if (r.direction === null || !ends.includes(r.direction)) throw new Error(`runway.direction: a runway in use needs its direction, one of ${ends.join(' or ')}`);
      if (r.operations === null) throw new Error('runway.operations: a runway in use needs arrivals, departures or mixed');
    } else if (r.direction !== null || r.operations !== null) {
      throw new Error('runway.direction, runway.operations: a closed runway has neither (send null)');
    }
    this.overrides.set(r.id, { ...r });
  }

  private planned(index: number, reversed: boolean): OpsRunway {
    const runway = this.site.runways[index];
    const single = this.site.runways.length === 1;
    if (index > 1) return { id: runway.id, status: 'closed', direction: null, operations: null };
    return {
      id: runway.id,
      status: 'in-use',
      direction: runway.ends[reversed ? 1 : 0].designator,
      operations: single ? 'mixed' : index === 0 ? 'arrivals' : 'departures',
    };
  }
}
