// The threat judge against the sample airport's real geometry and the levels of threat.ts's table: a drone under
// the 02L approach penetrates the approach surface by what classify() says and is critical while 02L lands
// aircraft (and while the response has suspended 02L for it), high when the runway is closed; on the approach
// path below the surfaces it is critical within 2 km of the threshold, high further out, medium when the runway
// is quiet; the inner horizontal and conical surfaces make it high at most; a circle alone is medium at most;
// a landed drone is low; a permitted drone is no threat inside its permit and is one outside it (saying why); a
// radar-only drone is a level worse short of critical; a bird is never a threat.
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

  it('is high, not critical, with 02L/20R closed', () => {
    board.reportRunways('aodb', [{ runwayId: '02L/20R', status: 'closed', direction: null, operations: null }]);
    const closed = judge.assess(track(spot(), altM()), clock.now());
    expect(closed).toMatchObject({ level: 3, runwayInUse: false });
    expect(closed.reasons.slice(0, 2)).toEqual([
      { code: 'penetration', surface: 'approach', runway: '02L', penetrationM: closed.penetrationM },
      { code: 'runway-closed', runway: '02L' },
    ]);
  });

  it('stays critical while the response has suspended 02L for it, and says suspended, not closed', () => {
    useRunway('02L/20R', '02L');
    board.setSuspended('02L/20R', true, 'alarm-1');
    const suspended = judge.assess(track(spot(), altM()), clock.now());
    expect(suspended).toMatchObject({ level: 4, runwayInUse: false });
    expect(suspended.reasons.slice(0, 2).map((r) => r.code)).toEqual(['penetration', 'runway-suspended']);
    expect(suspended.reasons).toContainEqual({ code: 'runway-suspended', runway: '02L' });
    expect(suspended.reasons.map((r) => r.code)).not.toContain('runway-closed');
    board.setSuspended('02L/20R', false, 'alarm-1');
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

  it('at 80 m is on the 20R approach path 5 km out, and rises through the inner horizontal surface: high, not critical', () => {
    useRunway('02L/20R', '20R');
    const [lon, lat] = spot();
    const t = judge.assess(track(spot(), end('20R').elevationM + 80), clock.now());
    expect(t.path).toMatchObject({ kind: 'approach', runway: '20R' });
    expect(t.path!.lateralM).toBeLessThan(1);
    expect(Math.abs(t.path!.alongM - 5000)).toBeLessThan(1);
    expect(t.reasons).toContainEqual({ code: 'path', kind: 'approach', runway: '20R', lateralM: t.path!.lateralM, alongM: t.path!.alongM });
    // The inner horizontal surface belongs to no runway: the runway threatened is the one whose path it is on.
    expect(t.reasons[0]).toEqual({ code: 'penetration', surface: 'inner-horizontal', runway: null, penetrationM: site.clearance.classify(lon, lat, end('20R').elevationM + 80).penetrationM });
    expect(t).toMatchObject({ level: 3, runwayInUse: true });
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

  it('without Remote ID (radar only) is a level worse but not critical, and an unclassified target a level below a drone', () => {
    useRunway('02L/20R', '20R');
    useRunway('02L/20R', '02L');
    const quiet = judge.assess(track(spot(), low(), { identity: null }), clock.now());
    expect(quiet.level).toBe(3);
    expect(quiet.reasons.map((r) => r.code)).toContain('no-remote-id');
    expect(quiet.suggested).not.toContain('check-permit');
    useRunway('02L/20R', '20R');
    expect(judge.assess(track(spot(), low(), { identity: null }), clock.now()).level).toBe(3);
    const unknown = judge.assess(track(spot(), low(), { identity: null, classification: 'unknown' }), clock.now());
    expect(unknown.level).toBe(2);
  });
});

describe('the 02L approach path below the surfaces', () => {
  /** 10 m above the threshold: under the approach surface this close in. */
  const low = () => end('02L').elevationM + 10;

  it('is critical within 2 km of the threshold while 02L lands aircraft, high further out, medium with the runway closed', () => {
    useRunway('02L/20R', '02L');
    const near = judge.assess(track(outFrom('02L', '20R', 1800), low(), { heightAglM: 10 }), clock.now());
    expect(near.penetrationM).toBe(0);
    expect(near).toMatchObject({ level: 4, runwayInUse: true, path: { kind: 'approach', runway: '02L' } });
    expect(near.reasons.slice(0, 2).map((r) => r.code)).toEqual(['path', 'runway-in-use']);
    const further = judge.assess(track(outFrom('02L', '20R', 2600), low(), { heightAglM: 10 }), clock.now());
    expect(further).toMatchObject({ level: 3, path: { kind: 'approach', runway: '02L' } });

    // Every runway closed (the parallel's approach surface covers this spot too).
    board.reportRunways('aodb', site.pack.runways.map((r) => ({ runwayId: r.id, status: 'closed', direction: null, operations: null })));
    const closed = judge.assess(track(outFrom('02L', '20R', 1800), low(), { heightAglM: 10 }), clock.now());
    expect(closed).toMatchObject({ level: 2, runwayInUse: false });
    expect(closed.reasons.map((r) => r.code)).toContain('runway-closed');
  });

  it('is low for a drone on the ground there (under 5 m), saying it has landed first and keeping the other reasons', () => {
    useRunway('02L/20R', '02L');
    const landed = judge.assess(track(outFrom('02L', '20R', 1800), end('02L').elevationM + 2, { heightAglM: 2, identity: null }), clock.now());
    expect(landed.level).toBe(1);
    expect(landed.reasons[0]).toEqual({ code: 'landed', heightAglM: 2 });
    expect(landed.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['path', 'runway-in-use', 'no-remote-id']));
    expect(landed.suggested).toEqual(['monitor']);
    // 5 m up it flies again.
    expect(judge.assess(track(outFrom('02L', '20R', 1800), end('02L').elevationM + 5, { heightAglM: 5 }), clock.now()).level).toBe(4);
  });
});

describe('surfaces of no runway, and circles', () => {
  it('makes a drone through the conical surface high, not critical', () => {
    useRunway('02L/20R', '02L');
    const east = geodesicDirect(site.pack.aerodrome.referencePoint, 90, 6000);
    const t = judge.assess(track(east, site.pack.aerodrome.elevationM + 400, { identity: null }), clock.now());
    expect(t.reasons[0]).toMatchObject({ code: 'penetration', surface: 'conical', runway: null });
    expect(t.level).toBe(3);
  });

  it('makes the core and inner circles alone medium, with or without Remote ID', () => {
    for (const [lonLat, ring] of [[[106.6601, 29.725], 'core'], [[106.64, 29.75], 'inner']] as const) {
      for (const identified of [true, false]) {
        const t = judge.assess(track(lonLat, site.pack.aerodrome.elevationM + 20, { heightAglM: 20, identity: identified ? identity('SN-1') : null }), clock.now());
        expect(t.circleRing).toBe(ring);
        expect(t.penetrationM).toBe(0);
        expect(t.path).toBeNull();
        expect(t.level).toBe(2);
      }
    }
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
    // The inspection area (medium) weighs more than the outer circle (low).
    expect(t.reasons.map((r) => r.code)).toEqual(['inspection-area', 'circle']);
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
