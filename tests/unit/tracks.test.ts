// Tracks from every source, judged by the alarm rules: a bird raises nothing, a drone crossing the rings is
// one touch-circle alarm that deepens, each simulator round's target is a target of its own; the manual feed
// can never overwrite another source's track and its tracks expire; a source that goes down leaves stale tracks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { geodesicDirect } from '../../src/main/core/geo/local-frame.ts';
import type { PositionReport } from '../../src/main/core/tracks/track-service.ts';
import type { TracksChanged } from '../../src/shared/contract/tracks.ts';
import type { Alarm, GeoPoint, Track } from '../../src/shared/domain.ts';
import { testCore } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';
import { MANUAL_FEED, MANUAL_MAX_TRACKS } from '../../src/main/core/sources/manual-feed.ts';

let t: Awaited<ReturnType<typeof testCore>>;
let changes: TracksChanged[];
beforeEach(async () => {
  t = await testCore();
  changes = [];
  t.core.bus.subscribe((e, p) => e === 'tracks.changed' && changes.push(p as TracksChanged));
});
afterEach(() => t.dispose());

const DRONES = 'drone-detection';
const arp = () => t.core.site.pack.aerodrome.referencePoint;
const at = (azimuthDeg: number, km: number): GeoPoint => {
  const [lon, lat] = geodesicDirect(arp(), azimuthDeg, km * 1000);
  return { lon, lat };
};
/** Remote only, outer, inner, and the T3A core area (no altitude: no clearance judgement). */
const inward = (): GeoPoint[] => [at(45, 15), at(45, 8), at(45, 3), { lon: 106.6601, lat: 29.725 }];
const report = (trackId: string, position: GeoPoint, classification: Track['classification'] = 'drone'): PositionReport => ({
  trackId, position, attributes: { classification },
});
const touchAlarms = async () => (await t.core.alarms.list()).alarms.filter((a): a is Extract<Alarm, { type: 'touch-circle' }> => a.type === 'touch-circle');

describe('track alarms', () => {
  it('raises no touch-circle alarm for a bird, whichever rings it crosses', async () => {
    for (const p of inward()) await t.core.tracks.reportBatch(DRONES, [report('B-1', p, 'bird')], { replace: true });
    expect(t.core.tracks.list()[0]).toMatchObject({ id: 'drone-detection/B-1', circleRing: 'core' });
    expect((await t.core.alarms.list()).alarms).toEqual([]);
  });

  it('makes one drone crossing four rings one touch-circle alarm that deepens', async () => {
    const rings: Array<string | null> = [];
    for (const p of inward()) {
      const [track] = await t.core.tracks.reportBatch(DRONES, [report('D-0001', p)], { replace: true });
      rings.push(track.circleRing);
    }
    expect(rings).toEqual(['remote', 'outer', 'inner', 'core']);
    const alarms = await touchAlarms();
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({
      severity: 4, updates: 4, circleRing: 'core', state: 'new',
      details: { trackId: 'D-0001', sourceId: DRONES, ring: 'core', circleId: 'core-t3a', path: ['remote', 'outer', 'inner', 'core-t3a'] },
    });
    // Back out to the outer ring and in again: nothing new.
    await t.core.tracks.reportBatch(DRONES, [report('D-0001', at(45, 8))], { replace: true });
    await t.core.tracks.reportBatch(DRONES, [report('D-0001', at(45, 3))], { replace: true });
    expect((await touchAlarms()).map((a) => a.updates)).toEqual([4]);
  });

  it('treats the next simulator round of a target (a new track id) as a new target', async () => {
    await t.core.tracks.reportBatch(DRONES, [report('D-0001', at(45, 8))], { replace: true });
    await t.core.tracks.reportBatch(DRONES, [], { replace: true }); // it left
    await t.core.tracks.reportBatch(DRONES, [report('D-0001-R2', at(45, 8))], { replace: true });
    expect(t.core.tracks.list().map((x) => x.id)).toEqual(['drone-detection/D-0001-R2']);
    expect((await touchAlarms()).map((a) => a.details.trackId).sort()).toEqual(['D-0001', 'D-0001-R2']);
  });
});

