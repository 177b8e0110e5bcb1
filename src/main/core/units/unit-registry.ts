// The units: who they are (the site's units file), what they are doing and where they are (unit_state, kept
// across restarts), their position history (unit_positions, pruned after 7 days), and the nearest available
// ones for an alarm. Positions come from the GPS source (`reportPositions`) and from the unit terminals; a
// patrol whose positions stop for 120 s is drawn stale. All timing on the core's clock.
import type { Alarm, GeoPoint, Person } from '../../../shared/domain.ts';
import type { Unit, UnitCandidate, UnitStatus } from '../../../shared/response.ts';
import type { UnitEntry } from '../../../shared/units-file.ts';
import { every, type Timer } from '../clock.ts';
import { appendAudit } from '../store/audit-chain.ts';
import { LogThrottle } from '../sources/log-throttle.ts';
import { ApiError } from '../calls.ts';
import { geodesicInverse } from '../geo/local-frame.ts';
import { estimateArrivals } from './eta.ts';
import { PlanarFrame } from './planar-frame.ts';
import { RouteGraph } from './route-graph.ts';
import { homePosition, loadUnitsFile } from './units-file.ts';
import {
  freeUnitsWithoutOpenOrder, insertMissingStates, prunePositions, setUnitStatus, unitStates, writeFixes, type FixRow, type UnitStateRow,
} from './units-repository.ts';
import type { UnitsDeps } from './units-core.ts';
import type { Tx } from '../store/database.ts';

/** A fix not taken, and the field at fault: `at` (dated ahead of the core's clock) or `position` (too far away). */
export interface RefusedFix {
  unitId: string;
  field: 'at' | 'position';
  message: string;
}

/** Where a unit's positions go: the GPS source kind `unit-gps` and the terminals report here. */
export interface UnitPositionIntake {
  /** Whether the units file lists this unit (a feed keeps state for these only). */
  has(unitId: string): boolean;
  /** Takes the fixes that move a unit on; returns those refused as impossible, each naming its field. */
  reportPositions(sourceId: string, fixes: Array<{ unitId: string; position: GeoPoint; at: number }>): Promise<RefusedFix[]>;
}

/**
 * A fix dated later than this after the core's clock is refused: taken, it would make every true fix of the
 * unit "not newer" (and survive a restart).
 */
export const MAX_FIX_AHEAD_OF_CLOCK_MS = 60_000;
/** A fix farther than this from the aerodrome's reference point is no unit of this airport's. */
export const MAX_FIX_DISTANCE_M = 50_000;

export const STALE_AFTER_MS = 120_000;
const STALE_SWEEP_MS = 5_000;
export const POSITIONS_KEPT_MS = 7 * 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;

export type Fix = { unitId: string; position: GeoPoint; at: number };

export class UnitRegistry implements UnitPositionIntake {
  private readonly units = new Map<string, Unit>();
  private readonly entries = new Map<string, UnitEntry>();
  private graph: RouteGraph | null = null;
  private readonly listeners = new Set<(unit: Unit) => void>();
  private readonly unknownLog = new LogThrottle(60_000);
  private unknownFixes = 0;
  private readonly badLog = new LogThrottle(60_000);
  private badFixes = 0;
  private readonly timers: Timer[] = [];
  /** Before the first fix, a patrol's silence counts from the core's start. */
  private startedAt = 0;
  private readonly plane: PlanarFrame;

  private readonly reference: [number, number];

  constructor(private readonly deps: UnitsDeps) {
    const arp = deps.site.pack.aerodrome.referencePoint;
    this.reference = [arp[0], arp[1]];
    this.plane = new PlanarFrame(arp);
  }

