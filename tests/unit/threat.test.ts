// The threat judge against the sample airport's real geometry: a drone under the 02L approach penetrates the
// approach surface by what classify() says and is critical while 02L lands aircraft, high when the runway is
// closed or suspended; a drone crossing the 20R extended centreline is on the approach path; a permitted drone
// is no threat inside its permit and is one outside it (saying why); a radar-only drone is a level worse; a bird
// is never a threat.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DroneIdentity, Permit } from '../../src/shared/drones.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { EventBus } from '../../src/main/core/event-bus.ts';
import { geodesicDirect, geodesicInverse } from '../../src/main/core/geo/local-frame.ts';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import type { PermitLookup, UnjudgedTrack } from '../../src/main/core/drones/drone-ports.ts';
import { RunwayBoard } from '../../src/main/core/drones/runway-board.ts';
import { ThreatAssessor } from '../../src/main/core/drones/threat.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

let site: SiteModel;
let clock: ManualClock;
let board: RunwayBoard;
let permits: Permit[];
let judge: ThreatAssessor;

beforeAll(async () => {
  site = new SiteModel(await loadSiteFile(SAMPLE_SITE_FILE));
});
beforeEach(() => {
  clock = new ManualClock();
  board = new RunwayBoard({ site, clock, bus: new EventBus(), log: () => undefined });
  permits = [];
  // The permits naming a drone by serial: the store's own matching is tested in permits.test.ts.
  const lookup: PermitLookup = { naming: (id) => permits.filter((p) => p.revokedAt === null && id.serial !== null && p.serials.includes(id.serial)) };
  judge = new ThreatAssessor({ site, permits: lookup, runways: board });
});

const end = (designator: string) => site.pack.runways.flatMap((r) => r.ends).find((e) => e.designator === designator)!;
/** A point `metres` out from a runway end, away from the runway, on its extended centreline. */
function outFrom(designator: string, other: string, metres: number): [number, number] {
  const { azimuthDeg } = geodesicInverse(end(other).position, end(designator).position);
  return geodesicDirect(end(designator).position, azimuthDeg, metres);
}
const identity = (serial: string): DroneIdentity => ({ serial, registrationId: null, uaType: 'helicopter-or-multirotor', operatorId: null, selfIdText: null });

function track(lonLat: readonly [number, number], altM: number, over: Partial<UnjudgedTrack> = {}): UnjudgedTrack {
  const now = clock.now();
  return {
    id: 'UAS-000001', label: 'SN-1', state: 'active', classification: 'drone', confidence: 0.9,
    position: { lon: lonLat[0], lat: lonLat[1], altM }, heightAglM: null, speedMps: 5, headingDeg: 0, verticalSpeedMps: 0,
    identity: identity('SN-1'), pilot: null, contacts: [], firstSeen: now, lastSeen: now, drill: false,
    ...over,
  };
}
/** The operations feed: one runway in use, the others closed (a runway it leaves out is of unknown use). */
const useRunway = (runwayId: string, direction: string, operations: 'arrivals' | 'departures' | 'mixed' = 'arrivals') =>
  board.reportRunways('aodb', site.pack.runways.map((r) =>
    r.id === runwayId ? { runwayId, status: 'in-use', direction, operations } : { runwayId: r.id, status: 'closed', direction: null, operations: null }));

