// Analytic events and plate reads from a fake VMS: read by cursor, page by page; alarms with evidence and
// flood control; the watch list; replays and restarts that neither miss nor double an event; a VMS that
// answers wrong, fails or is slow.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourcesFromConfig } from '../../src/main/core/sources/source-config.ts';
import { EVENT_PAGE_SIZE } from '../../src/main/core/video/vms-source.ts';
import type { Alarm, AlarmDetails } from '../../src/shared/domain.ts';
import { FAKE_VMS_KEY, FakeVms, fakeCameras, fakeJpeg } from '../fixtures/video-fake-vms.ts';
import { videoCore, type VideoCore } from '../fixtures/video-core.ts';
import { testCore } from '../fixtures/core.ts';

let fake: FakeVms;
let v: VideoCore;
const SYSTEM = { username: 'system', displayName: 'system' };

beforeEach(async () => {
  fake = await new FakeVms().start();
  fake.cameras = [
    ...fakeCameras(3, { prefix: 'cam', group: 'sw-1' }),
    ...fakeCameras(1, { prefix: 'cp2', kind: 'checkpoint', checkpoint: 'CP-2', lon: 106.668, lat: 29.7059 }),
    ...fakeCameras(1, { prefix: 'far', kind: 'checkpoint', checkpoint: 'VMS-CP-9', lon: 106.9, lat: 29.9 }),
  ];
  v = await videoCore(fake);
});
afterEach(async () => {
  await v.dispose();
  await fake.stop();
});

const analytic = (a: Alarm) => a.details as AlarmDetails<'video-analytic'>;
const eventRequests = () => fake.requests.filter((r) => r.startsWith('GET /api/events?'));
const storedCursor = async () => (await v.core.db.get<{ cursor: string }>("SELECT cursor FROM source_cursors WHERE source_id = 'vms'"))?.cursor;

