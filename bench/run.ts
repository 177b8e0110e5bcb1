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
//    scene.render() between gl.finish() calls: ms of work per frame). A grab after the timed frames must still
//    match the state's reference, else the round is discarded. The references of the two states must differ by
//    many pixels, else the figure is refused. "Bare" is every layer hidden (the globe and imagery drawn; Cesium
//    keeps hidden entities' geometry in its batches), as an operator would switch them off.
//  - SKYFENCE_BENCH_SMOKE=1 runs the same method on tiny sizes, to check that the bench works.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import sqlite3 from 'sqlite3';
import type { Page } from 'playwright-core';
import { loadConfig } from '../src/main/core/config.ts';
import { startCore } from '../src/main/core/core.ts';
import { MIGRATIONS } from '../src/main/core/store/migrations.ts';
import type { StoredAlarm } from '../src/main/core/alarms/alarm-repository.ts';
import { alarmRowsJson, auditRowsJson, INSERT_ALARMS_SQL, INSERT_AUDIT_SQL } from '../src/main/core/alarms/sqlite-alarm-repository.ts';
import { LAYER_IDS } from '../src/renderer/src/stores/layers.ts';
import { launchBrowser, login, openConsole, settle, startHost } from '../tests/e2e/harness.ts';
import { countDifferentPixels } from '../tests/e2e/pixels.ts';

