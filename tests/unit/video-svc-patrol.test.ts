// Video patrol, the video wall's layouts and the other video calls, through the real dispatcher: roles,
// input errors naming the field, the demo routes, one open run per route and user, verdicts with snapshots
// kept (a dead camera still counts), missed cameras, what is due today, and the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { patrolDue } from '../../src/main/core/video/patrol-schedule.ts';
import { demoRoutes, routeIdFromName } from '../../src/main/core/video/patrol.ts';
import { videoCore } from '../../src/main/core/video/video-core.ts';
import type { PatrolDue } from '../../src/shared/contract/video.ts';
import type { Camera, CameraCoverage, PatrolRoute, PatrolRun, WallLayout } from '../../src/shared/video.ts';
import { testCore } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';
import { camera, DbEvidence, MemoryCameras } from '../fixtures/video-svc-cameras.ts';

const T2 = { zh: 'T2 出发层', en: 'T2 departures' };
const FENCE = { zh: '东侧围界', en: 'East perimeter fence' };
const INVENTORY: Camera[] = [
  ...[1, 2, 3, 4].map((n) => camera(`vms/t2-${n}`, { lon: 104.44 + n / 1e4, lat: 30.57, area: T2 })),
  camera('vms/p3-1', { lon: 104.43, lat: 30.56, area: { zh: '停车场 P3', en: 'Car park P3' } }),
  ...[1, 2].map((n) => camera(`vms/fence-${n}`, { lon: 104.45, lat: 30.58 + n / 1e4, area: FENCE })),
  camera('vms/kk-1', { lon: 104.46, lat: 30.55, kind: 'checkpoint', checkpointId: 'kk1' }),
  camera('vms/ptz-1', {
    lon: 104.47, lat: 30.55, kind: 'ptz', area: T2, fovDeg: 40, rangeM: 500,
    presets: [{ id: 'gate', name: '登机口', headingDeg: 90, tiltDeg: 5 }],
  }),
];

let t: Awaited<ReturnType<typeof testCore>>;
let cams: MemoryCameras;
let duty: Session;
let command: Session;
let admin: Session;

beforeAll(async () => {
  t = await testCore();
  cams = new MemoryCameras(INVENTORY);
  Object.assign(t.core, { cameras: cams, evidence: new DbEvidence(t.core.db) });
  duty = await signedIn(t.core, 'duty');
  command = await signedIn(t.core, 'command');
  admin = await signedIn(t.core, 'admin');
});
afterAll(async () => t?.dispose());

const call = <T>(s: Session, name: string, input: object = {}) => dispatch(t.core, s, name, input) as Promise<T>;
type Refusal = { code: string; message: string; fields: Array<{ path: string; problem: string }> };
/** The refusal of a call that must be refused. */
const refused = (p: Promise<unknown>): Promise<Refusal> => p.then(() => { throw new Error('the call was accepted'); }, (e: unknown) => e as Refusal);
const audited = async (action: string) => (await t.core.audit.entries(500)).filter((e) => e.action === action);

