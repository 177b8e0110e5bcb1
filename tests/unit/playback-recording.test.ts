// Playback of a period recorded through the real core on a fake clock: the picture at an instant is exactly what
// the console showed then (tracks, alarms with their state then, cameras, units, the operators' actions), the
// index lists the alarm's raise and acknowledgement with who, and playing back changes nothing stored.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from '../../src/shared/domain.ts';
import type { Camera } from '../../src/shared/video.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { loadConfig } from '../../src/main/core/config.ts';
import { startCore, type Core } from '../../src/main/core/core.ts';
import { TRACK_STALE_MS } from '../../src/main/core/playback/recorder.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const temp = tempDirs('skyfence-playback');
const DUTY: Person = { username: 'duty', displayName: '李明' };

let clock: ManualClock;
let core: Core;
let t0: number;

beforeEach(async () => {
  clock = new ManualClock();
  core = await startCore(
    loadConfig(['--data-dir', temp.make(), '--no-sim', '--demo'], { SKYFENCE_ADMIN_PASSWORD: 'test-password-1' }),
    { clock, log: () => undefined },
  );
  t0 = clock.now();
});
afterEach(async () => {
  await core.close();
  temp.removeAll();
});

/** Moves the clock on and waits for the recorder's write of that second. */
async function advance(ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 1000) {
    await clock.advanceAsync(Math.min(1000, left));
    await core.recorder.settled();
  }
}

const at = (lon: number, lat: number) => ({ lon, lat, altM: 12 });
const period = () => ({ from: t0 - 60_000, to: clock.now() });
const position = (f: { tracks: Array<{ id: string; lon: number; lat: number }> }, id: string) => {
  const t = f.tracks.find((x) => x.id === id);
  return t ? [t.lon, t.lat] : null;
};

const camera = (id: string): Camera => ({
  id: `vms/${id}`, sourceId: 'vms', cameraId: id, name: { zh: id, en: id }, kind: 'fixed', position: { lon: 106.65, lat: 29.71, altM: 408 },
  mountHeightM: 8, headingDeg: 90, tiltDeg: 10, fovDeg: 60, rangeM: 150, presets: [], group: null, area: null, gridCellId: null, checkpointId: null,
});
const media = { snapshot: async () => Buffer.alloc(0), live: async () => null };

/** Every table's row count and a hash of its rows: equal before and after means nothing was written. */
async function fingerprint(): Promise<Record<string, string>> {
  const tables = await core.db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const rows = await core.db.all(`SELECT * FROM "${name}" ORDER BY 1, 2`);
    out[name] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
  }
  return out;
}

