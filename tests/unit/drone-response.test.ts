// The response to a drone alarm: the order of its steps, runway suspension reaching the runway board and
// holding the close back, two seats recording at once, the outcome closing the alarm, the audit, and roles.
// A real core on a manual clock; the runway board is a recording fake here (DroneResponses built directly on
// the core's database and alarms), because the core's own board belongs to another part of the work.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { DroneResponses, type RunwaySuspender } from '../../src/main/core/drones/drone-responses.ts';
import { RunwayBoard } from '../../src/main/core/drones/runway-board.ts';
import type { Alarm, AlarmDetailsByType, Role } from '../../src/shared/domain.ts';
import type { DroneResponse } from '../../src/shared/drones.ts';
import { testCore } from '../fixtures/core.ts';

let t: Awaited<ReturnType<typeof testCore>>;
let board: RunwaySuspender & { calls: Array<[string, boolean]> };
let responses: DroneResponses;
let published: DroneResponse[];

beforeEach(async () => {
  t = await testCore();
  const calls: Array<[string, boolean]> = [];
  board = { calls, setSuspended: (runway, on) => void calls.push([runway, on]) };
  const { db, clock, bus, audit, alarms, site } = t.core;
  responses = new DroneResponses({ db, clock, bus, audit, alarms, site, runways: board });
  published = [];
  t.core.bus.subscribe((event, payload) => event === 'droneResponse.changed' && published.push(payload as DroneResponse));
});
afterEach(() => t.dispose());

const as = (username: string, displayName: string, role: Role): Session => ({ user: { username, displayName, role }, origin: 'test' });
const duty = { username: 'duty', displayName: '李明' };
const other = { username: 'duty2', displayName: '王强' };
const PILOT = { lon: 106.6331, lat: 29.7001 };

function threatDetails(over: Partial<AlarmDetailsByType['drone-threat']> = {}): AlarmDetailsByType['drone-threat'] {
  return {
    trackId: 'UAS-000042', label: '1581F5FKD22A', classification: 'drone',
    identity: { serial: '1581F5FKD22A', registrationId: null, uaType: 'helicopter-or-multirotor', operatorId: null, selfIdText: null },
    pilot: PILOT, level: 3, maxLevel: 3,
    reasons: [{ code: 'penetration', surface: 'approach', runway: '02L', penetrationM: 23.4 }, { code: 'runway-in-use', runway: '02L/20R' }],
    surface: 'approach', runway: '02L', penetrationM: 23.4, maxPenetrationM: 23.4, altM: 520,
    runwayInUse: true, permitId: null, suggested: ['notify-atc', 'notify-clearance-office', 'consider-runway-suspension', 'dispatch-to-pilot'],
    ...over,
  };
}

async function droneAlarm(): Promise<Alarm> {
  const [a] = await t.core.alarms.report([{ source: 'drone', type: 'drone-threat', severity: 3, position: { lon: 106.6352, lat: 29.7012, altM: 520 }, details: threatDetails(), key: 'drone:UAS-000042' }]);
  return a;
}

const failure = (p: Promise<unknown>) => p.then(() => ({ code: 'none' }), (e: { code: string; reason?: string }) => ({ code: e.code, reason: e.reason }));
const record = (alarmId: string, step: string, more: Record<string, unknown> = {}, by = duty) =>
  responses.record({ alarmId, step: step as never, note: '', ...more }, by);

