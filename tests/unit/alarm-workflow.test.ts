// The alarm workflow through the contract: new → acknowledged → dispatched → on scene → resolved → closed, assign
// and escalate, each change stored with its audit row and refused (with the state it found) when it does not
// apply; two seats at once: one wins. The queue with 10,000 open alarms.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { advanceAlarmInTx } from '../../src/main/core/alarms/sqlite-alarm-repository.ts';
import type { EventPayloads } from '../../src/shared/contract/index.ts';
import type { Alarm, Role } from '../../src/shared/domain.ts';
import { testCore } from '../fixtures/core.ts';

let t: Awaited<ReturnType<typeof testCore>>;
let changed: Alarm[];
let escalated: Array<EventPayloads['alarm.escalated']>;
beforeEach(async () => {
  t = await testCore();
  changed = [];
  escalated = [];
  t.core.bus.subscribe((event, payload) => {
    if (event === 'alarm.changed') changed.push(payload as Alarm);
    if (event === 'alarm.escalated') escalated.push(payload as EventPayloads['alarm.escalated']);
  });
});
afterEach(() => t.dispose());

const as = (username: string, displayName: string, role: Role): Session => ({ user: { username, displayName, role }, origin: 'test' });
const duty = () => as('duty', '李明', 'operator');
const command = () => as('command', '陈刚', 'commander');
const call = <T = Alarm>(s: Session, name: string, input: object) => dispatch(t.core, s, name, input) as Promise<T>;
const manual = (severity = 2) => call(duty(), 'alarms.raiseManual', { position: { lon: 106.65, lat: 29.71 }, severity, note: '围界震动' });
/** What the units feature does when an order is sent / a unit reports arrival (in its own transaction). */
const advance = (id: string, stage: 'dispatched' | 'on-scene') =>
  t.core.db.transaction((tx) => advanceAlarmInTx(tx, id, { stage, at: t.clock.now() }));
/** The record of one alarm, oldest first. */
const auditOf = async (id: string) => (await t.core.audit.entries(1000)).reverse().filter((e) => e.subject === id).map((e) => ({ action: e.action, actor: e.actor, details: JSON.parse(e.details) }));

