import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { geodesicDirect } from '../../src/main/core/geo/local-frame.ts';
import type { Alarm } from '../../src/shared/domain.ts';
import { TEST_PASSWORD, testCore } from '../fixtures/core.ts';

let t: Awaited<ReturnType<typeof testCore>>;
let published: Alarm[];
beforeEach(async () => {
  t = await testCore();
  published = [];
  t.core.bus.subscribe((event, payload) => event === 'alarm.changed' && published.push(payload as Alarm));
});
afterEach(() => t.dispose());

const session = async (username: string): Promise<Session> => {
  const s: Session = { user: null, origin: 'test' };
  await dispatch(t.core, s, 'session.login', { username, password: TEST_PASSWORD });
  return s;
};

describe('alarm pipeline', () => {
  it('stores a manual alarm with its circle and grid cell, and orders the queue by severity then time', async () => {
    const s = await session('duty');
    const arp = t.core.site.pack.aerodrome.referencePoint;
    const low = (await dispatch(t.core, s, 'alarms.raiseManual', { position: { lon: arp[0], lat: arp[1] }, severity: 1, note: 'low' })) as Alarm;
    t.clock.advance(1000);
    const high = (await dispatch(t.core, s, 'alarms.raiseManual', { position: { lon: arp[0], lat: arp[1] }, severity: 4, note: 'high' })) as Alarm;
    t.clock.advance(1000);
    const low2 = (await dispatch(t.core, s, 'alarms.raiseManual', { position: { lon: arp[0], lat: arp[1] }, severity: 1, note: 'low2' })) as Alarm;
    expect(high.circleRing).toBe('inner');
    expect(high.gridCellId).toMatch(/^G\d{2}-\d{2}$/);
    const queue = (await dispatch(t.core, s, 'alarms.list', {})) as Alarm[];
    expect(queue.map((a) => a.id)).toEqual([high.id, low2.id, low.id]);
    expect(published.map((a) => a.id)).toEqual([low.id, high.id, low2.id]);
  });

  it('acknowledges and closes, records who did it, and refuses doing it twice', async () => {
    const s = await session('duty');
    const a = (await dispatch(t.core, s, 'alarms.raiseManual', { position: { lon: 106.65, lat: 29.71 }, severity: 2, note: 'x' })) as Alarm;
    t.clock.advance(42_000);
    const acked = (await dispatch(t.core, s, 'alarms.acknowledge', { id: a.id })) as Alarm;
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'duty', acknowledgedAt: a.raisedAt + 42_000 });
    await expect(dispatch(t.core, s, 'alarms.acknowledge', { id: a.id })).rejects.toMatchObject({ code: 'conflict' });
    const closed = (await dispatch(t.core, s, 'alarms.close', { id: a.id, resolution: '误报' })) as Alarm;
    expect(closed).toMatchObject({ state: 'closed', resolution: '误报', closedBy: 'duty' });
    expect(await dispatch(t.core, s, 'alarms.list', {})).toEqual([]);
    expect(((await dispatch(t.core, s, 'alarms.list', { includeClosed: true })) as Alarm[])[0].id).toBe(a.id);
    const audit = await t.core.audit.entries();
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['alarm.raise', 'alarm.acknowledge', 'alarm.close']));
  });

  it('enforces roles and validates payloads in the core', async () => {
    const anon: Session = { user: null, origin: 'test' };
    await expect(dispatch(t.core, anon, 'alarms.list', {})).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(dispatch(t.core, anon, 'session.login', { username: 'duty', password: 'wrong' })).rejects.toMatchObject({ code: 'unauthenticated' });
    const drill = await session('drill');
    await expect(dispatch(t.core, drill, 'alarms.raiseManual', { position: { lon: 1, lat: 1 }, severity: 1, note: '' })).rejects.toMatchObject({ code: 'forbidden' });
    const duty = await session('duty');
    await expect(dispatch(t.core, duty, 'alarms.raiseManual', { position: { lon: 200, lat: 1 }, severity: 1, note: '' })).rejects.toMatchObject({
      code: 'bad-request', message: expect.stringContaining('position.lon'),
    });
    await expect(dispatch(t.core, duty, 'alarms.raiseManual', { position: { lon: 1, lat: 1 }, severity: 9, note: '', extra: 1 })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(dispatch(t.core, duty, 'no.such.call', {})).rejects.toMatchObject({ code: 'bad-request' });
  });
});