  async load(): Promise<void> {
    const { site, db, clock, log } = this.deps;
    this.startedAt = clock.now();
    const file = await loadUnitsFile(this.deps.siteDir, site);
    if (!file) {
      log('Units: the site has no response/units.json: no units.');
    } else {
      const lines = file.routes ?? site.pack.features.features.flatMap((f) => (f.properties.kind === 'road' && f.geometry.type === 'LineString' ? [f.geometry.coordinates] : []));
      this.graph = lines.length ? new RouteGraph(lines.map((l) => l.map((p) => this.plane.toLocal([p[0], p[1]])))) : null;
      const homes = file.units.map((u) => ({ entry: u, home: homePosition(u, site) }));
      await insertMissingStates(db, homes.map(({ entry, home }) => ({ unitId: entry.id, lon: home[0], lat: home[1] })), this.startedAt);
      const reset = await this.resetFutureFixes(homes.map(({ entry, home }) => ({ unitId: entry.id, lon: home[0], lat: home[1] })));
      if (reset) log(`Units: ${reset} unit(s) had a stored position dated ahead of the clock: back at home until their next fix.`);
      const freed = await freeUnitsWithoutOpenOrder(db, this.startedAt);
      if (freed) log(`Units: ${freed} unit(s) were on an order that had ended: available again.`);
      const states = new Map((await unitStates(db)).map((s) => [s.unit_id, s]));
      for (const { entry } of homes) {
        this.entries.set(entry.id, entry);
        this.units.set(entry.id, this.toUnit(entry, states.get(entry.id)!));
      }
      log(`Units: ${file.units.length} unit(s); estimated arrival ${this.graph ? `along ${this.graph.segmentCount} road segment(s)` : 'in straight lines'}.`);
    }
    this.timers.push(every(clock, STALE_SWEEP_MS, () => this.sweepStale()));
    this.timers.push(every(clock, PRUNE_EVERY_MS, () => void this.prune().catch((err: Error) => log(`Units: pruning old positions failed: ${err.message}`))));
  }

  list(): Unit[] {
    return [...this.units.values()];
  }

  get(id: string): Unit | undefined {
    return this.units.get(id);
  }

  has(id: string): boolean {
    return this.units.has(id);
  }

  /** The terminal account of each unit (from the units file). */
  accounts(): Array<{ unitId: string; account: string; callSign: string }> {
    return [...this.entries.values()].map((e) => ({ unitId: e.id, account: e.account, callSign: e.callSign }));
  }

  /** The nearest available units to an alarm by estimated arrival (none when the alarm has no position). */
  async nearest(alarm: Alarm, limit: number): Promise<UnitCandidate[]> {
    if (!alarm.position) return [];
    return this.estimate([alarm.position.lon, alarm.position.lat], this.list().filter((u) => u.status === 'available')).slice(0, limit);
  }

  /** Estimated arrivals of these units at a point, nearest first. */
  estimate(target: [number, number], units: Unit[]): UnitCandidate[] {
    return estimateArrivals(target, units, this.plane, this.graph);
  }

  /** On or off duty; refused while the unit is on an order (its order's end frees it). */
  async setStatus(unitId: string, status: 'available' | 'off-duty', by: Person): Promise<Unit> {
    const unit = this.require(unitId);
    const at = this.deps.clock.now();
    const changed = await this.deps.db.transaction(async (tx) => {
      if (!(await setUnitStatus(tx, unitId, status, null, at, true))) return false;
      await appendAudit(tx, [{ at, actor: by.username, action: 'units.set-status', subject: unitId, details: { callSign: unit.callSign, from: unit.status, to: status } }]);
      return true;
    });
    if (!changed) throw new ApiError('conflict', `${unit.callSign} is on an order: end or cancel the order first`, { reason: 'unit-busy' });
    const [next] = this.applyStatus([{ unitId, status, orderId: null }]);
    this.deps.bus.publish('terminal.changed', { unit: next, orders: [] });
    return next;
  }

  /** After a committed change of status (dispatch, terminal): the units in memory follow, published at once. */
  applyStatus(changes: ReadonlyArray<{ unitId: string; status: UnitStatus; orderId: string | null }>): Unit[] {
    const out = changes.map(({ unitId, status, orderId }) => {
      const next = { ...this.require(unitId), status, orderId };
      this.units.set(unitId, next);
      return next;
    });
    if (out.length) this.deps.bus.publish('units.changed', { units: out });
    return out;
  }

