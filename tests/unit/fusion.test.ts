// The drone fusion on a manual clock and a real SQLite database: one track per object whatever sensors see it,
// identity and pilot from Remote ID, a tight swarm kept apart, states over time, a batch stored or nothing
// moved, the history by track and by time, the id sequence across restarts, drills kept apart from live.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/core/clock.ts';
import type { DroneAlarmPolicy, ThreatJudge } from '../../src/main/core/drones/drone-ports.ts';
import { DroneHistoryRetention } from '../../src/main/core/drones/drone-history.ts';
import { DroneTrackRepository } from '../../src/main/core/drones/drone-track-repository.ts';
import { UNJUDGED } from '../../src/main/core/drones/fused-track.ts';
import { DroneFusion } from '../../src/main/core/drones/fusion.ts';
import { EventBus } from '../../src/main/core/event-bus.ts';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { Database } from '../../src/main/core/store/database.ts';
import type { DronesChanged } from '../../src/shared/contract/drones.ts';
import type { DroneDetection, DroneSensorKind, DroneTrack, ThreatLevel } from '../../src/shared/drones.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

const site = new SiteModel(await loadSiteFile(SAMPLE_SITE_FILE));
const [lon0, lat0] = site.pack.aerodrome.referencePoint;
const elevation = site.pack.aerodrome.elevationM;
/** A point this many metres east and north of the aerodrome reference point. */
const near = (eastM: number, northM: number) => ({
  lon: lon0 + eastM / (111_320 * Math.cos((lat0 * Math.PI) / 180)),
  lat: lat0 + northM / 110_574,
});

let dir: string;
let db: Database;
let clock: ManualClock;
let bus: EventBus;
let events: DronesChanged[];
let logs: string[];
let fusion: DroneFusion;
/** What the fake judge says: by default level 1 below 150 m above the aerodrome, 3 above. */
let judgeLevel: (t: { heightAglM: number | null }) => ThreatLevel;
let applyCalls: Array<{ picture: DroneTrack[]; changed: string[] }>;
let applyFails: boolean;
let swarms: Map<string, string>;

const threat: ThreatJudge = { assess: (t) => ({ ...UNJUDGED, level: judgeLevel(t) }) };
const alarms: DroneAlarmPolicy = {
  async apply(picture, changed) {
    applyCalls.push({ picture: [...picture], changed: [...changed].sort() });
    if (applyFails) throw new Error('alarms could not be stored (test)');
    return swarms;
  },
};
const newFusion = () => new DroneFusion({ db, clock, bus, site, threat, alarms, log: (l) => logs.push(l) });

