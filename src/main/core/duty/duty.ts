// Patrol duty (勤务): the plan from the site's duty.json (shifts, mandatory points and lines), the roster per day and
// shift (stored, else the file's default), check-ins from the units' accepted positions, and the current shift's
// status on the core's clock. At a shift's end its missed points go on the record ('duty.missed', one entry
// each); nothing is raised in the alarm queue: a missed patrol point is for the shift's review and the handover,
// not an event a unit must be sent to, and twenty alarms at every change of shift would bury the real ones.
import { join } from 'node:path';
import type { Person } from '../../../shared/domain.ts';
import type { DutyPlan, DutyRoster, DutyStatus, Unit } from '../../../shared/response.ts';
import { ApiError } from '../calls.ts';
import type { Clock, Timer } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { XY } from '../geo/local-frame.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { AuditTrail } from '../store/audit-log.ts';
import type { Database } from '../store/database.ts';
import { computeStatus } from './duty-status.ts';
import { loadDutyFile, type DutyAssignment, type LoadedDuty } from './duty-file.ts';
import { addDays, shiftAt, windowOf, type ShiftWindow } from './shift-times.ts';
import { SqliteDutyRepository } from './sqlite-duty-repository.ts';

export interface DutyDeps {
  db: Database; clock: Clock; bus: EventBus; site: SiteModel; audit: AuditTrail;
  /** The site file's folder: its `response/duty.json` holds the shifts, points and lines. */
  siteDir: string;
  /** The units' ids (a roster naming another is refused). */
  unitIds: () => string[];
  log: (line: string) => void;
}

/** 'duty.changed' at most this often: positions arrive every second from every unit. */
export const DUTY_PUBLISH_MIN_MS = 1000;
type Assignments = DutyRoster['assignments'];

export class Duty {
  private readonly repo: SqliteDutyRepository;
  private loaded: LoadedDuty | null = null;
  /** The mandatory points in the site's local frame, for the distance test on every position. */
  private localPoints: Array<{ id: string; at: XY; radiusM: number }> = [];
  private current: ShiftWindow | null = null;
  /** `point|unit` checked in during the current shift: a unit standing at a point is not written every second. */
  private checkedIn = new Set<string>();
  private shiftTimer: Timer | null = null;
  private publishTimer: Timer | null = null;
  private lastPublishAt = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(private readonly deps: DutyDeps) {
    this.repo = new SqliteDutyRepository(deps.db);
  }

  /** Reads duty.json (a broken file stops here with every problem named); a site without one has no duty plan. */
  async load(): Promise<void> {
    const file = join(this.deps.siteDir, 'response', 'duty.json');
    try {
      this.loaded = await loadDutyFile(file, this.deps.site);
    } catch (err) {
      if ((err as Error).message.includes('cannot read the file (ENOENT)')) {
        this.deps.log(`duty: no duty plan (${file} does not exist): patrol duty is off`);
        return;
      }
      throw err;
    }
    const { site } = this.deps;
    this.localPoints = this.loaded.plan.points.map((p) => ({ id: p.id, at: site.frame.toLocal(p.position), radiusM: p.radiusM }));
    this.reportUnknownDefaultUnits();
    await this.enterShift(shiftAt(this.deps.clock.now(), this.loaded.plan.shifts, this.loaded.timeZone));
    // Started after a shift the console was running in: its missed points go on the record now if not yet.
    const previous = this.shiftOf(this.current!.startAt - 1);
    if ((await this.repo.roster(previous.date, previous.id)) || (await this.repo.checkIns(previous.date, previous.id)).length) {
      await this.flagMissed(previous);
    }
  }

  plan(): DutyPlan {
    return this.loaded?.plan ?? { shifts: [], points: [], lines: [] };
  }

  /** The roster of a day's shift: the one set for it, else the file's default (without units that do not exist). */
  async roster(date: string, shiftId: string): Promise<DutyRoster> {
    this.shiftNamed(shiftId);
    const stored = await this.repo.roster(date, shiftId);
    if (stored) return stored;
    const units = new Set(this.deps.unitIds());
    const assignments = (this.planOrThrow().defaults.get(shiftId) ?? []).filter((a) => units.has(a.unitId));
    return { date, shiftId, assignments: assignments.map(copyAssignment), updatedAt: null, updatedBy: null };
  }

