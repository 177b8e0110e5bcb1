// Drone detections into fused tracks and SQLite (npm run bench, part of bench/run.ts; method at its top).
//
// A realistic minute of sky: a swarm of 50 drones 20–60 m apart and 10 Remote ID drones 2–5 km out, seen by
// 3 sensors, each delivering one batch per second — a detection system's API (all 60; the Remote ID it decoded
// for the 10), a SAPIENT radar (all 60, its fixes a few metres off) and a Remote ID receiver (the 10, with
// identity and pilot): 130 detections a second. Subject: the console's fusion (core.drones.fusion of a real
// core on a real database: association, merge, the threat judge of src/main/core/drones/threat.ts, the alarm
// policy of drone-alarms.ts, one transaction per batch with the track upserts). Baseline: a bare sqlite3
// connection with the console's pragmas and schema inserting the very same detection rows (same SQL, same
// JSON) into drone_detections, one transaction per batch. Each run flies fresh objects (own ids) and lets the
// previous run's tracks drop (untimed), so that every run creates its 60 tracks and then follows them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { ManualClock } from '../src/main/core/clock.ts';
import { loadConfig } from '../src/main/core/config.ts';
import { startCore } from '../src/main/core/core.ts';
import { detectionRowsJson, INSERT_DETECTIONS_SQL, type StoredDetection } from '../src/main/core/drones/drone-track-repository.ts';
import { MIGRATIONS } from '../src/main/core/store/migrations.ts';
import { TRACK_DROPPED_AFTER_MS, type DroneDetection } from '../src/shared/drones.ts';
import { fmt, interleaved, median, min, REPEATS, SMOKE } from './measure.ts';

const SECONDS = SMOKE ? 5 : 60;
const SWARM = 50;
const REMOTE_ID = 10;
const PER_SECOND = (SWARM + REMOTE_ID) * 2 + REMOTE_ID;
const SENSOR_GAP_MS = 300;

/** One sensor's batch at one second of the run. */
interface Batch {
  sensorId: string;
  /** Offset of the batch's detections from the run's start. */
  offsetMs: number;
  detections: Array<Omit<DroneDetection, 'at'>>;
}

