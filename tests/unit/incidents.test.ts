// Incidents (案事件) on a real core (SQLite, manual clock): opened from alarms in one transaction with the record,
// refused with the offending alarm named, numbered per local day even when two open at once, the checklist ticked
// once (a skip says why), notes with evidence snapshots, closed by a commander and not by an operator (through
// the contract), the timeline from the record, the orders of the incident and of its alarms.
import { dirname } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { Incidents } from '../../src/main/core/incidents/incidents.ts';
import type { EventName } from '../../src/shared/contract/index.ts';
import type { Alarm } from '../../src/shared/domain.ts';
import type { DispatchOrder, Incident } from '../../src/shared/response.ts';
import { testCore } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';
import { TINY_JPEG } from '../fixtures/video-svc-cameras.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const CHINA = () => 480;
const duty = { username: 'duty', displayName: '李明' };
const command = { username: 'command', displayName: '陈刚' };

let t: Awaited<ReturnType<typeof testCore>>;
let incidents: Incidents;
/** The orders the fake dispatch knows: the units helper's Dispatch is not part of this test. */
let orders: DispatchOrder[] = [];
let events: Array<{ event: EventName; payload: unknown }> = [];
let operator: Session;
let commander: Session;

beforeAll(async () => {
  t = await testCore();
  incidents = new Incidents({
    db: t.core.db, clock: t.clock, bus: t.core.bus, site: t.core.site, audit: t.core.audit, alarms: t.core.alarms,
    dispatch: {
      list: async (f) => orders.filter((o) => (f.incidentId === undefined || o.incidentId === f.incidentId) && (f.alarmId === undefined || o.alarmId === f.alarmId)),
    },
    siteDir: dirname(SAMPLE_SITE_FILE), log: () => undefined, evidence: t.core.evidence, utcOffset: CHINA,
  });
  await incidents.load();
  t.core.incidents = incidents; // the contract's calls go to this one
  t.core.bus.subscribe((event, payload) => events.push({ event, payload }));
  operator = await signedIn(t.core, 'duty');
  commander = await signedIn(t.core, 'command');
});
afterAll(() => t?.dispose());
beforeEach(() => {
  events = [];
  orders = [];
});

let lonStep = 0;
const raise = (drill = false) =>
  t.core.alarms.raise({ source: 'manual', type: 'manual', severity: 3, position: { lon: 106.64 + (lonStep += 0.001), lat: 29.71 }, details: { note: '可疑人员' }, drill });
const failure = (p: Promise<unknown>) => p.then(() => ({ code: 'none', message: '' }) as Record<string, unknown>, (e) => e.toBody() as Record<string, unknown>);
const auditOf = (subject: string) =>
  t.core.db.all<{ action: string; actor: string; details: string }>('SELECT action, actor, details FROM audit_log WHERE subject = ? ORDER BY id', [subject]);
