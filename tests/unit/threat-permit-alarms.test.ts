// A permitted survey flight end to end through the core's drone services (without the fusion): a permit issued
// in the store makes the drone no threat and raises no alarm inside its area; once the drone strays out it is
// a threat naming the permit and raises one alarm; a permit revoked while it flies makes it a threat at once.
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { permitInput } from '../../src/shared/contract/drones.ts';
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
import { DroneAlarms } from '../../src/main/core/drones/drone-alarms.ts';
import type { UnjudgedTrack } from '../../src/main/core/drones/drone-ports.ts';
import { PermitStore } from '../../src/main/core/drones/permits.ts';
import { RunwayBoard } from '../../src/main/core/drones/runway-board.ts';
import { ThreatAssessor } from '../../src/main/core/drones/threat.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const dirs = tempDirs('skyfence-permit-alarms');
let site: SiteModel;
let db: Database;
let clock: ManualClock;
let alarms: AlarmService;
let permits: PermitStore;
let judge: ThreatAssessor;
let policy: DroneAlarms;

beforeAll(async () => {
  site = new SiteModel(await loadSiteFile(SAMPLE_SITE_FILE));
});
beforeEach(async () => {
  db = await Database.open(join(dirs.make(), 'console.db'));
  clock = new ManualClock();
  const bus = new EventBus();
  alarms = new AlarmService(new SqliteAlarmRepository(db), bus, clock, site);
  permits = new PermitStore({ db, clock, bus, site, log: () => undefined });
  await permits.load();
  judge = new ThreatAssessor({ site, permits, runways: new RunwayBoard({ site, clock, bus, log: () => undefined }) });
  policy = new DroneAlarms({ alarms, clock });
});
afterEach(async () => {
  await db.close();
  dirs.removeAll();
});

const SERIAL = '1581F5FJC23A00A1';
const centre = () => geodesicDirect(site.pack.aerodrome.referencePoint, 90, 6000);
const altM = () => site.pack.aerodrome.elevationM + 60;

function fly(lonLat: readonly [number, number]): DroneTrack {
  const now = clock.now();
  const t: UnjudgedTrack = {
    id: 'UAS-000007', label: SERIAL, state: 'active', classification: 'drone', confidence: 0.95,
    position: { lon: lonLat[0], lat: lonLat[1], altM: altM() }, heightAglM: 60, speedMps: 6, headingDeg: 90, verticalSpeedMps: 0,
    identity: { serial: SERIAL, registrationId: null, uaType: 'helicopter-or-multirotor', operatorId: 'CHN-OP-778', selfIdText: 'survey' },
    pilot: { lon: lonLat[0], lat: lonLat[1] }, contacts: [], firstSeen: now - 10_000, lastSeen: now, drill: false,
  };
  return { ...t, threat: judge.assess(t, now), swarmId: null };
}
const threatAlarms = async () => (await alarms.list()).alarms.filter((a): a is Extract<Alarm, { type: 'drone-threat' }> => a.type === 'drone-threat');

describe('a permitted survey flight', () => {
  it('raises no alarm inside its permit, and one naming the permit once it strays out', async () => {
    const [lon, lat] = centre();
    const permit = await permits.create(permitInput.parse({
      operator: '渝测绘公司', serials: [SERIAL], ceilingM: 120, validFrom: clock.now(), validTo: clock.now() + 3_600_000,
      area: [[lon - 0.01, lat - 0.01], [lon + 0.01, lat - 0.01], [lon + 0.01, lat + 0.01], [lon - 0.01, lat + 0.01]],
    }), { username: 'cmd', displayName: 'Commander' });

    for (let s = 0; s < 10; s++) {
      const inside = fly(geodesicDirect(centre(), 90, s * 50));
      expect(inside.threat).toMatchObject({ level: 0, permitId: permit.id });
      await policy.apply([inside], new Set([inside.id]));
      clock.advance(1_000);
    }
    expect(await threatAlarms()).toEqual([]);

    const strayed = fly(geodesicDirect(centre(), 90, 2500));
    await policy.apply([strayed], new Set([strayed.id]));
    const [alarm] = await threatAlarms();
    expect(alarm).toMatchObject({ severity: 2, details: { level: 2, permitId: permit.id } });
    expect(alarm.details.reasons).toContainEqual({ code: 'permit-outside', permitId: permit.id, why: 'area' });
    expect(alarm.details.suggested).toEqual(['check-permit', 'point-camera', 'monitor']);
  });

  it('is a threat at once when its permit is revoked', async () => {
    const [lon, lat] = centre();
    const permit = await permits.create(permitInput.parse({
      operator: '渝测绘公司', serials: [SERIAL], ceilingM: 120, validFrom: clock.now(), validTo: clock.now() + 3_600_000,
      area: [[lon - 0.01, lat - 0.01], [lon + 0.01, lat - 0.01], [lon + 0.01, lat + 0.01], [lon - 0.01, lat + 0.01]],
    }), { username: 'cmd', displayName: 'Commander' });
    expect(fly(centre()).threat.level).toBe(0);
    await permits.revoke(permit.id, 'flight plan withdrawn', { username: 'cmd', displayName: 'Commander' });
    expect(fly(centre()).threat).toMatchObject({ level: 2, permitId: null });
  });
});
