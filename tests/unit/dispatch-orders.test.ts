// Dispatch (派警) and the unit terminal through the contract, on a core with real SQLite and a manual clock: the
// nearest available units proposed, an order sent in one action (alarm 已派警, unit dispatched, the record), two
// seats sending one unit at once, refusals; the terminal acknowledging and arriving (alarm 已到场), a report
// sent twice applied once, another unit's order refused, arrival by position; a closed alarm ends its orders.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { geodesicDirect } from '../../src/main/core/geo/local-frame.ts';
import type { Alarm, Role } from '../../src/shared/domain.ts';
import type { DispatchOrder, TerminalState, Unit, UnitCandidate } from '../../src/shared/response.ts';
import { testCore } from '../fixtures/core.ts';

let t: Awaited<ReturnType<typeof testCore>>;
let events: Array<{ event: string; payload: unknown }>;
beforeEach(async () => {
  t = await testCore();
  events = [];
  t.core.bus.subscribe((event, payload) => events.push({ event, payload }));
});
afterEach(() => t.dispose());

const as = (username: string, displayName: string, role: Role, unitId?: string): Session => ({ user: { username, displayName, role, ...(unitId ? { unitId } : {}) }, origin: 'test' });
const duty = () => as('duty', '李明', 'operator');
const seat2 = () => as('duty2', '张伟', 'operator');
const terminal = (unitId: string, username = `unit-${unitId.toLowerCase()}`) => as(username, unitId, 'unit', unitId);

const PP_GTC: [number, number] = [106.6652499, 29.7236215];
const call = <T>(s: Session, name: string, input: unknown) => dispatch(t.core, s, name, input) as Promise<T>;
const raise = (at: [number, number] = PP_GTC) => call<Alarm>(duty(), 'alarms.raiseManual', { position: { lon: at[0], lat: at[1] }, severity: 3, note: '可疑人员' });
const send = (alarmId: string, unitIds: string[], s = duty(), guidance = '前往 GTC 核查可疑人员') => call<DispatchOrder[]>(s, 'dispatch.send', { alarmId, unitIds, guidance });
const report = (unitId: string, input: Record<string, unknown>) =>
  call<{ applied: boolean; state: TerminalState }>(terminal(unitId), 'terminal.report', { reportId: `r-${Math.random().toString(36).slice(2, 12)}`, at: t.clock.now(), ...input });
const unit = (id: string) => t.core.units.units.get(id)!;
const audit = async (action: string) =>
  (await t.core.db.all<{ actor: string; subject: string; details: string }>('SELECT actor, subject, details FROM audit_log WHERE action = ? ORDER BY id', [action]))
    .map((r) => ({ ...r, details: JSON.parse(r.details) }));
const until = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
  expect(await check()).toBe(true);
};
/** The alarm workflow's close (of a dispatched alarm): stored, then published like any close. */
const closeAlarm = async (id: string) => {
  await t.core.db.run("UPDATE alarms SET state = 'closed', closed_at = ?, closed_by = 'duty', closed_by_name = '李明', resolution_category = 'confirmed', resolution = '' WHERE id = ?", [t.clock.now(), id]);
  t.core.bus.publish('alarm.changed', (await t.core.alarms.get(id))!);
};

describe('nearest units', () => {
  it('proposes the nearest available units by estimated arrival, along the roads, skipping busy and off-duty ones', async () => {
    const alarm = await raise();
    const first = await call<UnitCandidate[]>(duty(), 'units.nearest', { alarmId: alarm.id, limit: 5 });
    expect(first).toHaveLength(5);
    expect(first[0]).toMatchObject({ unit: { id: 'SWAT-Q' }, distanceM: 0, etaS: 0 });
    expect(first.every((c, i) => i === 0 || first[i - 1].etaS <= c.etaS)).toBe(true);
    expect(first.some((c) => c.via === 'route')).toBe(true);
    const second = first[1].unit.id;
    await call(duty(), 'units.setStatus', { unitId: 'SWAT-Q', status: 'off-duty' });
    await send((await raise()).id, [second]);
    const next = await call<UnitCandidate[]>(duty(), 'units.nearest', { alarmId: alarm.id, limit: 20 });
    expect(next.map((c) => c.unit.id)).not.toContain('SWAT-Q');
    expect(next.map((c) => c.unit.id)).not.toContain(second);
    expect(next.every((c) => c.unit.status === 'available')).toBe(true);
  });
});