describe('patrol routes', () => {
  it('seeds three routes from the inventory in demo mode when there are none', async () => {
    const routes = await call<PatrolRoute[]>(duty, 'patrol.routes');
    expect(routes.map((r) => r.id).sort()).toEqual(['demo-area', 'demo-checkpoints', 'demo-perimeter']);
    const byId = Object.fromEntries(routes.map((r) => [r.id, r]));
    expect(byId['demo-area']).toMatchObject({ name: 'T2 出发层 巡检', cameraIds: ['vms/t2-1', 'vms/t2-2', 'vms/t2-3', 'vms/t2-4', 'vms/ptz-1'], dwellS: 10, schedule: ['08:00', '14:00', '20:00'] });
    expect(byId['demo-perimeter'].cameraIds).toEqual(['vms/fence-1', 'vms/fence-2']);
    expect(byId['demo-checkpoints'].cameraIds).toEqual(['vms/kk-1']);
    expect(await call<PatrolRoute[]>(duty, 'patrol.routes')).toHaveLength(3); // not seeded twice
    expect(demoRoutes([])).toEqual([]);
  });

  it('lets a commander save a route (id from the name) and refuses an operator', async () => {
    await expect(call(duty, 'patrol.saveRoute', { name: '夜间巡检', cameraIds: ['vms/t2-1'], dwellS: 10, schedule: [] })).rejects.toMatchObject({ code: 'forbidden' });
    const saved = await call<PatrolRoute>(command, 'patrol.saveRoute', { name: '夜间巡检', cameraIds: ['vms/t2-1', 'vms/fence-1'], dwellS: 15, schedule: ['22:00', '02:00'] });
    expect(saved).toEqual({ id: routeIdFromName('夜间巡检'), name: '夜间巡检', cameraIds: ['vms/t2-1', 'vms/fence-1'], dwellS: 15, schedule: ['02:00', '22:00'] });
    expect(saved.id).toMatch(/^r-[0-9a-f]{10}$/);
    expect(routeIdFromName('Night round 2')).toBe('night-round-2');
    const again = await call<PatrolRoute>(command, 'patrol.saveRoute', { name: '夜间巡检', cameraIds: ['vms/t2-2'], dwellS: 20, schedule: [] });
    expect(again.id).toBe(saved.id);
    expect((await call<PatrolRoute[]>(duty, 'patrol.routes')).find((r) => r.id === saved.id)?.cameraIds).toEqual(['vms/t2-2']);
    expect(await audited('patrol.save-route')).toHaveLength(2);
  });

  it('names the field of bad input: an unknown camera, a repeated one, a short dwell, a bad time', async () => {
    await expect(call(admin, 'patrol.saveRoute', { name: 'x', cameraIds: ['vms/t2-1', 'vms/ghost', 'vms/t2-1'], dwellS: 10, schedule: [] })).rejects.toMatchObject({
      code: 'bad-request',
      fields: [{ path: 'cameraIds.1', problem: 'unknown camera vms/ghost' }, { path: 'cameraIds.2', problem: 'camera vms/t2-1 is listed twice' }],
    });
    const short = await refused(call(admin, 'patrol.saveRoute', { name: 'x', cameraIds: ['vms/t2-1'], dwellS: 1, schedule: ['25:00'] }));
    expect(short.code).toBe('bad-request');
    expect(short.fields.map((f) => f.path).sort()).toEqual(['dwellS', 'schedule.0']);
  });
});

