// Flight permits on SQLite: issued with their audit entry in one transaction and announced; refused with the
// field that is wrong (a vertex far from the airport, a crossing area, a permit already over); revoked once (of
// two revoking at once, one wins and the other is told); kept over a restart; found by the drone they name.
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { permitInput, type PermitInput } from '../../src/shared/contract/drones.ts';
import type { Permit } from '../../src/shared/drones.ts';
import { ApiError } from '../../src/main/core/calls.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { EventBus } from '../../src/main/core/event-bus.ts';
import { geodesicDirect } from '../../src/main/core/geo/local-frame.ts';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { SqliteAuditLog } from '../../src/main/core/store/audit-log.ts';
import { Database } from '../../src/main/core/store/database.ts';
import { MAX_ACTIVE_PERMITS, PermitStore } from '../../src/main/core/drones/permits.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const dirs = tempDirs('skyfence-permits');
const COMMANDER = { username: 'cmd', displayName: '指挥长 王' };
let site: SiteModel;
let file: string;
let db: Database;
let clock: ManualClock;
let published: Permit[][];
let heard: number;
let store: PermitStore;

beforeAll(async () => {
  site = new SiteModel(await loadSiteFile(SAMPLE_SITE_FILE));
});
beforeEach(async () => {
  file = join(dirs.make(), 'console.db');
  db = await Database.open(file);
  clock = new ManualClock();
  store = await openStore();
});
afterEach(async () => {
  await db.close();
  dirs.removeAll();
});

async function openStore(): Promise<PermitStore> {
  const bus = new EventBus();
  published = [];
  heard = 0;
  bus.subscribe((e, p) => e === 'permits.changed' && published.push((p as { permits: Permit[] }).permits));
  const s = new PermitStore({ db, clock, bus, site, log: () => undefined });
  await s.load();
  s.onChange(() => heard++);
  return s;
}

const near = (bearing: number, km: number) => geodesicDirect(site.pack.aerodrome.referencePoint, bearing, km * 1000);
function input(over: Partial<PermitInput> = {}) {
  const c = near(90, 6);
  return permitInput.parse({
    operator: '渝测绘公司', operatorId: 'CHN-OP-778', serials: ['1581F5FJC23A00A1'],
    area: [[c[0] - 0.01, c[1] - 0.01], [c[0] + 0.01, c[1] - 0.01], [c[0] + 0.01, c[1] + 0.01], [c[0] - 0.01, c[1] + 0.01]],
    ceilingM: 120, validFrom: clock.now(), validTo: clock.now() + 4 * 3_600_000, purpose: '航测 (survey), contact 139-0000-0000',
    ...over,
  });
}
async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}
const audit = async () => (await new SqliteAuditLog(db, clock).entries()).filter((e) => e.action.startsWith('permit.'));