  /** Sets a shift's roster (排班): refused for a shift that has ended, or naming units, points or lines that do not exist. */
  async setRoster(input: Pick<DutyRoster, 'date' | 'shiftId' | 'assignments'>, by: Person): Promise<DutyRoster> {
    const { plan, timeZone } = this.planOrThrow();
    if (addDays(input.date, 0) !== input.date) {
      throw new ApiError('bad-request', `duty.setRoster: ${input.date} is not a date`, { fields: [{ path: 'date', problem: 'not a calendar date' }] });
    }
    const window = windowOf(this.shiftNamed(input.shiftId), input.date, timeZone);
    const now = this.deps.clock.now();
    if (now >= window.endAt) {
      throw new ApiError('conflict', `duty.setRoster: the ${input.shiftId} shift of ${input.date} has ended; its roster stays as it was`, { reason: 'shift-ended' });
    }
    const units = new Set(this.deps.unitIds());
    const points = new Set(plan.points.map((p) => p.id));
    const lines = new Set(plan.lines.map((l) => l.id));
    const fields: Array<{ path: string; problem: string }> = [];
    const seen = new Set<string>();
    input.assignments.forEach((a, i) => {
      if (!units.has(a.unitId)) fields.push({ path: `assignments[${i}].unitId`, problem: `there is no unit ${a.unitId}` });
      if (seen.has(a.unitId)) fields.push({ path: `assignments[${i}].unitId`, problem: `unit ${a.unitId} is listed twice` });
      seen.add(a.unitId);
      a.pointIds.forEach((p, k) => points.has(p) || fields.push({ path: `assignments[${i}].pointIds[${k}]`, problem: `there is no point ${p}` }));
      a.lineIds.forEach((l, k) => lines.has(l) || fields.push({ path: `assignments[${i}].lineIds[${k}]`, problem: `there is no line ${l}` }));
    });
    if (fields.length) {
      throw new ApiError('bad-request', `duty.setRoster: ${fields.map((f) => `${f.path}: ${f.problem}`).join('; ')}`, { fields, reason: 'unknown-reference' });
    }
    const assignments: Assignments = input.assignments
      .map((a) => ({ unitId: a.unitId, pointIds: [...new Set(a.pointIds)], lineIds: [...new Set(a.lineIds)] }))
      .filter((a) => a.pointIds.length || a.lineIds.length);
    const before = await this.roster(input.date, input.shiftId);
    await this.repo.saveRoster(input.date, input.shiftId, assignments, now, by, {
      at: now, actor: by.username, action: 'duty.set-roster', subject: `${input.date}/${input.shiftId}`,
      details: { date: input.date, shiftId: input.shiftId, assignments, before: before.updatedAt === null ? 'default' : before.assignments },
    });
    if (this.current && this.current.date === input.date && this.current.id === input.shiftId) this.publishSoon();
    return { date: input.date, shiftId: input.shiftId, assignments, updatedAt: now, updatedBy: { username: by.username, displayName: by.displayName } };
  }

  /** The current shift (on the core's clock): each point's state and check-ins, and the coverage per grid cell. */
  async status(): Promise<DutyStatus> {
    this.planOrThrow();
    return this.statusOf(this.currentShift());
  }

  /** The status of any shift (one that has ended shows its missed points). */
  async statusOf(shift: ShiftWindow): Promise<DutyStatus> {
    const { plan } = this.planOrThrow();
    const roster = await this.roster(shift.date, shift.id);
    const checkIns = await this.repo.checkIns(shift.date, shift.id);
    return computeStatus(plan, shift, roster.assignments, checkIns, this.deps.clock.now());
  }

  /** The shift running at an instant. */
  shiftOf(at: number): ShiftWindow {
    const { plan, timeZone } = this.planOrThrow();
    return shiftAt(at, plan.shifts, timeZone);
  }

