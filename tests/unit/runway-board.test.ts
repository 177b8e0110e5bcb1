// The runway board: the operations feed's picture checked against the site (a wrong runway or direction is
// logged once and skipped), `since` kept per runway, a change announced only when something changed, and a
// suspension by the drone response kept over feed updates until it is resumed.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunwayState } from '../../src/shared/drones.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { EventBus } from '../../src/main/core/event-bus.ts';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { RunwayBoard } from '../../src/main/core/drones/runway-board.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

let site: SiteModel;
let clock: ManualClock;
let board: RunwayBoard;
let published: RunwayState[];
let heard: number;
let logged: string[];

beforeAll(async () => {
  site = new SiteModel(await loadSiteFile(SAMPLE_SITE_FILE));
});
beforeEach(() => {
  clock = new ManualClock();
  const bus = new EventBus();
  published = [];
  bus.subscribe((e, p) => e === 'runways.changed' && published.push(p as RunwayState));
  logged = [];
  board = new RunwayBoard({ site, clock, bus, log: (l) => logged.push(l) });
  heard = 0;
  board.onChange(() => heard++);
});

describe('runway board', () => {
  it('has no picture before a feed reports', () => {
    expect(board.state()).toEqual({ sourceId: null, updatedAt: null, runways: [] });
  });

  it('keeps since per runway and announces a change only when something changed', () => {
    const t0 = clock.now();
    board.reportRunways('aodb', [
      { runwayId: '02L/20R', status: 'in-use', direction: '02L', operations: 'arrivals' },
      { runwayId: '02R/20L', status: 'in-use', direction: '02R', operations: 'departures' },
    ]);
    expect(heard).toBe(1);
    clock.advance(60_000);
    board.reportRunways('aodb', [
      { runwayId: '02L/20R', status: 'in-use', direction: '02L', operations: 'arrivals' },
      { runwayId: '02R/20L', status: 'in-use', direction: '02R', operations: 'departures' },
    ]);
    expect(heard).toBe(1);
    expect(published).toHaveLength(1);
    expect(board.state().updatedAt).toBe(t0 + 60_000);

    clock.advance(60_000);
    board.reportRunways('aodb', [
      { runwayId: '02L/20R', status: 'in-use', direction: '20R', operations: 'arrivals' },
      { runwayId: '02R/20L', status: 'in-use', direction: '02R', operations: 'departures' },
    ]);
    expect(heard).toBe(2);
    const { runways } = published.at(-1)!;
    expect(runways.find((r) => r.runwayId === '02L/20R')).toMatchObject({ direction: '20R', since: t0 + 120_000, suspended: false });
    expect(runways.find((r) => r.runwayId === '02R/20L')).toMatchObject({ direction: '02R', since: t0 });
  });

  it('logs a runway or direction the site has not once, skips it and keeps the rest', () => {
    const report = () => board.reportRunways('aodb', [
      { runwayId: '09/27', status: 'in-use', direction: '09', operations: 'mixed' },
      { runwayId: '02L/20R', status: 'in-use', direction: '03R', operations: 'mixed' },
      { runwayId: '03R/21L', status: 'closed', direction: null, operations: null },
    ]);
    report();
    report();
    expect(logged).toHaveLength(2);
    expect(logged[0]).toContain('aodb runways[0]: unknown runway "09/27"');
    expect(logged[1]).toContain('runways[1]: direction "03R" is not an end of runway 02L/20R');
    expect(board.state().runways.map((r) => r.runwayId)).toEqual(['03R/21L']);
  });

  it('keeps a suspension over feed updates until it is resumed, and names an unknown runway', () => {
    board.reportRunways('aodb', [{ runwayId: '02L/20R', status: 'in-use', direction: '02L', operations: 'mixed' }]);
    board.setSuspended('02L/20R', true, 'A');
    expect(heard).toBe(2);
    board.setSuspended('02L/20R', true, 'A');
    expect(heard).toBe(2);
    board.reportRunways('aodb', [{ runwayId: '02L/20R', status: 'in-use', direction: '02L', operations: 'mixed' }]);
    expect(board.state().runways[0]).toMatchObject({ runwayId: '02L/20R', status: 'in-use', suspended: true });
    board.setSuspended('02L/20R', false, 'A');
    expect(board.state().runways[0].suspended).toBe(false);
    expect(published.at(-1)!.runways[0].suspended).toBe(false);
    expect(() => board.setSuspended('09/27', true, 'A')).toThrow(/no runway "09\/27"/);
  });

  it('keeps a runway two responses suspended until both have resumed it', () => {
    board.reportRunways('aodb', [{ runwayId: '02L/20R', status: 'in-use', direction: '02L', operations: 'mixed' }]);
    board.setSuspended('02L/20R', true, 'alarm-A');
    clock.advance(60_000);
    board.setSuspended('02L/20R', true, 'alarm-B');
    expect(heard).toBe(2); // the second suspension changes nothing on the board
    board.setSuspended('02L/20R', false, 'alarm-A');
    expect(board.state().runways[0]).toMatchObject({ runwayId: '02L/20R', suspended: true });
    expect(board.holdersOf('02L/20R')).toEqual(['alarm-B']);
    expect(heard).toBe(2);
    // A holder resuming twice, or one that never suspended it, frees nothing.
    board.setSuspended('02L/20R', false, 'alarm-A');
    board.setSuspended('02L/20R', false, 'alarm-C');
    expect(board.state().runways[0].suspended).toBe(true);
    board.setSuspended('02L/20R', false, 'alarm-B');
    expect(board.state().runways[0].suspended).toBe(false);
    expect(published.at(-1)!.runways[0].suspended).toBe(false);
    expect(heard).toBe(3);
  });

  it('shows a suspended runway the feed does not report as closed and suspended', () => {
    board.setSuspended('03R/21L', true, 'A');
    expect(board.state().runways).toEqual([
      { runwayId: '03R/21L', status: 'closed', direction: null, operations: null, suspended: true, since: clock.now() },
    ]);
  });
});