function det(sensorId: string, sensorKind: DroneSensorKind, objectId: string, eastM: number, northM: number, extra: Partial<DroneDetection> = {}): DroneDetection {
  return { sensorId, sensorKind, objectId, at: clock.now(), position: { ...near(eastM, northM), altM: elevation + 100 }, ...extra };
}
const tracks = () => fusion.list().sort((a, b) => a.id.localeCompare(b.id));
const countRows = async (table: string) => (await db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skyfence-fusion-'));
  db = await Database.open(join(dir, 'console.db'));
  clock = new ManualClock();
  bus = new EventBus();
  events = [];
  logs = [];
  bus.subscribe((e, p) => e === 'drones.changed' && events.push(p as DronesChanged));
  judgeLevel = (t) => ((t.heightAglM ?? 0) > 150 ? 3 : 1);
  applyCalls = [];
  applyFails = false;
  swarms = new Map();
  fusion = newFusion();
  await fusion.start();
});
afterEach(async () => {
  await fusion.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('association', () => {
  it("follows a sensor's id of an object, and gives each new object the next console id", async () => {
    for (let s = 0; s < 3; s++) {
      await fusion.reportDetections('detect', [
        det('detect', 'detection', 'D-1', s * 10, 0, { speedMps: 10, headingDeg: 90, classification: 'drone', confidence: 0.7 }),
        det('detect', 'detection', 'D-2', 3000, 3000),
      ]);
      clock.advance(1_000);
    }
    expect(tracks().map((t) => [t.id, t.label, t.contacts.map((c) => c.objectId)])).toEqual([
      ['UAS-000001', 'UAS-000001', ['D-1']], ['UAS-000002', 'UAS-000002', ['D-2']],
    ]);
    const d1 = fusion.get('UAS-000001')!;
    expect(d1.position.lon).toBeCloseTo(near(20, 0).lon, 9);
    expect(d1).toMatchObject({ state: 'active', classification: 'drone', confidence: 0.7, speedMps: 10, headingDeg: 90, identity: null, pilot: null, drill: false });
    expect(d1.heightAglM).toBeCloseTo(100, 6); // altitude minus the aerodrome elevation: the sensor gave none
    expect(d1.firstSeen).toBe(d1.lastSeen - 2_000);
    // One event per batch, with the tracks that batch moved.
    expect(events.map((e) => [e.updated.map((t) => t.id), e.removed])).toEqual(Array(3).fill([['UAS-000001', 'UAS-000002'], []]));
    expect(applyCalls.at(-1)!.changed).toEqual(['UAS-000001', 'UAS-000002']);
  });

  it('joins a detection system and a Remote ID receiver by serial: one track with the identity and the pilot', async () => {
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-7', 0, 0, { classification: 'unknown', identity: { serial: '1596F3ABCD', operatorId: 'CHN-OP-1' } })]);
    clock.advance(500);
    // 400 m away (the receiver's fix and the radar's differ): too far to gate, the serial says it is the same drone.
    const pilot = { ...near(-800, -200), altM: elevation + 1 };
    await fusion.reportDetections('rid', [det('rid', 'remote-id', '1596F3ABCD', 400, 0, {
      heightAglM: 95, speedMps: 6, identity: { serial: '1596F3ABCD', registrationId: 'UAS-CN-0042', uaType: 'helicopter-or-multirotor', operatorId: null, selfIdText: 'survey' }, pilot,
    })]);
    expect(tracks()).toHaveLength(1);
    expect(tracks()[0]).toMatchObject({
      id: 'UAS-000001', label: '1596F3ABCD', classification: 'drone', heightAglM: 95, speedMps: 6, pilot,
      identity: { serial: '1596F3ABCD', registrationId: 'UAS-CN-0042', uaType: 'helicopter-or-multirotor', operatorId: 'CHN-OP-1', selfIdText: 'survey' },
    });
    expect(tracks()[0].contacts.map((c) => [c.sensorKind, c.objectId])).toEqual([['detection', 'D-7'], ['remote-id', '1596F3ABCD']]);
    const stored = await db.get<{ serial: string; identity: string; label: string }>('SELECT serial, identity, label FROM drone_tracks');
    expect(stored).toMatchObject({ serial: '1596F3ABCD', label: '1596F3ABCD' });
    expect(JSON.parse(stored!.identity)).toMatchObject({ registrationId: 'UAS-CN-0042' });
  });

  it('joins a radar and a detection system of the same drone by gating, and keeps a bird and a second radar object apart', async () => {
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-3', 0, 0, { classification: 'drone', confidence: 0.6, speedMps: 12, headingDeg: 0 })]);
    clock.advance(1_000);
    await fusion.reportDetections('radar', [
      // 12 m/s north for 1 s: 12 m on, 40 m east of where it was: the same drone.
      det('radar', 'sapient', 'R-17', 40, 12, { classification: 'drone', confidence: 0.8 }),
      // A bird 30 m away never joins a drone.
      det('radar', 'sapient', 'R-18', -30, 0, { classification: 'bird', confidence: 0.9 }),
    ]);
    expect(tracks().map((t) => [t.id, t.classification, t.confidence, t.contacts.map((c) => c.objectId)])).toEqual([
      ['UAS-000001', 'drone', 0.8, ['D-3', 'R-17']], ['UAS-000002', 'bird', 0.9, ['R-18']],
    ]);
    clock.advance(1_000);
    // The radar keeps reporting R-17 and now reports another object beside it: the radar never sees one object twice.
    await fusion.reportDetections('radar', [det('radar', 'sapient', 'R-17', 40, 24), det('radar', 'sapient', 'R-19', 60, 24)]);
    expect(tracks().map((t) => [t.id, t.contacts.map((c) => c.objectId)])).toEqual([
      ['UAS-000001', ['D-3', 'R-17']], ['UAS-000002', ['R-18']], ['UAS-000003', ['R-19']],
    ]);
    // Out of the gate in height: 80 m above, a new object.
    await fusion.reportDetections('radar2', [det('radar2', 'sapient', 'X-1', 40, 24, { position: { ...near(40, 24), altM: elevation + 180 } })]);
    expect(tracks()).toHaveLength(4);
  });

  it('gives each track at most one detection of a batch by gating: two fixes nearest the same drone go to two drones', async () => {
    await fusion.reportDetections('detect', [det('detect', 'detection', 'A', 0, 0), det('detect', 'detection', 'B', 30, 0)]);
    // Both radar fixes are nearer A than B; the closest pair is taken first, the other fix goes to B.
    await fusion.reportDetections('radar', [det('radar', 'sapient', 'R-2', 14, 0), det('radar', 'sapient', 'R-1', 5, 0)]);
    expect(tracks().map((t) => t.contacts.map((c) => c.objectId))).toEqual([['A', 'R-1'], ['B', 'R-2']]);
  });

  it('keeps a swarm of 50 at 20–60 m spacing as 50 tracks across 20 batches from 3 sensors', async () => {
    // A 10 × 5 grid, columns 20–60 m apart, rows 25 m apart, flying north-east at 8 m/s; each sensor's fix is
    // off by up to 3 m each way (a fixed pseudo-random pattern).
    const colX = [0, 20, 45, 105, 130, 160, 200, 225, 260, 290];
    const home = Array.from({ length: 50 }, (_, i) => ({ x: colX[i % 10], y: Math.floor(i / 10) * 25 }));
    const noise = (i: number, k: number) => (((i * 7919 + k * 104729) % 61) / 10) - 3;
    const speed = 8;
    const heading = 45;
    const at = (i: number, s: number, k: number) => {
      const travelled = speed * s;
      return [home[i].x + travelled * Math.SQRT1_2 + noise(i, k), home[i].y + travelled * Math.SQRT1_2 + noise(i, k + 1)] as const;
    };
    const t0 = clock.now();
    for (let batch = 0; batch < 20; batch++) {
      for (const [k, sensor, kind] of [[0, 'detect', 'detection'], [2, 'radar', 'sapient'], [4, 'rid', 'remote-id']] as const) {
        const s = (clock.now() - t0) / 1000;
        await fusion.reportDetections(sensor, home.map((_, i) => {
          const [x, y] = at(i, s, k + batch);
          const objectId = kind === 'remote-id' ? `SN-${i}` : `${sensor}-${i}`;
          return det(sensor, kind, objectId, x, y, {
            speedMps: speed, headingDeg: heading, classification: 'drone',
            identity: kind === 'remote-id' ? { serial: `SN-${i}` } : undefined,
          });
        }));
        clock.advance(300);
      }
      clock.advance(100);
    }
    const all = tracks();
    expect(all).toHaveLength(50);
    // Every track has the three sensors' ids of the same drone.
    const wrong = all.filter((t) => {
      const ids = t.contacts.map((c) => c.objectId.replace(/^(detect|radar|SN)-/, ''));
      return ids.length !== 3 || new Set(ids).size !== 1;
    });
    expect(wrong.map((t) => t.contacts.map((c) => c.objectId))).toEqual([]);
    expect(await countRows('drone_detections')).toBe(50 * 3 * 20);
  });

  it('never joins drill detections with live tracks, even with the same ids and serial', async () => {
    const identity = { serial: 'SN-DRILL' };
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 0, 0, { identity })]);
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 0, 0, { identity, drill: true })]);
    await fusion.reportDetections('radar', [det('radar', 'sapient', 'R-1', 5, 5, { drill: true })]);
    expect(tracks().map((t) => [t.id, t.drill, t.contacts.map((c) => c.objectId)])).toEqual([
      ['UAS-000001', false, ['D-1']], ['UAS-000002', true, ['D-1', 'R-1']],
    ]);
    expect(await db.all('SELECT id, drill FROM drone_tracks ORDER BY id')).toEqual([{ id: 'UAS-000001', drill: 0 }, { id: 'UAS-000002', drill: 1 }]);
  });

  it('skips a malformed detection with what is wrong and where, and fuses the rest', async () => {
    const bad = det('detect', 'detection', 'D-9', 0, 0);
    (bad.position as { lat: unknown }).lat = Number.NaN;
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 0, 0), bad, det('other', 'detection', 'D-2', 0, 0)]);
    expect(tracks().map((t) => t.label)).toEqual(['UAS-000001']);
    expect(logs).toEqual([
      'drones: sensor detect: skipped 2 of 3 detections: detection 1: position.lat: Invalid input: expected number, received NaN; detection 2: sensorId: "other" in a batch of sensor "detect"',
    ]);
  });
});