  /**
   * A unit's accepted position: a check-in at every point whose radius it is inside, once per point, unit and
   * shift. Not from a unit's home (a post's standing position is not a GPS fix) nor from a unit off duty.
   */
  async onPosition(unit: Unit): Promise<void> {
    if (!this.loaded || this.stopped || !unit.position || unit.positionSource === 'home' || unit.status === 'off-duty') return;
    const shift = this.currentShift();
    const at = unit.positionAt ?? this.deps.clock.now();
    // A fix from before this shift (a late report) proves nothing about this one.
    if (at < shift.startAt || at >= shift.endAt) return;
    const here = this.deps.site.frame.toLocal([unit.position.lon, unit.position.lat]);
    for (const p of this.localPoints) {
      const distanceM = Math.hypot(here.x - p.at.x, here.y - p.at.y);
      if (distanceM > p.radiusM) continue;
      const key = `${p.id}|${unit.id}`;
      if (this.checkedIn.has(key)) continue;
      this.checkedIn.add(key);
      try {
        const added = await this.repo.addCheckIn(shift.date, shift.id, { pointId: p.id, unitId: unit.id, at }, {
          at: this.deps.clock.now(), actor: 'system', action: 'duty.check-in', subject: `${shift.date}/${shift.id}/${p.id}`,
          details: { pointId: p.id, unitId: unit.id, callSign: unit.callSign, at, distanceM: Math.round(distanceM), date: shift.date, shiftId: shift.id },
        });
        if (added) this.publishSoon();
      } catch (err) {
        this.checkedIn.delete(key); // the next position tries again
        throw err;
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.shiftTimer?.cancel();
    this.publishTimer?.cancel();
    this.shiftTimer = this.publishTimer = null;
  }

  // --- shifts ------------------------------------------------------------------------------------------

  private currentShift(): ShiftWindow {
    if (!this.current || this.deps.clock.now() >= this.current.endAt) return this.shiftOf(this.deps.clock.now());
    return this.current;
  }

  private async enterShift(shift: ShiftWindow): Promise<void> {
    this.current = shift;
    this.checkedIn = new Set((await this.repo.checkIns(shift.date, shift.id)).map((c) => `${c.pointId}|${c.unitId}`));
    this.shiftTimer?.cancel();
    this.shiftTimer = this.deps.clock.setTimeout(() => void this.shiftEnded(shift), Math.max(0, shift.endAt - this.deps.clock.now()));
  }

  private async shiftEnded(ended: ShiftWindow): Promise<void> {
    if (this.stopped) return;
    try {
      await this.enterShift(this.shiftOf(Math.max(this.deps.clock.now(), ended.endAt)));
      await this.flagMissed(ended);
      this.publishSoon();
    } catch (err) {
      this.deps.log(`duty: the end of the ${ended.id} shift of ${ended.date} was not processed: ${(err as Error).message}`);
    }
  }

  /** The ended shift's missed points on the record, once each. */
  private async flagMissed(shift: ShiftWindow): Promise<void> {
    const status = await this.statusOf(shift);
    const prefix = `${shift.date}/${shift.id}/`;
    const already = await this.repo.flaggedMissed(prefix, shift.endAt);
    const at = this.deps.clock.now();
    const entries = status.points
      .filter((p) => p.state === 'missed' && !already.has(prefix + p.pointId))
      .map((p) => ({
        at, actor: 'system', action: 'duty.missed', subject: prefix + p.pointId,
        details: { pointId: p.pointId, unitIds: p.unitIds, date: shift.date, shiftId: shift.id, startAt: shift.startAt, endAt: shift.endAt },
      }));
    await this.repo.flagMissed(entries);
    if (entries.length) this.deps.log(`duty: ${entries.length} mandatory point(s) missed in the ${shift.id} shift of ${shift.date}`);
  }

  // --- events ------------------------------------------------------------------------------------------

  /** 'duty.changed' now, or when a second has passed since the last one (one publish for a burst of check-ins). */
  private publishSoon(): void {
    if (this.publishTimer || this.stopped) return;
    const wait = this.lastPublishAt + DUTY_PUBLISH_MIN_MS - this.deps.clock.now();
    if (wait <= 0) {
      this.publishNow();
      return;
    }
    this.publishTimer = this.deps.clock.setTimeout(() => {
      this.publishTimer = null;
      this.publishNow();
    }, wait);
  }

  private publishNow(): void {
    this.lastPublishAt = this.deps.clock.now();
    this.status().then(
      (s) => this.deps.bus.publish('duty.changed', s),
      (err: Error) => this.deps.log(`duty: the status was not published: ${err.message}`),
    );
  }

  // --- helpers -----------------------------------------------------------------------------------------

  private planOrThrow(): LoadedDuty {
    if (!this.loaded) throw new ApiError('unavailable', 'this site has no duty plan (response/duty.json)', { reason: 'no-duty-plan' });
    return this.loaded;
  }

  private shiftNamed(shiftId: string) {
    const shift = this.planOrThrow().plan.shifts.find((s) => s.id === shiftId);
    if (!shift) {
      throw new ApiError('bad-request', `there is no shift ${shiftId} (the shifts are ${this.plan().shifts.map((s) => s.id).join(', ')})`, {
        fields: [{ path: 'shiftId', problem: `there is no shift ${shiftId}` }], reason: 'unknown-shift',
      });
    }
    return shift;
  }

  private reportUnknownDefaultUnits(): void {
    const units = new Set(this.deps.unitIds());
    const unknown = [...this.loaded!.defaults].flatMap(([shiftId, list]) => list.filter((a) => !units.has(a.unitId)).map((a) => `${shiftId}: ${a.unitId}`));
    if (unknown.length) this.deps.log(`duty.json: $.defaultRosters names units that do not exist (left out): ${unknown.join(', ')}`);
  }
}

const copyAssignment = (a: DutyAssignment) => ({ unitId: a.unitId, pointIds: [...a.pointIds], lineIds: [...a.lineIds] });
