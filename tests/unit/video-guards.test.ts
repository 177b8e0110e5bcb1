// Guards an attack review asked for, through the real dispatcher: a watch-listed plate must be a plate after
// normalising; a patrol check that loses the race with the run's finish is refused, not recorded on the
// finished run; wall layouts are changed only by whoever saved them (or a commander or an admin) and capped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { MAX_WALL_LAYOUTS } from '../../src/main/core/video/wall-layouts.ts';
import { PLATE_TOO_SHORT } from '../../src/shared/contract/video.ts';
import type { PatrolRoute, PatrolRun, WallLayout, WatchEntry } from '../../src/shared/video.ts';
import type { VideoSourceMedia } from '../../src/main/core/video/video-source.ts';
import { TEST_PASSWORD, testCore } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';
import { camera, DbEvidence, MemoryCameras } from '../fixtures/video-svc-cameras.ts';

/** Cameras whose snapshots wait for `release()` once `hold()` was called: a slow camera on demand. */
class SlowCameras extends MemoryCameras {
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;
  /** Resolves when a held snapshot has been asked for. */
  asked: Promise<void> = Promise.resolve();
  private onAsked: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
    this.asked = new Promise((r) => (this.onAsked = r));
  }
  release(): void {
    this.gate = null;
    this.open();
  }
  override media(id: string): { media: VideoSourceMedia; cameraId: string } | undefined {
    const inner = super.media(id);
    if (!inner) return undefined;
    const snapshot: VideoSourceMedia['snapshot'] = async (cameraId, o) => {
      if (this.gate) {
        this.onAsked();
        await this.gate;
      }
      return inner.media.snapshot(cameraId, o);
    };
    return { cameraId: inner.cameraId, media: { ...inner.media, snapshot } };
  }
}

let t: Awaited<ReturnType<typeof testCore>>;
let cams: SlowCameras;
let duty: Session;
let duty2: Session;
let command: Session;
let admin: Session;

beforeAll(async () => {
  t = await testCore();
  cams = new SlowCameras([1, 2, 3].map((n) => camera(`vms/g-${n}`, { lon: 104.44 + n / 1e4, lat: 30.57 })));
  Object.assign(t.core, { cameras: cams, evidence: new DbEvidence(t.core.db) });
  await t.core.accounts.create('duty2', '王芳', 'operator', TEST_PASSWORD, true);
  [duty, duty2, command, admin] = await Promise.all(['duty', 'duty2', 'command', 'admin'].map((u) => signedIn(t.core, u)));
}, 60_000); // five password hashes and first changes, on a shared machine
afterAll(async () => t?.dispose());

const call = <T>(s: Session, name: string, input: object = {}) => dispatch(t.core, s, name, input) as Promise<T>;
const audited = async (action: string) => (await t.core.audit.entries(1000)).filter((e) => e.action === action);

describe('the watch list', () => {
  it('refuses a plate with fewer than two letters or digits once normalised, naming the field', async () => {
    for (const plate of ['··', '--', '·-·', 'A-', '-·渝']) {
      await expect(call(command, 'watchlist.add', { plate, reason: '测试' }), plate).rejects.toMatchObject({
        code: 'bad-request', fields: [{ path: 'plate', problem: PLATE_TOO_SHORT }],
      });
    }
    await expect(t.core.plates.addWatch('·-·', '测试', { username: 'command', displayName: '陈刚' }, 0)).rejects.toMatchObject({
      code: 'bad-request', fields: [{ path: 'plate', problem: PLATE_TOO_SHORT }],
    });
    expect(await call(command, 'watchlist.list')).toEqual([]);
    // Two letters or digits are enough, the province character counting.
    expect(await call<WatchEntry>(command, 'watchlist.add', { plate: '渝-A', reason: '测试' })).toMatchObject({ plate: '渝A' });
    expect(await call<WatchEntry>(command, 'watchlist.add', { plate: 'b·7', reason: '测试' })).toMatchObject({ plate: 'B7' });
    expect((await call<WatchEntry[]>(command, 'watchlist.list')).map((e) => e.plate)).toEqual(['B7', '渝A']);
  });
});