  require(unitId: string): Unit {
    const unit = this.units.get(unitId);
    if (!unit) throw new ApiError('not-found', `there is no unit ${unitId}`, { reason: 'no-such-unit' });
    return unit;
  }

  async reportPositions(sourceId: string, fixes: Fix[]): Promise<RefusedFix[]> {
    const { moved, refused } = await this.deps.db.transaction((tx) => this.writePositions(tx, fixes, sourceId, 'gps'));
    this.afterPositions(moved);
    return refused;
  }

  /**
   * The fixes that move a unit on, written in the caller's transaction: unknown units are counted (and logged,
   * at most once a minute), a fix not newer than the unit's last is ignored, an impossible one (dated ahead of
   * the core's clock, or far from the airport) is refused, counted and logged likewise. Returns the units as
   * they will be once committed (hand them to afterPositions then) and the refused fixes.
   */
  async writePositions(tx: Tx, fixes: Fix[], sourceId: string, kind: 'gps' | 'terminal'): Promise<{ moved: Unit[]; refused: RefusedFix[] }> {
    const all: FixRow[] = [];
    const newest = new Map<string, FixRow>();
    const refused: RefusedFix[] = [];
    let unknown = 0;
    const latest = this.deps.clock.now() + MAX_FIX_AHEAD_OF_CLOCK_MS;
    for (const f of fixes) {
      const unit = this.units.get(f.unitId);
      if (!unit) {
        unknown++;
        continue;
      }
      const { lon, lat } = f.position;
      if (!Number.isFinite(lon) || !Number.isFinite(lat) || !Number.isFinite(f.at)) continue;
      if (f.at > latest) {
        refused.push({ unitId: f.unitId, field: 'at', message: `${new Date(f.at).toISOString()} is ${Math.round((f.at - latest) / 1000) + MAX_FIX_AHEAD_OF_CLOCK_MS / 1000} s after the console's time` });
        continue;
      }
      const distanceM = geodesicInverse(this.reference, [lon, lat]).distanceM;
      if (distanceM > MAX_FIX_DISTANCE_M) {
        refused.push({ unitId: f.unitId, field: 'position', message: `${lon},${lat} is ${Math.round(distanceM / 1000)} km from the airport (at most ${MAX_FIX_DISTANCE_M / 1000} km)` });
        continue;
      }
      if (f.at <= (unit.positionAt ?? Number.NEGATIVE_INFINITY)) continue;
      const row: FixRow = { unitId: f.unitId, at: f.at, lon, lat, altM: f.position.altM ?? null, source: kind === 'terminal' ? 'terminal' : sourceId, kind };
      all.push(row);
      if (!newest.has(f.unitId) || newest.get(f.unitId)!.at < f.at) newest.set(f.unitId, row);
    }
    if (unknown) this.countUnknown(sourceId, unknown);
    if (refused.length) this.countBad(sourceId, refused);
    await writeFixes(tx, all, [...newest.values()]);
    const moved = [...newest.values()].map((r) => {
      const unit = this.units.get(r.unitId)!;
      const position: GeoPoint = { lon: r.lon, lat: r.lat, ...(r.altM === null ? {} : { altM: r.altM }) };
      return { ...unit, position, positionAt: r.at, positionSource: r.kind, gridCellId: this.cellOf(position), stale: false };
    });
    return { moved, refused };
  }

  /** After the positions committed: memory, one 'units.changed' with those units, and the position listeners. */
  afterPositions(moved: Unit[]): void {
    if (!moved.length) return;
    const now: Unit[] = [];
    for (const m of moved) {
      const current = this.units.get(m.id);
      if (!current || (current.positionAt ?? Number.NEGATIVE_INFINITY) >= (m.positionAt ?? 0)) continue;
      // Status and order may have changed meanwhile: only the position is this write's.
      const next = { ...current, position: m.position, positionAt: m.positionAt, positionSource: m.positionSource, gridCellId: m.gridCellId, stale: false };
      this.units.set(m.id, next);
      now.push(next);
    }
    if (!now.length) return;
    this.deps.bus.publish('units.changed', { units: now });
    for (const unit of now) {
      for (const l of this.listeners) {
        try {
          l(unit);
        } catch (err) {
          this.deps.log(`Units: a position listener failed: ${(err as Error).message}`);
        }
      }
    }
  }