describe('the skipped-detections log', () => {
  it('logs one line per sensor per 10 s, counts what it held back, and quotes a sensor only as printable text', async () => {
    const bad = (sensorId: string) => det(sensorId, 'detection', 'D', 0, 0, { at: 0 });
    for (let i = 0; i < 50; i++) await fusion.reportDetections('detect', [bad('detect'), bad('detect')]);
    await fusion.reportDetections('other', [bad('other')]);
    expect(logs.map((l) => l.split(': detection 0')[0])).toEqual(['drones: sensor detect: skipped 2 of 2 detections', 'drones: sensor other: skipped 1 of 1 detections']);
    clock.advance(10_000);
    await fusion.reportDetections('detect', [det('detect\nFORGED line\u202e', 'detection', 'D', 0, 0)]);
    expect(logs).toHaveLength(3);
    expect(logs[2]).toBe('drones: sensor detect: skipped 1 of 1 detections: detection 0: sensorId: "detect\\nFORGED line\\u202e" in a batch of sensor "detect"; 98 more skipped since the last line');
  });
});

describe('printable ids', () => {
  it('refuses an object id with control or text-direction characters, and strips them from the identity text', async () => {
    const identity = { serial: '1581\u202eF5', registrationId: null, uaType: 'helicopter-or-multirotor', operatorId: 'OP\u0000-1', selfIdText: '\u2066\u2069' };
    await fusion.reportDetections('rid', [
      det('rid', 'remote-id', 'ctrl\u0000\u001b[31m\u202e', 0, 0),
      det('rid', 'remote-id', 'left\u200f', 400, 0),
      det('rid', 'remote-id', 'RID-1', 900, 0, { identity }),
    ]);
    expect(tracks().map((t) => [t.label, t.identity])).toEqual([
      ['1581F5', { serial: '1581F5', registrationId: null, uaType: 'helicopter-or-multirotor', operatorId: 'OP-1', selfIdText: null }],
    ]);
    expect(tracks()[0].contacts.map((c) => c.objectId)).toEqual(['RID-1']);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('skipped 2 of 3 detections: detection 0: objectId: "ctrl\\u0000\\u001b[31m\\u202e" has control or text-direction characters; detection 1: objectId: "left\\u200f"');
    // What is stored is the cleaned detection too.
    const stored = await db.all<{ payload: string }>('SELECT payload FROM drone_detections');
    expect(stored.map((r) => JSON.parse(r.payload).identity?.serial)).toEqual(['1581F5']);
  });
});