describe('drone response', () => {
  it('refuses an alarm that does not exist or is not a drone alarm', async () => {
    expect(await failure(responses.get('nope'))).toEqual({ code: 'not-found', reason: 'no-such-alarm' });
    const manual = await t.core.alarms.raise({ source: 'manual', type: 'manual', severity: 2, position: null, details: { note: 'x' } });
    expect(await failure(responses.get(manual.id))).toEqual({ code: 'bad-request', reason: 'not-drone-alarm' });
    expect(await failure(record(manual.id, 'atc-notified', { message: 'x' }))).toEqual({ code: 'bad-request', reason: 'not-drone-alarm' });
  });

  it('records the ATC notification with its message, acknowledges the alarm, then the controller acknowledging', async () => {
    const a = await droneAlarm();
    expect(await responses.get(a.id)).toEqual({ alarmId: a.id, trackId: 'UAS-000042', raisedAt: a.raisedAt, steps: [], outcome: null, closedAt: null });
    expect(await failure(record(a.id, 'atc-acknowledged', { counterpart: '塔台 张' }))).toEqual({ code: 'conflict', reason: 'atc-notified-missing' });
    expect(await failure(record(a.id, 'atc-notified'))).toEqual({ code: 'bad-request', reason: 'message-required' });
    t.clock.advance(40_000);
    const r = await record(a.id, 'atc-notified', { message: '08:00 02L进近方向发现无人机' });
    expect(r.steps).toEqual([{ step: 'atc-notified', at: a.raisedAt + 40_000, by: duty, note: '', message: '08:00 02L进近方向发现无人机' }]);
    expect(await t.core.alarms.get(a.id)).toMatchObject({ state: 'acknowledged', acknowledgedBy: duty });
    expect(await failure(record(a.id, 'atc-acknowledged'))).toEqual({ code: 'bad-request', reason: 'counterpart-required' });
    t.clock.advance(20_000);
    const acked = await record(a.id, 'atc-acknowledged', { counterpart: '塔台 张' }, other);
    expect(acked.steps.map((s) => [s.step, s.by.username, s.counterpart])).toEqual([['atc-notified', 'duty', undefined], ['atc-acknowledged', 'duty2', '塔台 张']]);
    expect(await responses.get(a.id)).toEqual(acked);
    expect(published.at(-1)).toEqual(acked);
  });

  it('needs the clearance office notified before its acknowledgement', async () => {
    const a = await droneAlarm();
    expect(await failure(record(a.id, 'clearance-office-acknowledged', { counterpart: '净空办 刘' }))).toEqual({ code: 'conflict', reason: 'clearance-office-notified-missing' });
    // The ATC notification does not stand in for it.
    await record(a.id, 'atc-notified', { message: 'm' });
    expect(await failure(record(a.id, 'clearance-office-acknowledged', { counterpart: '净空办 刘' }))).toEqual({ code: 'conflict', reason: 'clearance-office-notified-missing' });
    await record(a.id, 'clearance-office-notified', { message: 'm2' });
    expect((await record(a.id, 'clearance-office-acknowledged', { counterpart: '净空办 刘' })).steps.at(-1)).toMatchObject({ step: 'clearance-office-acknowledged', counterpart: '净空办 刘' });
  });

  it('suspends a runway of the site (by id or end), tells the board after the commit, and resumes only what it suspended', async () => {
    const a = await droneAlarm();
    expect(await failure(record(a.id, 'runway-suspended'))).toEqual({ code: 'bad-request', reason: 'runway-required' });
    expect(await failure(record(a.id, 'runway-suspended', { runway: '09/27' }))).toEqual({ code: 'bad-request', reason: 'unknown-runway' });
    expect(await failure(record(a.id, 'runway-resumed', { runway: '02L/20R' }))).toEqual({ code: 'conflict', reason: 'runway-not-suspended' });
    expect(board.calls).toEqual([]);
    const r = await record(a.id, 'runway-suspended', { runway: '02l' });
    expect(r.steps.at(-1)).toMatchObject({ step: 'runway-suspended', runway: '02L/20R' });
    expect(board.calls).toEqual([['02L/20R', true]]);
    expect(await failure(record(a.id, 'runway-suspended', { runway: '02L/20R' }))).toEqual({ code: 'conflict', reason: 'runway-already-suspended' });
    await record(a.id, 'runway-suspended', { runway: '03R/21L' });
    await record(a.id, 'runway-resumed', { runway: '20R' });
    expect(board.calls).toEqual([['02L/20R', true], ['03R/21L', true], ['02L/20R', false]]);
    // Suspended again after a resumption: a new suspension.
    await record(a.id, 'runway-suspended', { runway: '02L/20R' });
    expect(board.calls.at(-1)).toEqual(['02L/20R', true]);
  });

  it('of two seats suspending the same runway at once, one wins and the other is told it is suspended', async () => {
    const a = await droneAlarm();
    const results = await Promise.allSettled([record(a.id, 'runway-suspended', { runway: '02L/20R' }), record(a.id, 'runway-suspended', { runway: '02L/20R' }, other)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', reason: 'runway-already-suspended' });
    expect((await responses.get(a.id)).steps.filter((s) => s.step === 'runway-suspended')).toHaveLength(1);
    expect(board.calls).toEqual([['02L/20R', true]]);
  });

  it('sends a unit to the pilot: the call sign is required and the target defaults to the pilot position', async () => {
    const a = await droneAlarm();
    expect(await failure(record(a.id, 'unit-dispatched'))).toEqual({ code: 'bad-request', reason: 'unit-required' });
    expect((await record(a.id, 'unit-dispatched', { unit: '巡逻3组' })).steps.at(-1)).toMatchObject({ unit: '巡逻3组', target: PILOT });
    const elsewhere = { lon: 106.64, lat: 29.71 };
    expect((await record(a.id, 'unit-dispatched', { unit: '巡逻5组', target: elsewhere })).steps.at(-1)).toMatchObject({ unit: '巡逻5组', target: elsewhere });
  });

  it('refuses to close while a runway it suspended is not resumed, then closes the alarm with the category of the outcome', async () => {
    const a = await droneAlarm();
    await record(a.id, 'runway-suspended', { runway: '02L/20R' });
    expect(await failure(responses.close(a.id, 'pilot-found', '', duty))).toEqual({ code: 'conflict', reason: 'runway-suspended' });
    expect((await t.core.alarms.get(a.id))?.state).not.toBe('closed');
    await record(a.id, 'runway-resumed', { runway: '02L/20R' });
    t.clock.advance(300_000);
    const closed = await responses.close(a.id, 'pilot-found', '飞手已带离', duty);
    expect(closed).toMatchObject({ outcome: 'pilot-found', closedAt: a.raisedAt + 300_000 });
    expect(closed.steps.at(-1)).toMatchObject({ step: 'closed', outcome: 'pilot-found', note: '飞手已带离', by: duty });
    expect(await t.core.alarms.get(a.id)).toMatchObject({ state: 'closed', closedBy: duty, resolution: { category: 'confirmed', note: '飞手已带离' } });
    expect(await failure(record(a.id, 'unit-dispatched', { unit: 'x' }))).toEqual({ code: 'conflict', reason: 'response-closed' });
    expect(await failure(responses.close(a.id, 'drone-left', '', duty))).toEqual({ code: 'conflict', reason: 'response-closed' });
  });

  it('maps drone-left to 属实 and false-alarm to 误报', async () => {
    const left = await droneAlarm();
    await responses.close(left.id, 'drone-left', '', duty);
    const [fa] = await t.core.alarms.report([{ source: 'drone', type: 'drone-threat', severity: 2, position: null, details: threatDetails({ trackId: 'UAS-7' }), key: 'drone:UAS-7' }]);
    await responses.close(fa.id, 'false-alarm', '鸟群', duty);
    expect((await t.core.alarms.get(left.id))?.resolution?.category).toBe('confirmed');
    expect((await t.core.alarms.get(fa.id))?.resolution).toEqual({ category: 'false-alarm', note: '鸟群' });
  });

  it('refuses steps on an alarm closed by the plain close', async () => {
    const a = await droneAlarm();
    await t.core.alarms.close(a.id, duty, { category: 'other', note: 'x' });
    expect(await failure(record(a.id, 'atc-notified', { message: 'm' }))).toEqual({ code: 'conflict', reason: 'already-closed' });
  });

  it('lifts a suspension even after the alarm was closed under it (the plain close racing the suspension)', async () => {
    const a = await droneAlarm();
    // The interleaving: the plain close checked that nothing was held, then the suspension committed, then the close.
    await record(a.id, 'runway-suspended', { runway: '02L/20R' });
    await t.core.alarms.close(a.id, duty, { category: 'other', note: 'x' });
    const r = await record(a.id, 'runway-resumed', { runway: '02L/20R' });
    expect(r.steps.map((s) => s.step)).toEqual(['runway-suspended', 'runway-resumed']);
    expect(board.calls).toEqual([['02L/20R', true], ['02L/20R', false]]);
    expect(await responses.heldRunways(a.id)).toEqual([]);
    // Only the lifting is allowed on the closed alarm: nothing else, and no new suspension.
    expect(await failure(record(a.id, 'runway-suspended', { runway: '02L/20R' }))).toEqual({ code: 'conflict', reason: 'already-closed' });
    expect(await failure(record(a.id, 'runway-resumed', { runway: '02L/20R' }))).toEqual({ code: 'conflict', reason: 'already-closed' });
  });

  it('keeps at most 20 steps of a kind in one response (each kind counted apart)', async () => {
    const a = await droneAlarm();
    for (let i = 0; i < 20; i++) await record(a.id, 'atc-notified', { message: `m${i}` });
    expect(await failure(record(a.id, 'atc-notified', { message: 'm' }))).toEqual({ code: 'conflict', reason: 'too-many-steps' });
    await record(a.id, 'clearance-office-notified', { message: 'other kind' });
    for (let i = 0; i < 20; i++) {
      await record(a.id, 'runway-suspended', { runway: '02L/20R' });
      await record(a.id, 'runway-resumed', { runway: '02L/20R' });
    }
    expect(await failure(record(a.id, 'runway-suspended', { runway: '02L/20R' }))).toEqual({ code: 'conflict', reason: 'too-many-steps' });
    expect((await responses.get(a.id)).steps).toHaveLength(61);
  });

  it('audits each step, with the length of a message but never its text', async () => {
    const a = await droneAlarm();
    await record(a.id, 'atc-notified', { message: '秘密的内容12' });
    await record(a.id, 'atc-acknowledged', { counterpart: '塔台 张' });
    await record(a.id, 'runway-suspended', { runway: '02L/20R' });
    await record(a.id, 'runway-resumed', { runway: '02L/20R' });
    await record(a.id, 'unit-dispatched', { unit: '巡逻3组' });
    await responses.close(a.id, 'drone-left', '', duty);
    const rows = (await t.core.audit.entries()).filter((e) => e.action.startsWith('drone-response.')).reverse();
    expect(rows.map((e) => [e.action, e.actor, e.subject, JSON.parse(e.details)])).toEqual([
      ['drone-response.atc-notified', 'duty', a.id, { messageLength: 7 }],
      ['drone-response.atc-acknowledged', 'duty', a.id, { counterpart: '塔台 张' }],
      ['drone-response.runway-suspended', 'duty', a.id, { runway: '02L/20R' }],
      ['drone-response.runway-resumed', 'duty', a.id, { runway: '02L/20R' }],
      ['drone-response.unit-dispatched', 'duty', a.id, { unit: '巡逻3组' }],
      ['drone-response.closed', 'duty', a.id, { outcome: 'drone-left' }],
    ]);
    expect(rows.some((e) => e.details.includes('秘密'))).toBe(false);
  });

  it('writes nothing, audit included, for a refused step', async () => {
    const a = await droneAlarm();
    const before = (await t.core.audit.entries()).length;
    await failure(record(a.id, 'atc-acknowledged', { counterpart: 'x' }));
    expect((await t.core.audit.entries()).length).toBe(before);
    expect((await responses.get(a.id)).steps).toEqual([]);
  });

  it('suspends again, after a restart, what open responses left suspended', async () => {
    const a = await droneAlarm();
    await record(a.id, 'runway-suspended', { runway: '02L/20R' });
    await record(a.id, 'runway-suspended', { runway: '03R/21L' });
    await record(a.id, 'runway-resumed', { runway: '03R/21L' });
    // A closed response holds nothing back.
    const [c] = await t.core.alarms.report([{ source: 'drone', type: 'drone-threat', severity: 2, position: null, details: threatDetails({ trackId: 'UAS-9' }), key: 'drone:UAS-9' }]);
    await record(c.id, 'runway-suspended', { runway: '02R/20L' });
    await record(c.id, 'runway-resumed', { runway: '02R/20L' });
    await responses.close(c.id, 'drone-left', '', duty);
    const fresh = { calls: [] as Array<[string, boolean]>, setSuspended(r: string, on: boolean) { this.calls.push([r, on]); } };
    const { db, clock, bus, audit, alarms, site } = t.core;
    expect(await new DroneResponses({ db, clock, bus, audit, alarms, site, runways: fresh }).restoreSuspensions()).toEqual(['02L/20R']);
    expect(fresh.calls).toEqual([['02L/20R', true]]);
  });
});

describe('drone response through the dispatcher', () => {
  it('lets an operator record and close, refuses a coordinator, and checks the input', async () => {
    const a = await droneAlarm();
    const op = as('duty', '李明', 'operator');
    const r = (await dispatch(t.core, op, 'droneResponse.record', { alarmId: a.id, step: 'atc-notified', message: '通报内容' })) as DroneResponse;
    expect(r.steps[0]).toMatchObject({ step: 'atc-notified', by: duty, message: '通报内容' });
    expect(await dispatch(t.core, as('viewer', '赵', 'coordinator'), 'droneResponse.get', { alarmId: a.id })).toEqual(r);
    await expect(dispatch(t.core, as('viewer', '赵', 'coordinator'), 'droneResponse.record', { alarmId: a.id, step: 'unit-dispatched', unit: 'x' }))
      .rejects.toMatchObject({ code: 'forbidden' });
    await expect(dispatch(t.core, op, 'droneResponse.record', { alarmId: a.id, step: 'closed' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(dispatch(t.core, op, 'droneResponse.record', { alarmId: a.id, step: 'atc-acknowledged' })).rejects.toMatchObject({ code: 'bad-request', reason: 'counterpart-required' });
    const closed = (await dispatch(t.core, op, 'droneResponse.close', { alarmId: a.id, outcome: 'false-alarm', note: '' })) as DroneResponse;
    expect(closed.outcome).toBe('false-alarm');
  });

  it('through the real core: a suspension reaches the runway board, and the plain close (关闭) is refused until the runway is resumed', async () => {
    const a = await droneAlarm();
    const op = as('duty', '李明', 'operator');
    await dispatch(t.core, op, 'droneResponse.record', { alarmId: a.id, step: 'runway-suspended', runway: '02L/20R' });
    expect(t.core.drones.runways.state().runways.find((r) => r.runwayId === '02L/20R')).toMatchObject({ suspended: true });
    await expect(dispatch(t.core, op, 'alarms.close', { id: a.id, category: 'confirmed', note: '' }))
      .rejects.toMatchObject({ code: 'conflict', reason: 'runway-suspended' });
    expect((await t.core.alarms.get(a.id))?.state).not.toBe('closed');
    await dispatch(t.core, op, 'droneResponse.record', { alarmId: a.id, step: 'runway-resumed', runway: '02L/20R' });
    // (Without an operations feed the board lists a runway only while it is suspended.)
    expect(t.core.drones.runways.state().runways.find((r) => r.runwayId === '02L/20R')?.suspended ?? false).toBe(false);
    await dispatch(t.core, op, 'alarms.close', { id: a.id, category: 'confirmed', note: '' });
    expect((await t.core.alarms.get(a.id))?.state).toBe('closed');
  });

  it('through the real core: of two responses suspending one runway, the first resuming leaves it suspended for the second', async () => {
    const a = await droneAlarm();
    const [b] = await t.core.alarms.report([{ source: 'drone', type: 'drone-threat', severity: 3, position: null, details: threatDetails({ trackId: 'UAS-7' }), key: 'drone:UAS-7' }]);
    const op = as('duty', '李明', 'operator');
    const suspended = () => t.core.drones.runways.state().runways.find((r) => r.runwayId === '02L/20R')?.suspended ?? false;
    await dispatch(t.core, op, 'droneResponse.record', { alarmId: a.id, step: 'runway-suspended', runway: '02L' });
    await dispatch(t.core, op, 'droneResponse.record', { alarmId: b.id, step: 'runway-suspended', runway: '02L' });
    await dispatch(t.core, op, 'droneResponse.record', { alarmId: a.id, step: 'runway-resumed', runway: '02L' });
    expect(suspended()).toBe(true);
    // After a restart both holders come back: A's resumption still leaves B's suspension.
    const { db, clock, bus, audit, alarms, site } = t.core;
    const fresh = new RunwayBoard({ site, clock, bus, log: () => undefined });
    await new DroneResponses({ db, clock, bus, audit, alarms, site, runways: fresh }).restoreSuspensions();
    expect(fresh.holdersOf('02L/20R')).toEqual([b.id]);
    await dispatch(t.core, op, 'droneResponse.record', { alarmId: b.id, step: 'runway-resumed', runway: '02L' });
    expect(suspended()).toBe(false);
  });

  it('through the real core: a runway suspended just before the plain close committed is resumed and the board is clear', async () => {
    const a = await droneAlarm();
    const op = as('duty', '李明', 'operator');
    await dispatch(t.core, op, 'droneResponse.record', { alarmId: a.id, step: 'runway-suspended', runway: '02L/20R' });
    await t.core.alarms.close(a.id, duty, { category: 'false-alarm', note: '' });
    expect(t.core.drones.runways.state().runways.find((r) => r.runwayId === '02L/20R')).toMatchObject({ suspended: true });
    await dispatch(t.core, op, 'droneResponse.record', { alarmId: a.id, step: 'runway-resumed', runway: '02L/20R' });
    expect(t.core.drones.runways.state().runways.some((r) => r.suspended)).toBe(false);
  });
});
