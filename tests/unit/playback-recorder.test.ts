// The recorder's bounds: at most the cap of track positions a second (the rest dropped, counted and logged),
// rows past the retention pruned on the clock; and a drill's log listed in its playback index.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Track } from '../../src/shared/domain.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { EventBus } from '../../src/main/core/event-bus.ts';
import { Playback } from '../../src/main/core/playback/playback.ts';
import { Recorder, type RecorderLimits } from '../../src/main/core/playback/recorder.ts';
import { Database } from '../../src/main/core/store/database.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const temp = tempDirs('skyfence-recorder');
let db: Database;
let clock: ManualClock;
let bus: EventBus;
let logs: string[];
let recorder: Recorder;

const track = (n: number, at: number): Track => ({
  id: `radar/T${n}`, trackId: `T${n}`, source: 'radar', position: { lon: 106.6 + n / 1000, lat: 29.7 }, at, circleId: null, circleRing: null, live: true,
});

function startRecorder(limits: Partial<RecorderLimits>): void {
  recorder = new Recorder({ db, bus, clock, tracks: { list: () => [] }, cameras: { states: () => [] }, units: { list: () => [] }, log: (l) => logs.push(l), limits });
  recorder.start();
}
async function tick(ms: number): Promise<void> {
  await clock.advanceAsync(ms);
  await recorder.settled();
}
const count = async (table: string) => (await db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;

beforeEach(async () => {
  db = await Database.open(join(temp.make(), 'rec.db'));
  clock = new ManualClock();
  bus = new EventBus();
  logs = [];
});
afterEach(async () => {
  await recorder?.stop();
  await db.close();
  temp.removeAll();
});

describe('the recorder', () => {
  it('writes at most the cap of track positions a second, and logs how many it dropped', async () => {
    startRecorder({ rowsPerFlush: 20 });
    // A track reported twice in the second counts once (its latest position).
    bus.publish('tracks.changed', { updated: [track(0, clock.now())], removed: [] });
    bus.publish('tracks.changed', { updated: Array.from({ length: 30 }, (_, i) => track(i, clock.now())), removed: [] });
    await tick(1000);
    expect(await count('rec_track_points')).toBe(20);
    expect(recorder.stats()).toMatchObject({ written: 20, droppedTracks: 10 });
    expect(logs.join('\n')).toMatch(/dropped 10 track positions \(cap 20 a second\)/);
    // The next second has its own cap.
    bus.publish('tracks.changed', { updated: Array.from({ length: 5 }, (_, i) => track(i, clock.now())), removed: [] });
    await tick(1000);
    expect(await count('rec_track_points')).toBe(25);
  });

  it('prunes what is older than the retention on the clock, and keeps the rest', async () => {
    startRecorder({ retentionMs: 60_000, pruneEveryMs: 30_000 });
    const first = clock.now();
    bus.publish('tracks.changed', { updated: [track(1, first)], removed: ['radar/T1'] });
    await tick(1000);
    await tick(50_000);
    bus.publish('tracks.changed', { updated: [track(2, clock.now())], removed: [] });
    await tick(1000);
    expect(await count('rec_track_points')).toBe(2);
    // At 90 s the first (at 0) is past the 60 s retention; the second (at 51 s) is not.
    await tick(38_000);
    const rows = await db.all<{ id: string }>('SELECT t.id FROM rec_track_points p JOIN rec_tracks t ON t.key = p.track_key');
    expect(rows.map((r) => r.id)).toEqual(['radar/T2']);
    expect(await db.all('SELECT id FROM rec_tracks')).toEqual([{ id: 'radar/T2' }]);
    expect(logs.join('\n')).toMatch(/pruned 2 rows/);
  });

  it('lists a drill log in the playback index of that drill, by wall time', async () => {
    startRecorder({});
    const t0 = clock.now();
    // Two drills' rows and logs, as the drills service writes them (schema v9).
    await db.run(
      `INSERT INTO drills (id, plan_id, plan_version, plan, seed, start_speed, speed, status, coordinator, coordinator_name, started_at, ended_at)
       VALUES ('d1', 'p', 1, '{}', 1, 1, 1, 'ended', 'drill', '王芳', ?, ?), ('d2', 'p', 1, '{}', 1, 1, 1, 'ended', 'drill', '王芳', ?, ?)`,
      [t0, t0 + 10_000, t0 + 1000, t0 + 10_000],
    );
    await db.run(
      `INSERT INTO drill_log (drill_id, seq, drill_ms, wall_at, kind, step_id, detail)
       VALUES ('d1', 1, 0, ?, 'start', NULL, NULL), ('d1', 2, 30000, ?, 'fire', 's1', NULL), ('d2', 1, 0, ?, 'start', NULL, NULL)`,
      [t0, t0 + 3000, t0 + 1000],
    );
    const playback = new Playback({ db });
    const index = await playback.open({ from: t0, to: t0 + 10_000, drillId: 'd1' });
    expect(index.events).toEqual([
      { at: t0, kind: 'drill.start', text: 'T+00:00' },
      { at: t0 + 3000, kind: 'drill.fire', subject: 's1', text: 'T+00:30 s1' },
    ]);
    expect(index.drillId).toBe('d1');
  });
});
