// Patrol duty on a manual clock: check-ins from unit positions (inside the radius once, outside never, a unit not on
// the roster listed but not counted), a line walked past a point, the missed points of an ended shift on the
// record once, the roster set and refused, and 'duty.changed' at most once a second.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayloads } from '../../src/shared/contract/index.ts';
import type { DutyStatus, Unit } from '../../src/shared/response.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { Duty } from '../../src/main/core/duty/duty.ts';
import { EventBus } from '../../src/main/core/event-bus.ts';
import { geodesicDirect } from '../../src/main/core/geo/local-frame.ts';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { SqliteAuditLog } from '../../src/main/core/store/audit-log.ts';
import { Database } from '../../src/main/core/store/database.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const UNITS = ['T1-P1', 'T2-P1', 'T3-P1', 'SEC-T3A', 'VOL-GTC', 'SWAT-1', 'WJ-1', 'TRF-1', 'TRF-2', 'PP-T2'];
// The manual clock starts at 2026-11-24 08:00 UTC: 16:00 in Shanghai, the day shift (08:00–20:00 local).
const DAY_END = Date.UTC(2026, 10, 24, 12, 0, 0);
const HOUR = 3600_000;

let site: SiteModel;
const dirs = tempDirs('skyfence-duty');
beforeAll(async () => {
  site = new SiteModel(await loadSiteFile(SAMPLE_SITE_FILE));
});

interface Rig { duty: Duty; clock: ManualClock; db: Database; events: DutyStatus[]; logs: string[]; siteDir: string; dbFile: string }
let rig: Rig;

async function start(opts: { clock?: ManualClock; dbFile?: string; siteDir?: string } = {}): Promise<Rig> {
  const dir = dirs.make();
  const siteDir = opts.siteDir ?? join(dir, 'site');
  if (!opts.siteDir) {
    mkdirSync(join(siteDir, 'response'), { recursive: true });
    cpSync(new URL('../../resources/sites/zuck/response/duty.json', import.meta.url), join(siteDir, 'response', 'duty.json'));
  }
  const dbFile = opts.dbFile ?? join(dir, 'duty.db');
  const db = await Database.open(dbFile);
  const clock = opts.clock ?? new ManualClock();
  const bus = new EventBus();
  const events: DutyStatus[] = [];
  bus.subscribe(<E extends EventName>(event: E, payload: EventPayloads[E]) => {
    if (event === 'duty.changed') events.push(payload as DutyStatus);
  });
  const logs: string[] = [];
  const duty = new Duty({ db, clock, bus, site, audit: new SqliteAuditLog(db, clock), siteDir, unitIds: () => UNITS, log: (l) => logs.push(l) });
  await duty.load().catch(async (err) => {
    await db.close();
    throw err;
  });
  return { duty, clock, db, events, logs, siteDir, dbFile };
}
async function stop(r: Rig): Promise<void> {
  r.duty.stop();
  await r.db.close();
}

beforeEach(async () => {
  rig = await start();
});
afterEach(async () => {
  await stop(rig);
  dirs.removeAll();
});

const settle = () => new Promise<void>((r) => setTimeout(r, 20));
const pointAt = (id: string) => rig.duty.plan().points.find((p) => p.id === id)!;
function unit(id: string, position: readonly [number, number] | null, extra: Partial<Unit> = {}): Unit {
  return {
    id, callSign: id, name: { zh: id, en: id }, kind: 'patrol', force: 'station', members: [], status: 'available',
    position: position ? { lon: position[0], lat: position[1] } : null, positionAt: rig.clock.now(), positionSource: 'gps',
    speedMps: 1.4, orderId: null, gridCellId: null, stale: false, ...extra,
  };
}
/** A unit `metres` north of a point. */
const near = (pointId: string, metres: number) => geodesicDirect(pointAt(pointId).position, 0, metres);
const state = (s: DutyStatus, pointId: string) => s.points.find((p) => p.pointId === pointId)!;
const audit = (action: string) =>
  rig.db.all<{ actor: string; subject: string; details: string; at: number }>('SELECT actor, subject, details, at FROM audit_log WHERE action = ? ORDER BY id', [action]);