describe('the workflow, stage by stage', () => {
  it('acknowledges, assigns, is dispatched and on scene, resolves and closes, with every time and person kept and recorded', async () => {
    const a = await manual();
    t.clock.advance(20_000);
    await call(duty(), 'alarms.acknowledge', { id: a.id });
    const assigned = await call(command(), 'alarms.assign', { id: a.id, username: 'duty' });
    expect(assigned).toMatchObject({ state: 'acknowledged', assignedTo: { username: 'duty', displayName: '李明' } });
    t.clock.advance(40_000);
    expect(await advance(a.id, 'dispatched')).toMatchObject({ state: 'dispatched', dispatchedAt: a.raisedAt + 60_000 });
    t.clock.advance(120_000);
    expect(await advance(a.id, 'on-scene')).toMatchObject({ state: 'on-scene', onSceneAt: a.raisedAt + 180_000 });
    t.clock.advance(60_000);
    const resolved = await call(duty(), 'alarms.resolve', { id: a.id, note: '现场为施工人员，已劝离' });
    expect(resolved).toMatchObject({ state: 'resolved', resolvedAt: a.raisedAt + 240_000, resolvedBy: { username: 'duty', displayName: '李明' } });
    t.clock.advance(10_000);
    const closed = await call(command(), 'alarms.close', { id: a.id, category: 'confirmed', note: '' });
    expect(closed).toMatchObject({
      state: 'closed', closedAt: a.raisedAt + 250_000, acknowledgedAt: a.raisedAt + 20_000, dispatchedAt: a.raisedAt + 60_000,
      onSceneAt: a.raisedAt + 180_000, resolvedAt: a.raisedAt + 240_000, assignedTo: { username: 'duty' }, resolution: { category: 'confirmed' },
      clock: { targets: { acknowledgeS: 60, dispatchS: 180, onSceneS: 300 }, overdue: [] },
    });
    expect(await t.core.alarms.get(a.id)).toEqual(closed);
    expect(await auditOf(a.id)).toEqual([
      { action: 'alarm.raise', actor: 'duty', details: { type: 'manual', severity: 2 } },
      { action: 'alarm.acknowledge', actor: 'duty', details: {} },
      { action: 'alarm.assign', actor: 'command', details: { to: 'duty' } },
      { action: 'alarm.resolve', actor: 'duty', details: { note: '现场为施工人员，已劝离' } },
      { action: 'alarm.close', actor: 'command', details: { category: 'confirmed', note: '' } },
    ]);
    expect(changed.filter((c) => c.id === a.id).map((c) => c.state)).toEqual(['new', 'acknowledged', 'acknowledged', 'resolved', 'closed']);
  });

  it('refuses to resolve a new alarm (acknowledge first), or one already resolved or closed, and says what it found', async () => {
    const a = await manual();
    await expect(call(duty(), 'alarms.resolve', { id: a.id, note: '' })).rejects.toMatchObject({ code: 'conflict', reason: 'not-acknowledged', message: expect.stringContaining('acknowledge it first') });
    await call(duty(), 'alarms.acknowledge', { id: a.id });
    await call(duty(), 'alarms.resolve', { id: a.id, note: '' });
    await expect(call(duty(), 'alarms.resolve', { id: a.id, note: '' })).rejects.toMatchObject({ code: 'conflict', reason: 'already-resolved' });
    await expect(call(duty(), 'alarms.acknowledge', { id: a.id })).rejects.toMatchObject({ code: 'conflict', reason: 'already-resolved' });
    await call(duty(), 'alarms.close', { id: a.id, category: 'confirmed', note: '' });
    for (const [name, input] of [['alarms.resolve', { note: '' }], ['alarms.assign', { username: 'duty' }], ['alarms.escalate', { note: '' }], ['alarms.close', { category: 'confirmed', note: '' }]] as const) {
      await expect(call(duty(), name, { id: a.id, ...input }), name).rejects.toMatchObject({ code: 'conflict', reason: 'already-closed' });
    }
    expect((await auditOf(a.id)).map((e) => e.action)).toEqual(['alarm.raise', 'alarm.acknowledge', 'alarm.resolve', 'alarm.close']);
  });

  it('closes from every open state', async () => {
    const states: string[] = [];
    for (const reach of ['new', 'acknowledged', 'dispatched', 'on-scene', 'resolved'] as const) {
      const a = await manual();
      if (reach !== 'new') await call(duty(), 'alarms.acknowledge', { id: a.id });
      if (reach === 'dispatched' || reach === 'on-scene') await advance(a.id, 'dispatched');
      if (reach === 'on-scene') await advance(a.id, 'on-scene');
      if (reach === 'resolved') await call(duty(), 'alarms.resolve', { id: a.id, note: '' });
      states.push((await t.core.alarms.get(a.id))!.state);
      expect(await call(duty(), 'alarms.close', { id: a.id, category: 'false-alarm', note: '风吹动围栏' })).toMatchObject({ state: 'closed' });
    }
    expect(states).toEqual(['new', 'acknowledged', 'dispatched', 'on-scene', 'resolved']);
  });

  it('says not-found for every verb on an unknown alarm, and writes nothing', async () => {
    const before = (await t.core.audit.entries(1000)).length;
    for (const [name, input] of [
      ['alarms.acknowledge', {}], ['alarms.resolve', { note: '' }], ['alarms.assign', { username: null }], ['alarms.escalate', { note: '' }],
      ['alarms.close', { category: 'confirmed', note: '' }],
    ] as const) {
      await expect(call(duty(), name, { id: 'no-such-alarm', ...input }), name).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('no-such-alarm') });
    }
    expect((await t.core.audit.entries(1000)).length).toBe(before);
    expect(changed).toEqual([]);
  });

  it('keeps the workflow to the roles that work alarms, in the core', async () => {
    const a = await manual();
    const coordinator = as('drill', '王芳', 'coordinator');
    for (const [name, input] of [['alarms.resolve', { note: '' }], ['alarms.assign', { username: 'duty' }], ['alarms.escalate', { note: '' }]] as const) {
      await expect(call(coordinator, name, { id: a.id, ...input }), name).rejects.toMatchObject({ code: 'forbidden' });
    }
  });
});

describe('the 1-3-5 clocks in the running core', () => {
  it('fixes the site’s targets on an alarm and escalates its overdue acknowledgement once, on the core’s clock', async () => {
    const a = await manual();
    expect(a.clock).toEqual({ targets: { acknowledgeS: 60, dispatchS: 180, onSceneS: 300 }, overdue: [] });
    expect(t.core.responseClock.targetsSource.from).toBe('file');
    await t.clock.advanceAsync(61_000, () => t.core.responseClock.sweep());
    expect(escalated).toEqual([expect.objectContaining({ stage: 'acknowledge', by: 'system', at: a.raisedAt + 61_000 })]);
    await t.clock.advanceAsync(10_000, () => t.core.responseClock.sweep());
    expect(escalated).toHaveLength(1);
    expect((await auditOf(a.id)).map((e) => e.action)).toEqual(['alarm.raise', 'alarm.overdue']);
  });
});

