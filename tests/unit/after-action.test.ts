// The after-action report (复盘报告) from a finished drone drill run at 10× with a pause: each expectation measured
// from its inject against its target (met, late, missed), the summary, the drill alarm's 1-3-5 stage times in drill
// seconds through the pause, the live alarm left out; an abort before a target passes leaves it untested.
import { describe, expect, it } from 'vitest';
import { buildAfterActionReport, wallToDrillMs } from '../../src/main/core/drills/after-action.ts';
import type { DrillLogEntry } from '../../src/main/core/drills/drill-engine-types.ts';
import { alarms, drill, log, plan, toDrillMs, toWall } from '../fixtures/drills/drone-drill.ts';

const build = (over: Partial<Parameters<typeof buildAfterActionReport>[0]> = {}) =>
  buildAfterActionReport({ plan, drill, log, alarms, toDrillMs, ...over });

describe('after-action report of a drone drill', () => {
  const report = build();
  const measure = (stepId: string) => report.measures.find((m) => m.stepId === stepId)!;

  it('times each expectation from its inject against its target', () => {
    expect(measure('ack')).toMatchObject({ action: 'acknowledged', unit: 'CMD', actualS: 45, targetS: 60, verdict: 'met', referenceS: 0 });
    expect(measure('dispatch')).toMatchObject({ action: 'dispatched', unit: 'SWAT-1', actualS: 200, targetS: 180, verdict: 'late' });
    expect(measure('on-scene')).toMatchObject({ action: 'on-scene', targetS: 300, verdict: 'missed' });
    expect(measure('on-scene').actualS).toBeUndefined();
    // A step that expects of itself is timed from its own atS (T+0:30), not from when its `when` fired (T+0:45).
    expect(measure('notify-atc')).toMatchObject({ action: 'confirmed', referenceS: 30, actualS: 60, verdict: 'met' });
    expect(report.measures.map((m) => m.stepId)).toEqual(['ack', 'notify-atc', 'dispatch', 'on-scene']);
  });

  it('counts the verdicts, lists the missed steps and gives the drill time', () => {
    expect(report.summary).toEqual({ met: 2, late: 1, missed: 1, durationS: 420 });
    expect(report.missed).toEqual(['on-scene']);
  });

  it('sets plan against actual for every step', () => {
    const row = (id: string) => report.timeline.find((t) => t.stepId === id)!;
    expect(report.timeline.map((t) => t.stepId)).toEqual(plan.steps.map((s) => s.id));
    expect(row('inject-drone')).toMatchObject({ plannedS: 0, firedS: 0, status: 'fired' });
    expect(row('notify-atc')).toMatchObject({ plannedS: 30, firedS: 45, doneS: 90, status: 'done' });
    expect(row('dispatch')).toMatchObject({ doneS: 200, status: 'late' });
    expect(row('press-dispatch')).toMatchObject({ plannedS: 180, firedS: 180, status: 'fired' });
    expect(row('on-scene')).toMatchObject({ status: 'missed' });
    expect(row('on-scene').doneS).toBeUndefined();
  });

  it('gives the drill alarm its 1-3-5 stage times in drill seconds after its raise, through the pause', () => {
    expect(report.alarms).toHaveLength(1); // the live alarm raised during the drill is not the drill's
    const [a] = report.alarms;
    expect(a).toMatchObject({ id: 'alarm-drone-1', title: 'DRN-0042', type: 'drone-threat', severity: 4, raisedS: 12, stepId: 'inject-drone', closed: 'drill' });
    expect(a.acknowledgedS).toBeCloseTo(33, 6);
    // Raised at drill 12 s, dispatched at drill 200 s: 188 drill seconds, though 61.2 s of wall time passed with a 60 s pause.
    expect(a.dispatchedS).toBeCloseTo(188, 6);
    expect(a.onSceneS).toBeUndefined();
    expect(a.targets).toEqual({ acknowledgeS: 60, dispatchS: 180, onSceneS: 300 });
  });

  it('keeps the observations and the controls in drill time', () => {
    expect(report.observations).toEqual(drill.observations);
    expect(report.controls?.map((c) => [c.atS, c.kind])).toEqual([[0, 'start'], [100, 'pause'], [100, 'resume'], [420, 'end']]);
  });

  it('is the same report from the same input, whatever order the stored log is read in', () => {
    const shuffled = [...log].reverse();
    expect(JSON.stringify(build({ log: shuffled }))).toBe(JSON.stringify(report));
    expect(JSON.stringify(build())).toBe(JSON.stringify(report));
  });

  it('times the actions on the alarm from its raise once it came (logged alarm), as the engine does; names the units sent', () => {
    const withAlarm: DrillLogEntry[] = [...log, { seq: Math.max(...log.map((e) => e.seq)) + 1, drillMs: 12_000, kind: 'alarm', stepId: 'inject-drone' }];
    const r = build({ log: withAlarm, dispatchedUnits: { 'alarm-drone-1': ['特巡 1 组', '特巡 2 组', '特巡 1 组'] } });
    const m = (stepId: string) => r.measures.find((x) => x.stepId === stepId)!;
    expect(m('ack')).toMatchObject({ referenceS: 12, actualS: 33, verdict: 'met' });
    expect(m('dispatch')).toMatchObject({ referenceS: 12, actualS: 188, detail: '特巡 1 组、特巡 2 组' });
    // Not an action on the alarm: still from its own time.
    expect(m('notify-atc')).toMatchObject({ referenceS: 30, actualS: 60 });
    expect(m('ack').detail).toBeUndefined();
    expect(measure('dispatch').detail).toBeUndefined();
  });

  it('leaves out an alarm stage reached after the drill ended', () => {
    const late = { ...alarms[0], onSceneAt: toWall(420_000) + 5_000 };
    expect(build({ alarms: [late] }).alarms[0].onSceneS).toBeUndefined();
  });
});