describe('a patrol check racing the run’s finish', () => {
  it('is refused as already-finished when the run closed while its snapshot was fetched', async () => {
    const route = await call<PatrolRoute>(command, 'patrol.saveRoute', { name: 'Race route', cameraIds: ['vms/g-1', 'vms/g-2'], dwellS: 10, schedule: [] });
    const run = await call<PatrolRun>(duty, 'patrol.start', { routeId: route.id });
    await call(duty, 'patrol.check', { runId: run.id, cameraId: 'vms/g-1', verdict: 'normal', note: '' });

    cams.hold();
    const late = call(duty, 'patrol.check', { runId: run.id, cameraId: 'vms/g-2', verdict: 'abnormal', note: '可疑人员' });
    await cams.asked; // the check confirmed the run open and now waits for the camera
    const finished = await call<PatrolRun>(duty, 'patrol.finish', { runId: run.id });
    cams.release();
    await expect(late).rejects.toMatchObject({ code: 'conflict', reason: 'already-finished' });

    expect(finished.missed).toEqual(['vms/g-2']);
    const stored = (await call<PatrolRun[]>(duty, 'patrol.runs', { from: 0, to: t.clock.now() })).find((r) => r.id === run.id)!;
    expect(stored.checks.map((c) => c.cameraId)).toEqual(['vms/g-1']);
    expect(stored.missed).toEqual(['vms/g-2']);
    expect((await audited('patrol.check')).map((e) => JSON.parse(String(e.details)).camera)).toEqual(['vms/g-1']);
  });
});

describe('wall layouts', () => {
  it('are replaced or deleted only by whoever saved them, or by a commander or an admin', async () => {
    await call(duty, 'wall.saveLayout', { name: '甲', size: 4, tiles: ['vms/g-1'] });
    // Its saver may replace and delete it; another operator may do neither.
    await call(duty, 'wall.saveLayout', { name: '甲', size: 4, tiles: ['vms/g-2'] });
    const notYours = { code: 'forbidden', reason: 'not-your-layout', fields: [{ path: 'name', problem: 'saved by 李明' }] };
    await expect(call(duty2, 'wall.saveLayout', { name: '甲', size: 1, tiles: [] })).rejects.toMatchObject(notYours);
    await expect(call(duty2, 'wall.deleteLayout', { name: '甲' })).rejects.toMatchObject(notYours);
    // A commander may replace it; then it is the commander's, and the operator who saved it first may not touch it.
    await call(command, 'wall.saveLayout', { name: '甲', size: 9, tiles: ['vms/g-3'] });
    await expect(call(duty, 'wall.saveLayout', { name: '甲', size: 1, tiles: [] })).rejects.toMatchObject({ code: 'forbidden', reason: 'not-your-layout' });
    await expect(call(duty, 'wall.deleteLayout', { name: '甲' })).rejects.toMatchObject({ code: 'forbidden', reason: 'not-your-layout' });
    let [layout] = await call<WallLayout[]>(duty, 'wall.layouts');
    expect(layout).toMatchObject({ name: '甲', size: 9, savedBy: { username: 'command' } });
    // An admin may delete anyone's.
    expect(await call(admin, 'wall.deleteLayout', { name: '甲' })).toEqual({ deleted: true });
    await call(duty2, 'wall.saveLayout', { name: '乙', size: 1, tiles: [] });
    expect(await call(duty2, 'wall.deleteLayout', { name: '乙' })).toEqual({ deleted: true });
    expect(await call(duty, 'wall.layouts')).toEqual([]);
    expect((await audited('wall.delete-layout')).length).toBe(2);
  });

  it(`are at most ${MAX_WALL_LAYOUTS}: a new name beyond is refused, saying to delete some; replacing one still works`, async () => {
    for (let i = 1; i < MAX_WALL_LAYOUTS; i++) {
      await t.core.db.run("INSERT INTO wall_layouts (name, size, tiles, saved_by, saved_by_name, saved_at) VALUES (?, 1, '[null]', 'duty', '李明', 0)", [`L${i}`]);
    }
    await call(duty, 'wall.saveLayout', { name: 'last', size: 1, tiles: [] });
    const full = dispatch(t.core, duty, 'wall.saveLayout', { name: 'one too many', size: 1, tiles: [] });
    await expect(full).rejects.toMatchObject({ code: 'conflict', reason: 'too-many-layouts' });
    await expect(full).rejects.toMatchObject({ message: expect.stringContaining('delete some') });
    await expect(call(command, 'wall.saveLayout', { name: 'one too many', size: 1, tiles: [] })).rejects.toMatchObject({ reason: 'too-many-layouts' });
    await call(duty, 'wall.saveLayout', { name: 'L1', size: 4, tiles: ['vms/g-1'] });
    await call(duty, 'wall.deleteLayout', { name: 'L2' });
    await call(duty, 'wall.saveLayout', { name: 'one too many', size: 1, tiles: [] });
    expect(await call<WallLayout[]>(duty, 'wall.layouts')).toHaveLength(MAX_WALL_LAYOUTS);
  });
});
