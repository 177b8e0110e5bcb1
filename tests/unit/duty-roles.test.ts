// The roster through the contract, as both transports call it: an operator is refused by the core (not only by a
// hidden button), a commander's roster is stored and on the record under the commander's name.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../src/main/core/api.ts';
import type { Unit } from '../../src/shared/response.ts';
import { testCore } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let t: Awaited<ReturnType<typeof testCore>>;
beforeEach(async () => {
  t = await testCore();
  // The units as the units file has them (the units service owns the list; only the ids matter here).
  vi.spyOn(t.core.units.units, 'list').mockReturnValue(['T2-P1', 'WJ-1'].map((id) => ({ id }) as Unit));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t.dispose();
});

const failure = (p: Promise<unknown>) => p.then(() => null, (e) => e.toBody() as Record<string, unknown>);
const auditRows = () => t.core.db.all<{ actor: string; subject: string }>("SELECT actor, subject FROM audit_log WHERE action = 'duty.set-roster'");

describe('duty.setRoster through the contract', () => {
  it("refuses an operator's roster in the core and records nothing; takes the commander's", async () => {
    const status = (await dispatch(t.core, await signedIn(t.core, 'duty'), 'duty.status', {})) as { shift: { id: string; date: string } };
    const roster = { date: status.shift.date, shiftId: status.shift.id, assignments: [{ unitId: 'WJ-1', pointIds: ['TWR'], lineIds: [] }] };

    const operator = await signedIn(t.core, 'duty');
    expect(await failure(dispatch(t.core, operator, 'duty.setRoster', roster))).toMatchObject({ code: 'forbidden' });
    expect(await auditRows()).toEqual([]);

    const commander = await signedIn(t.core, 'command');
    expect(await dispatch(t.core, commander, 'duty.setRoster', roster)).toMatchObject({ assignments: roster.assignments, updatedBy: { username: 'command' } });
    expect(await auditRows()).toEqual([{ actor: 'command', subject: `${roster.date}/${roster.shiftId}` }]);
    // Everyone may read it.
    expect(await dispatch(t.core, operator, 'duty.roster', { date: roster.date, shiftId: roster.shiftId })).toMatchObject({ assignments: roster.assignments });
    const after = (await dispatch(t.core, operator, 'duty.status', {})) as { points: Array<{ pointId: string; unitIds: string[] }> };
    expect(after.points.find((p) => p.pointId === 'TWR')!.unitIds).toEqual(['WJ-1']);
  });

  it('answers a bad roster with the fields that are wrong', async () => {
    const commander = await signedIn(t.core, 'command');
    const body = await failure(dispatch(t.core, commander, 'duty.setRoster', { date: '2026-11-24', shiftId: 'day', assignments: [{ unitId: 'NOBODY', pointIds: [], lineIds: [] }] }));
    expect(body).toMatchObject({ code: 'bad-request', fields: [{ path: 'assignments[0].unitId', problem: 'there is no unit NOBODY' }] });
    expect(await failure(dispatch(t.core, commander, 'duty.setRoster', { date: '24/11/2026', shiftId: 'day', assignments: [] }))).toMatchObject({ code: 'bad-request' });
  });
});
