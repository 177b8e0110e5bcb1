// The units registry on real SQLite and a manual clock: the units file (good, and each kind of bad), positions
// from the GPS feed (a batch, unknown units, old fixes), a patrol gone stale, what a restart keeps, pruning.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Unit } from '../../src/shared/response.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { EventBus } from '../../src/main/core/event-bus.ts';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { Database } from '../../src/main/core/store/database.ts';
import { POSITIONS_KEPT_MS, UnitRegistry } from '../../src/main/core/units/unit-registry.ts';
import type { UnitsDeps } from '../../src/main/core/units/units-core.ts';
import { parseUnitsFile, UnitsFileError } from '../../src/main/core/units/units-file.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const SAMPLE_UNITS = JSON.parse(readFileSync(join(SAMPLE_SITE_FILE, '..', 'response', 'units.json'), 'utf8'));
const temp = tempDirs('skyfence-units');
let site: SiteModel;
beforeAll(async () => {
  site = new SiteModel(await loadSiteFile(SAMPLE_SITE_FILE));
});

interface Rig { registry: UnitRegistry; db: Database; clock: ManualClock; changed: Unit[][]; logs: string[]; siteDir: string; dbFile: string }
const open: Rig[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) {
    r.registry.stop();
    await r.db.close();
  }
  temp.removeAll();
});

/** A registry over a site folder holding `units` as its units file (none when undefined). */
async function rig(units: unknown, reuse?: Pick<Rig, 'siteDir' | 'dbFile'> & { clock: ManualClock }): Promise<Rig> {
  const siteDir = reuse?.siteDir ?? temp.make();
  if (!reuse && units !== undefined) {
    mkdirSync(join(siteDir, 'response'));
    writeFileSync(join(siteDir, 'response', 'units.json'), typeof units === 'string' ? units : JSON.stringify(units));
  }
  const dbFile = reuse?.dbFile ?? join(temp.make(), 'skyfence.db');
  const db = await Database.open(dbFile);
  const clock = reuse?.clock ?? new ManualClock();
  const bus = new EventBus();
  const changed: Unit[][] = [];
  bus.subscribe((e, p) => e === 'units.changed' && changed.push((p as { units: Unit[] }).units));
  const logs: string[] = [];
  const deps = { db, clock, bus, site, siteDir, demo: false, log: (l: string) => logs.push(l) } as unknown as UnitsDeps;
  const registry = new UnitRegistry(deps);
  const r = { registry, db, clock, changed, logs, siteDir, dbFile };
  open.push(r);
  await registry.load();
  return r;
}

const withUnit = (patch: Record<string, unknown>, i = 0) => {
  const file = structuredClone(SAMPLE_UNITS);
  file.units[i] = { ...file.units[i], ...patch };
  return file;
};
const loadError = async (units: unknown) => {
  const err = await rig(units).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(UnitsFileError);
  return (err as UnitsFileError).problems;
};