describe('permit store', () => {
  it('stores a permit with its audit entry, announces it, and finds it for the drone it names', async () => {
    const p = await store.create(input(), COMMANDER);
    expect(p).toMatchObject({ operator: '渝测绘公司', createdBy: COMMANDER, createdAt: clock.now(), revokedAt: null });
    expect(store.list()).toEqual([p]);
    expect(published).toEqual([[p]]);
    expect(heard).toBe(1);

    const [entry] = await audit();
    expect(entry).toMatchObject({ actor: 'cmd', action: 'permit.create', subject: p.id });
    const details = JSON.parse(entry.details);
    expect(details).toMatchObject({ operator: '渝测绘公司', serials: ['1581F5FJC23A00A1'], ceilingM: 120 });
    // No personal data beyond the operator's name: not the operator id, not the purpose text.
    expect(entry.details).not.toContain('CHN-OP-778');
    expect(entry.details).not.toContain('139-0000');

    const identity = { serial: '1581F5FJC23A00A1', registrationId: null, uaType: null, operatorId: null, selfIdText: null };
    expect(store.naming(identity, clock.now()).map((x) => x.id)).toEqual([p.id]);
    expect(store.naming({ ...identity, serial: 'OTHER' }, clock.now())).toEqual([]);
    // Listing serials, it does not cover other drones of the operator; a permit listing none covers them all.
    expect(store.naming({ ...identity, serial: 'OTHER', operatorId: 'CHN-OP-778' }, clock.now())).toEqual([]);
    const fleet = await store.create(input({ serials: [] }), COMMANDER);
    expect(store.naming({ ...identity, serial: 'OTHER', operatorId: 'CHN-OP-778' }, clock.now()).map((x) => x.id)).toEqual([fleet.id]);
  });

  it('keeps permits over a restart', async () => {
    const p = await store.create(input(), COMMANDER);
    const again = await openStore();
    expect(again.list()).toEqual([p]);
  });

  it('refuses a vertex far from the airport with its field path', async () => {
    const a = input().area;
    // A typo in one latitude: 30.7 for 29.7, over 100 km north.
    const err = await refusal(store.create(input({ area: [a[0], a[1], a[2], [a[3][0], a[3][1] + 1]] }), COMMANDER));
    expect(err.code).toBe('bad-request');
    expect(err.fields).toEqual([{ path: 'area.3', problem: expect.stringMatching(/^vertex 3 \(.*\) is 1\d\d\.\d km from the aerodrome; a permit's area lies within 30 km$/) }]);
    expect(store.list()).toEqual([]);
    expect(await audit()).toEqual([]);
  });

  it('refuses an area that crosses itself, and a permit already over', async () => {
    const [a, b, c, d] = input().area;
    const bowtie = await refusal(store.create(input({ area: [a, c, b, d] }), COMMANDER));
    expect(bowtie.fields).toEqual([{ path: expect.stringMatching(/^area\.\d$/), problem: expect.stringContaining('must not cross itself') }]);
    const closedRing = await refusal(store.create(input({ area: [a, b, c, d, a] }), COMMANDER));
    expect(closedRing.fields).toEqual([{ path: 'area.4', problem: expect.stringContaining('without closing the ring') }]);
    const over = await refusal(store.create(input({ validFrom: clock.now() - 7_200_000, validTo: clock.now() - 3_600_000 }), COMMANDER));
    expect(over.fields).toEqual([{ path: 'validTo', problem: expect.stringContaining('not in the future') }]);
    expect(published).toEqual([]);
  });

  it('revokes once: audited, inactive, and a second revoke is a conflict', async () => {
    const p = await store.create(input(), COMMANDER);
    clock.advance(60_000);
    const revoked = await store.revoke(p.id, 'operator asked', COMMANDER);
    expect(revoked).toMatchObject({ revokedAt: clock.now(), revokedBy: COMMANDER, revokeReason: 'operator asked' });
    expect(store.list()).toEqual([]);
    expect(store.list({ includeInactive: true })).toEqual([revoked]);
    expect(store.naming({ serial: '1581F5FJC23A00A1', registrationId: null, uaType: null, operatorId: null, selfIdText: null }, clock.now())).toEqual([]);
    expect((await audit()).map((e) => e.action)).toEqual(['permit.revoke', 'permit.create']);
    expect(heard).toBe(2);

    expect((await refusal(store.revoke(p.id, 'again', COMMANDER))).code).toBe('conflict');
    expect((await refusal(store.revoke('no-such-permit', 'x', COMMANDER))).code).toBe('not-found');
  });

  it('lets exactly one of two concurrent revokes win', async () => {
    const p = await store.create(input(), COMMANDER);
    const results = await Promise.allSettled([
      store.revoke(p.id, 'first', COMMANDER),
      store.revoke(p.id, 'second', { username: 'admin', displayName: 'Admin' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 'conflict' });
    expect((await audit()).filter((e) => e.action === 'permit.revoke')).toHaveLength(1);
  });

  it('counts an expired permit as inactive', async () => {
    const p = await store.create(input({ validTo: clock.now() + 60_000 }), COMMANDER);
    clock.advance(60_000);
    expect(store.list()).toEqual([]);
    expect(store.list({ includeInactive: true }).map((x) => x.id)).toEqual([p.id]);
  });

  it('refuses a permit beyond 500 active ones, also to two seats issuing the 500th at once, and counts neither revoked nor expired ones', async () => {
    expect(MAX_ACTIVE_PERMITS).toBe(500);
    const made = await Promise.all(Array.from({ length: 499 }, () => store.create(input(), COMMANDER)));
    const both = await Promise.allSettled([store.create(input(), COMMANDER), store.create(input(), COMMANDER)]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const err = (both.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as ApiError;
    expect(err).toMatchObject({ code: 'conflict', reason: 'too-many-permits' });
    expect(err.message).toBe('permits.create: 500 permits are active, at most 500: revoke permits no longer needed first');
    expect(store.list()).toHaveLength(500);
    expect(published.at(-1)).toHaveLength(500);
    expect(await db.get<{ n: number }>('SELECT count(*) AS n FROM permits')).toEqual({ n: 500 });
    await store.revoke(made[0].id, 'done', COMMANDER);
    await store.create(input(), COMMANDER);
    await refusal(store.create(input(), COMMANDER));
    // Four hours on every permit is over: none of them counts.
    clock.advance(4 * 3_600_000);
    await store.create(input({ validFrom: clock.now(), validTo: clock.now() + 3_600_000 }), COMMANDER);
    expect(store.list()).toHaveLength(1);
  });
});