describe('check-ins', () => {
  it('counts a unit inside the radius once per shift, stores it and puts it on the record', async () => {
    const before = await rig.duty.status();
    expect(before.shift).toMatchObject({ id: 'day', date: '2026-11-24', endAt: DAY_END });
    expect(state(before, 'T2-DEP')).toMatchObject({ state: 'due', unitIds: ['T2-P1'], checkIns: [] });

    await rig.duty.onPosition(unit('T2-P1', near('T2-DEP', 30)));
    rig.clock.advance(60_000);
    await rig.duty.onPosition(unit('T2-P1', near('T2-DEP', 10)));
    const after = await rig.duty.status();
    expect(state(after, 'T2-DEP')).toMatchObject({ state: 'done', checkIns: [{ pointId: 'T2-DEP', unitId: 'T2-P1', at: Date.UTC(2026, 10, 24, 8) }] });
    const rows = await audit('duty.check-in');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'system', subject: '2026-11-24/day/T2-DEP' });
    expect(JSON.parse(rows[0].details)).toMatchObject({ unitId: 'T2-P1', pointId: 'T2-DEP', distanceM: 30 });
    // The grid cell of the point counts it.
    const cell = after.cells.find((c) => c.gridCellId === pointAt('T2-DEP').gridCellId)!;
    expect(cell.done).toBe(1);
    expect(cell.required).toBeGreaterThanOrEqual(1);
  });

  it('does not count a unit outside the radius, a post at its home position, or a unit off duty', async () => {
    expect(pointAt('T2-DEP').radiusM).toBe(40);
    await rig.duty.onPosition(unit('T2-P1', near('T2-DEP', 45)));
    await rig.duty.onPosition(unit('PP-T2', near('T2-DEP', 0), { positionSource: 'home' }));
    await rig.duty.onPosition(unit('T2-P1', near('T2-DEP', 0), { status: 'off-duty' }));
    await rig.duty.onPosition(unit('T2-P1', null));
    // A fix from the last shift, reported late.
    await rig.duty.onPosition(unit('T2-P1', near('T2-DEP', 0), { positionAt: Date.UTC(2026, 10, 23, 23, 59) }));
    expect(state(await rig.duty.status(), 'T2-DEP')).toMatchObject({ state: 'due', checkIns: [] });
    expect(await audit('duty.check-in')).toEqual([]);
  });

  it("lists a unit not on the point's roster but does not count it as the duty done", async () => {
    await rig.duty.onPosition(unit('TRF-1', near('T2-DEP', 5)));
    expect(state(await rig.duty.status(), 'T2-DEP')).toMatchObject({ state: 'due', checkIns: [{ unitId: 'TRF-1' }] });
    // The tower has nobody on the day roster: unassigned, whoever passes.
    await rig.duty.onPosition(unit('TRF-1', near('TWR', 5)));
    expect(state(await rig.duty.status(), 'TWR')).toMatchObject({ state: 'unassigned', unitIds: [] });
  });

  it('flags a point of a line walked past (an earlier point, then a later one, not this one) as missed at once', async () => {
    const line = rig.duty.plan().lines.find((l) => l.id === 'L-T2')!;
    expect(line.pointIds).toEqual(['T2-DEP', 'T2-N', 'T2-ARR']);
    // Starting mid-line is no skip.
    await rig.duty.onPosition(unit('T2-P1', near('T2-ARR', 0)));
    expect(state(await rig.duty.status(), 'T2-N').state).toBe('due');
    rig.clock.advance(5 * 60_000);
    await rig.duty.onPosition(unit('T2-P1', near('T2-DEP', 0)));
    expect(state(await rig.duty.status(), 'T2-N').state).toBe('due');
    // ARR, then DEP: the earlier point came after the later one, so the unit has not walked past T2-N yet.
    // In the next shift: DEP, then ARR without T2-N between is a skip.
    rig.clock.advance(DAY_END - rig.clock.now() + 60_000);
    await settle();
    await rig.duty.onPosition(unit('T2-P1', near('T1-DEP', 0)));
    await rig.duty.onPosition(unit('T2-P1', near('T2-DEP', 0)));
    rig.clock.advance(5 * 60_000);
    await rig.duty.onPosition(unit('T2-P1', near('T2-ARR', 0)));
    const night = await rig.duty.status();
    expect(night.shift.id).toBe('night');
    expect(state(night, 'T2-N').state).toBe('missed');
    // Visiting it after all makes it done.
    await rig.duty.onPosition(unit('T2-P1', near('T2-N', 0)));
    expect(state(await rig.duty.status(), 'T2-N').state).toBe('done');
  });
});

