// Drone alarms with a real alarm service on SQLite and tracks judged by the real threat judge on the sample
// airport: one alarm per track however many batches it moves through (written when it matters, refreshed at
// most every 30 s), escalated when its level rises and never lowered, quiet after an operator closes it unless
// it gets worse; a swarm of 50 is one grouped alarm with a stable id and no alarm per member; drill tracks raise
// drill alarms; a store that fails makes apply() throw, and the next batch raises what was not stored.
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Alarm } from '../../src/shared/domain.ts';
import type { DroneTrack } from '../../src/shared/drones.ts';
import { AlarmService } from '../../src/main/core/alarms/alarm-service.ts';
import { SqliteAlarmRepository } from '../../src/main/core/alarms/sqlite-alarm-repository.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { EventBus } from '../../src/main/core/event-bus.ts';
import { geodesicDirect } from '../../src/main/core/geo/local-frame.ts';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { Database } from '../../src/main/core/store/database.ts';
import { DroneAlarms, REFRESH_MS } from '../../src/main/core/drones/drone-alarms.ts';
import type { UnjudgedTrack } from '../../src/main/core/drones/drone-ports.ts';
import { RunwayBoard } from '../../src/main/core/drones/runway-board.ts';
import { ThreatAssessor } from '../../src/main/core/drones/threat.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

/** A repository that can be told to fail its next writes, as a full disk would. */
class FlakyRepository extends SqliteAlarmRepository {
  failing = false;
  override upsertByKey(...args: Parameters<SqliteAlarmRepository['upsertByKey']>) {
    if (this.failing) return Promise.reject(new Error('SQLITE_FULL: database or disk is full'));
    return super.upsertByKey(...args);
  }
}

const dirs = tempDirs('skyfence-drone-alarms');
let site: SiteModel;
let db: Database;
let clock: ManualClock;
let repo: FlakyRepository;
let alarms: AlarmService;
let judge: ThreatAssessor;
let policy: DroneAlarms;

beforeAll(async () => {
  site = new SiteModel(await loadSiteFile(SAMPLE_SITE_FILE));
});
beforeEach(async () => {
  db = await Database.open(join(dirs.make(), 'console.db'));
  clock = new ManualClock();
  const bus = new EventBus();
  repo = new FlakyRepository(db);
  alarms = new AlarmService(repo, bus, clock, site);
  judge = new ThreatAssessor({ site, permits: { naming: () => [] }, runways: new RunwayBoard({ site, clock, bus, log: () => undefined }) });
  policy = new DroneAlarms({ alarms, clock });
});
afterEach(async () => {
  await db.close();
  dirs.removeAll();
});

const arp = () => site.pack.aerodrome.referencePoint;
/** 6 km east of the aerodrome: the outer circle and the inspection area (level 2), below the surfaces at 50 m. */
const EAST = () => geodesicDirect(arp(), 90, 6000);
const LOW = () => site.pack.aerodrome.elevationM + 50;

function track(id: string, lonLat: readonly [number, number], altM: number, over: Partial<UnjudgedTrack> = {}): DroneTrack {
  const now = clock.now();
  const unjudged: UnjudgedTrack = {
    id, label: id, state: 'active', classification: 'drone', confidence: 0.9,
    position: { lon: lonLat[0], lat: lonLat[1], altM }, heightAglM: null, speedMps: 5, headingDeg: 0, verticalSpeedMps: 0,
    identity: { serial: id, registrationId: null, uaType: null, operatorId: null, selfIdText: null },
    pilot: null, contacts: [], firstSeen: now - 10_000, lastSeen: now, drill: false, ...over,
  };
  return { ...unjudged, threat: judge.assess(unjudged, now), swarmId: null };
}

async function batch(tracks: DroneTrack[]): Promise<Map<string, string>> {
  return policy.apply(tracks, new Set(tracks.map((t) => t.id)));
}
const all = async () => (await alarms.list({ includeClosed: true })).alarms;
const ofType = async <T extends Alarm['type']>(type: T) => (await all()).filter((a): a is Extract<Alarm, { type: T }> => a.type === type);