describe('a drone under the 02L approach', () => {
  const spot = () => outFrom('02L', '20R', 1500);
  const altM = () => end('02L').elevationM + 60;

  it('penetrates the approach surface by what the clearance model says, critical while 02L lands aircraft', () => {
    useRunway('02L/20R', '02L');
    const [lon, lat] = spot();
    const expected = site.clearance.classify(lon, lat, altM());
    expect(expected.penetrationM).toBeGreaterThan(20);
    const t = judge.assess(track(spot(), altM()), clock.now());
    expect(t.penetrationM).toBe(expected.penetrationM);
    expect(t.clearanceM).toBe(expected.clearanceM);
    expect(t.lowestSurface).toEqual({ surface: expected.lowestSurface!.surface, runway: expected.lowestSurface!.runway, heightM: expected.lowestSurface!.heightM });
    expect(t.level).toBe(4);
    expect(t.runwayInUse).toBe(true);
    expect(t.reasons.map((r) => r.code)).toEqual(['penetration', 'runway-in-use', 'path', 'circle', 'inspection-area']);
    expect(t.reasons[0]).toMatchObject({ code: 'penetration', surface: 'approach', runway: '02L', penetrationM: expected.penetrationM });
    expect(t.path).toMatchObject({ kind: 'approach', runway: '02L' });
    expect(t.path!.lateralM).toBeLessThan(1);
    expect(Math.abs(t.path!.alongM - 1500)).toBeLessThan(1);
    expect(t.suggested).toEqual(['notify-atc', 'consider-runway-suspension', 'notify-clearance-office', 'point-camera']);
  });

  it('is high, not critical, with 02L/20R closed, and the same when the response has suspended it', () => {
    board.reportRunways('aodb', [{ runwayId: '02L/20R', status: 'closed', direction: null, operations: null }]);
    const closed = judge.assess(track(spot(), altM()), clock.now());
    expect(closed).toMatchObject({ level: 3, runwayInUse: false });
    expect(closed.reasons.map((r) => r.code)).toContain('runway-closed');

    useRunway('02L/20R', '02L');
    board.setSuspended('02L/20R', true);
    expect(judge.assess(track(spot(), altM()), clock.now())).toMatchObject({ level: 3, runwayInUse: false });
    board.setSuspended('02L/20R', false);
    expect(judge.assess(track(spot(), altM()), clock.now())).toMatchObject({ level: 4, runwayInUse: true });
  });

  it('counts a runway whose use is unknown (no feed) as in use, and says so with runwayInUse null', () => {
    const t = judge.assess(track(spot(), altM()), clock.now());
    expect(t).toMatchObject({ level: 4, runwayInUse: null });
    expect(t.reasons.map((r) => r.code)).not.toContain('runway-in-use');
  });

  it('lists the permit of a permitted drone that rises through the surface of a runway in use, and keeps the penetration', () => {
    useRunway('02L/20R', '02L');
    const [lon, lat] = spot();
    permits.push(permit({ area: square(lon, lat, 0.01), ceilingM: 500 }));
    const t = judge.assess(track(spot(), altM()), clock.now());
    expect(t.level).toBe(4);
    expect(t.permitId).toBe('P-1');
    expect(t.reasons.map((r) => r.code)).toContain('permit-inside');
  });
});

describe('a drone crossing the 20R extended centreline', () => {
  const spot = () => outFrom('20R', '02L', 5000);
  /** 30 m above the threshold: below the inner horizontal surface (45 m above the aerodrome) and every other. */
  const low = () => end('20R').elevationM + 30;

  it('at 80 m is on the 20R approach path, and rises through the inner horizontal surface', () => {
    useRunway('02L/20R', '20R');
    const [lon, lat] = spot();
    const t = judge.assess(track(spot(), end('20R').elevationM + 80), clock.now());
    expect(t.path).toMatchObject({ kind: 'approach', runway: '20R' });
    expect(t.path!.lateralM).toBeLessThan(1);
    expect(Math.abs(t.path!.alongM - 5000)).toBeLessThan(1);
    expect(t.reasons).toContainEqual({ code: 'path', kind: 'approach', runway: '20R', lateralM: t.path!.lateralM, alongM: t.path!.alongM });
    // The inner horizontal surface belongs to no runway: the runway threatened is the one whose path it is on.
    expect(t.reasons[0]).toEqual({ code: 'penetration', surface: 'inner-horizontal', runway: null, penetrationM: site.clearance.classify(lon, lat, end('20R').elevationM + 80).penetrationM });
    expect(t).toMatchObject({ level: 4, runwayInUse: true });
    expect(t.reasons).toContainEqual({ code: 'runway-in-use', runway: '20R' });
  });

  it('below the surfaces is high while 20R lands aircraft, medium when the runway is used the other way', () => {
    useRunway('02L/20R', '20R');
    const inUse = judge.assess(track(spot(), low()), clock.now());
    expect(inUse.penetrationM).toBe(0);
    expect(inUse).toMatchObject({ level: 3, runwayInUse: true, path: { kind: 'approach', runway: '20R' } });
    expect(inUse.reasons.slice(0, 2)).toEqual([
      { code: 'path', kind: 'approach', runway: '20R', lateralM: inUse.path!.lateralM, alongM: inUse.path!.alongM },
      { code: 'runway-in-use', runway: '20R' },
    ]);
    expect(inUse.suggested).toEqual(['notify-atc', 'notify-clearance-office', 'point-camera']);

    useRunway('02L/20R', '02L');
    const otherWay = judge.assess(track(spot(), low()), clock.now());
    expect(otherWay).toMatchObject({ level: 2, runwayInUse: false });
    expect(otherWay.reasons.map((r) => r.code)).toContain('runway-closed');
  });

  it("counts the parallel runway's approach when the feed does not say the parallel is closed", () => {
    // 5 km out, the 20L approach surface (02R/20L, 380 m east) covers the 20R centreline too.
    board.reportRunways('aodb', [{ runwayId: '02L/20R', status: 'in-use', direction: '02L', operations: 'arrivals' }]);
    const t = judge.assess(track(spot(), low()), clock.now());
    expect(t).toMatchObject({ level: 3, runwayInUse: null, path: { kind: 'approach', runway: '20L' } });
  });

  it('below the surfaces is on the climb-out of 02L departures when 02L is used for departures', () => {
    useRunway('02L/20R', '02L', 'departures');
    const t = judge.assess(track(spot(), low()), clock.now());
    expect(t.path).toMatchObject({ kind: 'take-off', runway: '02L' });
    expect(t).toMatchObject({ level: 3, runwayInUse: true });
  });

  it("tells the pilot's position to go to when it is known", () => {
    useRunway('02L/20R', '20R');
    const t = judge.assess(track(spot(), low(), { pilot: { lon: 106.64, lat: 29.78 } }), clock.now());
    expect(t.suggested).toEqual(['notify-atc', 'notify-clearance-office', 'dispatch-to-pilot', 'point-camera']);
  });

  it('without Remote ID (radar only) is a level worse, and an unclassified target a level below a drone', () => {
    useRunway('02L/20R', '20R');
    const radarOnly = judge.assess(track(spot(), low(), { identity: null }), clock.now());
    expect(radarOnly.level).toBe(4);
    expect(radarOnly.reasons.map((r) => r.code)).toContain('no-remote-id');
    expect(radarOnly.suggested).not.toContain('check-permit');
    const unknown = judge.assess(track(spot(), low(), { identity: null, classification: 'unknown' }), clock.now());
    expect(unknown.level).toBe(3);
  });
});

