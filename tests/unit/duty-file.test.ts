// The duty file and its shifts: problems named by file and JSON path (swapped coordinates hinted), shifts that
// must cover the day once, and shift boundaries in the airport's zone (Asia/Shanghai) whatever the machine's zone.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { DutyFileError, parseDutyFile } from '../../src/main/core/duty/duty-file.ts';
import { instantOf, shiftAt, shiftCoverageProblems } from '../../src/main/core/duty/shift-times.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

const SAMPLE = readFileSync(new URL('../../resources/sites/zuck/response/duty.json', import.meta.url), 'utf8');
let site: SiteModel;
beforeAll(async () => {
  site = new SiteModel(await loadSiteFile(SAMPLE_SITE_FILE));
});

const problemsOf = (edit: (f: Record<string, any>) => void): string[] => {
  const f = JSON.parse(SAMPLE);
  edit(f);
  try {
    parseDutyFile(JSON.stringify(f), site);
  } catch (err) {
    expect(err).toBeInstanceOf(DutyFileError);
    return (err as DutyFileError).problems;
  }
  return [];
};

describe('the duty file', () => {
  it('loads the sample: shifts, ~20 points with their grid cells, lines of known points, a default roster per shift', () => {
    const { plan, timeZone, defaults } = parseDutyFile(SAMPLE, site);
    expect(timeZone).toBe('Asia/Shanghai');
    expect(plan.shifts.map((s) => [s.id, s.start, s.end])).toEqual([['day', '08:00', '20:00'], ['night', '20:00', '08:00']]);
    expect(plan.points.length).toBeGreaterThanOrEqual(18);
    for (const p of plan.points) expect(p.radiusM).toBeGreaterThanOrEqual(30);
    // The terminal entrances are inside the patrol grid; their cell is the site model's.
    const t2 = plan.points.find((p) => p.id === 'T2-DEP')!;
    expect(t2.gridCellId).toBe(site.gridCellAt(...t2.position)!.id);
    expect(plan.lines.length).toBeGreaterThanOrEqual(4);
    expect(defaults.get('day')!.length).toBeGreaterThan(3);
    expect(defaults.get('night')!.length).toBeGreaterThan(3);
  });

  it('names the file and the JSON path of every problem at once', () => {
    const problems = problemsOf((f) => {
      f.points[2].radiusM = 0;
      f.shifts[0].start = '8:00';
      f.timeZone = 'Asia/Nowhere';
    });
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^duty\.json: \$\.points\[2\]\.radiusM: /),
      'duty.json: $.shifts[0].start: a local time as HH:MM (00:00–23:59)',
      'duty.json: $.timeZone: an IANA time zone such as Asia/Shanghai',
    ]));
  });

  it('hints at swapped longitude and latitude', () => {
    const problems = problemsOf((f) => {
      f.points[4].position = [29.7164655, 106.6298363];
    });
    expect(problems).toEqual(['duty.json: $.points[4].position[1]: a latitude is at most 90° (are longitude and latitude swapped?)']);
    // Both under 90: the distance from the airport gives it away.
    const far = problemsOf((f) => {
      f.points[4].position = [29.7164655, 29.7164655];
    });
    expect(far).toHaveLength(1);
    expect(far[0]).toMatch(/^duty\.json: \$\.points\[4\]\.position: \[29\.7164655, 29\.7164655\] is \d+\.\d km from the aerodrome reference point \(at most 30 km; are longitude and latitude swapped\?\)$/);
  });

  it('refuses lines and default rosters that name points, lines or shifts that do not exist, and ids used twice', () => {
    const problems = problemsOf((f) => {
      f.lines[0].pointIds[1] = 'NOPE';
      f.defaultRosters[0].assignments[0].lineIds = ['L-NONE'];
      f.defaultRosters[1].shiftId = 'evening';
      f.points[1].id = f.points[0].id;
    });
    expect(problems).toEqual(expect.arrayContaining([
      'duty.json: $.lines[0].pointIds[1]: there is no point NOPE',
      'duty.json: $.defaultRosters[0].assignments[0].lineIds[0]: there is no line L-NONE',
      'duty.json: $.defaultRosters[1].shiftId: there is no shift evening',
      `duty.json: $.points[1].id: ${JSON.parse(SAMPLE).points[0].id} is used twice`,
    ]));
  });

  it('refuses shifts that leave a gap or overlap', () => {
    expect(shiftCoverageProblems([{ id: 'day', name: { zh: '白班', en: 'Day' }, start: '08:00', end: '20:00' }])).toEqual([
      '$.shifts: no shift covers 00:00; the shifts must cover the whole day',
    ]);
    expect(shiftCoverageProblems([
      { id: 'day', name: { zh: '白班', en: 'Day' }, start: '08:00', end: '20:30' },
      { id: 'night', name: { zh: '夜班', en: 'Night' }, start: '20:00', end: '08:00' },
    ])).toEqual(['$.shifts[1]: night (20:00–08:00) overlaps day']);
    expect(problemsOf((f) => (f.shifts[1].end = '07:00'))).toEqual(['duty.json: $.shifts: no shift covers 07:00; the shifts must cover the whole day']);
  });
});