describe('drone-threat alarms', () => {
  it('waits until a new track has been seen for 2 s before its first alarm, so that one stray fix raises nothing', async () => {
    const now = clock.now();
    await batch([track('UAS-NEW', EAST(), LOW(), { firstSeen: now, lastSeen: now })]);
    expect(await ofType('drone-threat')).toEqual([]);
    clock.advance(1_000);
    await batch([track('UAS-NEW', EAST(), LOW(), { firstSeen: now, lastSeen: now + 1_000 })]);
    expect(await ofType('drone-threat')).toEqual([]);
    clock.advance(1_000);
    await batch([track('UAS-NEW', EAST(), LOW(), { firstSeen: now, lastSeen: now + 2_000 })]);
    expect((await ofType('drone-threat')).map((a) => a.details.trackId)).toEqual(['UAS-NEW']);
  });

  it('keeps one alarm for a drone moving through 100 batches, written when it is raised and refreshed every 30 s', async () => {
    for (let s = 0; s < 100; s++) {
      await batch([track('UAS-1', geodesicDirect(EAST(), 0, s * 5), LOW())]);
      clock.advance(1_000);
    }
    const [alarm, ...more] = await ofType('drone-threat');
    expect(more).toEqual([]);
    expect(alarm).toMatchObject({ source: 'drone', drill: false, severity: 2, updates: 4, details: { trackId: 'UAS-1', level: 2, maxLevel: 2 } });
    // The last refresh was at 90 s: where the drone was then.
    const at90 = geodesicDirect(EAST(), 0, 90 * 5);
    expect(alarm.position).toMatchObject({ lon: at90[0], lat: at90[1] });
  });

  it('escalates at once when the level rises, and never lowers the severity when it falls', async () => {
    await batch([track('UAS-2', EAST(), LOW())]);
    const [raised] = await ofType('drone-threat');
    await alarms.acknowledge(raised.id, { username: 'duty', displayName: 'Duty' });
    clock.advance(1_000);
    // It climbs through the conical surface (a surface of no runway): penetration, high.
    await batch([track('UAS-2', EAST(), site.pack.aerodrome.elevationM + 400)]);
    const [escalated] = await ofType('drone-threat');
    expect(escalated).toMatchObject({ id: raised.id, severity: 3, state: 'new', updates: 2, details: { level: 3, maxLevel: 3 } });
    expect(escalated.details.reasons[0]).toMatchObject({ code: 'penetration', surface: 'conical' });
    expect(escalated.details.maxPenetrationM).toBeGreaterThan(0);

    // Back down: nothing written until the refresh is due; then the level is 2, the severity and maxLevel stay 3.
    clock.advance(1_000);
    await batch([track('UAS-2', EAST(), LOW())]);
    expect((await ofType('drone-threat'))[0].updates).toBe(2);
    clock.advance(REFRESH_MS);
    await batch([track('UAS-2', EAST(), LOW())]);
    expect((await ofType('drone-threat'))[0]).toMatchObject({ severity: 3, updates: 3, details: { level: 2, maxLevel: 3 } });
  });

  it('writes a penetration growing by 5 m at once, and one growing by less only with the refresh', async () => {
    const high = site.pack.aerodrome.elevationM + 300;
    await batch([track('UAS-3', EAST(), high)]);
    const first = (await ofType('drone-threat'))[0].details.penetrationM;
    clock.advance(1_000);
    await batch([track('UAS-3', EAST(), high + 3)]);
    expect((await ofType('drone-threat'))[0].updates).toBe(1);
    clock.advance(1_000);
    await batch([track('UAS-3', EAST(), high + 6)]);
    const [a] = await ofType('drone-threat');
    expect(a.updates).toBe(2);
    expect(a.details.maxPenetrationM).toBeCloseTo(first + 6, 1);
  });

  it('stays quiet for the same facts after an operator closes it, and raises again when it gets worse', async () => {
    await batch([track('UAS-4', EAST(), LOW())]);
    const [raised] = await ofType('drone-threat');
    await alarms.close(raised.id, { username: 'duty', displayName: 'Duty' }, { category: 'false-alarm', note: 'kite' });
    clock.advance(REFRESH_MS * 2);
    await batch([track('UAS-4', geodesicDirect(EAST(), 0, 200), LOW())]);
    expect(await ofType('drone-threat')).toHaveLength(1);
    await batch([track('UAS-4', EAST(), site.pack.aerodrome.elevationM + 400)]);
    const alarmsNow = await ofType('drone-threat');
    expect(alarmsNow).toHaveLength(2);
    expect(alarmsNow.find((a) => a.state !== 'closed')).toMatchObject({ severity: 3, details: { level: 3 } });
  });

  it('follows a drone that is no threat any more on its open alarm (with the refresh), without lowering it', async () => {
    await batch([track('UAS-5', EAST(), LOW())]);
    const far = geodesicDirect(arp(), 90, 60_000);
    clock.advance(1_000);
    await batch([track('UAS-5', far, LOW())]);
    expect((await ofType('drone-threat'))[0]).toMatchObject({ updates: 1, details: { level: 2 } });
    clock.advance(REFRESH_MS);
    await batch([track('UAS-5', far, LOW())]);
    expect((await ofType('drone-threat'))[0]).toMatchObject({ updates: 2, severity: 2, details: { level: 0, maxLevel: 2, reasons: [] } });
  });

  it('raises nothing for a bird or a track that is no threat', async () => {
    await batch([track('BIRD-1', EAST(), LOW(), { classification: 'bird', identity: null }), track('FAR-1', geodesicDirect(arp(), 90, 60_000), LOW())]);
    expect(await all()).toEqual([]);
  });

  it('raises drill alarms for drill tracks', async () => {
    await batch([track('DRILL-1', EAST(), LOW(), { drill: true })]);
    expect((await ofType('drone-threat'))[0]).toMatchObject({ source: 'drill', drill: true });
  });
});

