// The drill engine on a fake clock: the coordinator's controls (pause, speed, skip, abort), the plan's timeline
// and conditions, and the evaluation the after-action report is built on — each as an operator relies on it.
import { describe, expect, it } from 'vitest';
import { ManualClock, type Clock } from '../../src/main/core/clock.ts';
import { DrillEngine } from '../../src/main/core/drills/drill-engine.ts';
import type { DrillLogEntry, InjectPort } from '../../src/main/core/drills/drill-engine-types.ts';
import type { Plan, PlanInject, PlanStep } from '../../src/shared/drills.ts';

const T0 = Date.UTC(2026, 11, 15, 9, 0, 0);
const POS = { lon: 106.6405, lat: 29.7046 };
const t = (zh: string) => ({ zh, en: zh });

function plan(steps: PlanStep[]): Plan {
  return {
    format: 1, id: 'drone-intrusion-approach', version: 3, title: t('无人机闯入'), type: 'drill', kind: 'full-scale',
    eventType: 'drone-intrusion', place: t('02L'), position: POS, date: '2026-12-15',
    units: [{ id: 'director', name: t('导调组'), site: false }, { id: 'duty-room', name: t('值班室'), site: false }],
    procedures: t(''), siteSetup: t(''), simulatedConditions: t(''), assembly: { points: [], routes: [] },
    announce: { end: t('演练结束'), abort: t('演练中止') }, seed: 7, steps,
  };
}

const step = (id: string, atS: number, more: Partial<PlanStep> = {}): PlanStep => ({ id, atS, unit: 'director', action: t(id), ...more });
const drone = (scenario: string): PlanInject => ({ kind: 'drone-scenario', scenario });
const alarm = (note: string): PlanInject => ({ kind: 'alarm', severity: 3, note: t(note), position: POS });

/** The drone-intrusion plan of docs/plans.md: an inject, its 1-3-5 expectations, a reminder and a conditional call. */
const DRONE_PLAN = plan([
  step('inject-drone', 30, { inject: drone('approach-loiter') }),
  step('ack', 30, { unit: 'duty-room', expect: { action: 'acknowledged', of: 'inject-drone', targetS: 60 } }),
  step('dispatch', 30, { unit: 'duty-room', expect: { action: 'dispatched', of: 'inject-drone', targetS: 180 } }),
  step('atc-call', 30, { unit: 'duty-room', when: { action: 'acknowledged', of: 'inject-drone' }, expect: { action: 'atc-notified', of: 'inject-drone', targetS: 120 } }),
  step('remind', 210, { ifNot: { action: 'dispatched', of: 'inject-drone' }, inject: alarm('导调提示：请立即派警') }),
  step('second-drone', 300, { inject: drone('centreline-crossing') }),
]);

interface Fired {
  stepId: string;
  wallMs: number;
  drillMs: number;
  inject: PlanInject;
  seed: number;
}

/** An InjectPort that records what it is handed and when (wall ms after T0), and what the engine asked of it. */
function recordingPort(clock: ManualClock, failing: string[] = []) {
  const fired: Fired[] = [];
  const speeds: number[] = [];
  const stops: boolean[] = [];
  const port: InjectPort = {
    async fire(inject, ctx) {
      fired.push({ stepId: ctx.step.id, wallMs: clock.now() - T0, drillMs: ctx.drillMs, inject, seed: ctx.seed });
      if (failing.includes(ctx.step.id)) throw new Error(`camera ${ctx.step.id} not in the drill range`);
    },
    async setSpeed(speed) {
      speeds.push(speed);
    },
    async stop(aborted) {
      stops.push(aborted);
    },
  };
  return { port, fired, speeds, stops };
}