describe('accounts', () => {
  it('refuses a username for a minute after five failed sign-ins, even with the right password', async () => {
    const s: Session = { user: null, origin: 'test' };
    for (let i = 0; i < 5; i++) {
      await expect(dispatch(t.core, s, 'session.login', { username: 'duty', password: `guess-${i}` })).rejects.toMatchObject({ code: 'unauthenticated' });
    }
    await expect(dispatch(t.core, s, 'session.login', { username: 'duty', password: TEST_PASSWORD })).rejects.toMatchObject({
      code: 'rate-limited', message: expect.stringContaining('try again in 60 s'),
    });
    // Other accounts are not affected.
    expect(await dispatch(t.core, { user: null, origin: 'test' }, 'session.login', { username: 'drill', password: TEST_PASSWORD })).toMatchObject({ role: 'coordinator' });
    t.clock.advance(61_000);
    expect(await dispatch(t.core, s, 'session.login', { username: 'duty', password: TEST_PASSWORD })).toMatchObject({ role: 'operator' });
  });

  it('changes a password only with the current one, and the new one works', async () => {
    const s = await session('duty');
    await expect(dispatch(t.core, s, 'session.changePassword', { currentPassword: 'wrong', newPassword: 'a-new-password-2' })).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(dispatch(t.core, s, 'session.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'short' })).rejects.toMatchObject({ code: 'bad-request' });
    await dispatch(t.core, s, 'session.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'a-new-password-2' });
    const fresh: Session = { user: null, origin: 'test' };
    await expect(dispatch(t.core, fresh, 'session.login', { username: 'duty', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(await dispatch(t.core, fresh, 'session.login', { username: 'duty', password: 'a-new-password-2' })).toMatchObject({ username: 'duty' });
    const audit = (await t.core.audit.entries()).map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['session.change-password', 'session.change-password-failed']));
  });
});

describe('user administration', () => {
  it('lets an administrator create accounts, and nobody else', async () => {
    const admin = await session('admin');
    const created = await dispatch(t.core, admin, 'users.create', { username: 'zhang.wei', displayName: '张伟', role: 'commander', password: 'a-long-password' });
    expect(created).toEqual({ username: 'zhang.wei', displayName: '张伟', role: 'commander' });
    await expect(dispatch(t.core, admin, 'users.create', { username: 'zhang.wei', displayName: 'x', role: 'operator', password: 'a-long-password' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(dispatch(t.core, admin, 'users.create', { username: 'Bad Name', displayName: 'x', role: 'operator', password: 'a-long-password' })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('username') });
    await expect(dispatch(t.core, admin, 'users.create', { username: 'x2', displayName: 'x', role: 'root', password: 'a-long-password' })).rejects.toMatchObject({ code: 'bad-request' });
    const list = (await dispatch(t.core, admin, 'users.list', {})) as Array<{ username: string }>;
    expect(list.map((u) => u.username)).toEqual(['admin', 'duty', 'drill', 'command', 'zhang.wei']);
    const commander = await session('command');
    await expect(dispatch(t.core, commander, 'users.list', {})).rejects.toMatchObject({ code: 'forbidden' });
    const fresh: Session = { user: null, origin: 'test' };
    expect(await dispatch(t.core, fresh, 'session.login', { username: 'zhang.wei', password: 'a-long-password' })).toMatchObject({ role: 'commander' });
  });
});

describe('batched ingest', () => {
  it('stores a batch in one transaction with its audit rows, placed in circles and grid cells', async () => {
    const arp = t.core.site.pack.aerodrome.referencePoint;
    const inputs = Array.from({ length: 50 }, (_, i) => ({
      source: 'video' as const, type: 'camera-offline' as const, severity: 2 as const, title: `CAM-${i}`,
      position: { lon: arp[0] + i * 1e-4, lat: arp[1] },
    }));
    const raised = await t.core.alarms.raiseBatch(inputs);
    expect(raised).toHaveLength(50);
    const stored = await t.core.alarms.list({ limit: 100 });
    expect(stored.map((a) => a.title).sort()).toEqual(inputs.map((i) => i.title).sort());
    expect(stored.every((a) => a.circleRing === 'inner' && /^G\d{2}-\d{2}$/.test(a.gridCellId ?? ''))).toBe(true);
    expect(stored.find((a) => a.title === 'CAM-7')).toEqual(raised[7]);
    expect((await t.core.audit.entries(500)).filter((e) => e.action === 'alarm.raise')).toHaveLength(50);
    expect(published).toHaveLength(50);
  });
});

describe('touch-circle alarm (触圈报警)', () => {
  it('raises one alarm per circle a track enters, innermost first, and none while it stays inside', async () => {
    const s = await session('duty');
    const arp = t.core.site.pack.aerodrome.referencePoint;
    const at = (km: number) => {
      const [lon, lat] = geodesicDirect(arp, 200, km * 1000);
      return { lon, lat, altM: 600 };
    };
    const report = (km: number) => dispatch(t.core, s, 'tracks.report', { trackId: 'UAV-1', source: 'manual', position: at(km) });
    await report(25); // outside every circle
    expect(published).toHaveLength(0);
    await report(15); // enters the remote circle (20 km)
    await report(14); // still inside: no new alarm
    await report(8); // enters the outer circle (10 km)
    await report(3); // enters the inner circle
    expect(published.map((a) => a.circleRing)).toEqual(['remote', 'outer', 'inner']);
    expect(published.map((a) => a.severity)).toEqual([1, 2, 3]);
    expect(published.every((a) => a.type === 'touch-circle' && a.details.trackId === 'UAV-1')).toBe(true);
    await report(15); // leaves to the remote circle and comes straight back: no second alarm
    await report(8);
    expect(published).toHaveLength(3);
    t.clock.advance(5 * 60_000); // after five quiet minutes, re-entering is a new event
    await report(15);
    await report(8);
    expect(published.map((a) => a.circleRing)).toEqual(['remote', 'outer', 'inner', 'outer']);
  });

  it('raises at the core circle for a point inside the terminal zone', async () => {
    const s = await session('duty');
    const core = t.core.site.pack.perceptionCircles.find((c) => c.id === 'core-t3a')!;
    const ring = (core.geometry as { coordinates: number[][][] }).coordinates[0];
    const lon = ring.slice(0, 4).reduce((x, p) => x + p[0], 0) / 4;
    const lat = ring.slice(0, 4).reduce((x, p) => x + p[1], 0) / 4;
    await dispatch(t.core, s, 'tracks.report', { trackId: 'P-9', source: 'manual', position: { lon, lat } });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ circleId: 'core-t3a', circleRing: 'core', severity: 4 });
  });
});