  /** Called on every accepted position (duty check-ins listen here). */
  onPosition(listener: (unit: Unit) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fixes from unknown units so far (a misconfigured feed shows here and in the log). */
  get unknownFixCount(): number {
    return this.unknownFixes;
  }

  /** Deletes positions older than 7 days; returns how many. */
  prune(): Promise<number> {
    return prunePositions(this.deps.db, this.deps.clock.now() - POSITIONS_KEPT_MS);
  }

  stop(): void {
    for (const t of this.timers.splice(0)) t.cancel();
    this.listeners.clear();
  }

  private sweepStale(): void {
    const now = this.deps.clock.now();
    const changed: Unit[] = [];
    for (const unit of this.units.values()) {
      // Posts, stations and quick-response points stand: their silence says nothing.
      const stale = unit.kind === 'patrol' && now - (unit.positionAt ?? this.startedAt) > STALE_AFTER_MS;
      if (stale !== unit.stale) {
        const next = { ...unit, stale };
        this.units.set(unit.id, next);
        changed.push(next);
      }
    }
    if (changed.length) this.deps.bus.publish('units.changed', { units: changed });
  }

  private countUnknown(sourceId: string, n: number): void {
    this.unknownFixes += n;
    const admitted = this.unknownLog.admit(this.deps.clock.now(), n);
    if (admitted) this.deps.log(`Units: ${sourceId} sent ${n + admitted.held} position(s) of units the units file does not list (${this.unknownFixes} so far).`);
  }

  /** Fixes refused as impossible so far (a faulty or hostile platform shows here and in the log). */
  get badFixCount(): number {
    return this.badFixes;
  }

  /**
   * A stored position dated ahead of the clock (kept before such fixes were refused) would make every true fix
   * "not newer" for ever: the unit goes back to its home position, which any fix replaces.
   */
  private async resetFutureFixes(homes: Array<{ unitId: string; lon: number; lat: number }>): Promise<number> {
    const { changes } = await this.deps.db.run(
      `UPDATE unit_state SET lon = h.value->>'lon', lat = h.value->>'lat', alt_m = NULL, position_at = NULL, position_source = 'home', updated_at = ?
       FROM json_each(?) AS h WHERE unit_state.unit_id = h.value->>'unitId' AND unit_state.position_at > ?`,
      [this.startedAt, JSON.stringify(homes), this.startedAt + MAX_FIX_AHEAD_OF_CLOCK_MS],
    );
    return changes;
  }

  private countBad(sourceId: string, refused: RefusedFix[]): void {
    this.badFixes += refused.length;
    const admitted = this.badLog.admit(this.deps.clock.now(), refused.length);
    if (admitted) {
      const first = refused[0];
      this.deps.log(`Units: ${sourceId} sent ${refused.length + admitted.held} impossible position(s) (${this.badFixes} so far), e.g. ${first.unitId} ${first.field}: ${first.message}.`);
    }
  }

  private cellOf(p: GeoPoint): string | null {
    return this.deps.site.gridCellAt(p.lon, p.lat)?.id ?? null;
  }

  private toUnit(e: UnitEntry, s: UnitStateRow): Unit {
    const position = s.lon === null || s.lat === null ? null : { lon: s.lon, lat: s.lat, ...(s.alt_m === null ? {} : { altM: s.alt_m }) };
    return {
      id: e.id, callSign: e.callSign, name: e.name, kind: e.kind, force: e.force, members: e.members,
      status: s.status, position,
      // A home position is where the unit stands by plan, not a fix: any fix is newer.
      positionAt: s.position_source === 'home' ? null : s.position_at,
      positionSource: s.position_source,
      speedMps: e.speedMps, orderId: s.order_id,
      gridCellId: position ? this.cellOf(position) : null,
      stale: false,
    };
  }
}