describe('the end of a shift', () => {
  it('records each missed point once (actor system), shows them in that shift, and starts the next shift empty', async () => {
    await rig.duty.onPosition(unit('T2-P1', near('T2-DEP', 0)));
    const day = rig.duty.shiftOf(rig.clock.now());
    await rig.clock.advanceAsync(DAY_END - rig.clock.now(), settle);
    await settle();

    const ended = await rig.duty.statusOf(day);
    expect(state(ended, 'T2-DEP').state).toBe('done');
    expect(state(ended, 'T2-N').state).toBe('missed');
    expect(state(ended, 'TWR').state).toBe('unassigned');
    const missed = ended.points.filter((p) => p.state === 'missed').map((p) => p.pointId).sort();
    const rows = await audit('duty.missed');
    expect(rows.map((r) => r.subject.split('/')[2]).sort()).toEqual(missed);
    expect(rows.every((r) => r.actor === 'system' && r.at === DAY_END)).toBe(true);
    expect(ended.cells.reduce((n, c) => n + c.missed, 0)).toBeGreaterThan(0);

    // The night shift: published, nothing done or missed yet.
    const last = rig.events.at(-1)!;
    expect(last.shift).toMatchObject({ id: 'night', date: '2026-11-24', startAt: DAY_END, endAt: DAY_END + 12 * HOUR });
    expect(last.points.filter((p) => p.state === 'done' || p.state === 'missed')).toEqual([]);

    // A restart during the night shift does not flag the day's points again.
    await stop(rig);
    rig = await start({ clock: rig.clock, dbFile: rig.dbFile, siteDir: rig.siteDir });
    expect(await audit('duty.missed')).toHaveLength(rows.length);
  });

  it('catches up on a shift that ended while the console was down, if the console ran in it', async () => {
    await rig.duty.onPosition(unit('T2-P1', near('T2-DEP', 0)));
    const clock = rig.clock;
    await stop(rig);
    clock.advance(DAY_END - clock.now() + HOUR); // down over the change of shift
    rig = await start({ clock, dbFile: rig.dbFile, siteDir: rig.siteDir });
    const rows = await audit('duty.missed');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.every((r) => r.subject.startsWith('2026-11-24/day/'))).toBe(true);
  });
});