describe('detection times', () => {
  it('skips a detection stamped before a track would be lost (1970) or more than a minute ahead, and raises nothing for it', async () => {
    clock.advance(1_000_000);
    const now = clock.now();
    await fusion.reportDetections('radar', [
      det('radar', 'sapient', 'past', 0, 0, { at: 1_000 }),
      det('radar', 'sapient', 'stale', 0, 0, { at: now - 90_001 }),
      det('radar', 'sapient', 'future', 0, 0, { at: now + 60_001 }),
      det('radar', 'sapient', 'late', 900, 0, { at: now - 89_000 }),
      det('radar', 'sapient', 'early', 1_800, 0, { at: now + 59_000 }),
    ]);
    expect(tracks().map((t) => [t.contacts[0].objectId, t.state])).toEqual([['late', 'aging'], ['early', 'active']]);
    expect(applyCalls.map((c) => c.changed)).toEqual([['UAS-000001', 'UAS-000002']]);
    expect(await countRows('drone_detections')).toBe(2);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('skipped 3 of 5 detections');
    expect(logs[0]).toContain('detection 0: at: 1970-01-01T00:00:01.000Z is');
    expect(logs[0]).toContain('older than a lost track (90 s)');
    expect(logs[0]).toContain('detection 2: at:');
    expect(logs[0]).toContain('s ahead of the console\'s clock (at most 60 s)');
  });

  it('hands the alarm policy no lost track to raise for when it re-judges', async () => {
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 0, 0)]);
    clock.advance(60_000);
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-2', 900, 0)]);
    clock.advance(31_000);
    expect(tracks().map((t) => t.state)).toEqual(['lost', 'aging']);
    judgeLevel = () => 4;
    await fusion.reassess();
    expect(applyCalls.at(-1)!.changed).toEqual(['UAS-000002']);
    expect(applyCalls.at(-1)!.picture.map((t) => t.id)).toEqual(['UAS-000001', 'UAS-000002']);
  });
});