describe('manual position feed', () => {
  const session = (username: string): Promise<Session> => signedIn(t.core, username);

  it("marks a drill coordinator's reports as drill: their alarms never count as live", async () => {
    const drill = await session('drill');
    await dispatch(t.core, drill, 'tracks.report', { trackId: 'DRILL-1', position: at(45, 3) });
    const [alarm] = (await t.core.alarms.list()).alarms;
    expect(alarm).toMatchObject({ type: 'touch-circle', drill: true, source: 'drill' });
    const duty = await session('duty');
    await dispatch(t.core, duty, 'tracks.report', { trackId: 'LIVE-1', position: at(45, 3) });
    expect((await t.core.alarms.list()).alarms.find((a) => a.type === 'touch-circle' && a.details.trackId === 'LIVE-1')).toMatchObject({ drill: false, source: 'perception' });
  });

  it('holds at most MANUAL_MAX_TRACKS reported tracks: new ids beyond are refused, known ones still update', async () => {
    const duty = await session('duty');
    await t.core.tracks.reportBatch(MANUAL_FEED, Array.from({ length: MANUAL_MAX_TRACKS }, (_, i) => ({ trackId: `M-${i}`, position: at(90, 30) })));
    await expect(dispatch(t.core, duty, 'tracks.report', { trackId: 'ONE-TOO-MANY', position: at(90, 30) })).rejects.toMatchObject({ code: 'rate-limited', reason: 'manual-feed-full' });
    expect(await dispatch(t.core, duty, 'tracks.report', { trackId: 'M-7', position: at(90, 29) })).toMatchObject({ id: 'manual-feed/M-7' });
    expect(t.core.tracks.countOf(MANUAL_FEED)).toBe(MANUAL_MAX_TRACKS);
  });

  it('cannot touch a drone track of the same id, and refuses a source field', async () => {
    await t.core.tracks.reportBatch(DRONES, [report('D-0001', at(45, 8))], { replace: true });
    const before = structuredClone(t.core.tracks.list()[0]);
    const drill = await session('drill');
    const manual = (await dispatch(t.core, drill, 'tracks.report', { trackId: 'D-0001', position: at(45, 3) })) as Track;
    expect(manual).toMatchObject({ id: 'manual-feed/D-0001', source: 'manual-feed', circleRing: 'inner' });
    expect(t.core.tracks.list().find((x) => x.id === 'drone-detection/D-0001')).toEqual(before);
    await expect(dispatch(t.core, drill, 'tracks.report', { trackId: 'D-0001', source: DRONES, position: at(45, 2) })).rejects.toMatchObject({
      code: 'bad-request', message: expect.stringContaining('source'),
    });
    expect(t.core.tracks.list().find((x) => x.id === 'drone-detection/D-0001')).toEqual(before);
    expect(t.core.sources.get('manual-feed')).toMatchObject({ health: 'ok' });
  });

  it('drops a manually reported track not reported again for 2 minutes', async () => {
    const duty = await session('duty');
    await dispatch(t.core, duty, 'tracks.report', { trackId: 'M-1', position: at(0, 5) });
    await dispatch(t.core, duty, 'tracks.report', { trackId: 'M-2', position: at(90, 5) });
    t.clock.advance(60_000);
    await dispatch(t.core, duty, 'tracks.report', { trackId: 'M-2', position: at(90, 4) });
    t.clock.advance(60_000);
    expect(t.core.tracks.list().map((x) => x.trackId)).toEqual(['M-1', 'M-2']);
    changes = [];
    t.clock.advance(10_000); // the next look, 10 s later
    expect(t.core.tracks.list().map((x) => x.trackId)).toEqual(['M-2']);
    expect(changes).toEqual([{ updated: [], removed: ['manual-feed/M-1'] }]);
    t.clock.advance(60_000);
    expect(t.core.tracks.list()).toEqual([]);
  });
});

describe('stale tracks', () => {
  it('marks the tracks of a source that goes down stale, and live again when it gives usable data', async () => {
    t.core.sources.register({ id: 'radar', kind: 'track-stream', name: { zh: '雷达', en: 'Radar' }, silentAfterMs: 10_000 });
    await t.core.tracks.reportBatch('radar', [report('R-1', at(0, 30)), report('R-2', at(90, 30))]);
    await t.core.tracks.reportBatch(DRONES, [report('D-1', at(180, 30))]);
    t.core.sources.ok('radar');
    changes = [];
    t.clock.advance(10_000);
    await t.core.sources.settled();
    expect(t.core.sources.get('radar')!.health).toBe('down');
    expect(t.core.tracks.list().map((x) => [x.id, x.live])).toEqual([['radar/R-1', false], ['radar/R-2', false], ['drone-detection/D-1', true]]);
    expect(changes.map((c) => c.updated.map((x) => [x.id, x.live]))).toEqual([[['radar/R-1', false], ['radar/R-2', false]]]);
    t.core.sources.ok('radar');
    expect(t.core.tracks.list().map((x) => x.live)).toEqual([true, true, true]);
  });
});