describe('after-action report of an aborted drill', () => {
  // Aborted at T+4:00: the on-scene target (T+5:00) had not passed, so it is untested rather than missed.
  const cut = log.filter((e) => e.drillMs < 240_000);
  const aborted: DrillLogEntry[] = [...cut, { seq: 100, drillMs: 240_000, kind: 'abort', detail: '真实警情，演练中止' }];
  const report = buildAfterActionReport({
    plan, log: aborted, alarms, toDrillMs,
    drill: { ...drill, status: 'aborted', abortReason: '真实警情，演练中止', drillMs: 240_000, steps: drill.steps.map((s) => (s.stepId === 'on-scene' ? { ...s, status: 'fired' } : s)) },
  });

  it('does not count an expectation whose target had not passed as missed', () => {
    expect(report.measures.find((m) => m.stepId === 'on-scene')).toMatchObject({ verdict: 'missed', cutShort: true });
    expect(report.missed).toEqual([]);
    expect(report.summary).toEqual({ met: 2, late: 1, missed: 0, durationS: 240 });
    expect(report.controls?.at(-1)).toEqual({ atS: 240, kind: 'abort', detail: '真实警情，演练中止' });
  });

  it('counts one whose target passed before the abort as missed', () => {
    const early = log.filter((e) => e.drillMs < 170_000);
    const r = buildAfterActionReport({
      plan, log: [...early, { seq: 100, drillMs: 190_000, kind: 'abort', detail: 'x' }], alarms, toDrillMs,
      drill: { ...drill, status: 'aborted', drillMs: 190_000 },
    });
    expect(r.measures.find((m) => m.stepId === 'dispatch')).toMatchObject({ verdict: 'missed' });
    expect(r.measures.find((m) => m.stepId === 'dispatch')?.cutShort).toBeUndefined();
    expect(r.missed).toEqual(['dispatch']);
  });
});

describe('wall time to drill time', () => {
  // The fixture's drill: T+0 at 10×, paused at drill 100 s for 60 s of wall time, then 10× again, ended at drill 420 s.
  const t0 = drill.startedAt;
  const map = wallToDrillMs(
    [{ wallAt: t0, drillMs: 0, rate: 10 }, { wallAt: t0 + 10_000, drillMs: 100_000, rate: 0 }, { wallAt: t0 + 70_000, drillMs: 100_000, rate: 10 }],
    drill.endedAt,
  );

  it('runs at the speed, stands still while paused, and knows nothing outside the drill', () => {
    for (const at of [t0, t0 + 1_200, t0 + 4_500, t0 + 10_000, t0 + 40_000, t0 + 70_000, t0 + 80_000, drill.endedAt!]) expect(map(at)).toBe(toDrillMs(at));
    expect(map(t0 - 1)).toBeNull();
    expect(map(drill.endedAt! + 1)).toBeNull();
  });

  it('follows a skip: drill time jumps at the wall time of the skip', () => {
    const skip = wallToDrillMs([{ wallAt: 0, drillMs: 0, rate: 1 }, { wallAt: 5_000, drillMs: 60_000, rate: 1 }], undefined);
    expect(skip(4_999)).toBe(4_999);
    expect(skip(5_000)).toBe(60_000);
    expect(skip(6_000)).toBe(61_000);
  });
});
