// npm run bench: speed figures as ratios against a baseline measured in the same run (this machine is noisy).
//
// Method, for every figure:
//  - Same work on both sides. The ingest baseline is a bare sqlite3 connection with the console's pragmas and
//    schema (src/main/core/store/migrations.ts MIGRATIONS, applied here), inserting the very rows the pipeline
//    stores (same columns and values: circle, grid cell, details) plus the same audit_log rows, with the same
//    SQL, one transaction per batch. Each side writes to its own database, and both grow by the same rows at
//    each repeat, so repeat k of either side inserts into tables of the same size.
//    The track baseline is the bare perception-circle test of the same positions; every track-service run
//    reports a fresh set of 500 targets (own ids, dropped afterwards), so that every run raises the same alarms.
//  - Warm-up first: one untimed run of each side (JIT, page cache, WAL file, shaders, geometry upload).
//  - Interleaved repeats: baseline, subject, baseline, subject… (REPEATS of each), so that the machine's drift
//    and other jobs fall on both sides alike.
//  - Min and median of each side are reported, and the ratios of the medians and of the mins.
//  - Scene: switching layers only takes effect when Cesium's own render loop ticks (the data sources are
//    updated in the widget's clock tick, not in scene.render()), so after each switch the bench lets the loop
//    tick and render until two consecutive canvas grabs agree (settled), checks the grab against the reference
//    grab of that state, and only then times frames with __skyfenceScene.measureRenderMs(1) (one forced
//    scene.render() each waited for with a one-pixel readPixels: ms of work per frame). A grab after the timed frames must still
//    match the state's reference, else the round is discarded. The references of the two states must differ by
//    many pixels, else the figure is refused. "Bare" is every layer hidden (the globe and imagery drawn; Cesium
//    keeps hidden entities' geometry in its batches), as an operator would switch them off.
//  - Video (bench/video.ts): polling 5,000 cameras at 1 Hz as a share of one core, against a poller that only
//    reads and JSON.parses the same documents; and the render cost of 5,000 camera icons against the bare scene.
//  - SKYFENCE_BENCH_SMOKE=1 runs the same method on tiny sizes, to check that the bench works.
//  - Drones (bench/drones.ts): detections from three sensors into fused tracks and SQLite, against a bare batched
//    insert of the same rows into the same drone_detections schema; the render cost of 1,000 and 10,000 moving
//    drone tracks against a bare PointPrimitiveCollection (bench/scene-drones.ts).
//  - Drills (bench/drill-jitter.ts): inject timing at 1× (p50/p99 jitter) against plain setTimeout of the same
//    schedule. Playback (bench/playback-seek.ts): seek in a one-hour recording of 500 tracks against a naive scan.
//  - `--only <part>[,<part>]` (ingest, tracks, scene, video, drones, latency, list, drills, playback) runs some parts: node --import tsx bench/run.ts --only video
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import sqlite3 from 'sqlite3';
import { loadConfig } from '../src/main/core/config.ts';
import { startCore } from '../src/main/core/core.ts';
import { MIGRATIONS } from '../src/main/core/store/migrations.ts';
import type { StoredAlarm } from '../src/main/core/alarms/alarm-repository.ts';
import { alarmRowsJson, INSERT_ALARMS_SQL } from '../src/main/core/alarms/sqlite-alarm-repository.ts';
import { appendAudit } from '../src/main/core/store/audit-chain.ts';
import { DEFAULT_CLOCK_TARGETS } from '../src/shared/domain.ts';
import { LAYER_IDS } from '../src/renderer/src/stores/layers.ts';
import { launchBrowser, login, openConsole, settle, startHost } from '../tests/e2e/harness.ts';
import { fmt, interleaved, median, min, REPEATS, SMOKE } from './measure.ts';
import { compareSceneStates, FRAMES, printSceneComparison, type SceneState } from './scene.ts';
import { cameraPolling, cameraRender } from './video.ts';
import { benchDrones } from './drones.ts';
import { benchAlarmLatency } from './alarm-latency.ts';
import { benchAlarmList } from './alarm-list.ts';
import { benchDrillJitter } from './drill-jitter.ts';
import { benchPlaybackSeek } from './playback-seek.ts';
import { benchSceneDrones } from './scene-drones.ts';