describe('events', () => {
  it('are read page by page after the stored cursor; motion counts but raises nothing', async () => {
    for (let i = 0; i < 2 * EVENT_PAGE_SIZE + 200; i++) fake.addEvent({ camera: 'cam-1', type: 'motion' });
    expect(await v.poll()).toBe(true);
    expect(eventRequests()).toEqual([`GET /api/events?after=&limit=${EVENT_PAGE_SIZE}`, `GET /api/events?after=500&limit=${EVENT_PAGE_SIZE}`, `GET /api/events?after=1000&limit=${EVENT_PAGE_SIZE}`]);
    expect(await storedCursor()).toBe('1200');
    expect(v.alarmEvents).toEqual([]);
    expect(v.core.sources.get('vms')).toMatchObject({ health: 'ok', counts: { events: 1200, motion: 1200 } });
    await v.poll();
    expect(eventRequests().at(-1)).toBe(`GET /api/events?after=1200&limit=${EVENT_PAGE_SIZE}`);
  });

  it('raise one alarm per camera and kind with the first picture kept as evidence; more events update it', async () => {
    fake.addEvent({ camera: 'cam-1', type: 'intrusion' });
    fake.addEvent({ camera: 'cam-1', type: 'intrusion' });
    fake.addEvent({ camera: 'cam-2', type: 'face-watchlist', label: '在逃人员 A' });
    fake.addEvent({ camera: 'ghost-7', type: 'intrusion' });
    fake.addEvent({ camera: 'cam-3', type: 'tamper', hasSnapshot: false });
    await v.poll();
    const alarms = v.alarms('video-analytic');
    expect(alarms.map((a) => [analytic(a).cameraId, analytic(a).analytic, a.severity, a.updates])).toEqual([
      ['vms/cam-1', 'intrusion', 3, 2], ['vms/cam-2', 'face-watchlist', 4, 1], ['vms/cam-3', 'tamper', 2, 1],
    ]);
    const intrusion = alarms[0];
    expect(intrusion).toMatchObject({ source: 'video', state: 'new', details: { sourceId: 'vms', eventId: 'e-1', cameraName: { en: 'Camera cam-1' } } });
    expect(intrusion.position!.lon).toBeCloseTo(106.65, 6);
    const evidence = await v.core.evidence.get(analytic(intrusion).snapshotId!);
    expect(evidence).toEqual({ contentType: 'image/jpeg', data: fakeJpeg('event e-1'), cameraId: 'vms/cam-1', takenAt: Date.UTC(2026, 10, 24, 8) });
    expect(analytic(alarms[1]).label).toBe('在逃人员 A');
    expect(analytic(alarms[2]).snapshotId).toBeNull();
    // Only the first intrusion's picture was fetched; the unknown camera is skipped and said so.
    expect(fake.requests.filter((r) => r.includes('/snapshot.jpg'))).toEqual(['GET /api/events/e-1/snapshot.jpg', 'GET /api/events/e-3/snapshot.jpg']);
    expect(v.log.some((l) => l.includes('e-4') && l.includes('ghost-7') && l.includes('skipped'))).toBe(true);

    // Closed as a false alarm: the same camera and kind stay quiet for a while.
    await v.core.alarms.close(intrusion.id, SYSTEM, { category: 'false-alarm', note: 'tree' });
    fake.addEvent({ camera: 'cam-1', type: 'intrusion' });
    await v.poll();
    expect(v.alarms('video-analytic')).toHaveLength(3);
  });

  it('resume after a restart from the stored cursor: events of the outage arrive, none is raised twice', async () => {
    for (const cam of ['cam-1', 'cam-2', 'cam-3']) fake.addEvent({ camera: cam, type: 'loitering' });
    await v.poll();
    expect(v.alarms('video-analytic')).toHaveLength(3);
    await v.close();
    fake.addEvent({ camera: 'cam-1', type: 'unattended-object' });
    fake.addEvent({ camera: 'cam-2', type: 'line-crossing' });

    const dataDir = v.dataDir;
    v = await videoCore(fake, { dataDir });
    await v.poll();
    expect(eventRequests().at(-1)).toBe(`GET /api/events?after=3&limit=${EVENT_PAGE_SIZE}`);
    expect(v.alarms().map((a) => analytic(a).eventId)).toEqual(['e-4', 'e-5']);
    const all = await v.core.db.all<{ details: string }>("SELECT details FROM alarms WHERE type = 'video-analytic'");
    expect(all.map((r) => JSON.parse(r.details).eventId).sort()).toEqual(['e-1', 'e-2', 'e-3', 'e-4', 'e-5']);
  });

  it('stay where they were when the VMS fails, answers wrong or too late; the next good poll catches up', async () => {
    fake.addEvent({ camera: 'cam-1', type: 'intrusion' });
    await v.poll();
    fake.addEvent({ camera: 'cam-2', type: 'intrusion' });

    fake.faults = [{ path: /^\/api\/events$/, status: 500 }];
    expect(await v.poll()).toBe(false);
    expect(v.core.sources.get('vms')).toMatchObject({ health: 'degraded', problem: { code: 'http-status', status: 500 } });
    expect(v.core.sources.get('vms')!.problem!.message).not.toContain(FAKE_VMS_KEY);

    fake.faults = [{ path: /^\/api\/events$/, body: { events: [{ id: 'e-2', camera: 'cam-2', at: 'yesterday', type: 'intrusion', hasSnapshot: false }], next: '2', more: false } }];
    expect(await v.poll()).toBe(false);
    expect(v.core.sources.get('vms')!.problem).toMatchObject({ code: 'malformed', path: 'events.0.at', target: `${fake.url}api/events` });

    fake.faults = [{ path: /^\/api\/cameras\/status$/, body: { serverTime: 'x', cameras: 'all fine' } }];
    expect(await v.poll()).toBe(false);
    expect(v.core.sources.get('vms')!.problem).toMatchObject({ code: 'malformed', path: 'serverTime' });

    fake.faults = [{ path: /^\/api\/events$/, delayMs: 1_500 }];
    expect(await v.poll()).toBe(false);
    expect(v.core.sources.get('vms')!.problem).toMatchObject({ code: 'timeout' });
    expect(await storedCursor()).toBe('1');
    expect(v.alarms('video-analytic')).toHaveLength(1);

    fake.faults = [];
    expect(await v.poll()).toBe(true);
    expect(v.core.sources.get('vms')).toMatchObject({ health: 'ok' });
    expect(v.alarms('video-analytic').map((a) => analytic(a).eventId)).toEqual(['e-1', 'e-2']);
    expect(await storedCursor()).toBe('2');
  });
});

