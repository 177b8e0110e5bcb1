// The 1-3-5 clocks: targets per alarm type and zone from the site's clocks.json (a broken file keeps the console
// on the default, and says why), fixed on the alarm when raised and tightened when it moves into a stricter
// zone; the sweep on the core's clock escalates each overdue stage once, on the record, and stays cheap with
// 10,000 open alarms.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlarmService, type RaiseAlarm } from '../../src/main/core/alarms/alarm-service.ts';
import { ResponseClock } from '../../src/main/core/alarms/response-clock.ts';
import { advanceAlarmInTx, OVERDUE_WHERE, SqliteAlarmRepository } from '../../src/main/core/alarms/sqlite-alarm-repository.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { EventBus } from '../../src/main/core/event-bus.ts';
import { geodesicDirect } from '../../src/main/core/geo/local-frame.ts';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { Database } from '../../src/main/core/store/database.ts';
import type { EventPayloads } from '../../src/shared/contract/index.ts';
import type { Alarm, Person } from '../../src/shared/domain.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const dirs = tempDirs('skyfence-response-clock');
const DUTY: Person = { username: 'duty', displayName: '李明' };
let site: SiteModel;
let db: Database;
let clock: ManualClock;
let bus: EventBus;
let alarms: AlarmService;
let response: ResponseClock | null;
let log: string[];
let escalated: Array<EventPayloads['alarm.escalated']>;
let changed: Alarm[];

beforeAll(async () => {
  site = new SiteModel(await loadSiteFile(SAMPLE_SITE_FILE));
});
beforeEach(async () => {
  db = await Database.open(join(dirs.make(), 'console.db'));
  clock = new ManualClock();
  bus = new EventBus();
  alarms = new AlarmService(new SqliteAlarmRepository(db), bus, clock, site);
  response = null;
  log = [];
  escalated = [];
  changed = [];
  bus.subscribe((event, payload) => {
    if (event === 'alarm.escalated') escalated.push(payload as EventPayloads['alarm.escalated']);
    if (event === 'alarm.changed') changed.push(payload as Alarm);
  });
});
afterEach(async () => {
  await response?.stop();
  await db.close();
  dirs.removeAll();
});

/** A response clock on a site folder holding this clocks.json text (none: no file; 'sample': the sample site's). */
async function startClock(clocksJson: string | null | 'sample'): Promise<ResponseClock> {
  const siteDir = clocksJson === 'sample' ? dirname(SAMPLE_SITE_FILE) : dirs.make();
  if (clocksJson !== null && clocksJson !== 'sample') {
    mkdirSync(join(siteDir, 'response'), { recursive: true });
    writeFileSync(join(siteDir, 'response', 'clocks.json'), clocksJson);
  }
  response = new ResponseClock({ clock, bus, alarms, siteDir, log: (line) => log.push(line) });
  await response.load();
  response.start();
  return response;
}

/** Moves the core's clock, letting each second's sweep finish before the next (as the real clock would). */
const run = (ms: number) => clock.advanceAsync(ms, () => response!.sweep());

const arp = () => site.pack.aerodrome.referencePoint;
const at = (bearing: number, km: number) => {
  const [lon, lat] = geodesicDirect(arp(), bearing, km * 1000);
  return { lon, lat };
};
/** Inside the T3A core polygon. */
const T3A = { lon: 106.6601, lat: 29.725 };
const raise = (over: Partial<RaiseAlarm> = {}) =>
  alarms.raise({ source: 'manual', type: 'manual', severity: 2, position: at(200, 1), details: { note: '' }, ...over } as RaiseAlarm);
const auditActions = async (id: string) =>
  (await db.all<{ action: string; details: string }>('SELECT action, details FROM audit_log WHERE subject = ? ORDER BY id', [id])).map((r) => ({ action: r.action, details: JSON.parse(r.details) }));

