// npm run bench: speed figures as ratios against a baseline measured in the same run (this machine is noisy).
//  1. SQLite alarm ingest through the alarm pipeline vs a bare batched sqlite3 insert of the same rows.
//  2. Track positions through the track service (circles, touch-circle alarms, events) vs the bare circle test.
//  3. Scene render cost: ms of work per frame of the airport scene vs the bare Cesium globe, in one browser.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import sqlite3 from 'sqlite3';
import { loadConfig } from '../src/main/core/config.ts';
import { startCore } from '../src/main/core/core.ts';
import { LAYER_IDS } from '../src/renderer/src/stores/layers.ts';
import { launchBrowser, login, openConsole, settle, startHost } from '../tests/e2e/harness.ts';

const N = 20_000;
const BATCH = 500;
const fmt = (v: number, d = 0) => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function bareBatchedInsert(rows: object[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'skyfence-bench-'));
  const db = new sqlite3.Database(join(dir, 'bare.db'));
  const exec = (sql: string, params: unknown[] = []) => new Promise<void>((res, rej) => db.run(sql, params, (e) => (e ? rej(e) : res())));
  await exec('PRAGMA journal_mode = WAL');
  await exec('PRAGMA synchronous = NORMAL');
  await exec(`CREATE TABLE alarms (id TEXT PRIMARY KEY, source TEXT, type TEXT, severity INTEGER, title TEXT, lon REAL, lat REAL, alt_m REAL,
    circle_id TEXT, circle_ring TEXT, grid_cell TEXT, raised_at INTEGER, state TEXT, drill INTEGER, details TEXT)`);
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) {
    await exec('BEGIN');
    await exec(
      `INSERT INTO alarms SELECT value->>'id', value->>'source', value->>'type', value->>'severity', value->>'title', value->>'lon', value->>'lat',
       NULL, NULL, NULL, NULL, value->>'raisedAt', 'new', 0, '{}' FROM json_each(?)`,
      [JSON.stringify(rows.slice(i, i + BATCH))],
    );
    await exec('COMMIT');
  }
  const ms = performance.now() - t0;
  await new Promise((r) => db.close(r));
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

async function alarmIngest(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skyfence-bench-'));
  const core = await startCore(loadConfig(['--data-dir', dataDir, '--no-sim'], { SKYFENCE_ADMIN_PASSWORD: 'bench-password' }), { log: () => undefined });
  const [lon0, lat0] = core.site.pack.aerodrome.referencePoint;
  const inputs = Array.from({ length: N }, (_, i) => ({
    source: 'video' as const, type: 'camera-offline' as const, severity: ((i % 4) + 1) as 1 | 2 | 3 | 4, title: `CAM-${i}`,
    position: { lon: lon0 + ((i % 200) - 100) * 2e-4, lat: lat0 + (Math.floor(i / 200) - 50) * 2e-4 },
  }));
  const bareRows = inputs.map((a) => ({ id: randomUUID(), source: a.source, type: a.type, severity: a.severity, title: a.title, lon: a.position.lon, lat: a.position.lat, raisedAt: Date.now() }));

  const bareMs = await bareBatchedInsert(bareRows);
  let t0 = performance.now();
  for (let i = 0; i < N; i += BATCH) await core.alarms.raiseBatch(inputs.slice(i, i + BATCH));
  const pipelineMs = performance.now() - t0;
  const single = 500;
  t0 = performance.now();
  for (let i = 0; i < single; i++) await core.alarms.raise(inputs[i]);
  const singleMs = performance.now() - t0;
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });

  const bareRate = (N / bareMs) * 1000;
  const pipelineRate = (N / pipelineMs) * 1000;
  console.log(`\nSQLite alarm ingest (${fmt(N)} alarms, batches of ${BATCH})`);
  console.log(`  baseline: bare batched sqlite3 insert     ${fmt(bareRate)} rows/s`);
  console.log(`  alarm pipeline (raiseBatch)               ${fmt(pipelineRate)} rows/s   ratio ${fmt(pipelineRate / bareRate, 2)} of baseline`);
  console.log(`  alarm pipeline, one alarm per commit      ${fmt((single / singleMs) * 1000)} rows/s   ratio ${fmt((single / singleMs) * 1000 / bareRate, 3)} of baseline`);
}

