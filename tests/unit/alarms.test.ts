// The alarm pipeline: storage, queue order, atomic state transitions, the queue cap, and the track alarm rules
// (one alarm per target and reason; classification decides what is an alarm at all).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { geodesicDirect } from '../../src/main/core/geo/local-frame.ts';
import type { Alarm, Role, TrackClass } from '../../src/shared/domain.ts';
import { testCore } from '../fixtures/core.ts';

let t: Awaited<ReturnType<typeof testCore>>;
let published: Alarm[];
beforeEach(async () => {
  t = await testCore();
  published = [];
  t.core.bus.subscribe((event, payload) => event === 'alarm.changed' && published.push(payload as Alarm));
});
afterEach(() => t.dispose());

/** A signed-in session (sign-in itself is tested in session-basics and the throttle tests). */
const as = (username: string, displayName: string, role: Role): Session => ({ user: { username, displayName, role }, origin: 'test' });
const duty = () => as('duty', '李明', 'operator');
const command = () => as('command', '陈刚', 'commander');
const list = async (s: Session, includeClosed = false) => ((await dispatch(t.core, s, 'alarms.list', { includeClosed })) as { alarms: Alarm[] }).alarms;
const manual = (s: Session, severity = 2, note = 'x') =>
  dispatch(t.core, s, 'alarms.raiseManual', { position: { lon: 106.65, lat: 29.71 }, severity, note }) as Promise<Alarm>;