describe('drone swarms', () => {
  /** 50 drones on a 100 m grid 6 km east of the aerodrome, shifted north by `shiftM`. */
  const swarm = (shiftM = 0, over: Partial<UnjudgedTrack> = {}) =>
    Array.from({ length: 50 }, (_, i) => {
      const east = geodesicDirect(EAST(), 90, (i % 8) * 100);
      return track(`SW-${String(i).padStart(2, '0')}`, geodesicDirect(east, 0, Math.floor(i / 8) * 100 + shiftM), LOW(), over);
    });

  it('makes a swarm of 50 one grouped alarm and no alarm per member; a lone drone keeps its own', async () => {
    const lone = track('LONE-1', geodesicDirect(EAST(), 180, 3000), LOW());
    const members = await batch([...swarm(), lone]);
    expect(members.size).toBe(50);
    expect(new Set(members.values())).toEqual(new Set(['SWARM-1']));
    expect(members.has('LONE-1')).toBe(false);

    const [group, ...others] = await ofType('drone-swarm');
    expect(others).toEqual([]);
    expect(group).toMatchObject({ source: 'drone', severity: 2, details: { swarmId: 'SWARM-1', count: 50, peak: 50, level: 2 } });
    expect(group.details.trackIds).toHaveLength(50);
    expect(group.details.reasons[0]).toEqual({ code: 'swarm', swarmId: 'SWARM-1', count: 50 });
    expect(group.details.reasons.map((r) => r.code)).toEqual(['swarm', 'inspection-area', 'circle']);
    expect((await ofType('drone-threat')).map((a) => a.details.trackId)).toEqual(['LONE-1']);
  });

  it('says how many members of a swarm have no Remote ID, and nothing of it when all broadcast', async () => {
    const members = swarm().map((m, i) => (i < 28 ? track(m.id, [m.position.lon, m.position.lat], m.position.altM, { identity: null }) : m));
    await batch(members);
    const [group] = await ofType('drone-swarm');
    expect(group.details.reasons.filter((r) => r.code === 'no-remote-id')).toEqual([{ code: 'no-remote-id', count: 28 }]);
  });

  it('keeps the swarm id as it moves and as drones leave, and writes nothing new for a move within 30 s', async () => {
    await batch(swarm());
    clock.advance(1_000);
    // It moves 50 m north, and two drones fly off.
    const moved = swarm(50);
    moved[0] = track('SW-00', geodesicDirect(EAST(), 270, 5000), LOW());
    moved[1] = track('SW-01', geodesicDirect(EAST(), 270, 7000), LOW());
    const members = await batch(moved);
    expect(new Set(members.values())).toEqual(new Set(['SWARM-1']));
    expect(members.size).toBe(48);
    const [group] = await ofType('drone-swarm');
    expect(group).toMatchObject({ updates: 1, details: { count: 50 } });
    // The two that left are drones of their own now.
    expect((await ofType('drone-threat')).map((a) => a.details.trackId).sort()).toEqual(['SW-00', 'SW-01']);
    clock.advance(REFRESH_MS);
    await batch(moved);
    expect((await ofType('drone-swarm'))[0]).toMatchObject({ updates: 2, details: { count: 48, peak: 50 } });
  });

  it('groups drill tracks apart from live ones', async () => {
    await batch(swarm(0, { drill: true }));
    expect((await ofType('drone-swarm'))[0]).toMatchObject({ source: 'drill', drill: true });
  });

  it('throws when the alarms cannot be stored, and raises them with the next batch', async () => {
    repo.failing = true;
    await expect(batch(swarm())).rejects.toThrow(/disk is full/);
    expect(await all()).toEqual([]);
    repo.failing = false;
    const members = await batch(swarm());
    expect(new Set(members.values())).toEqual(new Set(['SWARM-1']));
    expect(await ofType('drone-swarm')).toHaveLength(1);
  });
});