describe('assign', () => {
  it('assigns to an enabled account of a responder role, and back to nobody', async () => {
    const a = await manual();
    expect(await call(duty(), 'alarms.assign', { id: a.id, username: 'command' })).toMatchObject({ assignedTo: { username: 'command', displayName: '陈刚' }, state: 'new' });
    expect(await call(duty(), 'alarms.assign', { id: a.id, username: null })).toMatchObject({ assignedTo: null });
    expect((await auditOf(a.id)).filter((e) => e.action === 'alarm.assign').map((e) => e.details)).toEqual([{ to: 'command' }, { to: null }]);
  });

  it('refuses an unknown, disabled or non-responder account, naming it', async () => {
    const a = await manual();
    await t.core.accounts.create('zhao', '赵强', 'operator', 'a-password-123');
    await t.core.accounts.setDisabled('zhao', true);
    for (const [username, problem] of [['nobody', 'no such account'], ['zhao', 'disabled'], ['drill', 'coordinator']]) {
      await expect(call(duty(), 'alarms.assign', { id: a.id, username }), username).rejects.toMatchObject({
        code: 'bad-request', message: expect.stringContaining(`"${username}"`), fields: [{ path: 'username', problem: expect.stringContaining(problem) }],
      });
    }
    expect((await t.core.alarms.get(a.id))!.assignedTo).toBeNull();
  });
});

describe('escalate by hand', () => {
  it('records it, keeps the first escalation time, and tells the commander each time', async () => {
    const a = await manual();
    t.clock.advance(5000);
    const first = await call(duty(), 'alarms.escalate', { id: a.id, note: '疑似有人翻越围界' });
    expect(first).toMatchObject({ escalatedAt: a.raisedAt + 5000, state: 'new' });
    t.clock.advance(5000);
    expect(await call(duty(), 'alarms.escalate', { id: a.id, note: '再次请求' })).toMatchObject({ escalatedAt: a.raisedAt + 5000 });
    expect(escalated).toEqual([
      { alarm: first, stage: 'manual', at: a.raisedAt + 5000, by: 'duty' },
      expect.objectContaining({ stage: 'manual', at: a.raisedAt + 10_000, by: 'duty' }),
    ]);
    expect((await auditOf(a.id)).filter((e) => e.action === 'alarm.escalate-manual').map((e) => e.details)).toEqual([{ note: '疑似有人翻越围界' }, { note: '再次请求' }]);
  });
});

describe('close as a duplicate', () => {
  it('names the alarm it repeats in the record; refuses itself, an alarm that does not exist, or a close that is no duplicate', async () => {
    const first = await manual();
    const second = await manual();
    await expect(call(duty(), 'alarms.close', { id: second.id, category: 'duplicate', note: '', duplicateOf: second.id })).rejects.toMatchObject({
      code: 'bad-request', fields: [{ path: 'duplicateOf', problem: expect.stringContaining('itself') }],
    });
    await expect(call(duty(), 'alarms.close', { id: second.id, category: 'duplicate', note: '', duplicateOf: 'gone' })).rejects.toMatchObject({
      code: 'bad-request', fields: [{ path: 'duplicateOf', problem: expect.stringContaining('gone') }],
    });
    await expect(call(duty(), 'alarms.close', { id: second.id, category: 'confirmed', note: '', duplicateOf: first.id })).rejects.toMatchObject({
      code: 'bad-request', fields: [{ path: 'duplicateOf', problem: expect.stringContaining('only a duplicate') }],
    });
    expect((await t.core.alarms.get(second.id))!.state).toBe('new');
    expect(await call(duty(), 'alarms.close', { id: second.id, category: 'duplicate', note: '', duplicateOf: first.id })).toMatchObject({ state: 'closed', resolution: { category: 'duplicate' } });
    expect((await auditOf(second.id)).at(-1)).toEqual({ action: 'alarm.close', actor: 'duty', details: { category: 'duplicate', note: '', duplicateOf: first.id } });
  });
});

describe('two seats at once', () => {
  it('lets one of two resolves win; the other is told it is already resolved; one audit row', async () => {
    const a = await manual();
    await call(duty(), 'alarms.acknowledge', { id: a.id });
    const results = await Promise.allSettled([call(duty(), 'alarms.resolve', { id: a.id, note: 'A' }), call(command(), 'alarms.resolve', { id: a.id, note: 'B' })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', reason: 'already-resolved' });
    expect((await auditOf(a.id)).filter((e) => e.action === 'alarm.resolve')).toHaveLength(1);
  });

  it('lets one of two closes win, whatever the categories', async () => {
    const a = await manual();
    await advance(a.id, 'dispatched');
    const results = await Promise.allSettled([
      call(duty(), 'alarms.close', { id: a.id, category: 'false-alarm', note: '误报' }),
      call(command(), 'alarms.close', { id: a.id, category: 'confirmed', note: '' }),
    ]);
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Alarm>).value;
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.reason)).toEqual(['already-closed']);
    expect(await t.core.alarms.get(a.id)).toEqual(winner);
    expect((await auditOf(a.id)).filter((e) => e.action === 'alarm.close')).toHaveLength(1);
  });
});

