// Inject timing of `npm run bench` (method: bench/run.ts, bench/measure.ts): how close to its drill time the
// drill engine hands each inject to the console, at 1× on the system clock.
//
// Subject: a plan of STEPS steps, one every INTERVAL_MS of drill time, run by the DrillEngine on the system clock
// port (src/main/core/clock.ts) into an InjectPort that stamps process.hrtime of each fire. Jitter = the stamp −
// (the start's stamp + the step's drill time). The engine keeps one clock timer for its next deadline and
// re-computes the wait from the clock at each step, as it does in the console.
// Baseline: the same schedule as plain setTimeout calls made at the start, each stamping hrtime — the best Node
// can do for a known schedule.
// One untimed warm-up of each side, then interleaved repeats; p50 and p99 of each run's jitter, min and median
// over the repeats, and the ratio of the engine's figures to the baseline's.
import { pathToFileURL } from 'node:url';
import { systemClock } from '../src/main/core/clock.ts';
import { DrillEngine } from '../src/main/core/drills/drill-engine.ts';
import type { Plan, PlanStep } from '../src/shared/drills.ts';
import { fmt, interleaved, median, min, SMOKE } from './measure.ts';

const STEPS = SMOKE ? 20 : 200;
const INTERVAL_MS = 50;
const REPEATS = SMOKE ? 1 : 3;
const POSITION = { lon: 106.6405, lat: 29.7046 };

interface Jitter {
  p50: number;
  p99: number;
}

const hrMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

function jitterOf(startMs: number, firedMs: number[]): Jitter {
  if (firedMs.length !== STEPS || firedMs.some((v) => v === undefined)) throw new Error(`bench: ${firedMs.filter((v) => v !== undefined).length} of ${STEPS} fires recorded`);
  const jitter = firedMs.map((at, i) => at - (startMs + (i + 1) * INTERVAL_MS));
  return { p50: percentile(jitter, 50), p99: percentile(jitter, 99) };
}

function benchPlan(): Plan {
  const text = (s: string) => ({ zh: s, en: s });
  const steps: PlanStep[] = Array.from({ length: STEPS }, (_, i) => ({
    id: `inject-${i}`,
    atS: ((i + 1) * INTERVAL_MS) / 1000,
    unit: 'director',
    action: text(`注入 ${i}`),
    inject: { kind: 'alarm', severity: 2, note: text(`${i}`), position: POSITION },
  }));
  return {
    format: 1, id: 'bench-jitter', version: 1, title: text('注入计时'), type: 'drill', kind: 'tabletop', eventType: 'drone-intrusion',
    place: text('基准'), position: POSITION, date: '2026-12-15', units: [{ id: 'director', name: text('导调组'), site: false }],
    procedures: text(''), siteSetup: text(''), simulatedConditions: text(''), assembly: { points: [], routes: [] },
    announce: { end: text('结束'), abort: text('中止') }, seed: 1, steps,
  };
}

/** The same schedule as plain setTimeout calls from the start. */
function baselineRun(): Promise<Jitter> {
  return new Promise((resolve) => {
    const fired: number[] = new Array(STEPS);
    let left = STEPS;
    const start = hrMs();
    for (let i = 0; i < STEPS; i++) {
      setTimeout(() => {
        fired[i] = hrMs();
        if (--left === 0) resolve(jitterOf(start, fired));
      }, (i + 1) * INTERVAL_MS);
    }
  });
}

/** The drill engine running the plan at 1× on the system clock. */
function engineRun(plan: Plan): Promise<Jitter> {
  return new Promise((resolve, reject) => {
    const fired: number[] = new Array(STEPS);
    let left = STEPS;
    let start = 0;
    const engine = new DrillEngine({
      drillId: 'bench', plan, clock: systemClock, seed: 1, speed: 1,
      inject: {
        fire: async (_inject, ctx) => {
          fired[Number(ctx.step.id.slice('inject-'.length))] = hrMs();
          if (--left === 0) {
            resolve(jitterOf(start, fired));
            setImmediate(() => engine.end());
          }
        },
      },
      onLog: (e) => {
        if (e.kind === 'inject-failed') reject(new Error(`bench: inject failed: ${String(e.detail)}`));
      },
    });
    start = hrMs();
    engine.start();
  });
}

export async function benchDrillJitter(): Promise<void> {
  const plan = benchPlan();
  const runs = await interleaved<Jitter>(() => baselineRun(), () => engineRun(plan), REPEATS);
  const row = (name: string, j: Jitter[]) => {
    const p50 = j.map((x) => x.p50);
    const p99 = j.map((x) => x.p99);
    return `  ${name.padEnd(20)} ${fmt(min(p50), 2).padStart(8)} ${fmt(median(p50), 2).padStart(11)} ${fmt(min(p99), 2).padStart(8)} ${fmt(median(p99), 2).padStart(11)}`;
  };
  console.log(`\nDrill inject timing at 1× (${STEPS} injects every ${INTERVAL_MS} ms, system clock; jitter = fire − schedule, ms; ${REPEATS} interleaved repeats)`);
  console.log(`  ${''.padEnd(20)} ${'p50 min'.padStart(8)} ${'p50 median'.padStart(11)} ${'p99 min'.padStart(8)} ${'p99 median'.padStart(11)}`);
  console.log(row('setTimeout baseline', runs.baseline));
  console.log(row('drill engine', runs.subject));
  const ratio = (pick: (j: Jitter) => number) => median(runs.subject.map(pick)) / median(runs.baseline.map(pick));
  console.log(`  engine vs baseline: p50 ${fmt(ratio((j) => j.p50), 2)}×, p99 ${fmt(ratio((j) => j.p99), 2)}× (ratio of medians; 1 = as punctual as plain setTimeout)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchDrillJitter().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