// SKYFENCE_BENCH_SMOKE=1: the same method on tiny sizes, to check that the bench runs (its figures mean nothing).
const SMOKE = process.env.SKYFENCE_BENCH_SMOKE === '1';
const REPEATS = SMOKE ? 1 : 5;
const N = SMOKE ? 1_000 : 20_000;
const BATCH = 500;
const SINGLE = SMOKE ? 20 : 200;
const fmt = (v: number, d = 0) => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
const min = (v: number[]) => sorted(v)[0];
const median = (v: number[]) => {
  const s = sorted(v);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Interleaved repeats after one untimed warm-up of each side; returns the timed ms of each side. */
async function interleaved(baseline: () => Promise<number>, subject: () => Promise<number>, repeats = REPEATS) {
  await baseline();
  await subject();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < repeats; i++) {
    a.push(await baseline());
    b.push(await subject());
  }
  return { baseline: a, subject: b };
}

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
  const run = (sql: string, params: unknown[] = []) => new Promise<void>((res, rej) => db.run(sql, params, (e) => (e ? rej(e) : res())));
  await exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) for (const statement of m.up) await run(statement);
  const count = (table: string) => new Promise<number>((res, rej) => db.get(`SELECT count(*) AS n FROM ${table}`, (e, r: { n: number }) => (e ? rej(e) : res(r.n))));
  return { exec, run, count, close: () => new Promise<void>((r) => db.close(() => r())) };
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
        },
      }));
    };
    const bareInsert = async (rows: StoredAlarm[], per: number) => {
      for (let i = 0; i < rows.length; i += per) {
        const batch = rows.slice(i, i + per);
        const now = Date.now();
        await bare.exec('BEGIN IMMEDIATE');
        await bare.run(INSERT_ALARMS_SQL, [alarmRowsJson(batch)]);
        await bare.run(INSERT_AUDIT_SQL, [auditRowsJson(batch.map(({ alarm }) => ({ at: now, actor: 'system', action: 'alarm.raise', subject: alarm.id, details: { type: alarm.type, severity: alarm.severity } })))]);
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

const FRAMES = SMOKE ? 2 : 15;
/** A grab agrees with another when fewer pixels than this differ (labels and edges may dither by a few). */
const SAME_PX = 200;
/** The two states' references must differ by at least this many pixels for the figure to mean anything. */
const DISTINCT_PX = 20_000;

interface SceneHooks {
  setLayerVisible(id: string, on: boolean): void;
  measureRenderMs(n: number): number;
  frameNumber(): number;
}

/** Switches every layer, then lets Cesium's render loop tick and render (data sources are applied in its clock tick). */
async function switchLayers(page: Page, on: boolean): Promise<void> {
  await page.evaluate(({ ids, on }) => {
    const s = (window as unknown as { __skyfenceScene: SceneHooks }).__skyfenceScene;
    for (const id of ids) s.setLayerVisible(id, on);
  }, { ids: [...LAYER_IDS], on });
  await renderedFrames(page, 2);
}

/**
 * Requests a render (setLayerVisible with the state the layer already has only calls scene.requestRender()) and
 * waits, on requestAnimationFrame, until the viewer's own loop has rendered `n` more frames.
 */
async function renderedFrames(page: Page, n: number): Promise<void> {
  // No named functions inside: tsx would wrap them in a helper (__name) that the page does not have.
  await page.evaluate(async ({ n, id }) => {
    const w = window as unknown as { __skyfenceScene: SceneHooks; __benchLayerState: boolean };
    const s = w.__skyfenceScene;
    const start = s.frameNumber();
    const deadline = performance.now() + 10_000;
    while (s.frameNumber() - start < n) {
      if (performance.now() > deadline) throw new Error(`Cesium rendered ${s.frameNumber() - start} of ${n} frames in 10 s`);
      // Ask for the next frame: re-applying a layer's current state is a no-op apart from requestRender().
      s.setLayerVisible(id, w.__benchLayerState);
      await new Promise((r) => requestAnimationFrame(r));
    }
  }, { n, id: LAYER_IDS[0] });
}

async function sceneRender(): Promise<void> {
  const host = await startHost();
  const browser = await launchBrowser();
  try {
    const page = await openConsole(browser, host);
    await login(page);
    await settle(page);
    const scene = page.locator('[data-testid=scene]');
    const setState = async (on: boolean) => {
      await page.evaluate((on) => ((window as unknown as { __benchLayerState: boolean }).__benchLayerState = on), on);
      await switchLayers(page, on);
    };
    /** Renders until two consecutive grabs agree; returns the last grab. */
    const settled = async (label: string): Promise<Buffer> => {
      let last = await scene.screenshot();
      for (let i = 0; i < 30; i++) {
        await renderedFrames(page, 2);
        const next = await scene.screenshot();
        if (countDifferentPixels(last, next) < SAME_PX) return next;
        last = next;
      }
      throw new Error(`the ${label} scene did not settle in 30 grabs`);
    };
    const timeFrames = (n: number) =>
      page.evaluate((n) => {
        const s = (window as unknown as { __skyfenceScene: SceneHooks }).__skyfenceScene;
        return Array.from({ length: n }, () => s.measureRenderMs(1));
      }, n);

    // References, after the tiles have loaded (settled) and a warm-up of each state (shaders, geometry upload).
    const reference: Record<'bare' | 'airport', Buffer> = { bare: Buffer.alloc(0), airport: Buffer.alloc(0) };
    for (const state of ['bare', 'airport'] as const) {
      await setState(state === 'airport');
      await settled(state);
      await timeFrames(5);
      reference[state] = await settled(state);
    }
    const distinct = countDifferentPixels(reference.bare, reference.airport);
    if (distinct < DISTINCT_PX) throw new Error(`the bare and airport frames differ by only ${distinct} pixels: the layer switch did not show`);

    const frames: Record<'bare' | 'airport', number[]> = { bare: [], airport: [] };
    let discarded = 0;
    const checks: string[] = [];
    for (let round = 0; round < REPEATS; round++) {
      for (const state of ['bare', 'airport'] as const) {
        await setState(state === 'airport');
        const before = countDifferentPixels(await settled(state), reference[state]);
        if (before >= SAME_PX) throw new Error(`round ${round + 1}: the settled ${state} frame differs from its reference by ${before} pixels`);
        const ms = await timeFrames(FRAMES);
        // The last timed frame is the one on screen now: it must still show the claimed state.
        const after = countDifferentPixels(await scene.screenshot(), reference[state]);
        checks.push(`${state[0]}${before}/${after}`);
        if (after >= SAME_PX) discarded++;
        else frames[state].push(...ms);
      }
    }
    console.log(
      `\nScene render cost (console at 1600×900, SwiftShader WebGL; ms of work per frame, ${REPEATS} interleaved rounds × ${FRAMES} frames per state, ` +
        `timed only once the switch shows; bare and airport grabs differ by ${fmt(distinct)} px; rounds discarded: ${discarded})`,
    );
    const w = 34;
    console.log(`  ${''.padEnd(w)}  ${'min ms'.padStart(8)} ${'median ms'.padStart(10)} ${'frames'.padStart(7)}`);
    for (const [name, v] of [['baseline: every layer hidden', frames.bare], ['airport scene, every layer shown', frames.airport]] as const) {
      console.log(`  ${name.padEnd(w)}  ${fmt(min(v), 1).padStart(8)} ${fmt(median(v), 1).padStart(10)} ${String(v.length).padStart(7)}`);
    }
    console.log(`  airport / bare: ratio of medians ${fmt(median(frames.airport) / median(frames.bare), 2)}, of mins ${fmt(min(frames.airport) / min(frames.bare), 2)} (cost vs baseline)`);
    console.log(`  canvas checks (state, px off its reference before/after timing): ${checks.join(' ')}`);
  } finally {
    await browser.close();
    await host.stop();
  }
}

await alarmIngest();
await trackPipeline();
await sceneRender();
