// Playback seek: the picture at 20 random instants of a one-hour recording of 500 tracks at 1 Hz (1.8 M positions),
// built through the recorder's own write path (tracks.changed on the bus, one flush a second on a fake clock).
// Subject: the playback's read, each track's last row within the staleness window (a short range of the
// time-clustered table). Baseline: the same picture the naive way on the same table: every row up to the
// instant, the last of each track, then the window applied. Both must return the same rows (checked).
// Warm-up, interleaved repeats, min/median ms per seek and their ratio; a full Playback.frame is timed too.
// Run alone: node --import tsx bench/playback-seek.ts   (SKYFENCE_BENCH_SMOKE=1: small sizes)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Track } from '../src/shared/domain.ts';
import { ManualClock } from '../src/main/core/clock.ts';
import { EventBus } from '../src/main/core/event-bus.ts';
import { Playback } from '../src/main/core/playback/playback.ts';
import { Recorder, TRACK_STALE_MS } from '../src/main/core/playback/recorder.ts';
import { RecordingRepository } from '../src/main/core/playback/recording-repository.ts';
import { Database } from '../src/main/core/store/database.ts';
import { fmt, interleaved, median, min, SMOKE } from './measure.ts';

const TRACKS = SMOKE ? 50 : 500;
const SECONDS = SMOKE ? 120 : 3600;
const SEEKS = SMOKE ? 5 : 20;

/** A small seeded generator, so that every run seeks to the same instants. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function benchPlaybackSeek(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skyfence-bench-playback-'));
  const db = await Database.open(join(dir, 'skyfence.db'));
  try {
    const clock = new ManualClock();
    const bus = new EventBus();
    const current = new Map<string, Track>();
    const logs: string[] = [];
    const recorder = new Recorder({
      db, bus, clock, tracks: { list: () => [...current.values()] }, cameras: { states: () => [] }, units: { list: () => [] }, log: (l) => logs.push(l),
    });
    recorder.start();
    const from = clock.now();
    const built = performance.now();
    for (let s = 0; s < SECONDS; s++) {
      const updated: Track[] = [];
      for (let i = 0; i < TRACKS; i++) {
        // Each target circles its own point near the airport.
        const phase = (s / 120 + i / TRACKS) * 2 * Math.PI;
        const t: Track = {
          id: `radar/T${i}`, trackId: `T${i}`, source: 'radar', at: clock.now(), circleId: null, circleRing: null, live: true,
          position: { lon: 106.6 + (i % 25) * 0.004 + 0.002 * Math.cos(phase), lat: 29.68 + Math.floor(i / 25) * 0.003 + 0.002 * Math.sin(phase), altM: 50 + (i % 7) * 10 },
        };
        current.set(t.id, t);
        updated.push(t);
      }
      bus.publish('tracks.changed', { updated, removed: [] });
      clock.advance(1000);
      await recorder.settled();
    }
    await recorder.stop();
    const buildMs = performance.now() - built;
    const to = clock.now();
    const rows = (await db.get<{ n: number }>('SELECT count(*) AS n FROM rec_track_points'))!.n;
    if (rows !== TRACKS * SECONDS) throw new Error(`the recording holds ${rows} positions, not ${TRACKS * SECONDS}: ${logs.join('; ')}`);

    const random = mulberry32(9);
    const instants = Array.from({ length: SEEKS }, () => Math.round(from + TRACK_STALE_MS + random() * (to - from - TRACK_STALE_MS)));
    const repo = new RecordingRepository(db);
    for (const at of instants) {
      const [a, b] = [await repo.tracksAt(at - TRACK_STALE_MS, at), await repo.tracksAtByFullScan(at, TRACK_STALE_MS)];
      if (a.length !== TRACKS || JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`seek to ${at}: the indexed and the full-scan reads differ (${a.length} / ${b.length} tracks)`);
    }
    const perSeek = async (read: (at: number) => Promise<unknown>) => {
      const t0 = performance.now();
      for (const at of instants) await read(at);
      return (performance.now() - t0) / instants.length;
    };
    const { baseline, subject } = await interleaved(
      () => perSeek((at) => repo.tracksAtByFullScan(at, TRACK_STALE_MS)),
      () => perSeek((at) => repo.tracksAt(at - TRACK_STALE_MS, at)),
      // The baseline takes seconds a seek: three repeats (not measure.ts's five) keep this part to a few minutes.
      SMOKE ? 1 : 3,
    );
    const playback = new Playback({ db });
    const period = { from, to };
    await perSeek((at) => playback.frame(period, at));
    const frames: number[] = [];
    for (let i = 0; i < 3; i++) frames.push(await perSeek((at) => playback.frame(period, at)));

    console.log(`\nPlayback seek: ${fmt(TRACKS)} tracks at 1 Hz for ${fmt(SECONDS)} s (${fmt(rows)} positions, built through the recorder in ${fmt(buildMs / 1000, 1)} s)`);
    console.log(`  ms per seek, ${SEEKS} random instants     ${'min'.padStart(9)} ${'median'.padStart(9)}`);
    console.log(`  baseline (scan every row up to t)      ${fmt(min(baseline), 2).padStart(9)} ${fmt(median(baseline), 2).padStart(9)}`);
    console.log(`  playback (window on time-ordered rows) ${fmt(min(subject), 2).padStart(9)} ${fmt(median(subject), 2).padStart(9)}`);
    console.log(`  speed-up: ${fmt(median(baseline) / median(subject), 1)}× (medians), ${fmt(min(baseline) / min(subject), 1)}× (mins)`);
    console.log(`  a whole frame (tracks, drones, alarms, cameras, units, actions): min ${fmt(min(frames), 2)} ms, median ${fmt(median(frames), 2)} ms`);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchPlaybackSeek().catch((err: Error) => {
    console.error(`playback bench failed: ${err.message}`);
    process.exitCode = 1;
  });
}