async function trackPipeline(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skyfence-bench-'));
  const core = await startCore(loadConfig(['--data-dir', dataDir, '--no-sim'], { SKYFENCE_ADMIN_PASSWORD: 'bench-password' }), { log: () => undefined });
  const [lon0, lat0] = core.site.pack.aerodrome.referencePoint;
  // 500 targets × 10 positions, spiralling in from 25 km so that they cross every circle.
  const positions = Array.from({ length: 5000 }, (_, i) => {
    const target = i % 500;
    const step = Math.floor(i / 500);
    const r = (25 - step * 2.4) / 111;
    const a = (target / 500) * 2 * Math.PI + step * 0.1;
    return { id: `T-${target}`, lon: lon0 + (r * Math.sin(a)) / Math.cos((lat0 * Math.PI) / 180), lat: lat0 + r * Math.cos(a), altM: 600 };
  });
  let t0 = performance.now();
  let inside = 0;
  for (const p of positions) inside += core.site.circlesAt(p.lon, p.lat).length;
  const bareMs = performance.now() - t0;
  t0 = performance.now();
  for (let i = 0; i < positions.length; i += 500) {
    // One poll of a feed: 500 positions.
    await core.tracks.reportBatch(positions.slice(i, i + 500).map((p) => ({ trackId: p.id, source: 'bench', position: { lon: p.lon, lat: p.lat, altM: p.altM } })));
  }
  const pipelineMs = performance.now() - t0;
  const alarms = (await core.alarms.list({ limit: 100_000 })).length;
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
  const rate = (ms: number) => (positions.length / ms) * 1000;
  console.log(`\nTrack positions (${fmt(positions.length)} positions of 500 targets crossing the circles; ${fmt(inside)} circle memberships, ${fmt(alarms)} touch-circle alarms)`);
  console.log(`  baseline: bare perception-circle test     ${fmt(rate(bareMs))} positions/s`);
  console.log(`  track service, batches of 500             ${fmt(rate(pipelineMs))} positions/s   ratio ${fmt(rate(pipelineMs) / rate(bareMs), 2)} of baseline`);
}

async function sceneRender(): Promise<void> {
  const host = await startHost();
  const browser = await launchBrowser();
  try {
    const page = await openConsole(browser, host);
    await login(page);
    await settle(page);
    const measure = (on: boolean) =>
      page.evaluate(({ ids, on }) => {
        const s = (window as unknown as { __skyfenceScene: { setLayerVisible(id: string, on: boolean): void; measureRenderMs(n: number): number } }).__skyfenceScene;
        for (const id of ids) s.setLayerVisible(id, on);
        s.measureRenderMs(15); // warm-up: layer changes, shaders, geometry upload
        return s.measureRenderMs(30);
      }, { ids: [...LAYER_IDS], on });
    // Alternate bare / airport to spread the machine's noise over both.
    const bare: number[] = [];
    const airport: number[] = [];
    for (let round = 0; round < 3; round++) {
      bare.push(await measure(false));
      airport.push(await measure(true));
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    console.log('\nScene render cost (console at 1600×900, SwiftShader WebGL, median of 3 rounds × 30 frames)');
    console.log(`  baseline: bare Cesium globe               ${fmt(median(bare), 1)} ms/frame`);
    console.log(`  airport scene, all layers                 ${fmt(median(airport), 1)} ms/frame   ratio ${fmt(median(airport) / median(bare), 2)} of baseline`);
  } finally {
    await browser.close();
    await host.stop();
  }
}

await alarmIngest();
await trackPipeline();
await sceneRender();
