// The drills service on a real core (SQLite, a manual clock, no simulators): a drill starts only from a plan that
// runs here, through the contract and for the coordinator only; its injects enter the console as drill alarms and
// drill tracks; an operator's acknowledgement is timed in drill time at 10×; an abort leaves no drill alarm open,
// no drill track, the mode live, and a live alarm raised meanwhile untouched; a host restart mid-drill marks it
// aborted and clears what it left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { ApiError } from '../../src/main/core/calls.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { loadConfig } from '../../src/main/core/config.ts';
import { startCore, type Core } from '../../src/main/core/core.ts';
import { drillTimeOf } from '../../src/main/core/drills/drills.ts';
import type { Alarm } from '../../src/shared/domain.ts';
import type { DrillState, Plan, PlanStep } from '../../src/shared/drills.ts';
import { TEST_PASSWORD } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const INNER_CENTRE = { lon: 106.6460562, lat: 29.7202866 };
const T2 = { lon: 106.629, lat: 29.712 };

function planOf(id: string, steps: PlanStep[]): Plan {
  return {
    format: 1, id, version: 1, title: { zh: '测试演练', en: 'Test drill' }, type: 'drill', kind: 'tabletop', eventType: 'unattended-object',
    place: { zh: 'T2出发层', en: 'T2 departures' }, position: T2, date: '2026-11-24',
    units: [{ id: 'director', name: { zh: '导调组', en: 'Directors' }, site: false }, { id: 'duty-room', name: { zh: '值班室', en: 'Duty room' }, site: false }],
    procedures: { zh: '', en: '' }, siteSetup: { zh: '', en: '' }, simulatedConditions: { zh: '', en: '' }, assembly: { points: [], routes: [] },
    announce: { end: { zh: '演练结束', en: 'Drill over' }, abort: { zh: '演练中止', en: 'Drill aborted' } }, seed: 7, steps,
  };
}

const text = (zh: string) => ({ zh, en: zh });
const ALARM_PLAN = planOf('test-alarm', [
  { id: 'inject', atS: 30, unit: 'director', action: text('导调组电话报警'), inject: { kind: 'alarm', severity: 3, note: text('演练：可疑包裹'), position: T2 } },
  { id: 'ack', atS: 30, unit: 'duty-room', action: text('值班员确认报警'), expect: { action: 'acknowledged', of: 'inject', targetS: 60 } },
  { id: 'cross', atS: 60, unit: 'director', action: text('可疑目标触圈'), inject: { kind: 'zone-crossing', zone: 'inner', position: INNER_CENTRE } },
]);
const MISSING_CAMERA_PLAN = planOf('test-camera', [
  { id: 'event', atS: 10, unit: 'director', action: text('遗留物'), inject: { kind: 'camera-event', camera: 'T9-NO-SUCH-CAM', event: 'unattended-object' } },
]);

interface Running {
  core: Core;
  clock: ManualClock;
  coordinator: Session;
  operator: Session;
  close(): Promise<void>;
}

/** A core on `dataDir` (kept between starts), its plans the given ones (the plan library is another helper's). */
async function open(dataDir: string, plans: Plan[], clock = new ManualClock()): Promise<Running> {
  const config = loadConfig(['--data-dir', dataDir, '--demo', '--no-sim'], { SKYFENCE_ADMIN_PASSWORD: TEST_PASSWORD });
  const core = await startCore(config, { clock, log: () => undefined });
  core.plans.get = (id: string) => {
    const plan = plans.find((p) => p.id === id);
    if (!plan) throw new ApiError('not-found', `no plan ${id}`);
    if (id.startsWith('broken')) throw new ApiError('conflict', `plan ${id} does not validate`, { reason: 'plan-invalid' });
    return structuredClone(plan);
  };
  return { core, clock, coordinator: await signedIn(core, 'drill'), operator: await signedIn(core, 'duty'), close: () => core.close() };
}