/** The minute of sky as batches, for run `run` (object ids carry it so that every run's objects are new). */
function scenario(run: number, origin: readonly [number, number], elevationM: number): Batch[] {
  const [lon0, lat0] = origin;
  const east = (m: number) => m / (111_320 * Math.cos((lat0 * Math.PI) / 180));
  const north = (m: number) => m / 110_574;
  const noise = (i: number, k: number) => ((i * 7919 + k * 104_729) % 61) / 10 - 3;
  const colX = [0, 20, 45, 105, 130, 160, 200, 225, 260, 290];
  const batches: Batch[] = [];
  for (let s = 0; s < SECONDS; s++) {
    // The swarm: 10 columns × 5 rows flying north-east at 8 m/s, 1 km north-east of the reference point.
    const swarm = Array.from({ length: SWARM }, (_, i) => {
      const d = 8 * s * Math.SQRT1_2;
      return { x: 1000 + colX[i % 10] + d, y: 1000 + Math.floor(i / 10) * 25 + d, altM: elevationM + 120 };
    });
    // Remote ID drones on a ring 2–5 km out, circling slowly.
    const rid = Array.from({ length: REMOTE_ID }, (_, i) => {
      const r = 2000 + i * 300;
      const a = (i / REMOTE_ID) * 2 * Math.PI + s * 0.002;
      return { x: r * Math.sin(a), y: r * Math.cos(a), altM: elevationM + 60 + i * 10, serial: `BENCH${run}SN${String(i).padStart(4, '0')}` };
    });
    const at = (x: number, y: number, altM: number) => ({ lon: lon0 + east(x), lat: lat0 + north(y), altM });
    batches.push({
      sensorId: 'bench-detect', offsetMs: s * 1000,
      detections: [
        ...swarm.map((p, i) => ({ sensorId: 'bench-detect', sensorKind: 'detection' as const, objectId: `${run}-D-${i}`, position: at(p.x, p.y, p.altM), speedMps: 8, headingDeg: 45, classification: 'drone' as const, confidence: 0.8 })),
        ...rid.map((p, i) => ({ sensorId: 'bench-detect', sensorKind: 'detection' as const, objectId: `${run}-DR-${i}`, position: at(p.x, p.y, p.altM), speedMps: 4, classification: 'drone' as const, confidence: 0.9, identity: { serial: p.serial, operatorId: `CHN-OP-${i}` } })),
      ],
    });
    batches.push({
      sensorId: 'bench-radar', offsetMs: s * 1000 + SENSOR_GAP_MS,
      detections: [...swarm, ...rid].map((p, i) => ({
        sensorId: 'bench-radar', sensorKind: 'sapient' as const, objectId: `${run}-R-${i}`,
        position: at(p.x + noise(i, s), p.y + noise(i, s + 1), p.altM), classification: 'drone' as const, confidence: 0.7,
      })),
    });
    batches.push({
      sensorId: 'bench-rid', offsetMs: s * 1000 + 2 * SENSOR_GAP_MS,
      detections: rid.map((p, i) => ({
        sensorId: 'bench-rid', sensorKind: 'remote-id' as const, objectId: p.serial, position: at(p.x, p.y, p.altM), heightAglM: p.altM - elevationM, speedMps: 4,
        identity: { serial: p.serial, registrationId: `UAS-CN-${run}-${i}`, uaType: 'helicopter-or-multirotor', operatorId: `CHN-OP-${i}`, selfIdText: 'bench' },
        pilot: { ...at(p.x - 300, p.y - 300, elevationM + 1) }, rssiDbm: -70,
      })),
    });
  }
  return batches;
}

/** A bare sqlite3 connection with the console's pragmas (store/database.ts) and schema (MIGRATIONS). */
async function openBare(file: string) {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, (e) => (e ? reject(e) : resolve(d)));
  });
  const exec = (sql: string) => new Promise<void>((res, rej) => db.exec(sql, (e) => (e ? rej(e) : res())));
  const run = (sql: string, params: unknown[] = []) => new Promise<void>((res, rej) => db.run(sql, params, (e) => (e ? rej(e) : res())));
  await exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) for (const statement of m.up) await run(statement);
  const count = () => new Promise<number>((res, rej) => db.get('SELECT count(*) AS n FROM drone_detections', (e, r: { n: number }) => (e ? rej(e) : res(r.n))));
  return { exec, run, count, close: () => new Promise<void>((r) => db.close(() => r())) };
}