const N = SMOKE ? 1_000 : 20_000;
const BATCH = 500;
const SINGLE = SMOKE ? 20 : 200;

/** A short table of throughput: ms per run (min, median) and items/s at those times; ratios subject/baseline. */
function throughputTable(title: string, items: number, unit: string, rows: Array<[name: string, ms: number[]]>) {
  console.log(`\n${title}`);
  const w = Math.max(...rows.map(([n]) => n.length));
  console.log(`  ${''.padEnd(w)}  ${'min ms'.padStart(9)} ${'median ms'.padStart(10)}  ${`${unit}/s (best)`.padStart(16)} ${`${unit}/s (median)`.padStart(18)}`);
  for (const [name, ms] of rows) {
    console.log(`  ${name.padEnd(w)}  ${fmt(min(ms), 1).padStart(9)} ${fmt(median(ms), 1).padStart(10)}  ${fmt((items / min(ms)) * 1000).padStart(16)} ${fmt((items / median(ms)) * 1000).padStart(18)}`);
  }
}
/** Subject throughput as a fraction of the baseline's (1 = as fast; below 1 = slower). */
function ratioLine(label: string, baseline: number[], subject: number[]) {
  console.log(`  ${label}: ratio of medians ${fmt(median(baseline) / median(subject), 2)}, of mins ${fmt(min(baseline) / min(subject), 2)} (throughput vs baseline)`);
}

// --- 1. SQLite alarm ingest ---------------------------------------------------------------------------

/** The pipeline's two statements and row encoding (src/main/core/alarms/sqlite-alarm-repository.ts), shared so they cannot drift apart. */
/** A bare sqlite3 connection with the console's pragmas (store/database.ts) and schema (MIGRATIONS). */
async function openBaselineDb(file: string) {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, (e) => (e ? reject(e) : resolve(d)));
  });
  const exec = (sql: string) => new Promise<void>((res, rej) => db.exec(sql, (e) => (e ? rej(e) : res())));
  const run = (sql: string, params: unknown[] = []) => new Promise<{ changes: number; lastID: number }>((res, rej) =>
    db.run(sql, params, function (e) { if (e) rej(e); else res({ changes: this.changes, lastID: this.lastID }); }));
  const all = <T,>(sql: string, params: unknown[] = []) => new Promise<T[]>((res, rej) => db.all(sql, params, (e, rows) => (e ? rej(e) : res(rows as T[]))));
  await exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) for (const statement of m.up) await run(statement);
  const count = (table: string) => new Promise<number>((res, rej) => db.get(`SELECT count(*) AS n FROM ${table}`, (e, r: { n: number }) => (e ? rej(e) : res(r.n))));
  return { exec, run, all, count, close: () => new Promise<void>((r) => db.close(() => r())) };
}