describe('states', () => {
  it('ages a track to aging after 30 s and lost after 90 s, drops it after 180 s, and picks it up again by its id before that', async () => {
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 0, 0), det('detect', 'detection', 'D-2', 500, 0)]);
    events = [];
    const stateOf = (id: string) => fusion.get(id)?.state ?? 'dropped';
    clock.advance(30_000);
    expect(stateOf('UAS-000001')).toBe('active');
    clock.advance(1_000);
    expect([stateOf('UAS-000001'), stateOf('UAS-000002')]).toEqual(['aging', 'aging']);
    // D-2 is seen again: active at once (by its id, whatever the gate says).
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-2', 900, 0)]);
    expect(stateOf('UAS-000002')).toBe('active');
    clock.advance(60_000);
    expect(stateOf('UAS-000001')).toBe('lost');
    clock.advance(89_000);
    expect(stateOf('UAS-000001')).toBe('lost');
    clock.advance(1_000);
    expect(stateOf('UAS-000001')).toBe('dropped');
    expect(fusion.list().map((t) => t.id)).toEqual(['UAS-000002']);
    const ticks = events.filter((e) => e.removed.length || e.updated.every((t) => t.state !== 'active'));
    expect(ticks.map((e) => [e.updated.map((t) => `${t.id}:${t.state}`), e.removed])).toEqual([
      [['UAS-000001:aging', 'UAS-000002:aging'], []], // at 31 s
      [['UAS-000002:aging'], []], // 31 s after it was seen again
      [['UAS-000001:lost'], []], // at 91 s
      [['UAS-000002:lost'], []],
      [[], ['UAS-000001']], // at 181 s
    ]);
    // Once dropped, the object is new again (history keeps the old track).
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 0, 0)]);
    expect(fusion.list().map((t) => t.id)).toEqual(['UAS-000002', 'UAS-000003']);
    await fusion.stop();
    expect(clock.timersPending).toBe(0); // a stopped fusion leaves no timer behind
  });
});