describe('playback of a recorded period', () => {
  it('gives the tracks as they were at each instant, and drops a track once it left the picture', async () => {
    await core.tracks.reportBatch('radar', [{ trackId: 'A', position: at(106.601, 29.701) }, { trackId: 'B', position: at(106.611, 29.711) }]);
    await advance(1000);
    await core.tracks.reportBatch('radar', [{ trackId: 'A', position: at(106.602, 29.702) }, { trackId: 'B', position: at(106.612, 29.712) }]);
    await advance(1000);
    // A snapshot without B: B leaves the picture.
    await core.tracks.reportBatch('radar', [{ trackId: 'A', position: at(106.603, 29.703) }], { replace: true });
    await advance(1000);

    const p = period();
    const f1 = await core.playback.frame(p, t0 + 500);
    expect([position(f1, 'radar/A'), position(f1, 'radar/B')]).toEqual([[106.601, 29.701], [106.611, 29.711]]);
    expect(f1.tracks.find((t) => t.id === 'radar/A')).toMatchObject({ kind: 'track', altM: 12, drill: false });
    const f2 = await core.playback.frame(p, t0 + 1000);
    expect([position(f2, 'radar/A'), position(f2, 'radar/B')]).toEqual([[106.602, 29.702], [106.612, 29.712]]);
    const f3 = await core.playback.frame(p, t0 + 2500);
    expect([position(f3, 'radar/A'), position(f3, 'radar/B')]).toEqual([[106.603, 29.703], null]);
    // Before the first report: nothing.
    expect((await core.playback.frame(p, t0 - 1)).tracks).toEqual([]);
  });

  it('keeps a track that is in the picture but not reported again (keyframes), and lets it go once it left', async () => {
    await core.tracks.reportBatch('manual-feed', [{ trackId: 'M', position: at(106.62, 29.72) }]);
    await advance(40_000);
    const p = period();
    // Long past the staleness window, it is still in the picture, where it was.
    expect(position(await core.playback.frame(p, t0 + 35_000), 'manual-feed/M')).toEqual([106.62, 29.72]);
    await core.tracks.reportBatch('manual-feed', [], { replace: true });
    const left = clock.now();
    await advance(2000);
    const p2 = period();
    expect(position(await core.playback.frame(p2, left - 1), 'manual-feed/M')).toEqual([106.62, 29.72]);
    expect(position(await core.playback.frame(p2, left + 1000), 'manual-feed/M')).toBeNull();
    expect(TRACK_STALE_MS).toBeGreaterThan(core.recorder.limits.trackKeyframeMs + core.recorder.limits.flushEveryMs);
  });

  it('gives the alarms open at an instant with the state they had then, and lists the raise and acknowledgement with who', async () => {
    await advance(1000);
    const raisedAt = clock.now();
    const alarm = await core.alarms.raise({ source: 'manual', type: 'manual', severity: 3, position: { lon: 106.65, lat: 29.71 }, details: { note: '可疑包裹' } });
    await advance(5000);
    const ackAt = clock.now();
    await core.alarms.acknowledge(alarm.id, DUTY);
    await advance(5000);
    await core.alarms.close(alarm.id, DUTY, { category: 'false-alarm', note: '误报' });
    const closedAt = clock.now();
    await advance(6000);

    const p = period();
    const stateAt = async (t: number) => (await core.playback.frame(p, t)).alarms.find((a) => a.id === alarm.id)?.state ?? null;
    expect(await stateAt(raisedAt - 1)).toBeNull();
    expect(await stateAt(raisedAt)).toBe('new');
    expect(await stateAt(ackAt - 1)).toBe('new');
    expect(await stateAt(ackAt)).toBe('acknowledged');
    expect(await stateAt(closedAt)).toBeNull();
    const open = (await core.playback.frame(p, ackAt + 1)).alarms.find((a) => a.id === alarm.id)!;
    expect(open).toMatchObject({ type: 'manual', severity: 3, drill: false, raisedAt, position: { lon: 106.65, lat: 29.71 } });

    // The operator's action shows in the frames of the next 10 s only.
    const actions = async (t: number) => (await core.playback.frame(p, t)).actions.filter((a) => a.subject === alarm.id).map((a) => a.action);
    expect(await actions(ackAt)).toEqual(['alarm.acknowledge']);
    expect(await actions(ackAt + 4_000)).toEqual(['alarm.acknowledge']);
    expect(await actions(closedAt)).toEqual(['alarm.acknowledge', 'alarm.close']);
    expect(await actions(ackAt + 10_000)).not.toContain('alarm.acknowledge');

    const index = await core.playback.open(p);
    const mine = index.events.filter((e) => e.subject === alarm.id);
    expect(mine.map((e) => [e.kind, e.at, e.actor])).toEqual([
      ['alarm.raise', raisedAt, undefined],
      ['alarm.acknowledge', ackAt, 'duty'],
      ['alarm.close', closedAt, 'duty'],
    ]);
    expect(mine[1].text).toContain('李明');
    expect(open.title).toMatch(/.+/);
    expect(mine[1].text).toBe(`李明 · ${open.title}`);
    expect(index.events.map((e) => e.at)).toEqual([...index.events.map((e) => e.at)].sort((a, b) => a - b));
    expect(index).toMatchObject({ cap: 5000, truncated: false });
  });

  it('gives each camera its health at the instant, and the units with their call signs and statuses', async () => {
    core.cameras.setCameras('vms', [camera('gate-1'), camera('gate-2')], media, { frozen: false, offlineAfterReports: 1 });
    await core.cameras.reportHealth('vms', [{ cameraId: 'gate-1', online: true }, { cameraId: 'gate-2', online: true }]);
    await advance(3000);
    const down = clock.now();
    await core.cameras.reportHealth('vms', [{ cameraId: 'gate-1', online: false }, { cameraId: 'gate-2', online: true }]);
    await advance(3000);

    const p = period();
    const cams = async (t: number) => Object.fromEntries((await core.playback.frame(p, t)).cameras.map((c) => [c.id, c.online]));
    expect(await cams(down - 1)).toEqual({ 'vms/gate-1': true, 'vms/gate-2': true });
    expect(await cams(down)).toEqual({ 'vms/gate-1': false, 'vms/gate-2': true });

    const units = core.units.units.list().filter((u) => u.position);
    expect(units.length).toBeGreaterThan(0);
    const frame = await core.playback.frame(p, clock.now());
    expect(frame.units.map((u) => u.id).sort()).toEqual(units.map((u) => u.id).sort());
    expect(frame.units.find((u) => u.id === units[0].id)).toEqual({
      id: units[0].id, callSign: units[0].callSign, status: units[0].status, lon: units[0].position!.lon, lat: units[0].position!.lat,
    });
  });

  it('changes nothing stored: every table has the same rows before and after opening and seeking', async () => {
    await core.tracks.reportBatch('radar', [{ trackId: 'A', position: at(106.601, 29.701) }]);
    const alarm = await core.alarms.raise({ source: 'manual', type: 'manual', severity: 2, position: null, details: { note: 'x' } });
    await core.alarms.acknowledge(alarm.id, DUTY);
    await advance(3000);
    const before = await fingerprint();
    expect(before.rec_track_points).toMatch(/^[1-9]/);
    const p = period();
    await core.playback.open(p);
    for (const t of [p.from, t0, t0 + 1500, p.to]) await core.playback.frame(p, t);
    expect(await fingerprint()).toEqual(before);
  });

  it('returns empty frames and an empty index for a period with nothing recorded', async () => {
    await core.tracks.reportBatch('radar', [{ trackId: 'A', position: at(106.601, 29.701) }]);
    await advance(2000);
    const quiet = { from: t0 - 7_200_000, to: t0 - 3_600_000 };
    expect(await core.playback.open(quiet)).toEqual({ from: quiet.from, to: quiet.to, events: [], tracks: 0, cap: 5000, truncated: false });
    expect(await core.playback.frame(quiet, quiet.from + 1000)).toEqual({ at: quiet.from + 1000, tracks: [], alarms: [], units: [], cameras: [], actions: [] });
  });

  it('refuses a period that ends before it starts, and an instant outside the period', async () => {
    await expect(core.playback.open({ from: t0 + 10, to: t0 })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/ends .* before it starts/) });
    await expect(core.playback.frame({ from: t0, to: t0 + 1000 }, t0 + 5000)).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/outside the period/) });
  });
});
