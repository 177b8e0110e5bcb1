// The shift handover (交接班) as two operators at one seat rely on it, through the contract: the summary counts
// what is open (by severity, overdue, the most urgent first, incidents with pending steps, orders, units); the
// outgoing operator submits it with a note (one at a time); the incoming operator signs off with their own
// password, through the sign-in throttle, and only a real, enabled colleague who works alarms can; every step is
// on the record under the right name; the record still verifies.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alarm } from '../../src/shared/domain.ts';
import type { AuditRecord, Handover, HandoverSummary } from '../../src/shared/response.ts';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { Handovers } from '../../src/main/core/record/handovers.ts';
import { AuditReader } from '../../src/main/core/record/audit-reader.ts';
import { testCore, TEST_PASSWORD } from '../fixtures/core.ts';
import { CHANGED_PASSWORD, signedIn } from '../fixtures/sessions.ts';

type T = Awaited<ReturnType<typeof testCore>>;
let t: T;
let duty: Session;
let events: Handover[];
let facts: () => Promise<Pick<HandoverSummary, 'incidents' | 'openOrders' | 'unitsOnDuty'>>;

const FACTS = {
  incidents: [{ id: 'inc-1', number: 'AJ-20250101-001', title: '航站楼可疑包裹', typeId: 'suspicious-item', pendingSteps: 3 }],
  openOrders: 2,
  unitsOnDuty: 11,
};

const call = <R>(s: Session, name: string, input: unknown = {}) => dispatch(t.core, s, name, input) as Promise<R>;
const raise = async (severity: number) => {
  t.clock.advance(1000);
  return call<Alarm>(duty, 'alarms.raiseManual', { position: { lon: 106.65, lat: 29.71 }, severity, note: `s${severity}` });
};
const lastEntry = async (action: string) => (await new AuditReader(t.core.db).list({ limit: 1, action }))[0] as AuditRecord | undefined;

beforeEach(async () => {
  t = await testCore();
  facts = async () => FACTS;
  // The other features' facts are not part of this test: a fake in their place.
  (t.core as { handovers: Handovers }).handovers = new Handovers({
    db: t.core.db, clock: t.clock, bus: t.core.bus, alarms: t.core.alarms, accounts: t.core.accounts, signIns: t.core.signIns, facts: () => facts(),
  });
  events = [];
  t.core.bus.subscribe((event, payload) => event === 'handover.changed' && events.push(payload as Handover));
  duty = await signedIn(t.core, 'duty');
}, 60_000);
afterEach(() => t.dispose());