describe('plate reads', () => {
  it('store every read once; a watch-listed plate raises one alarm with its picture, checkpoint and reason', async () => {
    await v.core.plates.addWatch('渝B·D1234', '涉嫌盗窃车辆', { username: 'command', displayName: '陈刚' }, v.clock.now());
    fake.addEvent({ camera: 'cp2-1', type: 'plate', plate: { text: '渝bd1234', direction: 'in', lane: 2 } });
    fake.addEvent({ camera: 'cp2-1', type: 'plate', plate: { text: '川A12345', direction: 'out', lane: 1 } });
    fake.addEvent({ camera: 'far-1', type: 'plate', plate: { text: '渝B D1234', direction: 'in', lane: 1 } });
    await v.poll();

    expect(v.plateEvents.map((r) => [r.id, r.plate, r.checkpointId, r.watchHit])).toEqual([
      ['vms/e-1', '渝BD1234', 'CP-2', true], ['vms/e-2', '川A12345', 'CP-2', false], ['vms/e-3', '渝BD1234', 'VMS-CP-9', true],
    ]);
    const alarms = v.alarms('plate-watchlist');
    expect(alarms).toHaveLength(2);
    expect(alarms[0]).toMatchObject({
      severity: 3, source: 'video',
      details: {
        sourceId: 'vms', cameraId: 'vms/cp2-1', checkpointId: 'CP-2', checkpointName: { en: 'Checkpoint 2 (T3A access)' },
        plate: '渝BD1234', direction: 'in', lane: 2, reason: '涉嫌盗窃车辆', readId: 'vms/e-1',
      },
    });
    expect(alarms[1].details).toMatchObject({ checkpointId: 'VMS-CP-9', checkpointName: { zh: 'VMS-CP-9', en: 'VMS-CP-9' } });
    const picture = await v.core.evidence.get((alarms[0].details as AlarmDetails<'plate-watchlist'>).snapshotId!);
    expect(picture?.data).toEqual(fakeJpeg('event e-1'));
    // A read not on the list fetches no picture.
    expect(fake.requests.some((r) => r.includes('e-2/snapshot'))).toBe(false);

    // The same events again (the cursor lost): no second read, no second alarm, no second picture.
    const before = { alarms: v.alarmEvents.length, evidence: (await v.core.evidence.usage()).images };
    await v.core.db.run('DELETE FROM source_cursors');
    v.newSource();
    await v.poll();
    expect(eventRequests().at(-1)).toBe(`GET /api/events?after=&limit=${EVENT_PAGE_SIZE}`);
    expect(v.alarmEvents).toHaveLength(before.alarms);
    expect(v.plateEvents).toHaveLength(3);
    expect(await v.core.db.get('SELECT COUNT(*) AS n FROM plate_reads')).toEqual({ n: 3 });
    expect((await v.core.evidence.usage()).images).toBe(before.evidence);

    const found = await v.core.plates.search({ plate: 'bd 12' });
    expect(found).toEqual({ reads: [expect.objectContaining({ id: 'vms/e-3' }), expect.objectContaining({ id: 'vms/e-1' })], more: false });
    expect((await v.core.plates.search({ checkpointId: 'CP-2', limit: 1 })).more).toBe(true);
  });
});