export async function benchDrones(): Promise<string[]> {
  const lines: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'skyfence-bench-drones-'));
  const bareDir = mkdtempSync(join(tmpdir(), 'skyfence-bench-drones-bare-'));
  const clock = new ManualClock(Date.now());
  const core = await startCore(loadConfig(['--data-dir', dataDir, '--no-sim'], { SKYFENCE_ADMIN_PASSWORD: 'bench-password' }), { clock, log: () => undefined });
  const bare = await openBare(join(bareDir, 'bare.db'));
  try {
    const fusion = core.drones.fusion;
    const origin = core.site.pack.aerodrome.referencePoint;
    const elevationM = core.site.pack.aerodrome.elevationM;
    let run = 0;
    const tracksPerRun: number[] = [];
    const { baseline, subject } = await interleaved(
      async () => {
        // The same rows the fusion stores: detections stamped on the same timeline, a track id and a level each.
        const batches = scenario(run, origin, elevationM);
        const t0 = clock.now();
        const rows = batches.map((b) => b.detections.map((d, i): StoredDetection => ({ trackId: `UAS-${String(i).padStart(6, '0')}`, level: 0, detection: { ...d, at: t0 + b.offsetMs } })));
        const start = performance.now();
        for (const batch of rows) {
          await bare.exec('BEGIN IMMEDIATE');
          await bare.run(INSERT_DETECTIONS_SQL, [detectionRowsJson(batch)]);
          await bare.exec('COMMIT');
        }
        return performance.now() - start;
      },
      async () => {
        const batches = scenario(run++, origin, elevationM);
        const t0 = clock.now();
        let ms = 0;
        for (const b of batches) {
          clock.advance(t0 + b.offsetMs - clock.now()); // untimed: the sensors' own pace
          const detections = b.detections.map((d) => ({ ...d, at: clock.now() }));
          const start = performance.now();
          await fusion.reportDetections(b.sensorId, detections);
          ms += performance.now() - start;
        }
        tracksPerRun.push(fusion.list().length);
        clock.advance(TRACK_DROPPED_AFTER_MS + 2_000); // untimed: this run's tracks drop before the next
        return ms;
      },
    );
    const expectedTracks = SWARM + REMOTE_ID;
    if (tracksPerRun.some((n) => n !== expectedTracks)) throw new Error(`the fusion made ${tracksPerRun.join(', ')} tracks per run, expected ${expectedTracks}`);
    const perRun = SECONDS * PER_SECOND;
    const expectedRows = (1 + REPEATS) * perRun;
    const [bareRows, fusedRows] = [await bare.count(), (await core.db.get<{ n: number }>('SELECT count(*) AS n FROM drone_detections'))!.n];
    if (bareRows !== expectedRows || fusedRows !== expectedRows) throw new Error(`stored ${bareRows} (baseline) and ${fusedRows} (fusion) detections, expected ${expectedRows}`);
    const levels = await core.db.all<{ level: number; n: number }>('SELECT level, count(*) AS n FROM drone_detections GROUP BY level ORDER BY level');

    lines.push(
      '',
      `Drone detections into fused tracks and SQLite (${fmt(perRun)} detections per run: ${SECONDS} s of a ${SWARM}-drone swarm + ${REMOTE_ID} Remote ID drones, ` +
        `3 sensors, one batch per sensor per second; ${expectedTracks} tracks per run; 1 warm-up + ${REPEATS} interleaved runs each)`,
    );
    const rows: Array<[string, number[]]> = [['baseline: bare sqlite3, same rows, 1 transaction per batch', baseline], ['fusion (associate, merge, judge, alarms, store)', subject]];
    const w = Math.max(...rows.map(([n]) => n.length));
    lines.push(`  ${''.padEnd(w)}  ${'min ms'.padStart(9)} ${'median ms'.padStart(10)}  ${'detections/s (best)'.padStart(20)} ${'detections/s (median)'.padStart(22)}`);
    for (const [name, ms] of rows) {
      lines.push(`  ${name.padEnd(w)}  ${fmt(min(ms), 1).padStart(9)} ${fmt(median(ms), 1).padStart(10)}  ${fmt((perRun / min(ms)) * 1000).padStart(20)} ${fmt((perRun / median(ms)) * 1000).padStart(22)}`);
    }
    lines.push(
      `  fusion: ratio of medians ${fmt(median(baseline) / median(subject), 2)}, of mins ${fmt(min(baseline) / min(subject), 2)} (throughput vs baseline)`,
      `  judge: ThreatAssessor (src/main/core/drones/threat.ts) as this build has it; levels stored: ${levels.map((l) => `${l.level}×${fmt(l.n)}`).join(', ')}` +
        (levels.every((l) => l.level === 0) ? ' (all 0: a placeholder judge, or nothing threatening)' : ''),
    );
    return lines;
  } finally {
    await core.close();
    await bare.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(bareDir, { recursive: true, force: true });
  }
}

// Run alone: node --import tsx bench/drones.ts
if (import.meta.url === `file://${process.argv[1]}`) for (const line of await benchDrones()) console.log(line);