describe('the roster', () => {
  it('is the file default until set; a set roster is stored with its audit entry and drives the status', async () => {
    const byDefault = await rig.duty.roster('2026-11-24', 'day');
    expect(byDefault.updatedAt).toBeNull();
    expect(byDefault.assignments.find((a) => a.unitId === 'T2-P1')).toEqual({ unitId: 'T2-P1', pointIds: [], lineIds: ['L-T2'] });

    const by = { username: 'command', displayName: '陈刚' };
    const set = await rig.duty.setRoster({ date: '2026-11-24', shiftId: 'day', assignments: [{ unitId: 'TRF-1', pointIds: ['TWR', 'TWR'], lineIds: [] }] }, by);
    expect(set).toMatchObject({ assignments: [{ unitId: 'TRF-1', pointIds: ['TWR'], lineIds: [] }], updatedAt: rig.clock.now(), updatedBy: by });
    expect(await rig.duty.roster('2026-11-24', 'day')).toEqual(set);
    const rows = await audit('duty.set-roster');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'command', subject: '2026-11-24/day' });
    expect(JSON.parse(rows[0].details)).toMatchObject({ before: 'default', assignments: set.assignments });

    const status = await rig.duty.status();
    expect(state(status, 'TWR')).toMatchObject({ state: 'due', unitIds: ['TRF-1'] });
    expect(state(status, 'T2-DEP').state).toBe('unassigned');
    // The current shift's change is published.
    await settle();
    expect(state(rig.events.at(-1)!, 'TWR').unitIds).toEqual(['TRF-1']);
  });

  it('refuses units, points and lines that do not exist, naming each, and keeps the roster as it was', async () => {
    const by = { username: 'command', displayName: '陈刚' };
    const refused = await rig.duty
      .setRoster({ date: '2026-11-24', shiftId: 'day', assignments: [{ unitId: 'GHOST-9', pointIds: ['T2-DEP', 'NOWHERE'], lineIds: ['L-NONE'] }] }, by)
      .catch((e) => e.toBody());
    expect(refused).toMatchObject({
      code: 'bad-request',
      fields: [
        { path: 'assignments[0].unitId', problem: 'there is no unit GHOST-9' },
        { path: 'assignments[0].pointIds[1]', problem: 'there is no point NOWHERE' },
        { path: 'assignments[0].lineIds[0]', problem: 'there is no line L-NONE' },
      ],
    });
    expect(refused.message).toContain('GHOST-9');
    expect((await rig.duty.roster('2026-11-24', 'day')).updatedAt).toBeNull();
    expect(await audit('duty.set-roster')).toEqual([]);
  });

  it('refuses an unknown shift, an impossible date, and a shift that has ended', async () => {
    const by = { username: 'command', displayName: '陈刚' };
    const body = (p: Promise<unknown>) => p.then(() => null, (e) => e.toBody());
    expect(await body(rig.duty.setRoster({ date: '2026-11-24', shiftId: 'evening', assignments: [] }, by))).toMatchObject({ code: 'bad-request', reason: 'unknown-shift' });
    expect(await body(rig.duty.setRoster({ date: '2026-02-30', shiftId: 'day', assignments: [] }, by))).toMatchObject({ code: 'bad-request', fields: [{ path: 'date' }] });
    expect(await body(rig.duty.setRoster({ date: '2026-11-23', shiftId: 'night', assignments: [] }, by))).toMatchObject({ code: 'conflict', reason: 'shift-ended' });
    // Tomorrow's night shift may be planned.
    expect(await rig.duty.setRoster({ date: '2026-11-25', shiftId: 'night', assignments: [{ unitId: 'WJ-1', pointIds: ['TWR'], lineIds: [] }] }, by)).toMatchObject({ shiftId: 'night' });
  });
});

describe("'duty.changed'", () => {
  it('is published at most once a second, with the latest status', async () => {
    await rig.duty.onPosition(unit('T2-P1', near('T2-DEP', 0)));
    await settle();
    expect(rig.events).toHaveLength(1);
    await rig.duty.onPosition(unit('T2-P1', near('T2-N', 0)));
    await rig.duty.onPosition(unit('T2-P1', near('T2-ARR', 0)));
    await settle();
    expect(rig.events).toHaveLength(1);
    rig.clock.advance(999);
    await settle();
    expect(rig.events).toHaveLength(1);
    rig.clock.advance(1);
    await settle();
    expect(rig.events).toHaveLength(2);
    expect(['T2-DEP', 'T2-N', 'T2-ARR'].map((p) => state(rig.events[1], p).state)).toEqual(['done', 'done', 'done']);
  });
});

describe('a site without a duty file', () => {
  it('starts with no plan and answers the calls with a clear refusal', async () => {
    const siteDir = dirs.make();
    const other = await start({ siteDir });
    expect(other.duty.plan()).toEqual({ shifts: [], points: [], lines: [] });
    expect(other.logs.join('\n')).toMatch(/no duty plan/);
    await expect(other.duty.status()).rejects.toMatchObject({ code: 'unavailable' });
    await other.duty.onPosition(unit('T2-P1', [106.63, 29.71]));
    await stop(other);
  });

  it('refuses to start on a broken duty file, naming the problem', async () => {
    const siteDir = dirs.make();
    mkdirSync(join(siteDir, 'response'));
    writeFileSync(join(siteDir, 'response', 'duty.json'), '{"format":"skyfence-duty"');
    await expect(start({ siteDir })).rejects.toThrow(/^duty\.json: \$: not valid JSON/);
  });
});