describe('alarm pipeline', () => {
  it('stores a manual alarm with its circle and grid cell, and orders the queue by severity then time', async () => {
    const s = duty();
    const arp = t.core.site.pack.aerodrome.referencePoint;
    const low = (await dispatch(t.core, s, 'alarms.raiseManual', { position: { lon: arp[0], lat: arp[1] }, severity: 1, note: 'low' })) as Alarm;
    t.clock.advance(1000);
    const high = (await dispatch(t.core, s, 'alarms.raiseManual', { position: { lon: arp[0], lat: arp[1] }, severity: 4, note: 'high' })) as Alarm;
    t.clock.advance(1000);
    const low2 = (await dispatch(t.core, s, 'alarms.raiseManual', { position: { lon: arp[0], lat: arp[1] }, severity: 1, note: 'low2' })) as Alarm;
    expect(high).toMatchObject({ circleRing: 'inner', type: 'manual', details: { note: 'high' } });
    expect(high.gridCellId).toMatch(/^G\d{2}-\d{2}$/);
    expect((await list(s)).map((a) => a.id)).toEqual([high.id, low2.id, low.id]);
    expect(published.map((a) => a.id)).toEqual([low.id, high.id, low2.id]);
  });

  it('acknowledges and closes with a category, and keeps who did it by name', async () => {
    const s = duty();
    const a = await manual(s);
    t.clock.advance(42_000);
    const acked = (await dispatch(t.core, s, 'alarms.acknowledge', { id: a.id })) as Alarm;
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedBy: { username: 'duty', displayName: '李明' }, acknowledgedAt: a.raisedAt + 42_000 });
    await expect(dispatch(t.core, s, 'alarms.acknowledge', { id: a.id })).rejects.toMatchObject({ code: 'conflict', reason: 'already-acknowledged' });
    t.clock.advance(60_000);
    const closed = (await dispatch(t.core, command(), 'alarms.close', { id: a.id, category: 'false-alarm', note: '巡逻确认为施工车辆' })) as Alarm;
    expect(closed).toMatchObject({
      state: 'closed', closedAt: a.raisedAt + 102_000, closedBy: { username: 'command', displayName: '陈刚' },
      resolution: { category: 'false-alarm', note: '巡逻确认为施工车辆' }, acknowledgedBy: { displayName: '李明' },
    });
    expect(await list(s)).toEqual([]);
    expect((await list(s, true))[0]).toEqual(closed);
    const audit = await t.core.audit.entries();
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['alarm.raise', 'alarm.acknowledge', 'alarm.close']));
    expect(JSON.parse(audit.find((e) => e.action === 'alarm.close')!.details)).toEqual({ category: 'false-alarm', note: '巡逻确认为施工车辆' });
  });

  it('asks for a note when the category is "other", "false-alarm" or "duplicate", and refuses an unknown category or a blank note', async () => {
    const s = duty();
    const a = await manual(s);
    await expect(dispatch(t.core, s, 'alarms.close', { id: a.id, category: 'other', note: '   ' })).rejects.toMatchObject({
      code: 'bad-request', fields: [{ path: 'note', problem: expect.stringContaining('other') }],
    });
    await expect(dispatch(t.core, s, 'alarms.close', { id: a.id, category: 'solved', note: '' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(dispatch(t.core, s, 'alarms.close', { id: a.id, resolution: 'free text' })).rejects.toMatchObject({ code: 'bad-request' });
    // 误报 and 重复 need a reason too (a duplicate may give it by naming the alarm it repeats: see alarm-workflow).
    await expect(dispatch(t.core, s, 'alarms.close', { id: a.id, category: 'false-alarm', note: '' })).rejects.toMatchObject({ code: 'bad-request', fields: [{ path: 'note' }] });
    await expect(dispatch(t.core, s, 'alarms.close', { id: a.id, category: 'duplicate', note: '' })).rejects.toMatchObject({ code: 'bad-request', fields: [{ path: 'note' }] });
    expect(await dispatch(t.core, s, 'alarms.close', { id: a.id, category: 'duplicate', note: '同一目标' })).toMatchObject({ state: 'closed', resolution: { category: 'duplicate', note: '同一目标' } });
  });

  it('enforces roles and validates payloads in the core', async () => {
    const anon: Session = { user: null, origin: 'test' };
    await expect(dispatch(t.core, anon, 'alarms.list', {})).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(dispatch(t.core, as('drill', '王芳', 'coordinator'), 'alarms.raiseManual', { position: { lon: 1, lat: 1 }, severity: 1, note: '' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(dispatch(t.core, duty(), 'alarms.raiseManual', { position: { lon: 200, lat: 1 }, severity: 1, note: '' })).rejects.toMatchObject({
      code: 'bad-request', fields: [{ path: 'position.lon', problem: expect.any(String) }],
    });
    await expect(dispatch(t.core, duty(), 'alarms.raiseManual', { position: { lon: 1, lat: 1 }, severity: 9, note: '', extra: 1 })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(dispatch(t.core, duty(), 'no.such.call', {})).rejects.toMatchObject({ code: 'bad-request' });
    await expect(dispatch(t.core, duty(), 'alarms.acknowledge', { id: 'no-such-alarm' })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('state transitions are atomic and checked (two seats at once)', () => {
  it('lets exactly one of many simultaneous acknowledges win; the others are told it is already acknowledged', async () => {
    const a = await manual(duty());
    const seats = Array.from({ length: 12 }, (_, i) => as(`seat${i}`, `席位${i}`, 'operator'));
    const results = await Promise.allSettled(seats.map((s) => dispatch(t.core, s, 'alarms.acknowledge', { id: a.id })));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(11).fill('conflict'));
    const stored = await t.core.alarms.get(a.id);
    expect(stored!.acknowledgedBy).toEqual((won[0] as PromiseFulfilledResult<Alarm>).value.acknowledgedBy);
    expect((await t.core.audit.entries()).filter((e) => e.action === 'alarm.acknowledge')).toHaveLength(1);
  });

  it('never leaves an alarm acknowledged with a close time when close and acknowledge race', async () => {
    for (let round = 0; round < 10; round++) {
      const a = await manual(duty());
      const order = round % 2 === 0
        ? [dispatch(t.core, duty(), 'alarms.close', { id: a.id, category: 'confirmed', note: '' }), dispatch(t.core, command(), 'alarms.acknowledge', { id: a.id })]
        : [dispatch(t.core, command(), 'alarms.acknowledge', { id: a.id }), dispatch(t.core, duty(), 'alarms.close', { id: a.id, category: 'confirmed', note: '' })];
      await Promise.allSettled(order);
      const stored = (await t.core.alarms.get(a.id))!;
      expect(stored.state).toBe('closed');
      expect(stored.closedAt).not.toBeNull();
    }
    expect(await list(duty())).toEqual([]);
  });

  it('publishes a change only after it is stored, and nothing for a refused one', async () => {
    const a = await manual(duty());
    published = [];
    await Promise.allSettled([dispatch(t.core, duty(), 'alarms.acknowledge', { id: a.id }), dispatch(t.core, command(), 'alarms.acknowledge', { id: a.id })]);
    expect(published).toHaveLength(1);
    expect(published[0]).toEqual(await t.core.alarms.get(a.id));
  });
});

describe('the queue', () => {
  it('says how many are open when it holds fewer than that', async () => {
    const inputs = Array.from({ length: 620 }, (_, i) => ({
      source: 'video' as const, type: 'camera-offline' as const, severity: 2 as const, position: null, details: { cameraIds: [`CAM-${i}`], group: null },
    }));
    await t.core.alarms.raiseBatch(inputs);
    const result = (await dispatch(t.core, duty(), 'alarms.list', {})) as { alarms: Alarm[]; openCount: number; limit: number };
    expect(result.alarms).toHaveLength(500);
    expect(result).toMatchObject({ openCount: 620, limit: 500 });
  });
});

describe('batched ingest', () => {
  it('stores a batch in one transaction with its audit rows, placed in circles and grid cells', async () => {
    const arp = t.core.site.pack.aerodrome.referencePoint;
    const inputs = Array.from({ length: 50 }, (_, i) => ({
      source: 'video' as const, type: 'camera-offline' as const, severity: 2 as const,
      position: { lon: arp[0] + i * 1e-4, lat: arp[1] }, details: { cameraIds: [`CAM-${i}`], group: 'SW-3' },
    }));
    const raised = await t.core.alarms.raiseBatch(inputs);
    expect(raised).toHaveLength(50);
    const { alarms: stored } = await t.core.alarms.list({ limit: 100 });
    const camera = (a: Alarm) => (a.type === 'camera-offline' ? a.details.cameraIds[0] : '');
    expect(stored.map(camera).sort()).toEqual(inputs.map((i) => i.details.cameraIds[0]).sort());
    expect(stored.every((a) => a.circleRing === 'inner' && /^G\d{2}-\d{2}$/.test(a.gridCellId ?? ''))).toBe(true);
    expect(stored.find((a) => camera(a) === 'CAM-7')).toEqual(raised[7]);
    expect((await t.core.audit.entries(500)).filter((e) => e.action === 'alarm.raise')).toHaveLength(50);
    expect(published).toHaveLength(50);
  });
});

describe('track alarms: one per target and reason', () => {
  const arp = () => t.core.site.pack.aerodrome.referencePoint;
  /** A point `km` from the aerodrome reference point, bearing 200°, at `altM` metres MSL. */
  const at = (km: number, altM = 300) => {
    const [lon, lat] = geodesicDirect(arp(), 200, km * 1000);
    return { lon, lat, altM };
  };
  const fly = (trackId: string, km: number, classification?: TrackClass, altM?: number, source = 'radar-1') =>
    t.core.tracks.reportBatch(source, [{ trackId, position: at(km, altM), ...(classification ? { attributes: { classification } } : {}) }]);
  const touches = async () => (await t.core.alarms.list({ includeClosed: true })).alarms.filter((a) => a.type === 'touch-circle');

  it('raises one touch-circle alarm for a drone flying in, deepened ring by ring, with the severity of the deepest ring', async () => {
    await fly('UAV-1', 25, 'drone'); // outside every circle
    expect(published).toHaveLength(0);
    await fly('UAV-1', 15, 'drone'); // enters the remote circle (20 km)
    await fly('UAV-1', 14, 'drone'); // still inside: nothing new
    await fly('UAV-1', 8, 'drone'); // the outer circle (10 km)
    await fly('UAV-1', 3, 'drone'); // the inner circle
    const [alarm, ...others] = await touches();
    expect(others).toEqual([]);
    expect(alarm).toMatchObject({ circleRing: 'inner', severity: 3, updates: 3, details: { trackId: 'UAV-1', sourceId: 'radar-1', ring: 'inner', classification: 'drone' } });
    expect(alarm.type === 'touch-circle' && alarm.details.path).toEqual(['remote', 'outer', 'inner']);
    expect(published.map((a) => a.severity)).toEqual([1, 2, 3]);
    expect(new Set(published.map((a) => a.id)).size).toBe(1);
  });

  it('raises nothing again when the target leaves a ring and comes back, and re-alerts an acknowledged alarm when it goes deeper', async () => {
    await fly('UAV-2', 8, 'drone');
    const [first] = await touches();
    await dispatch(t.core, duty(), 'alarms.acknowledge', { id: first.id });
    await fly('UAV-2', 15, 'drone');
    await fly('UAV-2', 8, 'drone');
    expect((await touches())[0]).toMatchObject({ id: first.id, state: 'acknowledged', updates: 1 });
    await fly('UAV-2', 3, 'drone');
    expect((await touches())[0]).toMatchObject({ id: first.id, state: 'new', severity: 3, acknowledgedBy: null });
  });

  it('raises a new alarm for the same target once the first was closed and it goes deeper', async () => {
    await fly('UAV-3', 8, 'drone');
    const [first] = await touches();
    await dispatch(t.core, duty(), 'alarms.close', { id: first.id, category: 'confirmed', note: '' });
    await fly('UAV-3', 3, 'drone');
    const all = await touches();
    expect(all).toHaveLength(2);
    expect(all.find((a) => a.state !== 'closed')).toMatchObject({ circleRing: 'inner' });
  });

  it('does not reopen a closed alarm for the same facts: only a worse position raises again, or the same after a quiet 15 minutes', async () => {
    const ihs = t.core.site.pack.aerodrome.elevationM + 45;
    await fly('UAV-7', 2.5, 'drone', ihs + 100);
    const penetrations = () => t.core.alarms.list({ includeClosed: true }).then((l) => l.alarms.filter((a) => a.type === 'clearance-penetration'));
    const [first] = await penetrations();
    await dispatch(t.core, duty(), 'alarms.close', { id: first.id, category: 'false-alarm', note: '鸟群' });
    t.clock.advance(1000);
    await fly('UAV-7', 2.5, 'drone', ihs + 100); // the next poll: the same drone, still over the limit
    await fly('UAV-7', 2.5, 'drone', ihs + 103);
    expect((await penetrations()).map((a) => a.state)).toEqual(['closed']);
    await fly('UAV-7', 2.5, 'drone', ihs + 130); // 30 m higher than the closed alarm's deepest: worse
    expect((await penetrations()).map((a) => a.state).sort()).toEqual(['closed', 'new']);
    const reopened = (await penetrations()).find((a) => a.state === 'new')!;
    await dispatch(t.core, duty(), 'alarms.close', { id: reopened.id, category: 'false-alarm', note: '鸟群' });
    t.clock.advance(15 * 60_000 + 1000);
    await fly('UAV-7', 2.5, 'drone', ihs + 130); // a quarter of an hour later, still there: a new alarm
    expect((await penetrations()).filter((a) => a.state === 'new')).toHaveLength(1);
  });

  it('raises nothing for a bird, and a level lower for an unknown target', async () => {
    await fly('BIRD-1', 15, 'bird');
    await fly('BIRD-1', 3, 'bird');
    expect(published).toEqual([]);
    await fly('U-1', 3, 'unknown');
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ severity: 2, details: { classification: 'unknown' } });
  });

  it('keeps targets of different sources apart, even with the same id', async () => {
    await fly('T-1', 8, 'drone', 300, 'radar-1');
    await fly('T-1', 8, 'drone', 300, 'radar-2');
    expect(await touches()).toHaveLength(2);
    expect(t.core.tracks.list().map((tr) => tr.id).sort()).toEqual(['radar-1/T-1', 'radar-2/T-1']);
  });

  it('raises a clearance-penetration alarm for a drone above the inner horizontal surface, updated only as it goes higher', async () => {
    const ihs = t.core.site.pack.aerodrome.elevationM + 45; // Annex 14 Table 4-1: inner horizontal surface, 45 m above the elevation datum
    const km = 2.5; // inside the inner horizontal surface, off the runway strips
    const c = t.core.site.clearance.classify(at(km).lon, at(km).lat, ihs + 274.8);
    expect(c.lowestSurface?.surface).toBe('inner-horizontal');
    await fly('UAV-9', km, 'drone', ihs + 274.8);
    const penetration = () => t.core.alarms.list().then((l) => l.alarms.filter((a) => a.type === 'clearance-penetration'));
    const [alarm] = await penetration();
    expect(alarm).toMatchObject({ severity: 4, details: { surface: 'inner-horizontal', penetrationM: 274.8, maxPenetrationM: 274.8 } });
    await fly('UAV-9', km, 'drone', ihs + 277); // a wobble of 2 m: no write
    expect((await penetration())[0].updates).toBe(1);
    await fly('UAV-9', km, 'drone', ihs + 300);
    expect(await penetration()).toHaveLength(1);
    expect((await penetration())[0]).toMatchObject({ updates: 2, details: { maxPenetrationM: 300 } });
    await fly('BIRD-9', km, 'bird', ihs + 300);
    expect(await penetration()).toHaveLength(1);
  });
});