const incidentCount = async () => (await t.core.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM incidents'))!.n;

describe('opening an incident', () => {
  it('from two alarms: both linked in one go, the SOP steps pending, events after commit, on the record', async () => {
    const [a, b] = [await raise(), await raise()];
    events = [];
    const incident = await incidents.open({ alarmIds: [a.id, b.id], typeId: 'unattended-object', title: 'T2 出发层遗留行李箱' }, duty);

    expect(incident).toMatchObject({ typeId: 'unattended-object', title: 'T2 出发层遗留行李箱', state: 'open', openedBy: duty, alarmIds: [a.id, b.id], drill: false });
    expect(incident.number).toMatch(/^AJ-20261124-\d{3}$/);
    expect(incident.position).toEqual({ lon: a.position!.lon, lat: a.position!.lat });
    const sop = incidents.types().find((x) => x.id === 'unattended-object')!;
    expect(incident.steps.map((s) => [s.stepId, s.state])).toEqual(sop.steps.map((s) => [s.id, 'pending']));
    for (const alarm of [a, b]) expect((await t.core.alarms.get(alarm.id))!.incidentId).toBe(incident.id);

    expect(events.map((e) => e.event)).toEqual(['incident.changed', 'alarm.changed', 'alarm.changed']);
    expect(events.slice(1).map((e) => (e.payload as Alarm).incidentId)).toEqual([incident.id, incident.id]);
    expect(await auditOf(incident.id)).toEqual([
      { action: 'incident.open', actor: 'duty', details: JSON.stringify({ number: incident.number, typeId: 'unattended-object', title: 'T2 出发层遗留行李箱', alarmIds: [a.id, b.id] }) },
    ]);
    expect((await auditOf(a.id)).map((e) => e.action)).toEqual(['alarm.raise', 'alarm.incident']);
  });

  it('refuses a closed alarm, an unknown one, one in another incident (naming it) and an unknown type, writing nothing', async () => {
    const [open, closed, taken] = [await raise(), await raise(), await raise()];
    await t.core.alarms.close(closed.id, duty, { category: 'false-alarm', note: '保洁员的推车' });
    const other = await incidents.open({ alarmIds: [taken.id], typeId: 'other', title: '另一起' }, duty);
    const before = await incidentCount();
    events = [];

    const asClosed = await failure(incidents.open({ alarmIds: [open.id, closed.id], typeId: 'other', title: 'x' }, duty));
    expect(asClosed).toMatchObject({ code: 'conflict', message: `alarm ${closed.id} is closed`, fields: [{ path: 'alarmIds[1]', problem: 'closed' }] });
    const asUnknown = await failure(incidents.open({ alarmIds: [open.id, 'no-such-alarm'], typeId: 'other', title: 'x' }, duty));
    expect(asUnknown).toMatchObject({ code: 'not-found', message: 'no alarm no-such-alarm', fields: [{ path: 'alarmIds[1]' }] });
    const asTaken = await failure(incidents.open({ alarmIds: [open.id, taken.id], typeId: 'other', title: 'x' }, duty));
    expect(asTaken).toMatchObject({ code: 'conflict', message: `alarm ${taken.id} is already in incident ${other.number}`, reason: 'alarm-in-another-incident' });
    const asType = await failure(incidents.open({ alarmIds: [open.id], typeId: 'alien-landing', title: 'x' }, duty));
    expect(asType).toMatchObject({ code: 'bad-request', fields: [{ path: 'typeId', problem: 'unknown incident type' }] });
    expect(asType.message).toContain('no incident type "alien-landing"');
    const drillMix = await failure(incidents.open({ alarmIds: [open.id, (await raise(true)).id], typeId: 'other', title: 'x' }, duty));
    expect(drillMix).toMatchObject({ code: 'bad-request', reason: 'drill-mix' });

    expect(await incidentCount()).toBe(before);
    expect((await t.core.alarms.get(open.id))!.incidentId).toBeNull();
    expect(events.filter((e) => e.event === 'incident.changed')).toEqual([]);
    expect(await auditOf(open.id)).toEqual([expect.objectContaining({ action: 'alarm.raise' })]);
  });

  it('numbers per local day, unique when two open at once, from 001 again the next day', async () => {
    const [a, b] = [await raise(), await raise()];
    const [x, y] = await Promise.all([
      incidents.open({ alarmIds: [a.id], typeId: 'other', title: '甲' }, duty),
      incidents.open({ alarmIds: [b.id], typeId: 'other', title: '乙' }, command),
    ]);
    const seq = (n: string) => Number(n.slice(-3));
    expect(x.number).not.toBe(y.number);
    expect(Math.abs(seq(x.number) - seq(y.number))).toBe(1);

    // 2026-11-24 16:00 in China; 8 hours on it is the 25th there.
    t.clock.advance(8 * 3600_000);
    const next = await incidents.open({ alarmIds: [(await raise()).id], typeId: 'other', title: '丙' }, duty);
    expect(next.number).toBe('AJ-20261125-001');
  });

  it('adds alarms to an open incident, refusing one in another incident', async () => {
    const [a, b, c] = [await raise(), await raise(), await raise()];
    const incident = await incidents.open({ alarmIds: [a.id], typeId: 'other', title: '追加' }, duty);
    const other = await incidents.open({ alarmIds: [c.id], typeId: 'other', title: '另案' }, duty);
    expect(await failure(incidents.addAlarms(incident.id, [b.id, c.id], duty))).toMatchObject({ code: 'conflict', message: `alarm ${c.id} is already in incident ${other.number}` });
    const after = await incidents.addAlarms(incident.id, [a.id, b.id], duty);
    expect(after.alarmIds.sort()).toEqual([a.id, b.id].sort());
    expect((await auditOf(incident.id)).map((e) => e.action)).toEqual(['incident.open', 'incident.addAlarms']);
  });
});

describe('the checklist', () => {
  let incident: Incident;
  beforeEach(async () => {
    incident = await incidents.open({ alarmIds: [(await raise()).id], typeId: 'drone-intrusion', title: '跑道东侧无人机' }, duty);
  });

  it('ticks a step done with its time and person; a skip needs a reason, in the core too', async () => {
    t.clock.advance(40_000);
    const done = await incidents.step(incident.id, 'verify', 'done', undefined, duty);
    expect(done.steps[0]).toEqual({ stepId: 'verify', state: 'done', at: incident.openedAt + 40_000, by: duty, reason: null });

    expect(await failure(incidents.step(incident.id, 'runway-suspend', 'skip', '   ', duty))).toMatchObject({ code: 'bad-request', fields: [{ path: 'reason' }] });
    expect(await failure(dispatch(t.core, operator, 'incidents.step', { id: incident.id, stepId: 'runway-suspend', action: 'skip' }))).toMatchObject({
      code: 'bad-request', fields: [{ path: 'reason' }],
    });
    const skipped = await incidents.step(incident.id, 'runway-suspend', 'skip', '目标已离开，未影响跑道', duty);
    expect(skipped.steps.find((s) => s.stepId === 'runway-suspend')).toMatchObject({ state: 'skipped', reason: '目标已离开，未影响跑道', by: duty });
    expect((await auditOf(incident.id)).slice(1)).toEqual([
      { action: 'incident.step', actor: 'duty', details: JSON.stringify({ stepId: 'verify', action: 'done' }) },
      { action: 'incident.step', actor: 'duty', details: JSON.stringify({ stepId: 'runway-suspend', action: 'skipped', reason: '目标已离开，未影响跑道' }) },
    ]);
    expect(await failure(incidents.step(incident.id, 'make-tea', 'done', undefined, duty))).toMatchObject({ code: 'not-found', fields: [{ path: 'stepId' }] });
  });

  it('a step ticked twice at once: one wins, the other is told who ticked it', async () => {
    const outcomes = await Promise.all([
      failure(incidents.step(incident.id, 'notify-atc', 'done', undefined, duty)),
      failure(incidents.step(incident.id, 'notify-atc', 'done', undefined, command)),
    ]);
    expect(outcomes[0]).toMatchObject({ code: 'none' });
    expect(outcomes[1]).toMatchObject({ code: 'conflict', reason: 'already-done' });
    expect(outcomes[1].message).toContain('"notify-atc" was already done by 李明 (duty)');
    expect((await auditOf(incident.id)).filter((e) => e.action === 'incident.step')).toHaveLength(1);
  });

  it('keeps notes, with a snapshot only if the evidence store has it', async () => {
    const snapshotId = await t.core.evidence.save('vms/cam-1', TINY_JPEG, t.clock.now());
    const withSnapshot = await incidents.note(incident.id, '飞手疑似在停车场 P2', snapshotId, duty);
    expect(withSnapshot.notes).toEqual([{ id: expect.any(String), at: t.clock.now(), by: duty, text: '飞手疑似在停车场 P2', snapshotId }]);
    expect(await failure(incidents.note(incident.id, '另一张', 'no-such-picture', duty))).toMatchObject({
      code: 'not-found', fields: [{ path: 'snapshotId', problem: 'unknown snapshot' }],
    });
    const plain = await incidents.note(incident.id, '已通报塔台', undefined, duty);
    expect(plain.notes.map((n) => n.snapshotId)).toEqual([snapshotId, null]);
    expect((await auditOf(incident.id)).filter((e) => e.action === 'incident.note')).toHaveLength(2);
  });
});

describe('closing, through the contract', () => {
  it('an operator is refused; a commander closes with steps pending, which the record lists; then nothing more is ticked', async () => {
    const incident = await incidents.open({ alarmIds: [(await raise()).id], typeId: 'public-order', title: '值机柜台纠纷' }, duty);
    await incidents.step(incident.id, 'accept', 'done', undefined, duty);

    const refused = await failure(dispatch(t.core, operator, 'incidents.close', { id: incident.id, summary: '已调解' }));
    expect(refused).toMatchObject({ code: 'forbidden', message: 'incidents.close is not allowed for the role operator' });
    expect((await incidents.get(incident.id)).state).toBe('open');

    t.clock.advance(600_000);
    const closed = (await dispatch(t.core, commander, 'incidents.close', { id: incident.id, summary: '双方已调解，无需处罚' })) as Incident;
    expect(closed).toMatchObject({ state: 'closed', closedBy: command, closedAt: incident.openedAt + 600_000, summary: '双方已调解，无需处罚' });
    const entry = (await auditOf(incident.id)).at(-1)!;
    expect(entry.action).toBe('incident.close');
    expect(JSON.parse(entry.details).pendingSteps).toEqual(['dispatch', 'on-scene', 'investigate', 'handle', 'archive']);

    expect(await failure(dispatch(t.core, commander, 'incidents.close', { id: incident.id, summary: '再关一次' }))).toMatchObject({ code: 'conflict', reason: 'already-closed' });
    expect(await failure(incidents.step(incident.id, 'dispatch', 'done', undefined, duty))).toMatchObject({ code: 'conflict', reason: 'already-closed' });
    expect(await failure(incidents.note(incident.id, '补记', undefined, duty))).toMatchObject({ code: 'conflict' });
  });
});

describe('the view', () => {
  it('holds the alarms, the orders of the incident and of its alarms, and the timeline from the record in time order', async () => {
    const a = await raise();
    t.clock.advance(30_000);
    const b = await raise();
    const order = (id: string, alarmId: string, incidentId: string | null, sentAt: number): DispatchOrder => ({
      id, alarmId, incidentId, unitId: 'SWAT-1', callSign: '特巡1', state: 'acknowledged', guidance: '', target: null, etaS: 120,
      sentAt, sentBy: duty, acknowledgedAt: sentAt + 20_000, onSceneAt: null, doneAt: null, cancelledAt: null, note: null, drill: false,
    });
    // Sent before the incident existed (no incident id) and after it.
    orders.push(order('order-before', a.id, null, t.clock.now()));
    await t.core.audit.record('duty', 'dispatch.send', 'order-before', { unitId: 'SWAT-1' });
    t.clock.advance(10_000);
    const incident = await incidents.open({ alarmIds: [a.id, b.id], typeId: 'perimeter-breach', title: '西侧围界报警' }, duty);
    t.clock.advance(10_000);
    orders.push(order('order-after', b.id, incident.id, t.clock.now()));
    await t.core.audit.record('duty', 'dispatch.send', 'order-after', { unitId: 'TRF-1' });
    t.clock.advance(10_000);
    await incidents.step(incident.id, 'verify', 'done', undefined, duty);
    await t.core.audit.record('duty', 'unrelated.thing', 'someone-else', {});

    const view = await incidents.view(incident.id);
    expect(view.alarms.map((x) => x.id)).toEqual([a.id, b.id]);
    expect(view.orders.map((o) => o.id)).toEqual(['order-before', 'order-after']);
    expect(view.timeline.map((e) => [e.action, e.subject])).toEqual([
      ['alarm.raise', a.id],
      ['alarm.raise', b.id],
      ['dispatch.send', 'order-before'],
      ['incident.open', incident.id],
      ['alarm.incident', a.id],
      ['alarm.incident', b.id],
      ['dispatch.send', 'order-after'],
      ['incident.step', incident.id],
    ]);
    const times = view.timeline.map((e) => e.at);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(view.timeline.find((e) => e.action === 'incident.step')).toMatchObject({ actor: 'duty', details: { stepId: 'verify', action: 'done' } });
  });

  it('fails loudly when the orders cannot be read, rather than showing an incident without them', async () => {
    const incident = await incidents.open({ alarmIds: [(await raise()).id], typeId: 'other', title: '派警读取失败' }, duty);
    const broken = new Incidents({
      db: t.core.db, clock: t.clock, bus: t.core.bus, site: t.core.site, audit: t.core.audit, alarms: t.core.alarms,
      dispatch: { list: async () => { throw new Error('orders unavailable'); } }, siteDir: dirname(SAMPLE_SITE_FILE), log: () => undefined,
    });
    await expect(broken.view(incident.id)).rejects.toThrow('orders unavailable');
  });
});

describe('an incident with many notes', () => {
  it('holds at most 500 notes; each event carries the newest 50 and the total, incidents.get and the report all of them', async () => {
    const incident = await incidents.open({ alarmIds: [(await raise()).id], typeId: 'unattended-object', title: '遗留行李' }, duty);
    let lastEvent: Incident | null = null;
    let largestEvent = 0;
    const stop = t.core.bus.subscribe((e, p) => {
      if (e !== 'incident.changed') return;
      lastEvent = p as Incident;
      largestEvent = Math.max(largestEvent, Buffer.byteLength(JSON.stringify(p)));
    });
    const body = '警'.repeat(2000);
    try {
      for (let i = 0; i < 500; i++) await incidents.note(incident.id, `${i} ${body}`.slice(0, 2000), undefined, duty);
    } finally {
      stop();
    }
    expect(lastEvent!.notes).toHaveLength(50);
    expect(lastEvent!.notesTotal).toBe(500);
    expect(lastEvent!.notes.at(-1)!.text.startsWith('499 ')).toBe(true);
    // 50 notes of 2,000 CJK characters: far below a console's 16 MiB send room, however many notes there are.
    expect(largestEvent).toBeLessThan(2 ** 20);
    expect(await failure(incidents.note(incident.id, 'one more', undefined, duty))).toMatchObject({ code: 'conflict', reason: 'too-many-notes' });
    const view = (await dispatch(t.core, operator, 'incidents.get', { id: incident.id })) as { incident: Incident };
    expect(view.incident.notes).toHaveLength(500);
    expect(view.incident.notesTotal).toBeUndefined();
    const listed = (await incidents.list(true)).find((x) => x.id === incident.id)!;
    expect(listed.notes.map((n) => n.text.split(' ')[0])).toEqual(Array.from({ length: 50 }, (_, i) => String(450 + i)));
    expect(listed.notesTotal).toBe(500);
    const pdf = await incidents.reportPdf(incident.id, 'zh', duty);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  }, 300_000);

  it('embeds at most 60 snapshots in the report', async () => {
    const incident = await incidents.open({ alarmIds: [(await raise()).id], typeId: 'unattended-object', title: '遗留行李' }, duty);
    for (let i = 0; i < 61; i++) {
      const snapshotId = await t.core.evidence.save('vms/cam-1', TINY_JPEG, t.clock.now() + i);
      await incidents.note(incident.id, `画面 ${i}`, snapshotId, duty);
    }
    const pdf = await incidents.reportPdf(incident.id, 'zh', duty);
    expect(pdf.toString('latin1').match(/\/Subtype \/Image/g)).toHaveLength(60);
  }, 120_000);

  it('exports notes of hostile text (control characters, emoji, bidi overrides, unbroken text) as a PDF', async () => {
    const incident = await incidents.open({ alarmIds: [(await raise()).id], typeId: 'unattended-object', title: '\u202Eevil\u0000\u0007标题🚨'.repeat(5) }, duty);
    const hostile = ['\u0000\u0001\u0008\u001b[31m\u007f', '🚨👮‍♂️🏳️‍🌈'.repeat(100), 'A'.repeat(2000), '\u202E右到左\u202C', 'x\r\ny\tz\f', '\uFEFF\u200B'.repeat(900)];
    for (const h of hostile) await incidents.note(incident.id, h, undefined, duty);
    const pdf = await incidents.reportPdf(incident.id, 'zh', duty);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);
});
