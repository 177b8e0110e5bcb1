// The runways in use (跑道运行状态), as the airport operations feed reports them, with the drone response's
// suspensions laid over them. A feed report is the whole picture from that feed; a runway or direction the site
// does not have is logged once and skipped. Listeners (the fusion re-judging its tracks) and the event bus hear
// of a change only when something changed, never on a repeat of the same picture.
import type { RunwayState, RunwayUse } from '../../../shared/drones.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { RunwayIntake, RunwayLookup, RunwayReport } from './drone-ports.ts';

export class RunwayBoard implements RunwayIntake, RunwayLookup {
  private sourceId: string | null = null;
  private updatedAt: number | null = null;
  /** What the feed said last, by runway id, with when each runway's status or direction last changed. */
  private reported = new Map<string, Omit<RunwayUse, 'suspended'>>();
  /** The holders (drone alarm ids) of each suspended runway: it stays suspended while any of them remains. */
  private readonly suspended = new Map<string, Set<string>>();
  /** When a suspended runway the feed does not report was suspended. */
  private readonly suspendedSince = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  /** Problems already logged, so that a feed repeating a wrong runway every poll is logged once. */
  private readonly logged = new Set<string>();
  private readonly ends: Map<string, string[]>;

  constructor(private readonly deps: { site: SiteModel; clock: Clock; bus: EventBus; log: (line: string) => void }) {
    this.ends = new Map(deps.site.pack.runways.map((r) => [r.id, r.ends.map((e) => e.designator)]));
  }

  state(): RunwayState {
    const runways: RunwayUse[] = [...this.reported.values()].map((r) => ({ ...r, suspended: this.suspended.has(r.runwayId) }));
    for (const id of this.suspended.keys()) {
      // Suspended but not reported by a feed: no movements on it, whatever a feed might say later.
      if (!this.reported.has(id)) {
        runways.push({ runwayId: id, status: 'closed', direction: null, operations: null, suspended: true, since: this.suspendedSince.get(id) ?? this.deps.clock.now() });
      }
    }
    runways.sort((a, b) => a.runwayId.localeCompare(b.runwayId));
    return { sourceId: this.sourceId, updatedAt: this.updatedAt, runways };
  }

  reportRunways(sourceId: string, runways: RunwayReport[]): void {
    const now = this.deps.clock.now();
    const next = new Map<string, Omit<RunwayUse, 'suspended'>>();
    runways.forEach((r, i) => {
      const problem = this.problemOf(r, next);
      if (problem) {
        this.logOnce(`${sourceId}|${r.runwayId}|${r.direction}|${problem}`, `runways: ${sourceId} runways[${i}]: ${problem}; skipped`);
        return;
      }
      const before = this.reported.get(r.runwayId);
      const moved = !before || before.status !== r.status || before.direction !== r.direction;
      next.set(r.runwayId, {
        runwayId: r.runwayId, status: r.status, direction: r.direction, operations: r.operations,
        since: moved ? now : before.since,
      });
    });
    const changed = sourceId !== this.sourceId || !samePicture(this.reported, next);
    this.sourceId = sourceId;
    this.updatedAt = now;
    this.reported = next;
    if (changed) this.changed();
  }

  /**
   * A drone response (`holder`, its alarm id) suspends or resumes a runway; kept over feed updates. Two
   * responses may suspend the same runway: it is free again only once every holder has resumed it.
   */
  setSuspended(runwayId: string, suspended: boolean, holder: string): void {
    if (!this.ends.has(runwayId)) {
      throw new Error(`runways: no runway "${runwayId}" at this site (runways: ${[...this.ends.keys()].join(', ')})`);
    }
    const holders = this.suspended.get(runwayId);
    if (suspended) {
      if (holders) {
        holders.add(holder); // already suspended: nothing the board shows moves
        return;
      }
      this.suspended.set(runwayId, new Set([holder]));
      this.suspendedSince.set(runwayId, this.deps.clock.now());
    } else {
      if (!holders?.delete(holder) || holders.size) return;
      this.suspended.delete(runwayId);
      this.suspendedSince.delete(runwayId);
    }
    this.changed();
  }

  /** Who holds this runway suspended (alarm ids), none when it is free. */
  holdersOf(runwayId: string): string[] {
    return [...(this.suspended.get(runwayId) ?? [])];
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private problemOf(r: RunwayReport, sofar: ReadonlyMap<string, unknown>): string | null {
    const ends = this.ends.get(r.runwayId);
    if (!ends) return `unknown runway "${r.runwayId}" (this site has ${[...this.ends.keys()].join(', ')})`;
    if (r.direction !== null && !ends.includes(r.direction)) {
      return `direction "${r.direction}" is not an end of runway ${r.runwayId} (its ends: ${ends.join(', ')})`;
    }
    if (sofar.has(r.runwayId)) return `runway ${r.runwayId} is reported twice; the first report is kept`;
    return null;
  }

  private logOnce(key: string, line: string): void {
    if (this.logged.has(key)) return;
    // Bounded: a feed inventing new wrong ids forever must not grow this set without limit.
    if (this.logged.size >= 1000) this.logged.clear();
    this.logged.add(key);
    this.deps.log(line);
  }

  private changed(): void {
    this.deps.bus.publish('runways.changed', this.state());
    for (const fn of this.listeners) {
      try {
        fn();
      } catch (err) {
        this.deps.log(`runways: a change listener failed: ${(err as Error).message}`);
      }
    }
  }
}

function samePicture(a: ReadonlyMap<string, Omit<RunwayUse, 'suspended'>>, b: ReadonlyMap<string, Omit<RunwayUse, 'suspended'>>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, x] of a) {
    const y = b.get(id);
    if (!y || x.status !== y.status || x.direction !== y.direction || x.operations !== y.operations) return false;
  }
  return true;
}