describe('targets per alarm type and zone', () => {
  it('reads the sample site’s clocks.json: tighter for a drone over a terminal, looser for a camera fault, 1-3-5 otherwise', async () => {
    const rc = await startClock('sample');
    expect(rc.targetsSource).toMatchObject({ from: 'file', problems: [] });
    expect(site.innermostCircle(T3A.lon, T3A.lat)?.ring).toBe('core');
    const drone = rc.targetsFor('drone-threat', { circleRing: 'core', circleId: 'core-t3a', gridCellId: null });
    expect(drone).toEqual({ acknowledgeS: 60, dispatchS: 120, onSceneS: 300 });
    expect(rc.targetsFor('camera-offline', { circleRing: 'inner' })).toEqual({ acknowledgeS: 300, dispatchS: 900, onSceneS: 1800 });
    expect(rc.targetsFor('manual', { circleRing: 'inner' })).toEqual({ acknowledgeS: 60, dispatchS: 180, onSceneS: 300 });
    expect(rc.targetsFor('touch-circle', { circleRing: 'remote' })).toEqual({ acknowledgeS: 120, dispatchS: 600, onSceneS: 1200 });
    // Fixed on the alarm when raised, from where it is.
    const core = await raise({ position: T3A });
    expect(core).toMatchObject({ circleRing: 'core', clock: { targets: { acknowledgeS: 60, dispatchS: 180, onSceneS: 300 } } });
    const camera = await alarms.raise({ source: 'video', type: 'camera-offline', severity: 2, position: T3A, details: { cameraIds: ['C1'], group: null } });
    expect(camera.clock.targets).toEqual({ acknowledgeS: 300, dispatchS: 900, onSceneS: 1800 });
    expect((await alarms.get(camera.id))!.clock.targets).toEqual(camera.clock.targets);
  });

  it('matches rules in order, every given criterion (type, ring, circle, grid cell), rule targets over the default', async () => {
    const cell = site.gridCellAt(at(200, 1).lon, at(200, 1).lat)!.id;
    const rc = await startClock(JSON.stringify({
      format: 'skyfence-clocks', version: 1, default: { acknowledgeS: 90, dispatchS: 200, onSceneS: 400 },
      rules: [
        { id: 'cell', gridCellIds: [cell], alarmTypes: ['manual'], targets: { acknowledgeS: 20 } },
        { id: 't2', circleIds: ['core-t2'], targets: { acknowledgeS: 30, dispatchS: 60, onSceneS: 120 } },
        { id: 'later-never-wins', alarmTypes: ['manual'], targets: { acknowledgeS: 45 } },
      ],
    }));
    expect(rc.targetsFor('manual', { gridCellId: cell, circleRing: 'inner' })).toEqual({ acknowledgeS: 20, dispatchS: 200, onSceneS: 400 });
    expect(rc.targetsFor('video-analytic', { gridCellId: cell, circleRing: 'inner' })).toEqual({ acknowledgeS: 90, dispatchS: 200, onSceneS: 400 });
    expect(rc.targetsFor('video-analytic', { circleId: 'core-t2', circleRing: 'core' })).toEqual({ acknowledgeS: 30, dispatchS: 60, onSceneS: 120 });
    expect(rc.targetsFor('manual', { circleId: 'core-t3a', circleRing: 'core' })).toEqual({ acknowledgeS: 45, dispatchS: 200, onSceneS: 400 });
    expect(rc.targetsFor('video-analytic', {})).toEqual({ acknowledgeS: 90, dispatchS: 200, onSceneS: 400 });
    expect((await raise()).clock.targets).toEqual({ acknowledgeS: 20, dispatchS: 200, onSceneS: 400 });
  });

  it('keeps the console on 1-3-5 when clocks.json is broken, naming the file and the JSON path of each problem', async () => {
    const rc = await startClock(JSON.stringify({
      format: 'skyfence-clocks', version: 1,
      rules: [
        { id: 'a', alarmTypes: ['drone-threat'], targets: { acknowledgeS: 600, dispatchS: 120 } },
        { id: 'b', circleRings: ['middle'], targets: { onSceneS: 5 } },
      ],
    }));
    expect(rc.targetsSource.from).toBe('default');
    expect(rc.targetsSource.problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^response\/clocks\.json: \$\.rules\[1\]\.circleRings\[0\]: /),
      expect.stringMatching(/^response\/clocks\.json: \$\.rules\[1\]\.targets\.onSceneS: at least 10 s/),
    ]));
    expect(log.join('\n')).toContain('the 1-3-5 targets (60/180/300 s) apply to every alarm');
    expect(log.join('\n')).toContain('$.rules[1].targets.onSceneS');
    expect(rc.targetsFor('drone-threat', { circleRing: 'core' })).toEqual({ acknowledgeS: 60, dispatchS: 180, onSceneS: 300 });
    expect((await raise()).clock.targets).toEqual({ acknowledgeS: 60, dispatchS: 180, onSceneS: 300 });
  });

  it('refuses targets that go backwards, a repeated rule id, and text that is not JSON', async () => {
    const backwards = await startClock(JSON.stringify({
      format: 'skyfence-clocks', version: 1, rules: [{ id: 'a', targets: { acknowledgeS: 600 } }, { id: 'a', targets: {} }],
    }));
    expect(backwards.targetsSource.problems).toEqual([
      expect.stringContaining('$.rules[0].targets: the targets must not decrease'),
      expect.stringContaining('$.rules[1].id: a second rule "a"'),
    ]);
    await response!.stop();
    const notJson = await startClock('{ "format": "skyfence-clocks", ');
    expect(notJson.targetsSource.problems).toEqual([expect.stringMatching(/^response\/clocks\.json: \$: not valid JSON/)]);
  });

  it('uses 1-3-5 without a file, and says so', async () => {
    const rc = await startClock(null);
    expect(rc.targetsSource).toMatchObject({ from: 'default', problems: [] });
    expect(log).toEqual([expect.stringContaining('no response/clocks.json')]);
  });

  it('tightens the targets still to come when the alarm moves into a stricter zone, counted from then', async () => {
    await startClock('sample');
    const key = 'touch:radar/UAV-1';
    const [far] = await alarms.report([{ source: 'perception', type: 'touch-circle', severity: 1, position: at(200, 15), key, details: touch('remote') } as RaiseAlarm]);
    expect(far).toMatchObject({ circleRing: 'remote', clock: { targets: { acknowledgeS: 120, dispatchS: 600, onSceneS: 1200 } } });
    await alarms.acknowledge(far.id, DUTY);
    await run(400_000); // 400 s later it is over terminal T3A
    const [near] = await alarms.report([{ source: 'perception', type: 'touch-circle', severity: 4, position: T3A, key, details: touch('core') } as RaiseAlarm]);
    // acknowledged: keeps 120; dispatch: min(600, 400 + 120); on scene: min(1200, 400 + 300).
    expect(near).toMatchObject({ id: far.id, circleRing: 'core', clock: { targets: { acknowledgeS: 120, dispatchS: 520, onSceneS: 700 } } });
    expect((await alarms.get(far.id))!.clock.targets).toEqual(near.clock.targets);
  });
});