describe('dispatch', () => {
  it('sends units in one action: orders, the alarm dispatched, the units dispatched, the record, the events', async () => {
    const alarm = await raise();
    t.clock.advance(40_000);
    events.length = 0;
    const orders = await send(alarm.id, ['SWAT-Q', 'PP-T3A']);
    expect(orders).toHaveLength(2);
    expect(orders[0]).toMatchObject({
      alarmId: alarm.id, unitId: 'SWAT-Q', callSign: '特警屯点', state: 'sent', guidance: '前往 GTC 核查可疑人员',
      target: { lon: PP_GTC[0], lat: PP_GTC[1] }, etaS: 0, sentAt: t.clock.now(), sentBy: { username: 'duty', displayName: '李明' },
    });
    expect(orders[1].etaS).toBeGreaterThan(0);
    const after = (await t.core.alarms.get(alarm.id))!;
    expect(after).toMatchObject({ state: 'dispatched', dispatchedAt: t.clock.now() });
    expect(unit('SWAT-Q')).toMatchObject({ status: 'dispatched', orderId: orders[0].id });
    expect(unit('PP-T3A')).toMatchObject({ status: 'dispatched', orderId: orders[1].id });
    expect(await audit('dispatch.send')).toEqual(orders.map((o) => ({
      actor: 'duty', subject: o.id, details: { alarm: alarm.id, unit: o.unitId, callSign: o.callSign, etaS: o.etaS, guidanceLength: '前往 GTC 核查可疑人员'.length },
    })));
    const names = events.map((e) => e.event);
    expect(names.filter((n) => n === 'dispatch.changed')).toHaveLength(2);
    expect(events.find((e) => e.event === 'alarm.changed')!.payload).toMatchObject({ id: alarm.id, state: 'dispatched' });
    expect(events.filter((e) => e.event === 'units.changed').flatMap((e) => (e.payload as { units: Unit[] }).units.map((u) => u.id)).sort()).toEqual(['PP-T3A', 'SWAT-Q']);
    const terminals = events.filter((e) => e.event === 'terminal.changed').map((e) => e.payload as TerminalState);
    expect(terminals.map((s) => s.unit.id).sort()).toEqual(['PP-T3A', 'SWAT-Q']);
    expect(terminals[0].orders[0]).toMatchObject({ order: { state: 'sent' }, alarm: { id: alarm.id } });
    expect(await call<DispatchOrder[]>(duty(), 'dispatch.list', { alarmId: alarm.id })).toHaveLength(2);
  });

  it('refuses a closed alarm, an unknown unit, a unit off duty or already on an order, changing nothing', async () => {
    const a = await raise();
    await send(a.id, ['PP-T3A']);
    await expect(send(a.id, ['PP-T3A'])).rejects.toMatchObject({ code: 'conflict', reason: 'unit-busy' });
    await call(duty(), 'units.setStatus', { unitId: 'PP-NORTH', status: 'off-duty' });
    await expect(send(a.id, ['SWAT-Q', 'PP-NORTH'])).rejects.toMatchObject({ code: 'conflict', reason: 'unit-off-duty' });
    expect(unit('SWAT-Q').status).toBe('available');
    await expect(send(a.id, ['NOBODY'])).rejects.toMatchObject({ code: 'not-found', reason: 'no-such-unit' });
    await expect(send('no-such-alarm', ['SWAT-Q'])).rejects.toMatchObject({ code: 'not-found' });
    const b = await raise();
    await t.core.alarms.close(b.id, { username: 'duty', displayName: '李明' }, { category: 'false-alarm', note: '' });
    await expect(send(b.id, ['SWAT-Q'])).rejects.toMatchObject({ code: 'conflict', reason: 'alarm-closed' });
    await expect(call(duty(), 'units.setStatus', { unitId: 'PP-T3A', status: 'off-duty' })).rejects.toMatchObject({ code: 'conflict', reason: 'unit-busy' });
    expect(await call<DispatchOrder[]>(duty(), 'dispatch.list', { openOnly: false })).toHaveLength(1);
  });

  it('lets one of two seats sending the same unit at once win; the other is told the unit is busy', async () => {
    const [a, b] = [await raise(), await raise()];
    const results = await Promise.allSettled([send(a.id, ['TRF-1']), send(b.id, ['TRF-1'], seat2())]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict', reason: 'unit-busy' } });
    expect(await call<DispatchOrder[]>(duty(), 'dispatch.list', { openOnly: true })).toHaveLength(1);
    expect((await audit('dispatch.send'))).toHaveLength(1);
  });

  it('holds one open order per unit in the database itself, even when the unit state says otherwise', async () => {
    const a = await raise();
    await send(a.id, ['TRF-2']);
    // A unit state that lies (a hand edit, a bug): the unique index still refuses a second open order.
    await t.core.db.run("UPDATE unit_state SET status = 'available', order_id = NULL WHERE unit_id = 'TRF-2'");
    await t.core.units.units.applyStatus([{ unitId: 'TRF-2', status: 'available', orderId: null }]);
    await expect(send((await raise()).id, ['TRF-2'])).rejects.toMatchObject({ code: 'conflict', reason: 'unit-busy' });
    expect(await call<DispatchOrder[]>(duty(), 'dispatch.list', { openOnly: true })).toHaveLength(1);
  });

  it('cancels an order: the unit is available again, the record says why; a cancelled order cannot be cancelled', async () => {
    const [order] = await send((await raise()).id, ['WJ-1']);
    const cancelled = await call<DispatchOrder>(duty(), 'dispatch.cancel', { orderId: order.id, reason: '改派特警' });
    expect(cancelled).toMatchObject({ state: 'cancelled', cancelledAt: t.clock.now(), note: '改派特警' });
    expect(unit('WJ-1')).toMatchObject({ status: 'available', orderId: null });
    expect(await audit('dispatch.cancel')).toEqual([{ actor: 'duty', subject: order.id, details: expect.objectContaining({ unit: 'WJ-1', reason: '改派特警' }) }]);
    await expect(call(duty(), 'dispatch.cancel', { orderId: order.id, reason: 'x' })).rejects.toMatchObject({ code: 'conflict', reason: 'order-cancelled' });
  });

  it('ends the open orders of an alarm when it is closed: done, units available, on the record', async () => {
    const a = await raise();
    const orders = await send(a.id, ['SWAT-Q', 'TRF-1']);
    await closeAlarm(a.id);
    await until(async () => (await call<DispatchOrder[]>(duty(), 'dispatch.list', { alarmId: a.id, openOnly: true })).length === 0);
    const ended = await call<DispatchOrder[]>(duty(), 'dispatch.list', { alarmId: a.id, openOnly: false });
    expect(ended.map((o) => [o.state, o.note])).toEqual([['done', 'alarm closed'], ['done', 'alarm closed']]);
    expect(unit('SWAT-Q')).toMatchObject({ status: 'available', orderId: null });
    expect(unit('TRF-1').status).toBe('available');
    expect((await audit('dispatch.end')).map((e) => [e.actor, e.subject]).sort()).toEqual(orders.map((o) => ['system', o.id]).sort());
  });

  it('is refused to roles that do not dispatch, in the core', async () => {
    const a = await raise();
    await expect(send(a.id, ['SWAT-Q'], as('drill', '王芳', 'coordinator'))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(send(a.id, ['SWAT-Q'], terminal('SWAT-Q'))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(call(duty(), 'terminal.report', { reportId: 'abcdefgh', kind: 'acknowledge', orderId: 'x', at: 0 })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('the unit terminal', () => {
  it('sees its order, acknowledges it, arrives (the alarm 已到场), and reports done (the unit free, the alarm open)', async () => {
    const a = await raise();
    t.clock.advance(30_000);
    const [order] = await send(a.id, ['PP-T3A']);
    const state = await call<TerminalState>(terminal('PP-T3A'), 'terminal.state', {});
    expect(state).toMatchObject({ unit: { id: 'PP-T3A', status: 'dispatched' }, orders: [{ order: { id: order.id, guidance: '前往 GTC 核查可疑人员' }, alarm: { id: a.id } }] });
    t.clock.advance(20_000);
    const ack = await report('PP-T3A', { kind: 'acknowledge', orderId: order.id });
    expect(ack).toMatchObject({ applied: true, state: { orders: [{ order: { state: 'acknowledged', acknowledgedAt: t.clock.now() } }] } });
    await expect(report('PP-T3A', { kind: 'acknowledge', orderId: order.id })).rejects.toMatchObject({ code: 'conflict', reason: 'order-acknowledged' });
    t.clock.advance(200_000);
    const arrived = await report('PP-T3A', { kind: 'arrive', orderId: order.id });
    expect(arrived.state.orders[0].order).toMatchObject({ state: 'on-scene', onSceneAt: t.clock.now() });
    expect(arrived.state.unit.status).toBe('on-scene');
    expect(await t.core.alarms.get(a.id)).toMatchObject({ state: 'on-scene', onSceneAt: t.clock.now(), dispatchedAt: a.raisedAt + 30_000 });
    expect(events.some((e) => e.event === 'alarm.changed' && (e.payload as Alarm).state === 'on-scene')).toBe(true);
    const done = await report('PP-T3A', { kind: 'done', orderId: order.id, note: '已核查，系旅客' });
    expect(done.state).toMatchObject({ unit: { status: 'available', orderId: null }, orders: [] });
    expect(await t.core.alarms.get(a.id)).toMatchObject({ state: 'on-scene' });
    expect((await audit('terminal.arrive'))[0]).toMatchObject({ actor: 'unit-pp-t3a', subject: order.id, details: { unit: 'PP-T3A', alarm: a.id } });
    expect((await audit('terminal.done'))[0].details).toMatchObject({ noteLength: 7 });
  });

  it('applies a report sent twice (after a lost connection) once', async () => {
    const [order] = await send((await raise()).id, ['SWAT-Q']);
    const input = { reportId: 'resend-0001', kind: 'arrive', orderId: order.id, at: t.clock.now() };
    const first = await call<{ applied: boolean; state: TerminalState }>(terminal('SWAT-Q'), 'terminal.report', input);
    t.clock.advance(5000);
    const again = await call<{ applied: boolean; state: TerminalState }>(terminal('SWAT-Q'), 'terminal.report', input);
    expect(first.applied).toBe(true);
    expect(again).toEqual({ applied: false, state: first.state });
    expect(await audit('terminal.arrive')).toHaveLength(1);
  });

  it("refuses another unit's order, and an account tied to no unit", async () => {
    const [order] = await send((await raise()).id, ['SWAT-Q']);
    await expect(report('TRF-1', { kind: 'acknowledge', orderId: order.id })).rejects.toMatchObject({ code: 'forbidden', reason: 'not-your-order' });
    await expect(call(as('odd', 'odd', 'unit'), 'terminal.state', {})).rejects.toMatchObject({ code: 'forbidden', reason: 'no-unit' });
    expect((await t.core.alarms.get(order.alarmId))!.state).toBe('dispatched');
  });

  it('reports status (refused while on an order) and positions', async () => {
    const off = await report('VOL-GTC', { kind: 'status', status: 'off-duty' });
    expect(off.state.unit.status).toBe('off-duty');
    const moved = await report('VOL-GTC', { kind: 'position', position: { lon: 106.6661, lat: 29.7263 } });
    expect(moved.state.unit).toMatchObject({ position: { lon: 106.6661, lat: 29.7263 }, positionSource: 'terminal', positionAt: t.clock.now() });
    await send((await raise()).id, ['SWAT-Q']);
    await expect(report('SWAT-Q', { kind: 'status', status: 'off-duty' })).rejects.toMatchObject({ code: 'conflict', reason: 'unit-busy' });
  });

  it('takes a flood of positions without growing the record: no report id, no audit entry, one a second per unit; the console still answers', async () => {
    const count = async (table: string) => (await t.core.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;
    const before = { reports: await count('terminal_reports'), audit: await count('audit_log'), track: await count('unit_positions') };
    const flood = (n: number, from: number) => Promise.all(Array.from({ length: n }, (_, k) =>
      report('SWAT-1', { reportId: `flood-${String(from + k).padStart(6, "0")}`, kind: 'position', position: { lon: 106.63 + k * 1e-5, lat: 29.70 } })));
    const firstSecond = await flood(300, 0);
    expect(firstSecond.filter((r) => r.applied)).toHaveLength(1);
    const a = await raise();
    const started = Date.now();
    await call(duty(), 'alarms.acknowledge', { id: a.id });
    expect(Date.now() - started).toBeLessThan(5000);
    t.clock.advance(1000);
    expect((await flood(300, 300)).filter((r) => r.applied)).toHaveLength(1);
    expect(await count('terminal_reports')).toBe(before.reports);
    expect(await count('unit_positions')).toBe(before.track + 2);
    // The alarm's raise and acknowledge only.
    expect(await count('audit_log')).toBe(before.audit + 2);
    // A position that is no newer than the unit's (the GPS feed was quicker) is not applied either.
    await t.core.units.units.reportPositions('gps-1', [{ unitId: 'SWAT-1', position: { lon: 106.632, lat: 29.70 }, at: t.clock.now() + 5000 }]);
    t.clock.advance(1000);
    expect((await report('SWAT-1', { kind: 'position', position: { lon: 106.633, lat: 29.70 } })).applied).toBe(false);
  });

  it('forgets report ids after a day, at start and hourly on the core clock', async () => {
    await report('VOL-GTC', { reportId: 'status-old', kind: 'status', status: 'off-duty' });
    const ids = () => t.core.db.all<{ report_id: string }>("SELECT report_id FROM terminal_reports WHERE unit_id = 'VOL-GTC'");
    expect(await ids()).toEqual([{ report_id: 'status-old' }]);
    t.clock.advance(23 * 3600_000);
    await report('VOL-GTC', { reportId: 'status-new', kind: 'status', status: 'available' });
    t.clock.advance(2 * 3600_000);
    await until(async () => (await ids()).length === 1);
    expect(await ids()).toEqual([{ report_id: 'status-new' }]);
  });

  it('marks a unit on scene by itself when its position comes within 50 m of the target', async () => {
    const a = await raise();
    const [order] = await send(a.id, ['TRF-1']);
    const near = (m: number) => { const [lon, lat] = geodesicDirect(PP_GTC, 90, m); return { lon, lat }; };
    t.clock.advance(1000);
    await t.core.units.units.reportPositions('gps-1', [{ unitId: 'TRF-1', position: near(200), at: t.clock.now() }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(unit('TRF-1').status).toBe('dispatched');
    t.clock.advance(1000);
    await t.core.units.units.reportPositions('gps-1', [{ unitId: 'TRF-1', position: near(30), at: t.clock.now() }]);
    await until(() => unit('TRF-1').status === 'on-scene');
    expect((await call<DispatchOrder[]>(duty(), 'dispatch.list', { alarmId: a.id }))[0]).toMatchObject({ state: 'on-scene', onSceneAt: t.clock.now() });
    expect(await t.core.alarms.get(a.id)).toMatchObject({ state: 'on-scene', onSceneAt: t.clock.now() });
    expect(await audit('dispatch.arrive')).toEqual([{ actor: 'system', subject: order.id, details: expect.objectContaining({ by: 'gps', unit: 'TRF-1' }) }]);
  });
});

describe('unit accounts', () => {
  it('are made in demo mode for each unit, tied to it and named by its call sign, to be changed at first sign-in', async () => {
    const account = await t.core.accounts.find('unit-swatq');
    expect(account).toMatchObject({ role: 'unit', unitId: 'SWAT-Q', displayName: '特警屯点', mustChangePassword: true });
    expect(await t.core.accounts.find('duty')).not.toHaveProperty('unitId');
    expect((await t.core.accounts.list()).filter((u) => u.role === 'unit')).toHaveLength(t.core.units.units.list().length);
    expect((await audit('users.create')).filter((e) => e.details.role === 'unit')).toHaveLength(t.core.units.units.list().length);
  });

  it('keep to the unit line: a terminal account takes no console role, a console account not the role unit', async () => {
    expect(await t.core.accounts.setRole('unit-swatq', 'operator')).toBe('unit-account');
    expect(await t.core.accounts.setRole('duty', 'unit')).toBe('unit-account');
    expect((await t.core.accounts.find('unit-swatq'))!.role).toBe('unit');
    await expect(t.core.accounts.create('walker', '巡逻', 'unit', 'a-long-password-1')).rejects.toThrow(/needs the unit it speaks for/);
    await expect(t.core.accounts.create('clerk', '文员', 'operator', 'a-long-password-1', true, 'SWAT-Q')).rejects.toThrow(/only a unit account has a unit/);
  });
});