describe('the units file', () => {
  it('loads the sample units, each at its home: a post at its feature, a patrol at the start of its route', async () => {
    const { registry } = await rig(SAMPLE_UNITS);
    const units = registry.list();
    expect(units).toHaveLength(SAMPLE_UNITS.units.length);
    const post = registry.get('PP-T3A')!;
    const feature = site.pack.features.features.find((f) => f.id === 'PP-T3A')!;
    expect(post).toMatchObject({ kind: 'post', status: 'available', positionSource: 'home', positionAt: null, orderId: null, stale: false });
    expect([post.position!.lon, post.position!.lat]).toEqual(feature.geometry.coordinates);
    expect(post.gridCellId).toMatch(/^G\d{2}-\d{2}$/);
    const patrol = registry.get('SWAT-1')!;
    expect([patrol.position!.lon, patrol.position!.lat]).toEqual(SAMPLE_UNITS.units[0].route[0]);
    expect(registry.accounts()).toContainEqual({ unitId: 'SWAT-1', account: 'unit-swat1', callSign: '特巡1' });
  });

  it('has no units, and says so once, when the site has no units file', async () => {
    const { registry, logs } = await rig(undefined);
    expect(registry.list()).toEqual([]);
    expect(logs.filter((l) => l.includes('no response/units.json'))).toHaveLength(1);
  });

  it('names the file and the JSON path of each problem', async () => {
    expect(await loadError('{ "format": ')).toEqual([expect.stringMatching(/^units\.json: \$: not valid JSON/)]);
    expect(await loadError(withUnit({ kind: 'helicopter' }))).toEqual([expect.stringMatching(/^units\.json: \$\.units\[0\]\.kind: /)]);
    expect(await loadError(withUnit({ speedMps: -1 }, 3))).toEqual([expect.stringMatching(/^units\.json: \$\.units\[3\]\.speedMps: /)]);
    expect(await loadError({ ...SAMPLE_UNITS, extra: 1 })).toEqual([expect.stringContaining('units.json: $: ')]);
  });

  it('checks what the schema cannot: a home that is no post, a far position, a swapped one, a repeated id', async () => {
    expect(await loadError(withUnit({ home: 'PP-NOWHERE' }, 1))).toEqual(['units.json: $.units[1].home: the site has no feature PP-NOWHERE']);
    expect(await loadError(withUnit({ home: 'T2' }, 1))).toEqual(['units.json: $.units[1].home: T2 is a terminal, not a police post, police station or checkpoint']);
    expect(await loadError(withUnit({ position: [29.7128, 106.6296] }, 11))).toEqual([
      'units.json: $.units[11].position[1]: Too big: expected number to be <=90 (are longitude and latitude swapped?)',
    ]);
    const far = await loadError(withUnit({ route: [[106.6285894, 29.7017813], [107.2, 29.70]] }));
    expect(far).toEqual([expect.stringMatching(/^units\.json: \$\.units\[0\]\.route\[1\]: .* km from the aerodrome \(at most 30 km\)$/)]);
    expect(await loadError(withUnit({ id: 'SWAT-Q' }))).toEqual(['units.json: $.units[1].id: the id SWAT-Q is used twice']);
    expect(await loadError({ ...SAMPLE_UNITS, routes: [[[106.65, 29.71], [29.71, 106.65]]] })).toEqual([expect.stringContaining("$.routes[0][1][1]: Too big")]);
  });
});