const touch = (ring: 'remote' | 'core') => ({
  trackId: 'UAV-1', sourceId: 'radar', circleId: ring === 'core' ? 'core-t3a' : 'remote', circleName: { zh: 'x', en: 'x' }, ring, path: [ring], classification: 'drone',
});

describe('the sweep', () => {
  it('escalates an unacknowledged alarm once at 61 s: overdue acknowledge, on the record, told to the commander', async () => {
    await startClock(null);
    const a = await raise();
    await run(60_000);
    expect(escalated).toEqual([]);
    await run(1000);
    const after = (await alarms.get(a.id))!;
    expect(after).toMatchObject({ state: 'new', escalatedAt: a.raisedAt + 61_000, clock: { overdue: [{ stage: 'acknowledge', at: a.raisedAt + 61_000 }] } });
    expect(escalated).toEqual([{ alarm: after, stage: 'acknowledge', at: a.raisedAt + 61_000, by: 'system' }]);
    expect(changed.at(-1)).toEqual(after);
    await run(60_000);
    expect(escalated).toHaveLength(1);
    expect(await auditActions(a.id)).toEqual([
      { action: 'alarm.raise', details: { type: 'manual', severity: 2 } },
      { action: 'alarm.overdue', details: { stage: 'acknowledge', dueAt: a.raisedAt + 60_000 } },
    ]);
  });

  it('never escalates a drill alarm to the commander (its drill times it in drill time, paused or at 10×), beside a live one that is', async () => {
    await startClock(null);
    const drill = await raise({ source: 'drill', drill: true });
    const live = await raise();
    await run(400_000);
    expect(escalated.map((e) => [e.alarm.id, e.stage])).toEqual([[live.id, 'acknowledge'], [live.id, 'dispatch'], [live.id, 'on-scene']]);
    const after = (await alarms.get(drill.id))!;
    expect(after).toMatchObject({ state: 'new', escalatedAt: null, clock: { overdue: [] } });
    expect((await auditActions(drill.id)).map((e) => e.action)).toEqual(['alarm.raise']);
  });

  it('does not escalate an alarm acknowledged at 30 s until its dispatch is overdue at 181 s, then on scene at 301 s', async () => {
    await startClock(null);
    const a = await raise();
    await run(30_000);
    await alarms.acknowledge(a.id, DUTY);
    await run(150_000);
    expect(escalated).toEqual([]);
    await run(1000);
    expect(escalated.map((e) => [e.stage, e.at - a.raisedAt])).toEqual([['dispatch', 181_000]]);
    await db.transaction((tx) => advanceAlarmInTx(tx, a.id, { stage: 'dispatched', at: clock.now() }));
    await run(120_000);
    expect(escalated.map((e) => [e.stage, e.at - a.raisedAt])).toEqual([['dispatch', 181_000], ['on-scene', 301_000]]);
    const after = (await alarms.get(a.id))!;
    expect(after).toMatchObject({ state: 'dispatched', escalatedAt: a.raisedAt + 181_000 });
    expect(after.clock.overdue.map((o) => o.stage)).toEqual(['dispatch', 'on-scene']);
    expect((await auditActions(a.id)).filter((e) => e.action === 'alarm.overdue').map((e) => e.details.stage)).toEqual(['dispatch', 'on-scene']);
  });

  it('escalates every stage a late sweep finds due at once, each once; stops timing a resolved or closed alarm', async () => {
    await startClock(null);
    response!.stop();
    const late = await raise();
    const resolved = await raise();
    const closed = await raise();
    const drill = await raise({ drill: true });
    await alarms.acknowledge(resolved.id, DUTY);
    await alarms.resolve(resolved.id, '', DUTY);
    await alarms.close(closed.id, DUTY, { category: 'false-alarm', note: 'x' });
    clock.advance(400_000); // the console was busy (or asleep): one sweep finds all three stages due
    await response!.sweep();
    expect((await alarms.get(late.id))!.clock.overdue.map((o) => o.stage)).toEqual(['acknowledge', 'dispatch', 'on-scene']);
    expect((await alarms.get(drill.id))!.clock.overdue).toEqual([]); // a drill times its own alarms
    expect((await alarms.get(resolved.id))!.clock.overdue).toEqual([]);
    expect((await alarms.get(closed.id))!.clock.overdue).toEqual([]);
    expect(escalated.filter((e) => e.alarm.id === late.id).map((e) => e.stage)).toEqual(['acknowledge', 'dispatch', 'on-scene']);
    await response!.sweep();
    expect(escalated).toHaveLength(3);
  });

  it('uses the targets fixed on each alarm (a camera fault waits 5 minutes for its acknowledgement)', async () => {
    await startClock('sample');
    const camera = await alarms.raise({ source: 'video', type: 'camera-offline', severity: 2, position: T3A, details: { cameraIds: ['C1'], group: null } });
    const fence = await raise();
    await run(61_000);
    expect(escalated.map((e) => e.alarm.id)).toEqual([fence.id]);
    await run(240_000);
    expect(escalated.filter((e) => e.alarm.id === camera.id).map((e) => [e.stage, e.at - camera.raisedAt])).toEqual([['acknowledge', 301_000]]);
  });

  it('logs a failed sweep and carries on with the next', async () => {
    await startClock(null);
    const a = await raise();
    const original = alarms.escalateOverdue.bind(alarms);
    let fail = true;
    alarms.escalateOverdue = () => (fail ? Promise.reject(new Error('disk I/O error')) : original());
    await run(61_000);
    expect(log.some((l) => l.includes('the overdue sweep failed (disk I/O error)'))).toBe(true);
    fail = false;
    await run(1000);
    expect((await alarms.get(a.id))!.clock.overdue).toHaveLength(1);
  });

  it('leaves no timer behind once stopped', async () => {
    await startClock(null);
    expect(clock.timersPending).toBe(1);
    await response!.stop();
    expect(clock.timersPending).toBe(0);
  });
});