describe('the summary', () => {
  it('counts the open alarms by severity and overdue, names the most urgent first, and carries incidents, orders and units', async () => {
    const low = await raise(1);
    const oldHigh = await raise(4);
    const mid = await raise(3);
    const newHigh = await raise(4);
    const overdueMid = await raise(3);
    const closed = await raise(4);
    await call(duty, 'alarms.close', { id: closed.id, category: 'false-alarm', note: '误报' });
    await t.core.db.run(`UPDATE alarms SET overdue = '[{"stage":"acknowledge","at":1}]' WHERE id = ?`, [overdueMid.id]);
    const s = await call<HandoverSummary>(duty, 'handover.draft');
    expect(s).toMatchObject({ openAlarms: 5, bySeverity: { 1: 1, 2: 0, 3: 2, 4: 2 }, overdue: 1, ...FACTS });
    // Severity, then an overdue stage, then the longest waiting.
    expect(s.alarms.map((a) => a.id)).toEqual([oldHigh.id, newHigh.id, overdueMid.id, mid.id, low.id]);
    expect(s.alarms[0]).toMatchObject({ severity: 4, state: 'new', type: 'manual', raisedAt: oldHigh.raisedAt });
  });

  it('names at most 50 alarms while counting all', async () => {
    for (let i = 0; i < 55; i++) await raise(2);
    const s = await call<HandoverSummary>(duty, 'handover.draft');
    expect([s.openAlarms, s.alarms.length]).toEqual([55, 50]);
  }, 60_000);

  it('is refused, not faked, when the incidents or orders cannot be read', async () => {
    facts = async () => {
      throw new Error('not built yet');
    };
    await expect(call(duty, 'handover.draft')).rejects.toMatchObject({ code: 'unavailable', reason: 'handover-facts-unavailable' });
    await expect(call(duty, 'handover.submit', { note: 'x' })).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('submit, accept, cancel', () => {
  it('is submitted with a note (one at a time per operator) and accepted by the incoming operator with their own password', async () => {
    await raise(4);
    const h = await call<Handover>(duty, 'handover.submit', { note: '  T2 到达层可疑包裹已移交派出所，注意 3 号门  ' });
    expect(h).toMatchObject({ state: 'pending', from: { username: 'duty', displayName: '李明' }, note: 'T2 到达层可疑包裹已移交派出所，注意 3 号门', to: null });
    expect(h.summary.openAlarms).toBe(1);
    expect(await lastEntry('handover.submit')).toMatchObject({ actor: 'duty', subject: h.id, details: { openAlarms: 1, incidents: 1, note: h.note } });
    await expect(call(duty, 'handover.submit', { note: 'again' })).rejects.toMatchObject({ code: 'conflict', reason: 'handover-pending' });

    t.clock.advance(60_000);
    const accepted = await call<Handover>(duty, 'handover.accept', { id: h.id, username: 'command', password: TEST_PASSWORD });
    expect(accepted).toMatchObject({ id: h.id, state: 'accepted', to: { username: 'command', displayName: '陈刚' }, acceptedAt: t.clock.now() });
    expect(await lastEntry('handover.accept')).toMatchObject({ actor: 'command', subject: h.id, details: { from: 'duty' } });
    expect(events.map((e) => e.state)).toEqual(['pending', 'accepted']);
    expect((await call<Handover[]>(duty, 'handover.list', {}))[0]).toEqual(accepted);
    await expect(call(duty, 'handover.accept', { id: h.id, username: 'command', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'conflict', reason: 'handover-not-pending' });
    // The next shift may hand over again.
    expect((await call<Handover>(duty, 'handover.submit', { note: '' })).state).toBe('pending');
    expect((await new AuditReader(t.core.db).verify(t.dataDir)).ok).toBe(true);
  });

  it('refuses the outgoing operator themself, a wrong password, a disabled account, a role that does not work alarms, another seat', async () => {
    const admin = await signedIn(t.core, 'admin');
    await call(admin, 'users.create', { username: 'zhao', displayName: '赵强', role: 'operator', password: 'a-long-password' });
    await call(admin, 'users.disable', { username: 'zhao' });
    const h = await call<Handover>(duty, 'handover.submit', { note: '' });
    const accept = (s: Session, username: string, password: string) => call(s, 'handover.accept', { id: h.id, username, password });

    await expect(accept(duty, 'DUTY', CHANGED_PASSWORD)).rejects.toMatchObject({ code: 'bad-request', reason: 'handover-same-user' });
    await expect(accept(duty, 'command', 'wrong-password')).rejects.toMatchObject({ code: 'unauthenticated', reason: 'wrong-credentials' });
    expect(await lastEntry('handover.accept-refused')).toMatchObject({ actor: 'duty', subject: h.id, details: { incoming: 'command', why: 'wrong-credentials' } });
    await expect(accept(duty, 'zhao', 'a-long-password')).rejects.toMatchObject({ code: 'forbidden', reason: 'account-disabled' });
    // A right password of a role that does not work alarms is answered like a wrong one; the record says why.
    await expect(accept(duty, 'drill', TEST_PASSWORD)).rejects.toMatchObject({ code: 'unauthenticated', reason: 'wrong-credentials', message: 'wrong username or password' });
    expect(await lastEntry('handover.accept-refused')).toMatchObject({ details: { incoming: 'drill', why: 'role' } });
    await expect(accept(admin, 'command', TEST_PASSWORD)).rejects.toMatchObject({ code: 'forbidden', reason: 'handover-other-seat' });
    expect((await call<Handover[]>(duty, 'handover.list', {}))[0].state).toBe('pending');
  });

  it('checks the password through the sign-in throttle: guessing at the seat is slowed like a sign-in', async () => {
    const h = await call<Handover>(duty, 'handover.submit', { note: '' });
    const guess = () => call(duty, 'handover.accept', { id: h.id, username: 'command', password: 'guess-guess' });
    for (let i = 0; i < 3; i++) await expect(guess()).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(guess()).rejects.toMatchObject({ code: 'rate-limited', reason: 'too-many-failures' });
    // Even the right password waits its turn on this connection.
    await expect(call(duty, 'handover.accept', { id: h.id, username: 'command', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'rate-limited' });
    t.clock.advance(60_000);
    expect((await call<Handover>(duty, 'handover.accept', { id: h.id, username: 'command', password: TEST_PASSWORD })).state).toBe('accepted');
  });

  it('is cancelled by the operator who submitted it (or a commander), not by another operator', async () => {
    const admin = await signedIn(t.core, 'admin');
    await call(admin, 'users.create', { username: 'zhao', displayName: '赵强', role: 'operator', password: TEST_PASSWORD });
    const zhao = await signedIn(t.core, 'zhao');
    const h = await call<Handover>(duty, 'handover.submit', { note: '' });
    await expect(call(zhao, 'handover.cancel', { id: h.id })).rejects.toMatchObject({ code: 'forbidden', reason: 'handover-not-yours' });
    const cancelled = await call<Handover>(duty, 'handover.cancel', { id: h.id });
    expect(cancelled.state).toBe('cancelled');
    expect(await lastEntry('handover.cancel')).toMatchObject({ actor: 'duty', subject: h.id });
    await expect(call(duty, 'handover.cancel', { id: h.id })).rejects.toMatchObject({ code: 'conflict' });
    await expect(call(duty, 'handover.cancel', { id: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
    const second = await call<Handover>(duty, 'handover.submit', { note: '' });
    expect((await call<Handover>(admin, 'handover.cancel', { id: second.id })).state).toBe('cancelled');
  });

  it('is not open to a coordinator through the contract', async () => {
    const drill = await signedIn(t.core, 'drill');
    await expect(call(drill, 'handover.draft')).rejects.toMatchObject({ code: 'forbidden' });
  });
});