describe('media', () => {
  it('serves snapshots, a live stream and PTZ presets with the API key, and never names the key in errors', async () => {
    fake.cameras.push(...fakeCameras(1, { prefix: 'ptz', kind: 'ptz' }));
    await v.poll();
    const m = v.core.cameras.media('vms/cam-1')!;
    expect(m.cameraId).toBe('cam-1');
    const jpeg = await m.media.snapshot(m.cameraId, { timeoutMs: 1000 });
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    const live = (await m.media.live(m.cameraId))!;
    expect(live.contentType).toBe('multipart/x-mixed-replace; boundary=frame');
    const first: Buffer = await new Promise((resolve) => live.body.once('data', resolve));
    expect(first.toString('latin1')).toContain('--frame');
    live.close();

    const state = await v.core.cameras.setPreset('vms/ptz-1', 'p1');
    expect(state).toMatchObject({ id: 'vms/ptz-1', presetId: 'p1' });
    expect(fake.presetCalls).toEqual([{ cameraId: 'ptz-1', presetId: 'p1' }]);
    expect(v.cameraEvents.at(-1)).toEqual([expect.objectContaining({ id: 'vms/ptz-1', presetId: 'p1' })]);
    await expect(v.core.cameras.setPreset('vms/ptz-1', 'nope')).rejects.toMatchObject({ code: 'bad-request' });
    await expect(v.core.cameras.setPreset('vms/none', 'p1')).rejects.toMatchObject({ code: 'not-found' });

    fake.offline.add('cam-1');
    const err = await m.media.snapshot('cam-1', { timeoutMs: 1000 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`${fake.url}api/cameras/cam-1/snapshot.jpg answered HTTP 503`);
    // A redirect is refused, never followed with the key.
    fake.faults = [{ path: /snapshot\.jpg$/, status: 302 }];
    await expect(m.media.snapshot('cam-2', { timeoutMs: 1000 })).rejects.toMatchObject({ problem: { code: 'redirect', status: 302 } });
  });
});

describe('the vms kind', () => {
  it('is configured from config.json, strictly', () => {
    const entries = sourcesFromConfig({ sources: [{ id: 'vms-t2', kind: 'vms', url: 'http://vms.test/', apiKeyEnv: 'K', frozen: { checksPerS: 2 }, offlineAfterReports: 3 }] }, 'config.json', { K: 'secret' });
    expect(entries[0]).toMatchObject({ id: 'vms-t2', kind: 'vms', apiKey: 'secret', frozen: { checksPerS: 2 } });
    expect(() => sourcesFromConfig({ sources: [{ id: 'v', kind: 'vms', url: 'http://vms.test/', intervalMS: 1000 }] }, 'config.json', {})).toThrow(/sources\[0\]: Unrecognized key: "intervalMS"/);
    expect(() => sourcesFromConfig({ sources: [{ id: 'v', kind: 'vms', url: 'ftp://vms.test/' }] }, 'config.json', {})).toThrow(/sources\[0\]\.url: must be an http\(s\) URL/);
  });

  it('is polled by the core when configured: cameras, states and events arrive', async () => {
    fake.addEvent({ camera: 'cam-2', type: 'intrusion' });
    const t = await testCore([], {
      configFile: { sources: [{ id: 'vms', kind: 'vms', url: fake.url, apiKeyEnv: 'VMS_KEY', frozen: false }] },
      env: { VMS_KEY: FAKE_VMS_KEY },
    });
    try {
      for (let i = 0; i < 200 && t.core.sources.get('vms')?.health !== 'ok'; i++) await new Promise((r) => setTimeout(r, 20));
      expect(t.core.sources.get('vms')).toMatchObject({ kind: 'vms', health: 'ok', counts: { cameras: 5, offline: 0, events: 1 } });
      expect(t.core.cameras.list()).toHaveLength(5);
      expect((await t.core.alarms.list()).alarms.map((a) => a.type)).toEqual(['video-analytic']);
    } finally {
      await t.dispose();
    }
  });
});