describe('with 10,000 open alarms', () => {
  const flood = (n: number) => alarms.raiseBatch(Array.from({ length: n }, (_, i) => ({
    source: 'video' as const, type: 'camera-offline' as const, severity: 2 as const, position: null, details: { cameraIds: [`CAM-${i}`], group: null },
  })));
  /** The best of three sweeps: what a sweep costs, not how long another test file held the CPU. */
  const timed = async () => {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await response!.sweep();
      best = Math.min(best, performance.now() - started);
    }
    return best;
  };

  it('sweeps in one indexed query, well under 200 ms, whether nothing is due or everything went overdue long ago; a flood goes overdue in batches', async () => {
    await startClock(null);
    await response!.stop();
    await flood(10_000);
    const plan = await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN SELECT id FROM alarms WHERE ${OVERDUE_WHERE} LIMIT 1`, [0, 0, 0, 0]);
    expect(plan.map((p) => p.detail).join(' ')).toContain('alarms_open_raised');
    clock.advance(30_000);
    const nothingDue = await timed();
    expect(escalated).toEqual([]);
    clock.advance(400_000);
    // Every stage of all 10,000 is due at once: marked 1,000 alarms per sweep (short writes), all within ten sweeps.
    let sweeps = 0;
    while (escalated.length < 30_000 && sweeps < 20) {
      await response!.sweep();
      sweeps++;
    }
    expect(escalated).toHaveLength(30_000);
    expect(sweeps).toBe(10);
    clock.advance(1000);
    const allOverdue = await timed();
    console.log(`sweep with 10,000 open: ${nothingDue.toFixed(1)} ms with nothing due, ${allOverdue.toFixed(1)} ms with all overdue already`);
    expect(nothingDue).toBeLessThan(200);
    expect(allOverdue).toBeLessThan(200);
    expect(await db.all('SELECT 1 FROM audit_log WHERE action = ?', ['alarm.overdue'])).toHaveLength(30_000);
  });
});