describe('a source reporting again on an alarm in response (flood control in every open state)', () => {
  const report = (severity: 1 | 2 | 3 | 4, camera = 'CAM-1') =>
    t.core.alarms.report([{ source: 'video', type: 'camera-offline', severity, position: null, key: `offline:${camera}`, details: { cameraIds: [camera], group: null } }]);

  it('updates the one open alarm of its key when dispatched or resolved; a rise keeps the state and shows in the severity', async () => {
    const [a] = await report(2);
    await call(duty(), 'alarms.acknowledge', { id: a.id });
    await advance(a.id, 'dispatched');
    t.clock.advance(1000);
    const [rose] = await report(3);
    expect(rose).toMatchObject({ id: a.id, state: 'dispatched', severity: 3, updates: 2, updatedAt: a.raisedAt + 1000, acknowledgedBy: { username: 'duty' } });
    await call(duty(), 'alarms.resolve', { id: a.id, note: '' });
    const [again] = await report(4);
    expect(again).toMatchObject({ id: a.id, state: 'resolved', severity: 4, updates: 3 });
    expect((await t.core.alarms.list({ includeClosed: true })).alarms).toHaveLength(1);
    expect((await auditOf(a.id)).filter((e) => e.action === 'alarm.escalate').map((e) => e.details)).toEqual([{ from: 2, to: 3 }, { from: 3, to: 4 }]);
  });

  it('re-announces an acknowledged alarm on a rise (back to new, to be confirmed again) without restarting its acknowledge clock', async () => {
    const [a] = await report(2);
    t.clock.advance(30_000);
    await call(duty(), 'alarms.acknowledge', { id: a.id });
    t.clock.advance(60_000);
    const [rose] = await report(3);
    expect(rose).toMatchObject({ state: 'new', acknowledgedBy: null, acknowledgedAt: a.raisedAt + 30_000 });
    t.clock.advance(10_000);
    const again = await call(command(), 'alarms.acknowledge', { id: a.id });
    expect(again).toMatchObject({ state: 'acknowledged', acknowledgedBy: { username: 'command' }, acknowledgedAt: a.raisedAt + 30_000 });
  });
});

describe('the queue with 10,000 open alarms', () => {
  it('lists all of them in queue order in one call, quickly', async () => {
    const N = 10_000;
    for (let i = 0; i < N; i += 2000) {
      await t.core.alarms.raiseBatch(Array.from({ length: 2000 }, (_, j) => ({
        source: 'video' as const, type: 'camera-offline' as const, severity: (1 + ((i + j) % 4)) as 1 | 2 | 3 | 4, position: null,
        details: { cameraIds: [`CAM-${i + j}`], group: null },
      })));
      t.clock.advance(1000);
    }
    const closed = await manual(4);
    await call(duty(), 'alarms.close', { id: closed.id, category: 'confirmed', note: '' });
    const started = performance.now();
    const result = await call<{ alarms: Alarm[]; openCount: number; limit: number }>(duty(), 'alarms.list', { limit: 10_000 });
    const ms = performance.now() - started;
    expect(result.openCount).toBe(N);
    expect(result.alarms).toHaveLength(N);
    expect(result.alarms.some((a) => a.id === closed.id)).toBe(false);
    const order = result.alarms.map((a) => [a.severity, a.raisedAt]);
    expect(order).toEqual([...order].sort((x, y) => y[0] - x[0] || y[1] - x[1]));
    // Generous: the cost is the driver building 10,000 rows (about 0.2 s on an idle machine, seconds on this
    // shared one); a query per row would take minutes.
    expect(ms).toBeLessThan(5000);
    // Closed ones come after every open one when asked for.
    const withClosed = await t.core.alarms.list({ limit: N + 1, includeClosed: true });
    expect(withClosed.alarms.at(-1)?.id).toBe(closed.id);
    const small = await call<{ alarms: Alarm[] }>(duty(), 'alarms.list', { limit: 3, includeClosed: true });
    expect(small.alarms.every((a) => a.state === 'new' && a.severity === 4)).toBe(true);
    await expect(call(duty(), 'alarms.list', { limit: 10_001 })).rejects.toMatchObject({ code: 'bad-request', fields: [{ path: 'limit' }] });
  });
});