/** Lets the database writes a timer started finish (they run on real time). */
const settle = () => new Promise<void>((r) => setTimeout(r, 25));
async function until<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await settle();
  }
}
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: ApiError) => ({ code: e.code, message: e.message, reason: e.reason }));
const openDrillAlarms = (core: Core) => core.db.all<{ id: string }>("SELECT id FROM alarms WHERE drill = 1 AND state != 'closed'");

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'skyfence-drills-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('starting a drill', () => {
  let r: Running;
  beforeAll(async () => {
    r = await open(tempDir(), [ALARM_PLAN, MISSING_CAMERA_PLAN, { ...ALARM_PLAN, id: 'broken-plan' }]);
  });
  afterAll(() => r?.close());

  it('is the coordinator\'s alone: an operator is refused through the contract and nothing starts', async () => {
    const refused = await refusal(dispatch(r.core, r.operator, 'drill.start', { planId: 'test-alarm', speed: 10 }));
    expect(refused).toMatchObject({ code: 'forbidden' });
    expect(r.core.drills.current()).toBeNull();
    expect(r.core.status().mode).toBe('live');
  });

  it('refuses a plan that does not validate, before anything starts', async () => {
    const refused = await refusal(dispatch(r.core, r.coordinator, 'drill.start', { planId: 'broken-plan', speed: 1 }));
    expect(refused).toMatchObject({ code: 'conflict', reason: 'plan-invalid' });
    expect(await r.core.db.all('SELECT id FROM drills')).toEqual([]);
    expect(r.core.status().mode).toBe('live');
  });

  it('refuses a plan naming a camera this console does not have, naming it', async () => {
    const refused = await refusal(dispatch(r.core, r.coordinator, 'drill.start', { planId: 'test-camera', speed: 1 }));
    expect(refused).toMatchObject({ code: 'conflict', reason: 'plan-names-missing' });
    expect(refused!.message).toContain('T9-NO-SUCH-CAM');
    expect(refused!.message).toContain('step event');
    expect(await r.core.db.all('SELECT id FROM drills')).toEqual([]);
    expect(r.core.drills.current()).toBeNull();
  });

  it('runs one drill at a time', async () => {
    const first = (await dispatch(r.core, r.coordinator, 'drill.start', { planId: 'test-alarm', speed: 1 })) as DrillState;
    const second = await refusal(dispatch(r.core, r.coordinator, 'drill.start', { planId: 'test-alarm', speed: 1 }));
    expect(second).toMatchObject({ code: 'conflict', reason: 'drill-running' });
    await dispatch(r.core, r.coordinator, 'drill.control', { id: first.id, action: 'abort', reason: 'test' });
    expect(r.core.drills.current()).toBeNull();
  });
});

