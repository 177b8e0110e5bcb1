// ATTACK: one unit terminal (a phone on the police network) floods terminal.report: every report with a fresh
// reportId adds a terminal_reports row and an audit_log entry, for ever, and takes the one writer queue: there
// is no rate limit and no pruning. Also: positions anywhere on earth are accepted from a terminal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import type { Alarm } from '../../src/shared/domain.ts';
import { testCore } from '../fixtures/core.ts';

let t: Awaited<ReturnType<typeof testCore>>;
beforeEach(async () => { t = await testCore(); });
afterEach(() => t.dispose());
const unitS: Session = { user: { username: 'unit-swat1', displayName: 'SWAT-1', role: 'unit', unitId: 'SWAT-1' }, origin: 'terminal:10.0.0.9' };
const duty: Session = { user: { username: 'duty', displayName: '李明', role: 'operator' }, origin: 'test' };
const count = async (table: string) => (await t.core.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;

describe('attack: terminal report flood', () => {
  it('grows terminal_reports and audit_log without bound and delays the console', async () => {
    const before = { reports: await count('terminal_reports'), audit: await count('audit_log') };
    const N = 3000;
    let i = 0;
    const t0 = Date.now();
    let ackMs = -1;
    const worker = async () => {
      while (i < N) {
        const k = i++;
        await dispatch(t.core, unitS, 'terminal.report', { reportId: `flood-${k.toString().padStart(6, '0')}`, kind: 'position', position: { lon: 106.63 + (k % 100) * 1e-5, lat: 29.70 }, at: 0 });
        if (k === N / 2) {
          const a = (await dispatch(t.core, duty, 'alarms.raiseManual', { position: { lon: 106.65, lat: 29.71 }, severity: 4, note: 'real alarm' })) as Alarm;
          const s = Date.now();
          await dispatch(t.core, duty, 'alarms.acknowledge', { id: a.id });
          ackMs = Date.now() - s;
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    const ms = Date.now() - t0;
    const after = { reports: await count('terminal_reports'), audit: await count('audit_log') };
    console.log(`${N} position reports in ${ms} ms; terminal_reports +${after.reports - before.reports}, audit_log +${after.audit - before.audit}; operator acknowledge during flood: ${ackMs} ms`);
    // A far-away position (the other side of the earth) from a terminal is taken as the unit's position:
    const r = await dispatch(t.core, unitS, 'terminal.report', { reportId: 'far-away-1', kind: 'position', position: { lon: -73.9, lat: 40.7 }, at: 0 }) as any;
    console.log('far-away position applied:', r.applied, JSON.stringify(r.state.unit.position));
    expect(after.reports - before.reports).toBeLessThan(N); // fails today: one row per report, kept for ever
  }, 120_000);
});
