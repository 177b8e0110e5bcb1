// The video stores and their calls: the watch list by role and on the record, the plate search, evidence caps
// and pruning, and a full disk that must not lose a camera alarm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/core/api.ts';
import type { Core } from '../../src/main/core/core.ts';
import { EvidenceStore, EvidenceTooLargeError } from '../../src/main/core/video/evidence.ts';
import type { WatchEntry } from '../../src/shared/video.ts';
import { testCore } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';
import { FakeVms, fakeCameras } from '../fixtures/video-fake-vms.ts';
import { videoCore } from '../fixtures/video-core.ts';

describe('watch list and plate search calls', () => {
  let t: Awaited<ReturnType<typeof testCore>>;
  beforeAll(async () => {
    t = await testCore();
  });
  afterAll(() => t.dispose());

  it('lets a commander add, re-reason and remove plates, on the record and announced; an operator may only read', async () => {
    const command = await signedIn(t.core, 'command');
    const duty = await signedIn(t.core, 'duty');
    const changes: Array<{ entries: WatchEntry[]; by: { username: string } }> = [];
    t.core.bus.subscribe((e, p) => e === 'watchlist.changed' && changes.push(p as (typeof changes)[number]));

    await expect(dispatch(t.core, duty, 'watchlist.add', { plate: '渝A12345', reason: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(dispatch(t.core, duty, 'watchlist.remove', { plate: '渝A12345' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(dispatch(t.core, command, 'watchlist.add', { plate: '渝A 12345!', reason: 'x' })).rejects.toMatchObject({ code: 'bad-request' });

    const added = await dispatch(t.core, command, 'watchlist.add', { plate: '渝a·12345', reason: '套牌嫌疑' });
    expect(added).toMatchObject({ plate: '渝A12345', reason: '套牌嫌疑', addedBy: { username: 'command', displayName: '陈刚' } });
    await dispatch(t.core, command, 'watchlist.add', { plate: '渝A12345', reason: '盗抢车辆' });
    expect(await dispatch(t.core, duty, 'watchlist.list', {})).toEqual([expect.objectContaining({ plate: '渝A12345', reason: '盗抢车辆' })]);
    expect(changes.map((c) => [c.entries.length, c.by.username])).toEqual([[1, 'command'], [1, 'command']]);

    expect(await dispatch(t.core, command, 'watchlist.remove', { plate: '渝A·12345' })).toEqual({ removed: true });
    expect(await dispatch(t.core, command, 'watchlist.remove', { plate: '渝A12345' })).toEqual({ removed: false });
    expect(t.core.plates.watched('渝A12345')).toBeUndefined();
    expect(changes).toHaveLength(3);
    const audit = (await t.core.audit.entries(10)).filter((e) => e.action.startsWith('watchlist.'));
    expect(audit.map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['command', 'watchlist.remove', '渝A12345'], ['command', 'watchlist.add', '渝A12345'], ['command', 'watchlist.add', '渝A12345'],
    ]);
  });

  it('searches reads newest first by part of a plate, checkpoint and time, with `more` past the limit', async () => {
    const duty = await signedIn(t.core, 'duty');
    const at = Date.UTC(2026, 10, 24, 8);
    await t.core.plates.record(Array.from({ length: 5 }, (_, i) => ({
      id: `vms/p-${i}`, sourceId: 'vms', cameraId: 'vms/cp', checkpointId: i < 3 ? 'CP-1' : 'CP-2', plate: i % 2 ? '川A100%1' : '渝B20001',
      direction: 'in' as const, lane: 1, at: at + i * 60_000, watchHit: false, snapshotId: null,
    })));
    const ids = async (input: object) => ((await dispatch(t.core, duty, 'plates.search', input)) as { reads: Array<{ id: string }> }).reads.map((r) => r.id);
    expect(await ids({})).toEqual(['vms/p-4', 'vms/p-3', 'vms/p-2', 'vms/p-1', 'vms/p-0']);
    expect(await ids({ plate: 'b 2' })).toEqual(['vms/p-4', 'vms/p-2', 'vms/p-0']);
    expect(await ids({ plate: '0%' })).toEqual(['vms/p-3', 'vms/p-1']); // % is a character, not a wildcard
    expect(await ids({ checkpointId: 'CP-1', from: at + 60_000 })).toEqual(['vms/p-2', 'vms/p-1']);
    expect(await dispatch(t.core, duty, 'plates.search', { to: at + 60_000, limit: 1 })).toMatchObject({ reads: [{ id: 'vms/p-1' }], more: true });
  });
});

describe('evidence', () => {
  let t: Awaited<ReturnType<typeof testCore>>;
  beforeAll(async () => {
    t = await testCore();
  });
  afterAll(() => t.dispose());

  it('refuses a picture over the cap and prunes the oldest past the totals', async () => {
    const store = new EvidenceStore(t.core.db, { maxBytes: 1000, maxTotalBytes: 5000, maxImages: 8 });
    await expect(store.save('vms/c', Buffer.alloc(1001), 1)).rejects.toBeInstanceOf(EvidenceTooLargeError);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await store.save('vms/c', Buffer.alloc(400, i), 1000 + i));
    // The ninth went over 8 pictures: the two oldest went (down to 95 %), the tenth fits.
    expect(await store.usage()).toEqual({ bytes: 3200, images: 8 });
    expect(await store.get(ids[0])).toBeNull();
    expect(await store.get(ids[1])).toBeNull();
    expect((await store.get(ids[2]))?.data).toEqual(Buffer.alloc(400, 2));
    for (let i = 0; i < 5; i++) ids.push(await store.save('vms/c', Buffer.alloc(1000, i), 2000 + i));
    expect((await store.usage()).bytes).toBeLessThanOrEqual(5000);
    expect((await store.get(ids.at(-1)!))?.takenAt).toBe(2004);
    // A keyed picture is kept once.
    const a = await store.save('vms/c', Buffer.alloc(10, 1), 3000, { key: 'vms/e-1' });
    const b = await store.save('vms/c', Buffer.alloc(10, 2), 3001, { key: 'vms/e-1' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[a-f0-9-]{8,64}$/);
    expect((await store.get(a))?.data).toEqual(Buffer.alloc(10, 1));
  });
});

describe('a full disk', () => {
  it('keeps cameras as they were until their alarm is stored, then writes it at the next report', async () => {
    const fake = await new FakeVms().start();
    fake.cameras = fakeCameras(3, { group: 'sw-1' });
    const v = await videoCore(fake);
    try {
      await v.poll();
      fake.offline.add('cam-1');
      await v.poll();
      // What a full disk looks like to SQLite: no page can be added (filled as storage-full.test.ts does).
      const [{ page_count }] = await v.core.db.all<{ page_count: number }>('PRAGMA page_count');
      await v.core.db.exec(`PRAGMA max_page_count = ${page_count}`);
      for (let misses = 0, i = 0; misses < 5 && i < 5_000; i++) {
        await v.core.alarms.raise({ source: 'manual', type: 'manual', severity: 1, position: null, details: { note: '' } }).then(() => (misses = 0), () => misses++);
      }
      v.alarmEvents.length = 0;
      expect(await v.poll()).toBe(false);
      expect(v.core.sources.get('vms')?.problem).toMatchObject({ code: 'storage' });
      expect(v.core.cameras.states().find((s) => s.id === 'vms/cam-1')?.health).toBe('online');
      expect(v.alarmEvents).toEqual([]);

      await v.core.db.exec('PRAGMA max_page_count = 2147483646');
      expect(await v.poll()).toBe(true);
      expect(v.core.cameras.states().find((s) => s.id === 'vms/cam-1')?.health).toBe('offline');
      expect(v.alarms('camera-offline')).toHaveLength(1);
    } finally {
      await v.dispose();
      await fake.stop();
    }
  });
});