async function alarmIngest(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skyfence-bench-'));
  const bareDir = mkdtempSync(join(tmpdir(), 'skyfence-bench-bare-'));
  const core = await startCore(loadConfig(['--data-dir', dataDir, '--no-sim'], { SKYFENCE_ADMIN_PASSWORD: 'bench-password' }), { log: () => undefined });
  const bare = await openBaselineDb(join(bareDir, 'bare.db'));
  try {
    const [lon0, lat0] = core.site.pack.aerodrome.referencePoint;
    const inputs = Array.from({ length: N }, (_, i) => ({
      source: 'video' as const, type: 'camera-offline' as const, severity: ((i % 4) + 1) as 1 | 2 | 3 | 4,
      position: { lon: lon0 + ((i % 200) - 100) * 2e-4, lat: lat0 + (Math.floor(i / 200) - 50) * 2e-4 },
      details: { cameraIds: [`CAM-${i}`], group: null },
    }));
    // What the pipeline stores for each input (its circle and grid cell looked up once, outside the timing): the
    // baseline's rows carry the same values in the same JSON shape, so SQLite parses and stores the same bytes.
    const placed = inputs.map((a) => {
      const circle = core.site.innermostCircle(a.position.lon, a.position.lat);
      return { circleId: circle?.id ?? null, circleRing: circle?.ring ?? null, gridCellId: core.site.gridCellAt(a.position.lon, a.position.lat)?.id ?? null };
    });
    const bareRows = (): StoredAlarm[] => {
      const now = Date.now();
      return inputs.map((a, i) => ({
        key: null,
        alarm: {
          id: randomUUID(), source: a.source, type: a.type, severity: a.severity, position: a.position, ...placed[i],
          raisedAt: now, updatedAt: now, updates: 1, state: 'new', drill: false,
          acknowledgedAt: null, acknowledgedBy: null, closedAt: null, closedBy: null, resolution: null, details: a.details,
          assignedTo: null, dispatchedAt: null, onSceneAt: null, resolvedAt: null, resolvedBy: null, escalatedAt: null, incidentId: null,
          clock: { targets: { ...DEFAULT_CLOCK_TARGETS }, overdue: [] },
        },
      }));
    };
    const bareInsert = async (rows: StoredAlarm[], per: number) => {
      for (let i = 0; i < rows.length; i += per) {
        const batch = rows.slice(i, i + per);
        const now = Date.now();
        await bare.exec('BEGIN IMMEDIATE');
        await bare.run(INSERT_ALARMS_SQL, [alarmRowsJson(batch)]);
        // The same hash-chained record as the pipeline writes.
        await appendAudit(bare, batch.map(({ alarm }) => ({ at: now, actor: 'system', action: 'alarm.raise', subject: alarm.id, details: { type: alarm.type, severity: alarm.severity } })));
        await bare.exec('COMMIT');
      }
    };
    const timed = async (work: () => Promise<void>) => {
      const t0 = performance.now();
      await work();
      return performance.now() - t0;
    };

    // Batches of 500.
    const batched = await interleaved(
      async () => {
        const rows = bareRows();
        return timed(() => bareInsert(rows, BATCH));
      },
      () => timed(async () => {
        for (let i = 0; i < N; i += BATCH) await core.alarms.raiseBatch(inputs.slice(i, i + BATCH));
      }),
    );
    // One alarm per commit (what a source that does not batch costs), same treatment.
    const single = await interleaved(
      async () => {
        const rows = bareRows().slice(0, SINGLE);
        return timed(() => bareInsert(rows, 1));
      },
      () => timed(async () => {
        for (let i = 0; i < SINGLE; i++) await core.alarms.raise(inputs[i]);
      }),
    );
    const expected = (1 + REPEATS) * (N + SINGLE);
    const [alarms, audit] = [await bare.count('alarms'), await bare.count('audit_log')];
    if (alarms !== expected || audit !== expected) throw new Error(`baseline stored ${alarms} alarms and ${audit} audit rows, expected ${expected}`);

    throughputTable(
      `SQLite alarm ingest (${fmt(N)} alarms per run in batches of ${BATCH}; same schema, rows and audit rows on both sides; 1 warm-up + ${REPEATS} interleaved runs each)`,
      N, 'rows',
      [['baseline: bare sqlite3, batches', batched.baseline], ['alarm pipeline (raiseBatch)', batched.subject]],
    );
    ratioLine('raiseBatch', batched.baseline, batched.subject);
    throughputTable(`SQLite alarm ingest, one alarm per commit (${SINGLE} alarms per run)`, SINGLE, 'rows', [['baseline: bare sqlite3, 1 per commit', single.baseline], ['alarm pipeline (raise), 1 per commit', single.subject]]);
    ratioLine('raise', single.baseline, single.subject);
  } finally {
    await core.close();
    await bare.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(bareDir, { recursive: true, force: true });
  }
}

// --- 2. Track positions --------------------------------------------------------------------------------