describe('shift boundaries in Asia/Shanghai', () => {
  const shifts = [
    { id: 'day', name: { zh: '白班', en: 'Day' }, start: '08:00', end: '20:00' },
    { id: 'night', name: { zh: '夜班', en: 'Night' }, start: '20:00', end: '08:00' },
  ];
  const zone = 'Asia/Shanghai';
  // Shanghai is UTC+8 all year: 20:00 there is 12:00 UTC.
  const utc = (iso: string) => Date.parse(`${iso}Z`);

  it('puts the small hours in the night shift of the day before', () => {
    const at = utc('2026-11-24T18:30:00'); // 02:30 on the 25th in Shanghai
    expect(shiftAt(at, shifts, zone)).toEqual({ id: 'night', date: '2026-11-24', startAt: utc('2026-11-24T12:00:00'), endAt: utc('2026-11-25T00:00:00') });
  });

  it('switches exactly at 20:00 and 08:00 local time, across midnight and the month end', () => {
    expect(shiftAt(utc('2026-11-30T11:59:59'), shifts, zone)).toMatchObject({ id: 'day', date: '2026-11-30' });
    expect(shiftAt(utc('2026-11-30T12:00:00'), shifts, zone)).toMatchObject({ id: 'night', date: '2026-11-30', endAt: utc('2026-12-01T00:00:00') });
    expect(shiftAt(utc('2026-11-30T16:00:00'), shifts, zone)).toMatchObject({ id: 'night', date: '2026-11-30' }); // 00:00 on Dec 1st
    expect(shiftAt(utc('2026-12-01T00:00:00'), shifts, zone)).toMatchObject({ id: 'day', date: '2026-12-01', startAt: utc('2026-12-01T00:00:00') });
    expect(shiftAt(utc('2026-12-31T23:00:00'), shifts, zone)).toMatchObject({ id: 'night', date: '2026-12-31' }); // 07:00 on New Year's Day
    expect(shiftAt(utc('2027-01-01T01:00:00'), shifts, zone)).toMatchObject({ id: 'day', date: '2027-01-01' });
  });

  it('uses the airport zone, not UTC: the same instant is another shift in another zone', () => {
    const at = utc('2026-11-24T06:00:00'); // 14:00 in Shanghai, 06:00 in London (UTC in winter)
    expect(shiftAt(at, shifts, 'Asia/Shanghai')).toMatchObject({ id: 'day', date: '2026-11-24' });
    expect(shiftAt(at, shifts, 'Europe/London')).toMatchObject({ id: 'night', date: '2026-11-23' });
  });

  it('finds local wall times across a daylight-saving change (zones that have one)', () => {
    // New York: 2026-03-08 02:00 EST becomes 03:00 EDT. 08:00 that day is 12:00 UTC; the day before, 13:00 UTC.
    expect(instantOf('2026-03-08', 8 * 60, 'America/New_York')).toBe(utc('2026-03-08T12:00:00'));
    expect(instantOf('2026-03-07', 8 * 60, 'America/New_York')).toBe(utc('2026-03-07T13:00:00'));
  });
});