function setUp(p: Plan, speed = 1, failing: string[] = []) {
  const clock = new ManualClock(T0);
  const rec = recordingPort(clock, failing);
  const logged: DrillLogEntry[] = [];
  let changes = 0;
  const engine = new DrillEngine({
    drillId: 'd1', plan: p, clock, seed: 7, speed, inject: rec.port, onLog: (e) => logged.push(e), onChange: () => changes++,
  });
  return { clock, engine, ...rec, logged, changes: () => changes };
}

const flush = () => new Promise((r) => setImmediate(r));
const kinds = (log: readonly DrillLogEntry[]) => log.map((e) => `${e.drillMs} ${e.kind}${e.stepId ? ` ${e.stepId}` : ''}`);
const statusOf = (engine: DrillEngine) => Object.fromEntries(engine.steps().map((s) => [s.stepId, s.status]));

describe('DrillEngine timeline', () => {
  it('fires injects in time order, steps due together in file order, each at its drill time', () => {
    const p = plan([
      step('b', 20, { inject: drone('swarm') }),
      step('a1', 10, { inject: drone('approach-loiter') }),
      step('a2', 10, { inject: alarm('电话报警') }),
      step('c', 40, { inject: drone('centreline-crossing') }),
    ]);
    const { clock, engine, fired, logged } = setUp(p);
    engine.start();
    clock.advance(9_999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired.map((f) => [f.stepId, f.wallMs, f.drillMs, f.seed])).toEqual([['a1', 10_000, 10_000, 7], ['a2', 10_000, 10_000, 7]]);
    clock.advance(30_000);
    expect(fired.map((f) => f.stepId)).toEqual(['a1', 'a2', 'b', 'c']);
    expect(fired.map((f) => f.drillMs)).toEqual([10_000, 10_000, 20_000, 40_000]);
    expect(fired[2].inject).toEqual({ kind: 'drone-scenario', scenario: 'swarm' });
    expect(kinds(logged)).toEqual(['0 start', '10000 fire a1', '10000 fire a2', '20000 fire b', '40000 fire c']);
    expect(engine.log()).toEqual(logged);
    expect(logged.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(engine.steps().map((s) => [s.stepId, s.status, s.firedAtMs])).toEqual([
      ['b', 'fired', 20_000], ['a1', 'fired', 10_000], ['a2', 'fired', 10_000], ['c', 'fired', 40_000],
    ]);
    expect(clock.timersPending).toBe(0);
  });

  it('fires nothing while paused and resumes with the remaining drill time', () => {
    const { clock, engine, fired, speeds, logged } = setUp(plan([step('a', 30, { inject: drone('swarm') }), step('b', 60, { inject: drone('swarm') })]));
    engine.start();
    clock.advance(20_000);
    engine.pause();
    expect(engine.status).toBe('paused');
    expect(clock.timersPending).toBe(0);
    clock.advance(600_000);
    expect(fired).toEqual([]);
    expect(engine.drillMs()).toBe(20_000);
    engine.resume();
    expect(engine.status).toBe('running');
    clock.advance(9_999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired.map((f) => [f.stepId, f.wallMs, f.drillMs])).toEqual([['a', 630_000, 30_000]]);
    expect(speeds).toEqual([0, 1]);
    expect(kinds(logged)).toEqual(['0 start', '20000 pause', '20000 resume', '30000 fire a']);
    engine.pause();
    engine.pause(); // a second click changes nothing
    expect(kinds(logged).filter((k) => k.endsWith('pause'))).toHaveLength(2);
  });

  it('runs at 10× and at 0.5×: a step at T+01:00 fires 6 s and 120 s of wall time after the start', () => {
    const p = plan([step('a', 60, { inject: drone('swarm') }), step('b', 120, { inject: drone('swarm') })]);
    const fast = setUp(p, 10);
    fast.engine.start();
    fast.clock.advance(5_999);
    expect(fast.fired).toEqual([]);
    fast.clock.advance(1);
    expect(fast.fired.map((f) => [f.wallMs, f.drillMs])).toEqual([[6_000, 60_000]]);

    const slow = setUp(p, 0.5);
    slow.engine.start();
    slow.clock.advance(119_999);
    expect(slow.fired).toEqual([]);
    slow.clock.advance(1);
    expect(slow.fired.map((f) => [f.wallMs, f.drillMs])).toEqual([[120_000, 60_000]]);
  });

  it('re-schedules on a speed change: the rest of the wait runs at the new speed', () => {
    const { clock, engine, fired, speeds, logged } = setUp(plan([step('a', 100, { inject: drone('swarm') })]));
    engine.start();
    clock.advance(40_000); // T+40 at 1×
    engine.setSpeed(10); // 60 s of drill time left = 6 s of wall time
    clock.advance(5_999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired.map((f) => [f.wallMs, f.drillMs])).toEqual([[46_000, 100_000]]);
    expect(engine.speed).toBe(10);
    expect(speeds).toEqual([10]);
    expect(logged.find((e) => e.kind === 'speed')).toEqual({ seq: 2, drillMs: 40_000, kind: 'speed', detail: 10 });
  });

  it('refuses a speed outside 0.5×–10× with a RangeError and keeps running at the old one', () => {
    const { clock, engine, fired } = setUp(plan([step('a', 10, { inject: drone('swarm') })]), 2);
    expect(() => new DrillEngine({ drillId: 'x', plan: plan([]), clock, seed: 1, speed: 0, inject: recordingPort(clock).port })).toThrow(RangeError);
    engine.start();
    expect(() => engine.setSpeed(20)).toThrow(RangeError);
    expect(() => engine.setSpeed(0.25)).toThrow(/0\.5 to 10, got 0\.25/);
    expect(engine.speed).toBe(2);
    clock.advance(5_000);
    expect(fired.map((f) => f.wallMs)).toEqual([5_000]);
  });

  it('skips to the next pending step, logging overdue targets on the way; with nothing pending a skip does nothing', () => {
    const p = plan([
      step('a', 10, { inject: drone('swarm') }),
      step('ack', 10, { expect: { action: 'acknowledged', of: 'a', targetS: 60 } }),
      step('b', 300, { inject: drone('swarm') }),
    ]);
    const { clock, engine, fired, logged } = setUp(p);
    engine.start();
    clock.advance(10_000);
    engine.alarmRaised('a');
    clock.advance(10_000);
    engine.skip();
    expect(engine.drillMs()).toBe(300_000);
    expect(fired.map((f) => [f.stepId, f.wallMs, f.drillMs])).toEqual([['a', 10_000, 10_000], ['b', 20_000, 300_000]]);
    expect(kinds(logged)).toEqual(['0 start', '10000 fire a', '10000 fire ack', '10000 alarm a', '20000 skip', '70000 overdue ack', '300000 fire b']);
    expect(logged.find((e) => e.kind === 'skip')?.detail).toBe(300_000);
    clock.advance(1_000);
    expect(engine.drillMs()).toBe(301_000);
    const before = logged.length;
    engine.skip();
    expect(logged).toHaveLength(before);
    expect(engine.drillMs()).toBe(301_000);
  });

  it('skips up to a `when` step’s earliest time, not past it, and then on to the next timed step', () => {
    const p = plan([
      step('a', 10, { inject: drone('swarm') }),
      step('follow-up', 60, { when: { action: 'acknowledged', of: 'a' }, inject: alarm('跟进') }),
      step('b', 120, { inject: drone('swarm') }),
    ]);
    const { engine, fired } = setUp(p);
    engine.start();
    engine.skip();
    expect(engine.drillMs()).toBe(10_000);
    engine.skip();
    expect(engine.drillMs()).toBe(60_000);
    expect(statusOf(engine)['follow-up']).toBe('waiting');
    engine.skip(); // a waiting step does not hold the drill up
    expect(engine.drillMs()).toBe(120_000);
    expect(fired.map((f) => f.stepId)).toEqual(['a', 'b']);
  });

  it('aborts: no later inject, stop(true) asked of the console, no timers left, every control refused', async () => {
    const { clock, engine, fired, stops, logged } = setUp(DRONE_PLAN, 10);
    engine.start();
    clock.advance(3_000); // T+30: the drone scenario is in
    engine.abort('天气原因中止');
    expect(engine.status).toBe('aborted');
    expect(stops).toEqual([true]);
    expect(clock.timersPending).toBe(0);
    clock.advance(600_000);
    expect(fired.map((f) => f.stepId)).toEqual(['inject-drone']);
    expect(logged.at(-1)).toEqual({ seq: logged.length, drillMs: 30_000, kind: 'abort', detail: '天气原因中止' });
    expect(engine.drillMs()).toBe(30_000);
    expect(engine.steps()).toHaveLength(6);
    for (const call of [() => engine.pause(), () => engine.resume(), () => engine.skip(), () => engine.setSpeed(1), () => engine.end(),
      () => engine.abort('again'), () => engine.observe('acknowledged', 'inject-drone'), () => engine.confirm('ack'), () => engine.observation('x')]) {
      expect(call).toThrow('drill d1 is over (aborted)');
    }
    await flush();
    expect(logged.at(-1)?.kind).toBe('abort');
  });

  it('refuses controls before the start and a second start', () => {
    const { engine } = setUp(DRONE_PLAN);
    expect(() => engine.pause()).toThrow('drill d1 has not started');
    expect(() => engine.observe('acknowledged', 'inject-drone')).toThrow(/has not started/);
    engine.start();
    expect(() => engine.start()).toThrow(/already started/);
  });

  it('a plan with no steps runs until it is ended', () => {
    const { clock, engine, logged, stops } = setUp(plan([]));
    engine.start();
    clock.advance(3_600_000);
    expect(engine.status).toBe('running');
    expect(clock.timersPending).toBe(0);
    engine.skip();
    engine.end();
    expect(kinds(logged)).toEqual(['0 start', '3600000 end']);
    expect(stops).toEqual([false]);
  });

  it('keeps exact drill times when the host fires its timers a millisecond early', () => {
    const manual = new ManualClock(T0);
    const early: Clock = { now: () => manual.now(), setTimeout: (fn, ms) => manual.setTimeout(fn, Math.max(0, ms - 1)) };
    const rec = recordingPort(manual);
    const engine = new DrillEngine({ drillId: 'd1', plan: DRONE_PLAN, clock: early, seed: 7, speed: 1, inject: rec.port });
    engine.start();
    manual.advance(30_000);
    engine.alarmRaised('inject-drone', 30_000); // its drone alarm came with it
    manual.advance(269_998);
    expect(rec.fired.map((f) => f.stepId)).toEqual(['inject-drone', 'remind']);
    manual.advance(1); // the timer of T+5:00 fires at 299.999 s: no drift piled up over the earlier steps
    expect(rec.fired.map((f) => [f.stepId, f.drillMs, f.wallMs])).toEqual([['inject-drone', 30_000, 29_999], ['remind', 210_000, 209_999], ['second-drone', 300_000, 299_999]]);
    expect(engine.drillMs()).toBe(300_000);
    engine.observe('acknowledged', 'inject-drone');
    expect(engine.log().at(-2)).toMatchObject({ drillMs: 300_000, kind: 'late', stepId: 'ack' });
    manual.advance(1_000);
    expect(engine.drillMs()).toBe(300_999);
    // ack 1:00, atc-call 2:00 (its `when` never came, its target runs from the inject all the same), dispatch 3:00.
    expect(engine.log().filter((e) => e.kind === 'overdue').map((e) => [e.stepId, e.drillMs])).toEqual([['ack', 90_000], ['atc-call', 150_000], ['dispatch', 210_000]]);
  });

  it('stops at once when the console ends the drill as it takes an inject', () => {
    const clock = new ManualClock(T0);
    const fired: string[] = [];
    const p = plan([step('a', 10, { inject: drone('swarm') }), step('b', 10, { inject: drone('swarm') }), step('c', 20, { inject: drone('swarm') })]);
    const engine: DrillEngine = new DrillEngine({
      drillId: 'd1', plan: p, clock, seed: 7, speed: 1,
      inject: { fire: async (_i, ctx) => { fired.push(ctx.step.id); engine.end(); } },
    });
    engine.start();
    clock.advance(60_000);
    expect(fired).toEqual(['a']);
    expect(engine.status).toBe('ended');
    expect(engine.log().at(-1)?.kind).toBe('end');
    expect(clock.timersPending).toBe(0);
  });

  it('maps the console’s wall times to drill time for the report', () => {
    const { clock, engine } = setUp(DRONE_PLAN, 10);
    engine.start();
    clock.advance(3_000);
    engine.pause();
    clock.advance(10_000);
    engine.resume();
    clock.advance(1_000);
    expect(engine.toDrillMs(T0 + 2_000)).toBe(20_000);
    expect(engine.toDrillMs(T0 + 8_000)).toBe(30_000);
    expect(engine.toDrillMs(T0 + 13_500)).toBe(35_000);
    expect(engine.toDrillMs(T0 - 1)).toBeNull();
  });

  it('refuses a plan whose conditions name a step it does not have', () => {
    const clock = new ManualClock(T0);
    const bad = plan([step('ack', 0, { expect: { action: 'acknowledged', of: 'inject-drone', targetS: 60 } })]);
    expect(() => new DrillEngine({ drillId: 'd', plan: bad, clock, seed: 1, speed: 1, inject: recordingPort(clock).port }))
      .toThrow('plan drone-intrusion-approach: step "ack" expect names an unknown step "inject-drone"');
  });
});

describe('DrillEngine conditional steps', () => {
  it('a `when` step waits after its time until the action happens, then fires at that drill time', () => {
    const { clock, engine, fired, logged } = setUp(DRONE_PLAN);
    engine.start();
    clock.advance(45_000);
    expect(statusOf(engine)['atc-call']).toBe('waiting');
    expect(fired.map((f) => f.stepId)).toEqual(['inject-drone']);
    engine.observe('acknowledged', 'inject-drone');
    expect(statusOf(engine)['atc-call']).toBe('fired');
    expect(engine.steps().find((s) => s.stepId === 'atc-call')?.firedAtMs).toBe(45_000);
    expect(kinds(logged)).toContain('45000 fire atc-call');
  });

  it('a `when` step whose action came early fires at its own time, not before', () => {
    const p = plan([
      step('a', 0, { inject: drone('swarm') }),
      step('later', 60, { when: { action: 'acknowledged', of: 'a' }, inject: alarm('跟进') }),
    ]);
    const { clock, engine, fired } = setUp(p);
    engine.start();
    clock.advance(5_000);
    engine.observe('acknowledged', 'a');
    expect(fired.map((f) => f.stepId)).toEqual(['a']);
    expect(statusOf(engine).later).toBe('pending');
    clock.advance(55_000);
    expect(fired.map((f) => [f.stepId, f.drillMs])).toEqual([['a', 0], ['later', 60_000]]);
  });

  it('an `ifNot` step fires when its action has not happened by its time', () => {
    const { clock, engine, fired } = setUp(DRONE_PLAN);
    engine.start();
    clock.advance(210_000);
    expect(fired.map((f) => f.stepId)).toEqual(['inject-drone', 'remind']);
    expect(fired[1].inject).toMatchObject({ kind: 'alarm', note: t('导调提示：请立即派警') });
  });

  it('an `ifNot` step whose action happened in time is logged not-needed and skipped', () => {
    const { clock, engine, fired, logged } = setUp(DRONE_PLAN);
    engine.start();
    clock.advance(100_000);
    engine.observe('dispatched', 'inject-drone');
    clock.advance(200_000);
    expect(fired.map((f) => f.stepId)).toEqual(['inject-drone', 'second-drone']);
    expect(statusOf(engine).remind).toBe('skipped');
    expect(logged.find((e) => e.kind === 'not-needed')).toMatchObject({ drillMs: 210_000, stepId: 'remind', action: 'dispatched' });
  });
});

describe('DrillEngine evaluation', () => {
  it('times each action on the alarm from the alarm’s raise: done within its target, late after it, overdue logged once', () => {
    const { clock, engine, logged } = setUp(DRONE_PLAN);
    engine.start();
    clock.advance(45_000);
    // The drone scenario's alarm was raised at T+0:40, 10 s after the inject; the console links it at T+0:45.
    engine.alarmRaised('inject-drone', 40_000);
    engine.alarmRaised('inject-drone', 44_000); // only the first alarm counts
    clock.advance(35_000); // T+1:20: acknowledged 40 s after the alarm (target 1:00)
    engine.observe('acknowledged', 'inject-drone');
    engine.observe('acknowledged', 'inject-drone'); // the console reports every action it sees; the first counts
    clock.advance(150_000); // T+3:50: no dispatch yet (target 3:00 after the alarm: T+3:40)
    engine.observe('dispatched', 'inject-drone');
    const s = Object.fromEntries(engine.steps().map((x) => [x.stepId, x]));
    expect(s.ack).toMatchObject({ status: 'done', doneAtMs: 80_000, targetS: 60 });
    expect(s.dispatch).toMatchObject({ status: 'late', doneAtMs: 230_000, targetS: 180 });
    expect(logged.filter((e) => ['alarm', 'done', 'late', 'overdue'].includes(e.kind))).toEqual([
      { seq: 5, drillMs: 40_000, kind: 'alarm', stepId: 'inject-drone' },
      { seq: 6, drillMs: 80_000, kind: 'done', stepId: 'ack', action: 'acknowledged', detail: 40_000 },
      // atc-call fired on the acknowledgement; its target (2:00 from the alarm) passed at T+2:40.
      { seq: 8, drillMs: 160_000, kind: 'overdue', stepId: 'atc-call', action: 'atc-notified' },
      { seq: 10, drillMs: 220_000, kind: 'overdue', stepId: 'dispatch', action: 'dispatched' },
      { seq: 11, drillMs: 230_000, kind: 'late', stepId: 'dispatch', action: 'dispatched', detail: 190_000 },
    ]);
    expect(kinds(logged).slice(6, 10)).toEqual(['80000 fire atc-call', '160000 overdue atc-call', '210000 fire remind', '220000 overdue dispatch']);
  });

  it('holds an alarm action’s overdue until the inject’s alarm comes; with no alarm, times it from the inject as before', () => {
    const p = plan([
      step('a', 10, { inject: drone('swarm') }),
      step('ack-a', 10, { expect: { action: 'acknowledged', of: 'a', targetS: 60 } }),
      step('b', 20, { inject: { kind: 'unit-report', unit: 'u1', report: 'arrived' } as PlanInject }),
      step('ack-b', 20, { expect: { action: 'acknowledged', of: 'b', targetS: 60 } }),
      step('c', 30, { inject: drone('swarm') }),
      step('ack-c', 30, { expect: { action: 'acknowledged', of: 'c', targetS: 60 } }),
    ]);
    const { clock, engine, logged } = setUp(p);
    engine.start();
    clock.advance(150_000); // T+2:30: no alarm of a yet, so nobody could acknowledge it; b raises none
    expect(kinds(logged).filter((k) => k.includes('overdue'))).toEqual(['80000 overdue ack-b']);
    engine.alarmRaised('a', 145_000);
    clock.advance(60_000);
    expect(kinds(logged).filter((k) => k.includes('overdue') || k.includes('alarm'))).toEqual(['80000 overdue ack-b', '145000 alarm a', '205000 overdue ack-a']);
    engine.confirm('ack-c'); // no alarm ever came of c: timed from its inject (T+0:30)
    expect(logged.find((e) => e.kind === 'late' && e.stepId === 'ack-c')).toMatchObject({ drillMs: 210_000, detail: 180_000 });
    expect(() => engine.alarmRaised('nope')).toThrow(/no step "nope"/);
  });

  it('at the end, logs every expectation never met as missed, then end, and stops the console side', async () => {
    const { clock, engine, logged, stops } = setUp(DRONE_PLAN);
    engine.start();
    clock.advance(40_000);
    engine.observe('acknowledged', 'inject-drone');
    clock.advance(20_000);
    engine.end();
    expect(engine.status).toBe('ended');
    expect(clock.timersPending).toBe(0);
    expect(stops).toEqual([false]);
    expect(kinds(logged).slice(-3)).toEqual(['60000 missed dispatch', '60000 missed atc-call', '60000 end']);
    expect(statusOf(engine)).toEqual({
      'inject-drone': 'fired', ack: 'done', dispatch: 'missed', 'atc-call': 'missed', remind: 'pending', 'second-drone': 'pending',
    });
    expect(() => engine.observe('dispatched', 'inject-drone')).toThrow(/is over \(ended\)/);
    await flush();
  });

  it('counts an action that came before the expecting step’s own time', () => {
    const p = plan([
      step('a', 0, { inject: drone('swarm') }),
      step('ack', 30, { expect: { action: 'acknowledged', of: 'a', targetS: 60 } }),
    ]);
    const { clock, engine } = setUp(p);
    engine.start();
    clock.advance(10_000);
    engine.observe('acknowledged', 'a');
    expect(engine.steps()[1]).toMatchObject({ status: 'done', doneAtMs: 10_000 });
    clock.advance(30_000);
    expect(engine.steps()[1]).toMatchObject({ status: 'done', firedAtMs: 30_000 });
  });

  it('ignores actions no step expects or waits for: no log line', () => {
    const { clock, engine, logged } = setUp(DRONE_PLAN);
    engine.start();
    clock.advance(40_000);
    const before = logged.length;
    engine.observe('closed', 'inject-drone');
    engine.observe('acknowledged', 'second-drone');
    engine.observe('acknowledged', 'no-such-step');
    expect(logged).toHaveLength(before);
  });

  it('the coordinator confirms: a `confirmed` step by its time, a closure checkpoint reached, any step by hand', () => {
    const p = plan([
      step('cordon', 60, { expect: { action: 'confirmed', of: 'cordon', targetS: 120 } }),
      step('close-CP-3', 0, { expect: { action: 'unit-arrived', of: 'close-CP-3', targetS: 480 } }),
      step('brief', 90),
      step('after-cordon', 0, { when: { action: 'confirmed', of: 'cordon' }, inject: alarm('封控完成') }),
    ]);
    const { clock, engine, fired, logged } = setUp(p);
    engine.start();
    clock.advance(240_000);
    expect(kinds(logged)).toContain('180000 overdue cordon');
    engine.confirm('cordon');
    engine.observe('unit-arrived', 'close-CP-3');
    engine.confirm('brief');
    const s = Object.fromEntries(engine.steps().map((x) => [x.stepId, x]));
    expect(s.cordon).toMatchObject({ status: 'late', doneAtMs: 240_000 });
    expect(s['close-CP-3']).toMatchObject({ status: 'done', doneAtMs: 240_000 });
    expect(s.brief).toMatchObject({ status: 'done', doneAtMs: 240_000 });
    expect(fired.map((f) => [f.stepId, f.drillMs])).toEqual([['after-cordon', 240_000]]);
    expect(logged.filter((e) => e.kind === 'confirm').map((e) => e.stepId)).toEqual(['cordon', 'brief']);
    expect(logged.find((e) => e.kind === 'late')).toMatchObject({ stepId: 'cordon', action: 'confirmed', detail: 180_000 });
    expect(() => engine.confirm('nope')).toThrow('drill d1: no step "nope" in plan drone-intrusion-approach');
  });

  it('keeps the coordinator’s observations at their drill time', () => {
    const { clock, engine, logged } = setUp(DRONE_PLAN, 10);
    engine.start();
    clock.advance(4_200);
    expect(engine.observation('值班员未按规定通报空管', 'atc-call')).toBe(42_000);
    expect(logged.at(-1)).toEqual({ seq: logged.length, drillMs: 42_000, kind: 'observe', stepId: 'atc-call', detail: '值班员未按规定通报空管' });
    expect(() => engine.observation('x', 'nope')).toThrow(/no step "nope"/);
  });

  it('an inject the console cannot take is logged inject-failed with its reason, and the drill goes on', async () => {
    const p = plan([step('a', 10, { inject: drone('swarm') }), step('b', 20, { inject: drone('swarm') })]);
    const { clock, engine, fired, logged } = setUp(p, 1, ['a']);
    engine.start();
    clock.advance(10_000);
    await flush();
    clock.advance(10_000);
    expect(fired.map((f) => f.stepId)).toEqual(['a', 'b']);
    expect(logged.find((e) => e.kind === 'inject-failed')).toEqual({ seq: 3, drillMs: 10_000, kind: 'inject-failed', stepId: 'a', detail: 'camera a not in the drill range' });
    expect(engine.status).toBe('running');
  });
});

describe('DrillEngine determinism', () => {
  /** One scripted run: pause, speed change, operators' actions, a skip, an observation, the end. */
  async function run(): Promise<string> {
    const { clock, engine } = setUp(DRONE_PLAN, 2);
    engine.start();
    await clock.advanceAsync(10_000);
    engine.pause();
    await clock.advanceAsync(7_000);
    engine.resume();
    engine.setSpeed(10);
    await clock.advanceAsync(3_100);
    // The inject's alarm was raised 1.6 s of wall time (16 drill s) after the resume, linked only now.
    engine.alarmRaised('inject-drone', engine.toDrillMs(clock.now() - 1_500)!);
    engine.observe('acknowledged', 'inject-drone');
    await clock.advanceAsync(1_300);
    engine.observation('机组未及时报告');
    engine.setSpeed(0.5);
    await clock.advanceAsync(333); // T+64.1665: drill time at an odd instant
    engine.observe('dispatched', 'inject-drone');
    engine.skip(); // to T+3:30, where the reminder is not needed
    await clock.advanceAsync(9_000);
    engine.observe('atc-notified', 'inject-drone');
    await clock.advanceAsync(30_000);
    engine.end();
    await clock.advanceAsync(1);
    return JSON.stringify(engine.log());
  }

  it('two runs of one plan and seed give byte-identical logs', async () => {
    const first = await run();
    const second = await run();
    expect(second).toBe(first);
    const log = JSON.parse(first) as DrillLogEntry[];
    expect(log.map((e) => `${e.drillMs} ${e.kind}${e.stepId ? ` ${e.stepId}` : ''}`)).toEqual([
      '0 start', '20000 pause', '20000 resume', '20000 speed', '30000 fire inject-drone', '30000 fire ack', '30000 fire dispatch',
      '36000 alarm inject-drone', '51000 done ack', '51000 fire atc-call', '64000 observe', '64000 speed', '64167 done dispatch', '64167 skip',
      '156000 overdue atc-call', '210000 not-needed remind', '214500 late atc-call', '229500 end',
    ]);
    expect(log.map((e) => e.kind)).toEqual(expect.arrayContaining(['pause', 'resume', 'speed', 'skip', 'fire', 'alarm', 'done', 'late', 'not-needed', 'observe', 'end']));
    // Drill time never runs backwards in the log.
    for (let i = 1; i < log.length; i++) expect(log[i].drillMs).toBeGreaterThanOrEqual(log[i - 1].drillMs);
  });
});