describe('a batch is stored, or nothing moves', () => {
  it('changes nothing when the store fails, and the next batch succeeds', async () => {
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 0, 0)]);
    const before = fusion.list();
    events = [];
    applyCalls = [];
    await db.exec(`CREATE TEMP TRIGGER full BEFORE INSERT ON drone_detections BEGIN SELECT RAISE(ABORT, 'database or disk is full (test)'); END`);
    clock.advance(1_000);
    await expect(fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 10, 0), det('detect', 'detection', 'D-2', 900, 0)])).rejects.toThrow('database or disk is full (test)');
    expect(fusion.list()).toEqual(before);
    expect([events, applyCalls]).toEqual([[], []]);
    // The track rows written before the detections in the same transaction were rolled back too.
    expect(await db.all('SELECT id, last_seen FROM drone_tracks')).toEqual([{ id: 'UAS-000001', last_seen: before[0].lastSeen }]);
    await db.exec('DROP TRIGGER temp.full');
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 10, 0), det('detect', 'detection', 'D-2', 900, 0)]);
    // The id the failed batch would have given is given now: nothing was spent.
    expect(tracks().map((t) => [t.id, t.label, t.lastSeen])).toEqual([['UAS-000001', 'UAS-000001', clock.now()], ['UAS-000002', 'UAS-000002', clock.now()]]);
    expect(await countRows('drone_detections')).toBe(3);
  });

  it('keeps the picture as it was when the alarms cannot be written, with the detections stored; the next batch judges again', async () => {
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 0, 0)]);
    const before = fusion.list();
    events = [];
    applyFails = true;
    clock.advance(1_000);
    await expect(fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 10, 0), det('detect', 'detection', 'D-2', 900, 0)])).rejects.toThrow('alarms could not be stored (test)');
    expect(fusion.list()).toEqual(before);
    expect(events).toEqual([]);
    expect((await fusion.history({ limit: 10 })).points.map((p) => [p.trackId, p.sensorId])).toEqual([['UAS-000001', 'detect'], ['UAS-000001', 'detect'], ['UAS-000002', 'detect']]);
    applyFails = false;
    clock.advance(1_000);
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 20, 0), det('detect', 'detection', 'D-2', 900, 0)]);
    // (By the sensor's ids: the failed batch spent the id it gave D-2.)
    expect(tracks().map((t) => [t.contacts[0].objectId, t.lastSeen])).toEqual([['D-1', clock.now()], ['D-2', clock.now()]]);
    expect(applyCalls.at(-1)!.picture.map((t) => t.contacts[0].objectId).sort()).toEqual(['D-1', 'D-2']);
    expect(events).toHaveLength(1);
  });

  it('takes swarm membership from the alarm policy, for tracks the batch did not move too', async () => {
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 0, 0), det('detect', 'detection', 'D-2', 40, 0)]);
    swarms = new Map([['UAS-000001', 'SWARM-1'], ['UAS-000002', 'SWARM-1']]);
    events = [];
    await fusion.reportDetections('radar', [det('radar', 'sapient', 'R-1', 2, 0)]);
    expect(tracks().map((t) => [t.id, t.swarmId])).toEqual([['UAS-000001', 'SWARM-1'], ['UAS-000002', 'SWARM-1']]);
    expect(events.map((e) => e.updated.map((t) => t.id).sort())).toEqual([['UAS-000001', 'UAS-000002']]);
  });

  it('re-judges every track on reassess, hands every id to the alarm policy and keeps the worst level stored', async () => {
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-1', 0, 0), det('detect', 'detection', 'D-2', 900, 0)]);
    expect(tracks().map((t) => t.threat.level)).toEqual([1, 1]);
    judgeLevel = () => 4;
    events = [];
    await fusion.reassess();
    expect(tracks().map((t) => t.threat.level)).toEqual([4, 4]);
    expect(applyCalls.at(-1)!.changed).toEqual(['UAS-000001', 'UAS-000002']);
    expect(events.map((e) => e.updated.map((t) => t.threat.level))).toEqual([[4, 4]]);
    judgeLevel = () => 2;
    await fusion.reassess();
    expect(await db.all('SELECT id, max_level FROM drone_tracks ORDER BY id')).toEqual([{ id: 'UAS-000001', max_level: 4 }, { id: 'UAS-000002', max_level: 4 }]);
  });
});

