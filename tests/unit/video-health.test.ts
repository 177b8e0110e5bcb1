// Camera health against a fake VMS: debounced offline, grouped alarms that follow their members and close
// themselves, frozen pictures, and open alarms read back after a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alarm, CameraGroupDetails } from '../../src/shared/domain.ts';
import { FakeVms, fakeCameras } from '../fixtures/video-fake-vms.ts';
import { videoCore, type VideoCore } from '../fixtures/video-core.ts';

let fake: FakeVms;
let v: VideoCore;

beforeEach(async () => {
  fake = await new FakeVms().start();
});
afterEach(async () => {
  await v?.dispose();
  await fake.stop();
});

const details = (a: Alarm) => a.details as CameraGroupDetails;
const health = (id: string) => v.core.cameras.states().find((s) => s.id === id)?.health;

describe('camera health', () => {
  beforeEach(async () => {
    fake.cameras = [...fakeCameras(3, { prefix: 'gate', group: 'sw-gate' }), ...fakeCameras(1, { prefix: 'lone', group: null })];
    v = await videoCore(fake);
  });

  it('lists the cameras with their grid cell, and an offline camera needs two reports before one alarm', async () => {
    expect(await v.poll()).toBe(true);
    expect(v.core.cameras.list().map((c) => c.id)).toEqual(['vms/gate-1', 'vms/gate-2', 'vms/gate-3', 'vms/lone-1']);
    expect(v.core.cameras.get('vms/gate-1')).toMatchObject({ sourceId: 'vms', cameraId: 'gate-1', group: 'sw-gate', position: { altM: 408 } });
    expect(v.core.cameras.get('vms/gate-1')!.gridCellId).toMatch(/.+/);
    expect(v.core.cameras.states().map((s) => s.health)).toEqual(['online', 'online', 'online', 'online']);
    expect(v.cameraEvents).toHaveLength(1);

    fake.offline.add('gate-2');
    await v.poll();
    expect(health('vms/gate-2')).toBe('online');
    expect(v.alarms()).toEqual([]);
    await v.poll();
    expect(health('vms/gate-2')).toBe('offline');
    const [alarm] = v.alarms('camera-offline');
    expect(v.alarms()).toHaveLength(1);
    expect(alarm).toMatchObject({ source: 'video', severity: 2, state: 'new', details: { sourceId: 'vms', group: 'sw-gate', cameraIds: ['vms/gate-2'], peak: 1 } });
    expect(alarm.position!.lon).toBeCloseTo(106.6501, 6);
    expect(alarm.position!.lat).toBeCloseTo(29.7101, 6);
    // Only the camera that changed is published.
    expect(v.cameraEvents.at(-1)).toEqual([{ id: 'vms/gate-2', health: 'offline', since: v.clock.now() }]);
    expect(v.core.sources.get('vms')).toMatchObject({ health: 'ok', counts: { cameras: 4, offline: 1, frozen: 0, events: 0 } });

    // Still offline: nothing new is written.
    await v.poll();
    expect(v.alarmEvents).toHaveLength(1);
  });

  it('raises nothing for a blip of one report', async () => {
    await v.poll();
    fake.offline.add('lone-1');
    await v.poll();
    fake.offline.delete('lone-1');
    await v.poll();
    await v.poll();
    expect(v.alarmEvents).toEqual([]);
    expect(v.cameraEvents).toHaveLength(1); // the first report only
  });

  it('keeps a camera without group in an alarm of its own, and closes it as the system once it is back', async () => {
    await v.poll();
    fake.offline.add('lone-1');
    fake.offline.add('gate-1');
    await v.poll();
    await v.poll();
    const keys = v.alarms('camera-offline').map((a) => details(a).cameraIds);
    expect(keys.sort()).toEqual([['vms/gate-1'], ['vms/lone-1']]);
    fake.offline.delete('lone-1');
    await v.poll();
    const lone = v.alarms('camera-offline').find((a) => details(a).cameraIds.length === 0 || details(a).cameraIds[0] === 'vms/lone-1')!;
    expect(lone).toMatchObject({ state: 'closed', closedBy: { username: 'system' }, resolution: { category: 'other' }, details: { cameraIds: [], peak: 1 } });
    expect(lone.resolution!.note).toContain('all cameras back online');
    expect(health('vms/lone-1')).toBe('online');
    const audit = await v.core.audit.entries(20);
    expect(audit.find((e) => e.action === 'alarm.close' && e.subject === lone.id)).toMatchObject({ actor: 'system' });
  });

  it('raises a new alarm when a group fails again after the system closed it', async () => {
    await v.poll();
    fake.offline.add('lone-1');
    await v.poll();
    await v.poll();
    fake.offline.delete('lone-1');
    await v.poll();
    fake.offline.add('lone-1');
    await v.poll();
    await v.poll();
    const alarms = v.alarms('camera-offline');
    expect(alarms.map((a) => a.state)).toEqual(['closed', 'new']);
  });
});

describe('a group alarm an operator closed', () => {
  it('stays closed while its cameras recover one by one, and is raised again when another camera fails', async () => {
    fake.cameras = fakeCameras(4, { prefix: 'g', group: 'sw-g' });
    v = await videoCore(fake);
    await v.poll();
    fake.offline.add('g-1');
    fake.offline.add('g-2');
    await v.poll();
    await v.poll();
    const [alarm] = v.alarms('camera-offline');
    await v.core.alarms.close(alarm.id, { username: 'duty', displayName: '李明' }, { category: 'confirmed', note: '交换机检修' });
    fake.offline.delete('g-1');
    await v.poll();
    expect(v.alarms('camera-offline')).toHaveLength(1);
    expect(health('vms/g-1')).toBe('online');
    fake.offline.add('g-3');
    await v.poll();
    await v.poll();
    const alarms = v.alarms('camera-offline');
    expect(alarms).toHaveLength(2);
    expect(details(alarms[1]).cameraIds).toEqual(['vms/g-2', 'vms/g-3']);
  });
});