describe('permits', () => {
  // 6 km east of the aerodrome at 50 m: the outer circle and the inspection area, below every surface.
  const spot = () => geodesicDirect(site.pack.aerodrome.referencePoint, 90, 6000);
  const altM = () => site.pack.aerodrome.elevationM + 50;

  it('makes a drone inside its permit no threat, and one outside it a threat saying why', () => {
    const [lon, lat] = spot();
    const now = clock.now();
    permits.push(permit({ area: square(lon, lat, 0.005), ceilingM: 120, validFrom: now - 3_600_000, validTo: now + 3_600_000 }));
    const inside = judge.assess(track(spot(), altM()), now);
    expect(inside.penetrationM).toBe(0);
    expect(inside).toMatchObject({ level: 0, permitId: 'P-1', reasons: [{ code: 'permit-inside', permitId: 'P-1' }], suggested: [] });

    const strayed = judge.assess(track(geodesicDirect([lon, lat], 90, 1500), altM()), now);
    expect(strayed).toMatchObject({ level: 2, permitId: 'P-1' });
    expect(strayed.reasons).toContainEqual({ code: 'permit-outside', permitId: 'P-1', why: 'area' });
    expect(strayed.suggested).toEqual(['check-permit', 'point-camera', 'monitor']);

    const tooHigh = judge.assess(track(spot(), site.pack.aerodrome.elevationM + 121), now);
    expect(tooHigh.reasons).toContainEqual({ code: 'permit-outside', permitId: 'P-1', why: 'ceiling' });
    expect(tooHigh.level).toBeGreaterThanOrEqual(2);

    const late = judge.assess(track(spot(), altM()), now + 3_600_000);
    expect(late.reasons).toContainEqual({ code: 'permit-outside', permitId: 'P-1', why: 'time' });
  });

  it('ignores a permit naming another drone', () => {
    permits.push(permit({ serials: ['OTHER'], area: square(...spot(), 0.005) }));
    const t = judge.assess(track(spot(), altM()), clock.now());
    expect(t).toMatchObject({ level: 2, permitId: null });
    expect(t.reasons.map((r) => r.code)).toEqual(['circle', 'inspection-area']);
  });
});

describe('a bird', () => {
  it('is never a threat, even in the core circle above the surfaces', () => {
    const t = judge.assess(track([106.6601, 29.725], 600, { classification: 'bird', identity: null }), clock.now());
    expect(t.circleRing).toBe('core');
    expect(t).toMatchObject({ level: 0, reasons: [{ code: 'bird' }], suggested: [] });
  });
});

function square(lon: number, lat: number, d: number): Array<[number, number]> {
  return [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d]];
}

function permit(over: Partial<Permit>): Permit {
  const now = clock.now();
  return {
    id: 'P-1', operator: 'Survey Co', serials: ['SN-1'], operatorId: null, area: [], ceilingM: 120,
    validFrom: now - 3_600_000, validTo: now + 3_600_000, purpose: 'survey', createdBy: { username: 'cmd', displayName: 'Commander' },
    createdAt: now, revokedAt: null, revokedBy: null, revokeReason: null, ...over,
  };
}