describe('a drill at 10×', () => {
  let r: Running;
  let drill: DrillState;
  let live: Alarm;
  let drillAlarm: Alarm;
  const changes: DrillState[] = [];
  beforeAll(async () => {
    r = await open(tempDir(), [ALARM_PLAN]);
    r.core.bus.subscribe((event, payload) => event === 'drill.changed' && changes.push(payload as DrillState));
  });
  afterAll(() => r?.close());

  it('starts: the mode is drill, the start is on the record with the drill\'s row', async () => {
    drill = (await dispatch(r.core, r.coordinator, 'drill.start', { planId: 'test-alarm', speed: 10 })) as DrillState;
    expect(drill).toMatchObject({ planId: 'test-alarm', status: 'running', speed: 10, seed: 7, coordinator: '王芳', drillMs: 0 });
    expect(r.core.status().mode).toBe('drill');
    expect(await r.core.db.all('SELECT status, seed, speed FROM drills WHERE id = ?', [drill.id])).toEqual([{ status: 'running', seed: 7, speed: 10 }]);
    expect(await r.core.db.all("SELECT actor FROM audit_log WHERE action = 'drill.start' AND subject = ?", [drill.id])).toEqual([{ actor: 'drill' }]);
    expect(changes.at(-1)).toMatchObject({ id: drill.id, status: 'running' });
  });

  it('an alarm inject at T+00:30 (3 s of the core\'s clock) raises a drill alarm (source drill), linked to its step', async () => {
    await r.clock.advanceAsync(2_900, settle);
    expect(await r.core.db.all('SELECT id FROM alarms WHERE drill = 1')).toEqual([]);
    await r.clock.advanceAsync(100, settle);
    drillAlarm = await until('the drill alarm', async () => (await r.core.alarms.list()).alarms.find((a) => a.drill));
    expect(drillAlarm).toMatchObject({ source: 'drill', type: 'manual', drill: true, state: 'new', severity: 3 });
    const step = await until('the step linked', () => r.core.drills.current()!.steps.find((s) => s.stepId === 'inject' && s.alarmId));
    expect(step).toMatchObject({ status: 'fired', firedAtMs: 30_000, alarmId: drillAlarm.id });
  });

  it('a live alarm raised during the drill is a live alarm', async () => {
    live = await r.core.alarms.raise({ source: 'manual', type: 'manual', severity: 2, position: T2, details: { note: '真实警情' } });
    expect(live.drill).toBe(false);
  });

  it('the operator acknowledges 20 drill seconds later: observed and timed in drill time against the step\'s target', async () => {
    await r.clock.advanceAsync(2_000, settle); // 20 s of drill time at 10×
    await dispatch(r.core, r.operator, 'alarms.acknowledge', { id: drillAlarm.id });
    const ack = await until('the acknowledgement timed', () => r.core.drills.current()!.steps.find((s) => s.stepId === 'ack' && s.status === 'done'));
    expect(ack).toMatchObject({ status: 'done', doneAtMs: 50_000, targetS: 60 });
    const log = await r.core.drills.log(drill.id);
    // Timed from the drill alarm's raise (logged at its drill time), which here came with the inject.
    expect(log.find((e) => e.kind === 'alarm')).toEqual({ seq: 4, drillMs: 30_000, kind: 'alarm', stepId: 'inject' });
    expect(log.find((e) => e.kind === 'done')).toMatchObject({ stepId: 'ack', action: 'acknowledged', drillMs: 50_000, detail: 20_000 });
  });

  it('a zone crossing at T+01:00 puts a drill track in the picture and raises a drill touch-circle alarm', async () => {
    await r.clock.advanceAsync(1_000, settle);
    const track = await until('the drill track', () => r.core.tracks.list().find((t) => t.source === 'drill'));
    // Named by the step's words, as the map and the alarm show it, never by the drill's id.
    expect(track).toMatchObject({ drill: true, circleId: 'inner', trackId: '演练目标 可疑目标触圈' });
    const touch = await until('the touch-circle alarm', async () => (await r.core.alarms.list()).alarms.find((a) => a.type === 'touch-circle'));
    expect(touch).toMatchObject({ drill: true, source: 'drill', details: { trackLabel: '演练目标 可疑目标触圈' } });
    expect(r.core.drills.current()!.steps.find((s) => s.stepId === 'cross')!.alarmId).toBe(touch.id);
  });

  it('drill alarms stay out of the handover\'s summary; the live one is in it', async () => {
    const summary = await r.core.handovers.draft();
    expect(summary.openAlarms).toBe(1);
    expect(summary.alarms.map((a) => a.id)).toEqual([live.id]);
  });

  it('pauses: drill time stands still while the core\'s clock runs; resumes where it was', async () => {
    const paused = (await dispatch(r.core, r.coordinator, 'drill.control', { id: drill.id, action: 'pause' })) as DrillState;
    expect(paused.status).toBe('paused');
    await r.clock.advanceAsync(5_000, settle);
    expect(r.core.drills.current()!.drillMs).toBe(paused.drillMs);
    await dispatch(r.core, r.coordinator, 'drill.control', { id: drill.id, action: 'resume' });
    await r.clock.advanceAsync(100, settle);
    expect(r.core.drills.current()!.drillMs).toBe(paused.drillMs + 1_000);
    // Wall times map back to drill time through the pause.
    const toDrill = drillTimeOf(await r.core.drills.timedLog(drill.id), 10);
    expect(toDrill(drillAlarm.raisedAt)).toBe(30_000);
    expect(toDrill(r.clock.now())).toBe(paused.drillMs + 1_000);
  });

  it('an observation is stored with its drill time and on the record', async () => {
    const obs = await dispatch(r.core, r.coordinator, 'drill.observe', { id: drill.id, text: '值班员确认迅速', stepId: 'ack' });
    expect(obs).toMatchObject({ text: '值班员确认迅速', stepId: 'ack', by: '王芳' });
    expect(await r.core.db.all("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'drill.observe' AND subject = ?", [drill.id])).toEqual([{ n: 1 }]);
  });

  it('an abort leaves no drill alarm open, no drill track, the mode live — and the live alarm as it was', async () => {
    const aborted = (await dispatch(r.core, r.coordinator, 'drill.control', { id: drill.id, action: 'abort', reason: '真实警情优先' })) as DrillState;
    expect(aborted).toMatchObject({ status: 'aborted', abortReason: '真实警情优先' });
    expect(await openDrillAlarms(r.core)).toEqual([]);
    const closed = (await r.core.alarms.get(drillAlarm.id))!;
    expect(closed).toMatchObject({ state: 'closed', closedBy: { username: 'system' }, resolution: { category: 'drill' } });
    expect(r.core.tracks.list().filter((t) => t.source === 'drill' || t.drill)).toEqual([]);
    expect(r.core.status().mode).toBe('live');
    expect(r.core.drills.current()).toBeNull();
    expect(await r.core.alarms.get(live.id)).toMatchObject({ state: 'new', closedAt: null });
    const stored = await r.core.drills.get(drill.id);
    expect(stored).toMatchObject({ status: 'aborted', abortReason: '真实警情优先' });
    expect(stored.steps.find((s) => s.stepId === 'inject')!.alarmId).toBe(drillAlarm.id);
    expect(stored.observations.map((o) => o.text)).toEqual(['值班员确认迅速']);
    const actions = await r.core.db.all<{ action: string }>('SELECT action FROM audit_log WHERE subject = ? ORDER BY id', [drill.id]);
    expect(actions.map((a) => a.action)).toEqual(['drill.start', 'drill.pause', 'drill.resume', 'drill.observe', 'drill.abort']);
    expect((await r.core.drills.log(drill.id)).map((e) => e.kind)).toEqual(['start', 'fire', 'fire', 'alarm', 'done', 'fire', 'alarm', 'pause', 'resume', 'observe', 'abort']);
    expect(changes.at(-1)).toMatchObject({ id: drill.id, status: 'aborted' });
    // Steering a drill that is over says so.
    expect(await refusal(dispatch(r.core, r.coordinator, 'drill.control', { id: drill.id, action: 'resume' }))).toMatchObject({ code: 'conflict', reason: 'drill-over' });
  });
});

describe('a host restart mid-drill', () => {
  it('marks the drill aborted (host-restart) and closes the drill alarms it left', async () => {
    const dir = tempDir();
    let r = await open(dir, [ALARM_PLAN]);
    const drill = (await dispatch(r.core, r.coordinator, 'drill.start', { planId: 'test-alarm', speed: 10 })) as DrillState;
    await r.clock.advanceAsync(3_000, settle);
    await until('the drill alarm', async () => (await openDrillAlarms(r.core)).length === 1);
    await r.close();
    r = await open(dir, [ALARM_PLAN]);
    try {
      expect(await r.core.drills.get(drill.id)).toMatchObject({ status: 'aborted', abortReason: 'host-restart' });
      expect(await openDrillAlarms(r.core)).toEqual([]);
      expect(r.core.drills.current()).toBeNull();
      expect(r.core.status().mode).toBe('live');
      const log = await r.core.drills.log(drill.id);
      expect(log.at(-1)).toMatchObject({ kind: 'abort', detail: 'host-restart' });
      expect(await r.core.db.all("SELECT actor FROM audit_log WHERE action = 'drill.abort' AND subject = ?", [drill.id])).toEqual([{ actor: 'system' }]);
    } finally {
      await r.close();
    }
  });
});