describe('cameras leaving the inventory', () => {
  it('leave their group alarm: the last one gone closes it', async () => {
    fake.cameras = [...fakeCameras(3, { prefix: 'x', group: 'sw-x' }), ...fakeCameras(1, { prefix: 'y', group: 'sw-y' })];
    v = await videoCore(fake);
    await v.poll();
    fake.offline.add('x-1');
    fake.offline.add('y-1');
    await v.poll();
    await v.poll();
    fake.cameras = fake.cameras.filter((c) => c.id !== 'x-1' && c.id !== 'y-1');
    v.clock.advance(300_000); // the inventory is due again
    await v.poll();
    expect(v.core.cameras.list().map((c) => c.id)).toEqual(['vms/x-2', 'vms/x-3']);
    expect(v.alarms('camera-offline').map((a) => [a.state, details(a).cameraIds])).toEqual([['closed', []], ['closed', []]]);
  });
});

describe('a dead switch', () => {
  it('is one alarm with its 200 cameras, follows them as they recover and is closed by the system', async () => {
    fake.cameras = [...fakeCameras(200, { prefix: 'apron', group: 'sw-apron' }), ...fakeCameras(5, { prefix: 'other', group: 'sw-other' })];
    v = await videoCore(fake);
    await v.poll();
    for (const c of fake.cameras.slice(0, 200)) fake.offline.add(c.id);
    await v.poll();
    expect(v.alarmEvents).toEqual([]);
    await v.poll();
    // One write: one alarm.changed, one cameras.changed with the 200 cameras.
    expect(v.alarmEvents).toHaveLength(1);
    const [alarm] = v.alarmEvents;
    expect(alarm).toMatchObject({ type: 'camera-offline', severity: 3, details: { group: 'sw-apron', peak: 200 } });
    expect(details(alarm).cameraIds).toHaveLength(200);
    expect(v.cameraEvents.at(-1)).toHaveLength(200);
    expect(v.core.cameras.counts('vms')).toEqual({ cameras: 205, offline: 200, frozen: 0 });

    for (const c of fake.cameras.slice(0, 100)) fake.offline.delete(c.id);
    await v.poll();
    expect(v.alarms()).toHaveLength(1);
    const updated = v.alarms()[0];
    expect(updated).toMatchObject({ id: alarm.id, state: 'new', severity: 3, updates: 2, details: { peak: 200 } });
    expect(details(updated).cameraIds).toHaveLength(100);
    expect(details(updated).cameraIds).toContain('vms/apron-150');
    expect(details(updated).cameraIds).not.toContain('vms/apron-50');

    fake.offline.clear();
    await v.poll();
    expect(v.alarms()).toHaveLength(1);
    expect(v.alarms()[0]).toMatchObject({ id: alarm.id, state: 'closed', closedBy: { username: 'system' }, details: { cameraIds: [], peak: 200 } });
    expect(v.core.cameras.counts('vms').offline).toBe(0);
    expect(await v.core.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM alarms WHERE type = 'camera-offline'")).toEqual({ n: 1 });
  });
});

describe('frozen pictures', () => {
  it('raise camera-frozen after three identical snapshots, checked within the budget; a moving picture closes it', async () => {
    fake.cameras = fakeCameras(4, { prefix: 'fr', group: 'sw-f' });
    v = await videoCore(fake, { watch: { frozen: { checksPerS: 5, unchangedChecks: 3 } } });
    await v.poll();
    fake.frozen.add('fr-2');
    fake.offline.add('fr-4');
    await v.poll();
    await v.poll(); // fr-4 offline now: not checked any more
    const before = fake.requests.length;
    await v.advance(4_000);
    const snapshots = fake.requests.slice(before).filter((r) => r.includes('snapshot.jpg'));
    // 5 per second at most, and never of the offline camera.
    expect(snapshots.length).toBeLessThanOrEqual(20);
    expect(snapshots.length).toBeGreaterThanOrEqual(12);
    expect(snapshots.some((r) => r.includes('fr-4'))).toBe(false);
    const [frozen] = v.alarms('camera-frozen');
    expect(frozen).toMatchObject({ state: 'new', severity: 2, details: { sourceId: 'vms', group: 'sw-f', cameraIds: ['vms/fr-2'] } });
    expect(health('vms/fr-2')).toBe('frozen');
    expect(health('vms/fr-1')).toBe('online');

    fake.frozen.delete('fr-2');
    await v.advance(2_000);
    expect(health('vms/fr-2')).toBe('online');
    expect(v.alarms('camera-frozen')[0]).toMatchObject({ id: frozen.id, state: 'closed', resolution: { category: 'other' } });
  });
});

describe('after a restart', () => {
  it('reads back the open group alarm, so that the cameras coming back close it', async () => {
    fake.cameras = fakeCameras(3, { prefix: 'r', group: 'sw-r' });
    v = await videoCore(fake);
    await v.poll();
    fake.offline.add('r-1');
    await v.poll();
    await v.poll();
    const [alarm] = v.alarms('camera-offline');
    await v.close();

    fake.offline.clear();
    v = await videoCore(fake, { dataDir: v.dataDir });
    await v.poll();
    expect(v.alarms()).toEqual([expect.objectContaining({ id: alarm.id, state: 'closed', closedBy: { username: 'system', displayName: 'system' } })]);
  });
});