async function trackPipeline(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skyfence-bench-'));
  const core = await startCore(loadConfig(['--data-dir', dataDir, '--no-sim'], { SKYFENCE_ADMIN_PASSWORD: 'bench-password' }), { log: () => undefined });
  try {
    const [lon0, lat0] = core.site.pack.aerodrome.referencePoint;
    // 500 targets × 10 positions, spiralling in from 25 km so that they cross every circle.
    const positions = Array.from({ length: 5000 }, (_, i) => {
      const target = i % 500;
      const step = Math.floor(i / 500);
      const r = (25 - step * 2.4) / 111;
      const a = (target / 500) * 2 * Math.PI + step * 0.1;
      return { target, lon: lon0 + (r * Math.sin(a)) / Math.cos((lat0 * Math.PI) / 180), lat: lat0 + r * Math.cos(a), altM: 600 };
    });
    let inside = 0;
    let run = 0;
    const alarmsPerRun: number[] = [];
    const { baseline, subject } = await interleaved(
      async () => {
        inside = 0;
        const t0 = performance.now();
        for (const p of positions) inside += core.site.circlesAt(p.lon, p.lat).length;
        return performance.now() - t0;
      },
      async () => {
        // Each run is a fresh set of 500 targets (own ids and source), so that every run enters the same circles
        // and raises the same touch-circle alarms; the targets are dropped afterwards (untimed).
        const source = `bench-${run++}`;
        const before = (await core.alarms.list({ limit: 1_000_000 })).openCount;
        const t0 = performance.now();
        for (let i = 0; i < positions.length; i += 500) {
          // One poll of a feed: 500 positions.
          await core.tracks.reportBatch(source, positions.slice(i, i + 500).map((p) => ({ trackId: `T-${p.target}`, position: { lon: p.lon, lat: p.lat, altM: p.altM } })));
        }
        const ms = performance.now() - t0;
        await core.tracks.reportBatch(source, [], { replace: true });
        alarmsPerRun.push((await core.alarms.list({ limit: 1_000_000 })).openCount - before);
        return ms;
      },
    );
    if (new Set(alarmsPerRun).size !== 1) throw new Error(`track runs raised different numbers of alarms: ${alarmsPerRun.join(', ')}`);
    throughputTable(
      `Track positions (${fmt(positions.length)} positions of 500 targets crossing the circles per run; ${fmt(inside)} circle memberships, ${fmt(alarmsPerRun[0])} touch-circle alarms per run; 1 warm-up + ${REPEATS} interleaved runs each)`,
      positions.length, 'positions',
      [['baseline: bare perception-circle test', baseline], ['track service, batches of 500', subject]],
    );
    ratioLine('track service', baseline, subject);
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// --- 3. Scene render cost ------------------------------------------------------------------------------

/** The two states' references must differ by at least this many pixels for the figure to mean anything. */
const DISTINCT_PX = 20_000;

async function sceneRender(): Promise<void> {
  const host = await startHost();
  const browser = await launchBrowser();
  try {
    const page = await openConsole(browser, host);
    await login(page);
    await settle(page);
    const bare: SceneState = { name: 'bare', label: 'baseline: every layer hidden', layers: [] };
    const airport: SceneState = { name: 'airport', label: 'airport scene, every layer shown', layers: LAYER_IDS };
    const r = await compareSceneStates(page, bare, airport, { distinctPx: DISTINCT_PX });
    printSceneComparison(
      `Scene render cost (console at 1600×900, SwiftShader WebGL; ms of work per frame, ${REPEATS} interleaved rounds × ${FRAMES} frames per state, ` +
        `timed only once the switch shows; bare and airport grabs differ by ${fmt(r.distinct)} px; rounds discarded: ${r.discarded})`,
      bare, airport, r,
    );
  } finally {
    await browser.close();
    await host.stop();
  }
}

// --- 4, 5. Video: polling 5,000 cameras, and their icons on the map (bench/video.ts) ----------------------

// `--only <part>[,<part>]` runs some parts: ingest, tracks, scene, video, drones, latency, list, drills, playback.
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set((process.argv[onlyAt + 1] ?? '').split(',')) : null;
const PARTS = { ingest: alarmIngest, tracks: trackPipeline, scene: sceneRender, video: async () => { await cameraPolling(); await cameraRender(); },
  drones: async () => {
    for (const line of await benchDrones()) console.log(line);
    await benchSceneDrones();
  },
  latency: benchAlarmLatency,
  list: benchAlarmList,
  drills: benchDrillJitter,
  playback: benchPlaybackSeek,
};
for (const name of only ?? []) if (!(name in PARTS)) throw new Error(`--only: no part "${name}" (parts: ${Object.keys(PARTS).join(', ')})`);
for (const [name, run] of Object.entries(PARTS)) if (!only || only.has(name)) await run();