describe('a patrol run', () => {
  let run: PatrolRun;

  it('starts once per route and user: starting again returns the open run', async () => {
    run = await call<PatrolRun>(duty, 'patrol.start', { routeId: 'demo-area' });
    expect(run).toMatchObject({ routeId: 'demo-area', routeName: 'T2 出发层 巡检', by: { username: 'duty' }, finishedAt: null, checks: [], missed: [] });
    expect((await call<PatrolRun>(duty, 'patrol.start', { routeId: 'demo-area' })).id).toBe(run.id);
    const theirs = await call<PatrolRun>(command, 'patrol.start', { routeId: 'demo-area' });
    expect(theirs.id).not.toBe(run.id);
    await expect(call(duty, 'patrol.start', { routeId: 'no-such' })).rejects.toMatchObject({ code: 'not-found' });
    expect(await audited('patrol.start')).toHaveLength(2);
  });

  it('records verdicts with the snapshot kept; a dead camera is recorded as a picture fault without one', async () => {
    cams.broken.add('t2-2');
    t.clock.advance(10_000);
    let r = await call<PatrolRun>(duty, 'patrol.check', { runId: run.id, cameraId: 'vms/t2-1', verdict: 'normal', note: '' });
    t.clock.advance(10_000);
    r = await call<PatrolRun>(duty, 'patrol.check', { runId: run.id, cameraId: 'vms/t2-2', verdict: 'picture-fault', note: '黑屏' });
    t.clock.advance(10_000);
    r = await call<PatrolRun>(duty, 'patrol.check', { runId: run.id, cameraId: 'vms/t2-3', verdict: 'normal', note: '' });
    // A second verdict for a camera replaces the first.
    r = await call<PatrolRun>(duty, 'patrol.check', { runId: run.id, cameraId: 'vms/t2-3', verdict: 'abnormal', note: '可疑包裹' });
    expect(r.checks.map((c) => [c.cameraId, c.verdict])).toEqual([['vms/t2-1', 'normal'], ['vms/t2-2', 'picture-fault'], ['vms/t2-3', 'abnormal']]);
    const [ok, dead, odd] = r.checks;
    expect(dead.snapshotId).toBeNull();
    expect(ok.snapshotId).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await videoCore(t.core).evidence.get(odd.snapshotId!);
    expect(kept).toMatchObject({ cameraId: 'vms/t2-3', takenAt: odd.at, contentType: 'image/jpeg' });
    expect(await audited('patrol.check')).toHaveLength(4);
  });

  it('refuses a check without a note for a fault, off the route, or on another operator’s run', async () => {
    await expect(call(duty, 'patrol.check', { runId: run.id, cameraId: 'vms/t2-4', verdict: 'abnormal', note: ' ' })).rejects.toMatchObject({
      code: 'bad-request', fields: [{ path: 'note', problem: 'say what is wrong' }],
    });
    await expect(call(duty, 'patrol.check', { runId: run.id, cameraId: 'vms/kk-1', verdict: 'normal', note: '' })).rejects.toMatchObject({
      code: 'bad-request', fields: [{ path: 'cameraId', problem: 'not on the route T2 出发层 巡检' }],
    });
    await expect(call(command, 'patrol.check', { runId: run.id, cameraId: 'vms/t2-4', verdict: 'normal', note: '' })).rejects.toMatchObject({ code: 'forbidden', reason: 'not-your-run' });
    await expect(call(duty, 'patrol.check', { runId: 'nope', cameraId: 'vms/t2-4', verdict: 'normal', note: '' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('finishes with the unchecked cameras missed; a finished run takes no more', async () => {
    t.clock.advance(60_000);
    const done = await call<PatrolRun>(duty, 'patrol.finish', { runId: run.id });
    expect(done.finishedAt).toBe(t.clock.now());
    expect(done.missed).toEqual(['vms/t2-4', 'vms/ptz-1']);
    await expect(call(duty, 'patrol.finish', { runId: run.id })).rejects.toMatchObject({ code: 'conflict', reason: 'already-finished' });
    await expect(call(duty, 'patrol.check', { runId: run.id, cameraId: 'vms/t2-4', verdict: 'normal', note: '' })).rejects.toMatchObject({ code: 'conflict' });
    const next = await call<PatrolRun>(duty, 'patrol.start', { routeId: 'demo-area' });
    expect(next.id).not.toBe(run.id);
    expect(await audited('patrol.finish')).toHaveLength(1);
  });

  it('lists the runs of a period newest first, with their checks', async () => {
    t.clock.advance(1000);
    const runs = await call<PatrolRun[]>(admin, 'patrol.runs', { from: 0, to: t.clock.now() });
    expect(runs.length).toBe(3);
    expect(runs.map((r) => r.startedAt)).toEqual([...runs.map((r) => r.startedAt)].sort((a, b) => b - a));
    expect(runs.find((r) => r.id === run.id)?.checks).toHaveLength(3);
    expect(await call(admin, 'patrol.runs', { from: t.clock.now() + 1, to: t.clock.now() + 2 })).toEqual([]);
    await expect(call(admin, 'patrol.runs', { from: 10, to: 5 })).rejects.toMatchObject({ code: 'bad-request', fields: [{ path: 'to', problem: 'before from' }] });
  });
});

describe('what is due today', () => {
  const route = (id: string, schedule: string[]): PatrolRoute => ({ id, name: id, cameraIds: ['vms/a'], dwellS: 10, schedule });
  const CHINA = () => 480;
  // 2026-11-24 15:10 in China (UTC+8) is 07:10 UTC.
  const now = Date.UTC(2026, 10, 24, 7, 10);
  const chinaTime = (h: number, m: number) => Date.UTC(2026, 10, 24, h - 8, m);

  it('lists past times without a run in their half hour: due within it, missed after; not the times to come', () => {
    const routes = [route('a', ['08:00', '14:00', '15:00', '20:00']), route('b', ['14:50'])];
    const runs = [{ routeId: 'a', startedAt: chinaTime(8, 29) }, { routeId: 'b', startedAt: chinaTime(14, 40) }];
    expect(patrolDue(routes, runs, now, CHINA)).toEqual<PatrolDue[]>([
      { routeId: 'a', dueAt: chinaTime(14, 0), missed: true },
      { routeId: 'b', dueAt: chinaTime(14, 50), missed: false },
      { routeId: 'a', dueAt: chinaTime(15, 0), missed: false },
    ]);
    // A run at 08:30 sharp is outside [08:00, 08:30).
    expect(patrolDue([route('a', ['08:00'])], [{ routeId: 'a', startedAt: chinaTime(8, 30) }], now, CHINA)).toEqual([{ routeId: 'a', dueAt: chinaTime(8, 0), missed: true }]);
    // Local midnight, not UTC's: at 01:00 in China yesterday's 20:00 is not today's.
    expect(patrolDue([route('a', ['20:00', '00:30'])], [], chinaTime(1, 0), CHINA)).toEqual([{ routeId: 'a', dueAt: chinaTime(0, 30), missed: true }]);
  });

  it('answers patrol.due from the routes and runs, in the console’s local time', async () => {
    const due = await call<PatrolDue[]>(duty, 'patrol.due');
    const now = t.clock.now();
    const today = (hhmm: string) => {
      const d = new Date(now);
      d.setHours(Number(hhmm.slice(0, 2)), Number(hhmm.slice(3)), 0, 0);
      return d.getTime();
    };
    const routes = await call<PatrolRoute[]>(duty, 'patrol.routes');
    const runs = await call<PatrolRun[]>(duty, 'patrol.runs', { from: 0, to: now });
    const expected = routes.flatMap((r) => r.schedule.map((s) => ({ routeId: r.id, dueAt: today(s) })))
      .filter((d) => d.dueAt <= now && !runs.some((x) => x.routeId === d.routeId && x.startedAt >= d.dueAt && x.startedAt < d.dueAt + 30 * 60_000))
      .map((d) => ({ ...d, missed: now >= d.dueAt + 30 * 60_000 }));
    expect(expected.length).toBeGreaterThan(0); // 08:00 today has passed on the test clock, whatever the zone
    expect(due).toEqual(expect.arrayContaining(expected));
    expect(due).toHaveLength(expected.length);
  });
});

describe('the video wall and the other video calls', () => {
  it('saves a layout padded to its size, replaces it by name, deletes it, all audited', async () => {
    const saved = await call<WallLayout>(duty, 'wall.saveLayout', { name: '值班墙', size: 4, tiles: ['vms/t2-1', null, 'vms/fence-1'] });
    expect(saved).toMatchObject({ name: '值班墙', size: 4, tiles: ['vms/t2-1', null, 'vms/fence-1', null], savedBy: { username: 'duty', displayName: '李明' }, savedAt: t.clock.now() });
    await call(command, 'wall.saveLayout', { name: '值班墙', size: 9, tiles: ['vms/kk-1'] });
    const layouts = await call<WallLayout[]>(duty, 'wall.layouts');
    expect(layouts).toHaveLength(1);
    expect(layouts[0]).toMatchObject({ size: 9, tiles: ['vms/kk-1', ...Array(8).fill(null)], savedBy: { username: 'command' } });
    // Now the commander's: the operator may no longer delete it (video-guards.test.ts has the rules).
    expect(await call(command, 'wall.deleteLayout', { name: '值班墙' })).toEqual({ deleted: true });
    expect(await call(duty, 'wall.deleteLayout', { name: '值班墙' })).toEqual({ deleted: false });
    expect(await call(duty, 'wall.layouts')).toEqual([]);
    expect((await audited('wall.save-layout')).length).toBe(2);
    expect((await audited('wall.delete-layout')).length).toBe(1);
  });

  it('refuses unknown cameras naming them, and more tiles than the size', async () => {
    const err = await refused(call(duty, 'wall.saveLayout', { name: 'x', size: 4, tiles: ['vms/t2-1', 'vms/ghost', null, 'vms/gone'] }));
    expect(err).toMatchObject({ code: 'bad-request', fields: [{ path: 'tiles.1', problem: 'unknown camera vms/ghost' }, { path: 'tiles.3', problem: 'unknown camera vms/gone' }] });
    expect(err.message).toContain('vms/ghost, vms/gone');
    await expect(call(duty, 'wall.saveLayout', { name: 'x', size: 1, tiles: ['vms/t2-1', null] })).rejects.toMatchObject({ code: 'bad-request', fields: [{ path: 'tiles' }] });
    await expect(call(duty, 'wall.saveLayout', { name: 'x', size: 3, tiles: [] })).rejects.toMatchObject({ code: 'bad-request', fields: [{ path: 'size' }] });
  });

  it('lists the cameras with their states, and finds who can see a point', async () => {
    const list = await call<{ cameras: Camera[]; states: unknown[] }>(duty, 'video.cameras');
    expect(list.cameras).toHaveLength(INVENTORY.length);
    expect(list.states).toHaveLength(INVENTORY.length);
    const ptz = INVENTORY.find((c) => c.id === 'vms/ptz-1')!;
    const east = { lon: ptz.position.lon + 0.002, lat: ptz.position.lat }; // about 190 m east
    const seen = await call<CameraCoverage[]>(duty, 'video.whoCanSee', { point: east });
    expect(seen).toEqual([expect.objectContaining({ cameraId: 'vms/ptz-1', presetId: 'gate' })]);
    await expect(call(duty, 'video.whoCanSee', { point: { lon: 200, lat: 30 } })).rejects.toMatchObject({ code: 'bad-request', fields: [{ path: 'point.lon' }] });
  });

  it('sends a PTZ camera to a known preset for those on duty only, audited', async () => {
    const drill = await signedIn(t.core, 'drill');
    await expect(call(drill, 'video.gotoPreset', { cameraId: 'vms/ptz-1', presetId: 'gate' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await call(duty, 'video.gotoPreset', { cameraId: 'vms/ptz-1', presetId: 'gate' })).toMatchObject({ id: 'vms/ptz-1', presetId: 'gate' });
    expect(cams.presetCalls).toEqual([{ id: 'vms/ptz-1', presetId: 'gate' }]);
    await expect(call(duty, 'video.gotoPreset', { cameraId: 'vms/ptz-1', presetId: 'nope' })).rejects.toMatchObject({ code: 'bad-request', fields: [{ path: 'presetId' }] });
    await expect(call(duty, 'video.gotoPreset', { cameraId: 'vms/t2-1', presetId: 'gate' })).rejects.toMatchObject({ code: 'bad-request', fields: [{ path: 'cameraId' }] });
    await expect(call(duty, 'video.gotoPreset', { cameraId: 'vms/ghost', presetId: 'gate' })).rejects.toMatchObject({ code: 'not-found' });
    expect(await audited('video.goto-preset')).toHaveLength(1);
  });
});
