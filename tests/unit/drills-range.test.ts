// The drills service with the drill range as a real process (a second drone simulator, seeded, idle, at the
// drill's speed): a drone-scenario inject puts drill drone tracks in the fusion through drill sources, and the
// abort stops the range, takes its sources off the status bar and drops the drill tracks. And camera injects:
// an event raises the camera's analytic alarm as a drill alarm; an outage raises a drill camera-offline alarm
// while the camera's live state stays as it was, lifted by the system after its duration in drill time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { ApiError } from '../../src/main/core/calls.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { loadConfig } from '../../src/main/core/config.ts';
import { startCore, type Core } from '../../src/main/core/core.ts';
import { DRILL_SOURCE_IDS } from '../../src/main/core/drills/drill-range.ts';
import type { DrillState, Plan, PlanStep } from '../../src/shared/drills.ts';
import { TEST_PASSWORD } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';
import { camera, TINY_JPEG } from '../fixtures/video-svc-cameras.ts';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const text = (zh: string) => ({ zh, en: zh });
function planOf(id: string, steps: PlanStep[]): Plan {
  return {
    format: 1, id, version: 1, title: text('测试'), type: 'drill', kind: 'single-unit', eventType: 'drone-intrusion', place: text('02L'),
    position: { lon: 106.6405, lat: 29.7046 }, date: '2026-11-24', units: [{ id: 'director', name: text('导调组'), site: false }],
    procedures: text(''), siteSetup: text(''), simulatedConditions: text(''), assembly: { points: [], routes: [] },
    announce: { end: text('结束'), abort: text('中止') }, seed: 7, steps,
  };
}
const DRONE_PLAN = planOf('test-drone', [
  { id: 'drone', atS: 1, unit: 'director', action: text('无人机进近盘旋'), inject: { kind: 'drone-scenario', scenario: 'approach-loiter' } },
]);
const CAMERA_PLAN = planOf('test-camera', [
  { id: 'bag', atS: 10, unit: 'director', action: text('遗留物'), inject: { kind: 'camera-event', camera: 'T2-DEP-01', event: 'unattended-object' } },
  { id: 'down', atS: 20, unit: 'director', action: text('摄像机离线'), inject: { kind: 'camera-outage', camera: 'vms/T2-DEP-02', durationS: 60 } },
]);

const settle = () => new Promise<void>((r) => setTimeout(r, 25));
async function until<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await settle();
  }
}

let core: Core;
let clock: ManualClock;
let coordinator: Session;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'skyfence-drill-range-'));
  clock = new ManualClock(Date.now());
  core = await startCore(loadConfig(['--data-dir', dataDir, '--demo', '--no-sim'], { SKYFENCE_ADMIN_PASSWORD: TEST_PASSWORD }), { clock, log: () => undefined });
  core.plans.get = (id: string) => {
    const plan = [DRONE_PLAN, CAMERA_PLAN].find((p) => p.id === id);
    if (!plan) throw new ApiError('not-found', `no plan ${id}`);
    return structuredClone(plan);
  };
  coordinator = await signedIn(core, 'drill');
});
afterAll(async () => {
  await core?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the drill range', () => {
  it('a drone scenario flies in a range of its own: drill tracks only, gone with the range at the abort', async () => {
    const drill = (await dispatch(core, coordinator, 'drill.start', { planId: 'test-drone', speed: 10 })) as DrillState;
    expect(core.sources.list().map((s) => s.id)).toEqual(expect.arrayContaining([DRILL_SOURCE_IDS.detection, DRILL_SOURCE_IDS.sapient]));
    // The core's clock moves with real time here, so that the range's polls and the simulator's sky agree.
    const drone = await until('a drill drone track', async () => {
      await clock.advanceAsync(250, settle);
      return core.drones.fusion.list().find((t) => t.drill);
    }, 30_000);
    expect(drone.drill).toBe(true);
    expect(core.drones.fusion.list().filter((t) => !t.drill)).toEqual([]);
    expect(core.drills.current()!.steps[0]).toMatchObject({ stepId: 'drone', status: 'fired', firedAtMs: 1_000 });

    await dispatch(core, coordinator, 'drill.control', { id: drill.id, action: 'abort', reason: 'test' });
    expect(core.drones.fusion.list().filter((t) => t.drill)).toEqual([]);
    expect(core.sources.list().filter((s) => s.id.startsWith('drill-'))).toEqual([]);
    expect((await core.db.all<{ n: number }>("SELECT COUNT(*) AS n FROM alarms WHERE drill = 1 AND state != 'closed'"))[0].n).toBe(0);
    expect(core.status().mode).toBe('live');
  });
});

describe('camera injects', () => {
  it('an event is the camera\'s analytic alarm as a drill alarm; an outage leaves the live camera state alone', async () => {
    const media = { snapshot: async () => TINY_JPEG, live: async () => null };
    core.cameras.setCameras('vms', [camera('vms/T2-DEP-01', { lon: 106.629, lat: 29.712 }), camera('vms/T2-DEP-02', { lon: 106.6292, lat: 29.7122 })], media, { frozen: false });
    await core.cameras.reportHealth('vms', [{ cameraId: 'T2-DEP-01', online: true }, { cameraId: 'T2-DEP-02', online: true }]);
    const stateOf = (id: string) => core.cameras.states().find((s) => s.id === id)!.health;
    expect(stateOf('vms/T2-DEP-02')).toBe('online');

    const drill = (await dispatch(core, coordinator, 'drill.start', { planId: 'test-camera', speed: 10 })) as DrillState;
    await clock.advanceAsync(1_000, settle);
    const event = await until('the analytic drill alarm', async () => (await core.alarms.list()).alarms.find((a) => a.type === 'video-analytic'));
    expect(event).toMatchObject({ drill: true, source: 'drill', details: { cameraId: 'vms/T2-DEP-01', analytic: 'unattended-object' } });

    await clock.advanceAsync(1_000, settle);
    const outage = await until('the drill outage alarm', async () => (await core.alarms.list()).alarms.find((a) => a.type === 'camera-offline'));
    expect(outage).toMatchObject({ drill: true, source: 'drill', details: { cameraIds: ['vms/T2-DEP-02'] } });
    expect(stateOf('vms/T2-DEP-02')).toBe('online');
    expect(core.drills.current()!.steps.map((s) => s.alarmId)).toEqual([event.id, outage.id]);

    // 60 s of drill time at 10× is 6 s of the core's clock: the system lifts the outage.
    await clock.advanceAsync(6_000, settle);
    await until('the outage lifted', async () => (await core.alarms.get(outage.id))!.state === 'closed');
    expect((await core.alarms.get(event.id))!.state).toBe('new');
    await dispatch(core, coordinator, 'drill.control', { id: drill.id, action: 'end' });
    expect(await core.alarms.get(event.id)).toMatchObject({ state: 'closed', resolution: { category: 'drill' } });
    expect(stateOf('vms/T2-DEP-02')).toBe('online');
  });
});