describe('positions', () => {
  it('takes a batch in one go: only the units that moved are published, each to its newest fix; listeners hear each', async () => {
    const { registry, clock, changed, db } = await rig(SAMPLE_UNITS);
    const heard: string[] = [];
    registry.onPosition((u) => heard.push(u.id));
    const t = clock.now();
    await registry.reportPositions('gps-1', [
      { unitId: 'SWAT-1', position: { lon: 106.64, lat: 29.705 }, at: t - 2000 },
      { unitId: 'SWAT-1', position: { lon: 106.641, lat: 29.706 }, at: t - 1000 },
      { unitId: 'TRF-1', position: { lon: 106.668, lat: 29.71 }, at: t - 1500 },
    ]);
    expect(changed).toHaveLength(1);
    expect(changed[0].map((u) => u.id).sort()).toEqual(['SWAT-1', 'TRF-1']);
    expect(registry.get('SWAT-1')).toMatchObject({ position: { lon: 106.641, lat: 29.706 }, positionAt: t - 1000, positionSource: 'gps' });
    expect(heard.sort()).toEqual(['SWAT-1', 'TRF-1']);
    const history = await db.all<{ unit_id: string; source: string }>('SELECT unit_id, source FROM unit_positions ORDER BY at');
    expect(history).toEqual([{ unit_id: 'SWAT-1', source: 'gps-1' }, { unit_id: 'TRF-1', source: 'gps-1' }, { unit_id: 'SWAT-1', source: 'gps-1' }]);
  });

  it('ignores a fix older than the last, and counts unknown units without throwing, logging at most once a minute', async () => {
    const { registry, clock, changed, logs } = await rig(SAMPLE_UNITS);
    const t = clock.now();
    await registry.reportPositions('gps-1', [{ unitId: 'SWAT-1', position: { lon: 106.64, lat: 29.705 }, at: t }]);
    changed.length = 0;
    await registry.reportPositions('gps-1', [{ unitId: 'SWAT-1', position: { lon: 106.7, lat: 29.8 }, at: t - 5000 }]);
    expect(changed).toEqual([]);
    expect(registry.get('SWAT-1')!.position).toEqual({ lon: 106.64, lat: 29.705 });

    await registry.reportPositions('gps-1', [{ unitId: 'GHOST-1', position: { lon: 106.64, lat: 29.705 }, at: t }]);
    await registry.reportPositions('gps-1', [{ unitId: 'GHOST-2', position: { lon: 106.64, lat: 29.705 }, at: t }, { unitId: 'GHOST-3', position: { lon: 106.64, lat: 29.705 }, at: t }]);
    expect(registry.unknownFixCount).toBe(3);
    expect(logs.filter((l) => l.includes('does not list'))).toHaveLength(1);
    clock.advance(61_000);
    await registry.reportPositions('gps-1', [{ unitId: 'GHOST-1', position: { lon: 106.64, lat: 29.705 }, at: clock.now() }]);
    expect(logs.filter((l) => l.includes('does not list'))).toEqual([
      expect.stringContaining('gps-1 sent 1 position(s)'), expect.stringContaining('gps-1 sent 3 position(s) of units the units file does not list (4 so far)'),
    ]);
  });

  it('marks a silent patrol stale after 120 s on the core clock, never a post; a fix brings it back', async () => {
    const { registry, clock, changed } = await rig(SAMPLE_UNITS);
    await registry.reportPositions('gps-1', [{ unitId: 'SWAT-1', position: { lon: 106.64, lat: 29.705 }, at: clock.now() }]);
    clock.advance(115_000);
    expect(registry.get('SWAT-1')!.stale).toBe(false);
    changed.length = 0;
    clock.advance(10_000);
    expect(registry.get('SWAT-1')!.stale).toBe(true);
    expect(registry.get('PP-T3A')!.stale).toBe(false);
    expect(registry.get('PS-MAIN')!.stale).toBe(false);
    const staleNow = changed.flat().filter((u) => u.stale).map((u) => u.id);
    expect(staleNow).toContain('SWAT-1');
    expect(staleNow.every((id) => registry.get(id)!.kind === 'patrol')).toBe(true);
    await registry.reportPositions('gps-1', [{ unitId: 'SWAT-1', position: { lon: 106.641, lat: 29.705 }, at: clock.now() }]);
    expect(registry.get('SWAT-1')!.stale).toBe(false);
  });

  it('keeps status and last position across a restart', async () => {
    const first = await rig(SAMPLE_UNITS);
    const t = first.clock.now();
    await first.registry.reportPositions('gps-1', [{ unitId: 'TRF-2', position: { lon: 106.62, lat: 29.705 }, at: t }]);
    await first.registry.setStatus('PP-NORTH', 'off-duty', { username: 'duty', displayName: '李明' });
    first.registry.stop();
    await first.db.close();
    open.splice(open.indexOf(first), 1);
    const second = await rig(SAMPLE_UNITS, { siteDir: first.siteDir, dbFile: first.dbFile, clock: first.clock });
    expect(second.registry.get('TRF-2')).toMatchObject({ position: { lon: 106.62, lat: 29.705 }, positionAt: t, positionSource: 'gps' });
    expect(second.registry.get('PP-NORTH')!.status).toBe('off-duty');
    const audit = await second.db.all<{ action: string; subject: string; details: string }>("SELECT action, subject, details FROM audit_log WHERE action = 'units.set-status'");
    expect(audit).toEqual([{ action: 'units.set-status', subject: 'PP-NORTH', details: JSON.stringify({ callSign: registry0CallSign('PP-NORTH'), from: 'available', to: 'off-duty' }) }]);
  });

  it('prunes positions older than 7 days, hourly on the core clock', async () => {
    const { registry, clock, db } = await rig(SAMPLE_UNITS);
    const t = clock.now();
    await registry.reportPositions('gps-1', [
      { unitId: 'SWAT-1', position: { lon: 106.64, lat: 29.705 }, at: t - POSITIONS_KEPT_MS - 60_000 },
      { unitId: 'SWAT-1', position: { lon: 106.641, lat: 29.705 }, at: t - POSITIONS_KEPT_MS + 3600_000 },
    ]);
    const count = async () => (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM unit_positions'))!.n;
    expect(await count()).toBe(2);
    await clock.advanceAsync(3600_000 - 1000);
    expect(await count()).toBe(2);
    await clock.advanceAsync(1000, () => new Promise((r) => setTimeout(r, 30)));
    expect(await count()).toBe(1);
  });
});

const registry0CallSign = (id: string) => SAMPLE_UNITS.units.find((u: { id: string }) => u.id === id).callSign;