describe('history', () => {
  it('gives a track’s points in time order with the level judged, or every track in a window, and says when it is truncated', async () => {
    const t0 = clock.now();
    for (let s = 0; s < 5; s++) {
      await fusion.reportDetections('detect', [
        det('detect', 'detection', 'D-1', s * 10, 0, { position: { ...near(s * 10, 0), altM: elevation + 100 + s * 30 } }),
        det('detect', 'detection', 'D-2', 3000, 0),
      ]);
      clock.advance(1_000);
    }
    const one = await fusion.history({ trackId: 'UAS-000001', limit: 100 });
    expect(one.truncated).toBe(false);
    expect(one.points.map((p) => [p.at - t0, Math.round(p.altM - elevation), p.level, p.sensorKind, p.sensorId])).toEqual([
      [0, 100, 1, 'detection', 'detect'], [1000, 130, 1, 'detection', 'detect'], [2000, 160, 3, 'detection', 'detect'],
      [3000, 190, 3, 'detection', 'detect'], [4000, 220, 3, 'detection', 'detect'],
    ]);
    expect(one.points[4].lon).toBeCloseTo(near(40, 0).lon, 9);
    const window = await fusion.history({ from: t0 + 1000, to: t0 + 2000, limit: 100 });
    expect(window.points.map((p) => [p.trackId, p.at - t0])).toEqual([['UAS-000001', 1000], ['UAS-000002', 1000], ['UAS-000001', 2000], ['UAS-000002', 2000]]);
    const cut = await fusion.history({ limit: 3 });
    expect([cut.truncated, cut.points.map((p) => p.at - t0)]).toEqual([true, [0, 0, 1000]]);
    expect(await db.get('SELECT max_level FROM drone_tracks WHERE id = ?', ['UAS-000001'])).toEqual({ max_level: 3 });
  });

  it('deletes detections and tracks older than the kept period, in batches, and keeps the rest', async () => {
    await fusion.stop();
    fusion = new DroneFusion({ db, clock, bus, site, threat, alarms, log: (l) => logs.push(l), historyKeepMs: 10 * 24 * 3600_000 });
    await fusion.start();
    await fusion.reportDetections('detect', Array.from({ length: 12 }, (_, i) => det('detect', 'detection', `OLD-${i}`, i * 500, 0)));
    clock.advance(8 * 24 * 3600_000);
    await fusion.reportDetections('detect', [det('detect', 'detection', 'NEW-1', 0, 0)]);
    clock.advance(2 * 24 * 3600_000 + 1);
    // The hourly sweeps the clock fired on its way (cut-offs before the old rows) first; then one at 10 days + 1 ms.
    await fusion.sweepHistory();
    expect(await fusion.sweepHistory()).toBe(12);
    expect((await fusion.history({ limit: 100 })).points.map((p) => p.trackId)).toEqual(['UAS-000013']);
    expect(await db.all('SELECT id FROM drone_tracks')).toEqual([{ id: 'UAS-000013' }]);
  });
});

describe('retention', () => {
  it('deletes in batches of its size until nothing old is left', async () => {
    await fusion.reportDetections('detect', Array.from({ length: 12 }, (_, i) => det('detect', 'detection', `OLD-${i}`, i * 500, 0)));
    const repo = new DroneTrackRepository(db);
    const deletes: number[] = [];
    const counting = Object.assign(Object.create(repo) as DroneTrackRepository, {
      deleteDetectionsBefore: async (before: number, max: number) => {
        const n = await repo.deleteDetectionsBefore(before, max);
        deletes.push(n);
        return n;
      },
    });
    const retention = new DroneHistoryRetention({ repo: counting, clock, keepMs: 1_000, log: () => undefined, batchRows: 5 });
    clock.advance(1_001);
    expect(await retention.sweep()).toBe(12);
    expect(deletes).toEqual([5, 5, 2]);
    expect(await countRows('drone_tracks')).toBe(0);
  });
});

describe('restart', () => {
  it('continues the console id sequence after the highest id stored', async () => {
    await fusion.reportDetections('detect', [0, 1, 2].map((i) => det('detect', 'detection', `D-${i}`, i * 1000, 0)));
    await fusion.stop();
    fusion = newFusion();
    await fusion.start();
    expect(fusion.list()).toEqual([]);
    await fusion.reportDetections('detect', [det('detect', 'detection', 'D-0', 0, 0)]);
    expect(fusion.list().map((t) => t.id)).toEqual(['UAS-000004']);
  });
});
