// Render cost of moving drone tracks (method: bench/run.ts, bench/scene.ts): 1,000 and 10,000 tracks drawn by
// the console's DroneLayer against a bare PointPrimitiveCollection of the same count, in the same browser run.
// The mix is a busy day's: mostly quiet drones and birds (level 0–1, points only at scale) and a few dozen at
// level 2–4 (drawn in full: stalk, trail, label, pilot and dashed line for those with one). Every frame moves
// every track (the same motion on both sides: each point on a small circle, a new position per frame) and
// renders: ms of work per frame = the update plus one forced scene.render(), each frame waited for with a one-pixel readPixels (gl.finish() returns at once in Chromium), so that
// the figure is work done, not work queued. Every other layer is hidden on both sides. Interleaved rounds
// (baseline, subject, …) after a warm-up of each; min and median; the ratio subject/baseline. Before a round is
// timed, the page must show what it claims: droneCount() is N for the subject (0 for the baseline), a level-2+
// track has its stalk and a quiet one has none (above DETAIL_ALL_UP_TO tracks), and the bare collection holds
// N points (hidden for the subject).
import type { Browser, Page } from 'playwright-core';
import { DETAIL_ALL_UP_TO } from '../src/renderer/src/scene/drone-detail.ts';
import { LAYER_IDS } from '../src/renderer/src/stores/layers.ts';
import { launchBrowser, login, openConsole, settle, startHost, type RunningHost } from '../tests/e2e/harness.ts';
import { fmt, median, min, REPEATS, SMOKE } from './measure.ts';

// SKYFENCE_BENCH_DRONES=1000,10000 and SKYFENCE_BENCH_DRONE_FRAMES=5: other counts or fewer frames (a slow layer).
const COUNTS = process.env.SKYFENCE_BENCH_DRONES?.split(',').map(Number) ?? (SMOKE ? [200, 1_000] : [1_000, 10_000]);
const FRAMES = Number(process.env.SKYFENCE_BENCH_DRONE_FRAMES ?? (SMOKE ? 3 : 15));
/** Tracks that matter in the mix (level 2–4), whatever the count: a busy day has a few dozen, not thousands. */
const HOT = 40;
/** Levels of the HOT tracks, in turn: 24 at level 2, 10 at level 3, 6 at level 4. */
const HOT_LEVELS = [2, 2, 2, 3, 2, 4, 2, 3, 2, 2, 3, 2, 4, 2, 3, 2, 2, 3, 4, 2];
const mix = (n: number) =>
  `${fmt(n - HOT)} at level 0–1 (1 in 20 a bird), ${HOT} at level 2–4 (24 × 2, 10 × 3, 6 × 4); 3 in 10 with a pilot`;

/** Builds N tracks and the bare collection in the page, hidden; returns nothing (state lives on window.__benchDrones). */
async function setUp(page: Page, n: number): Promise<void> {
  // No named functions inside page functions: tsx would wrap them in a helper (__name) that the page does not have.
  await page.evaluate(({ n, layers, hot, hotLevels }) => {
    const w = window as unknown as Record<string, any>;
    const s = w.__skyfenceScene;
    const C = w.Cesium;
    const viewer = s.viewer();
    if (w.__benchDrones) {
      viewer.scene.primitives.remove(w.__benchDrones.bare);
      s.applyDronesNow({ updated: [], removed: [], reset: true });
    }
    for (const id of layers) s.setLayerVisible(id, false);
    // A grid of tracks over the airport (about 6 × 6 km), each on its own small circle.
    const side = Math.ceil(Math.sqrt(n));
    const lon0 = 106.62;
    const lat0 = 29.68;
    const now = Date.now();
    // Mostly level 0–1 (every 20th a bird), `hot` tracks of level 2–4 spread over the grid.
    const step = Math.floor(n / hot);
    const tracks = Array.from({ length: n }, (_, i) => {
      const isHot = i % step === 0 && i / step < hot;
      const bird = !isHot && i % 20 === 7;
      const level = isHot ? hotLevels[(i / step) % hotLevels.length] : bird ? 0 : i % 2;
      const base = { lon: lon0 + (i % side) * (0.06 / side), lat: lat0 + Math.floor(i / side) * (0.06 / side), altM: 450 + (i % 7) * 20 };
      return {
        base,
        track: {
          id: `B-${i}`, label: `BENCH${String(i).padStart(6, '0')}`, state: 'active', classification: bird ? 'bird' : 'drone', confidence: 0.9,
          position: { ...base }, heightAglM: base.altM - 416, speedMps: 5, headingDeg: 0, verticalSpeedMps: 0,
          identity: null, pilot: !bird && i % 10 < 3 ? { lon: base.lon + 0.002, lat: base.lat - 0.002 } : null, contacts: [],
          firstSeen: now, lastSeen: now, swarmId: null, drill: false,
          threat: { level, reasons: [], circleId: null, circleRing: null, inInspectionArea: false, lowestSurface: null, penetrationM: 0, clearanceM: null, path: null, runwayInUse: null, permitId: null, suggested: [] },
        },
      };
    });
    const bare = viewer.scene.primitives.add(new C.PointPrimitiveCollection());
    for (const t of tracks) bare.add({ position: C.Cartesian3.fromDegrees(t.base.lon, t.base.lat, t.base.altM - 416), pixelSize: 12, color: C.Color.RED });
    bare.show = false;
    w.__benchDrones = { tracks, bare, frame: 0 };
    s.applyDronesNow({ updated: tracks.map((t: { track: unknown }) => t.track), removed: [], reset: true });
    s.setLayerVisible('drones', false);
  }, { n, layers: [...LAYER_IDS] as string[], hot: HOT, hotLevels: HOT_LEVELS });
}

/** Shows one side, checks it, and times `frames` frames of move + render; returns ms per frame. */
async function timeSide(page: Page, side: 'bare' | 'drones', frames: number, n: number): Promise<number[]> {
  return page.evaluate(({ side, frames, n, allInFull }) => {
    const w = window as unknown as Record<string, any>;
    const s = w.__skyfenceScene;
    const C = w.Cesium;
    const b = w.__benchDrones;
    const viewer = s.viewer();
    const scene = viewer.scene;
    const gl = scene.context?._gl as WebGLRenderingContext | undefined;
    const px = new Uint8Array(4);
    s.setLayerVisible('drones', side === 'drones');
    b.bare.show = side === 'bare';
    const drawn = s.droneCount();
    if (side === 'drones' ? drawn !== n : drawn !== 0) throw new Error(`${side}: the drone layer draws ${drawn} tracks`);
    // B-0 is a level-2+ track, B-1 a quiet one (see setUp).
    if (side === 'drones' && (!s.droneState('B-0').stalk || s.droneState('B-1').stalk !== allInFull)) {
      throw new Error(`drones: stalks drawn ${s.droneState('B-0').stalk} (level ${s.droneState('B-0').level}), ${s.droneState('B-1').stalk} (level ${s.droneState('B-1').level})`);
    }
    if (b.bare.length !== n) throw new Error(`${side}: the bare collection holds ${b.bare.length} points, not ${n}`);
    const points = Array.from({ length: n }, (_, i) => b.bare.get(i));
    const ms: number[] = [];
    scene.requestRender();
    scene.render();
    gl?.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    for (let f = 0; f < frames; f++) {
      b.frame++;
      const a = b.frame * 0.15;
      const t0 = performance.now();
      // The same motion on both sides: every track to its next point on a 30 m circle.
      const dLon = Math.cos(a) * 0.0003;
      const dLat = Math.sin(a) * 0.0003;
      if (side === 'drones') {
        const updated = b.tracks.map((t: { base: { lon: number; lat: number; altM: number }; track: Record<string, unknown> }) => {
          t.track = { ...t.track, position: { lon: t.base.lon + dLon, lat: t.base.lat + dLat, altM: t.base.altM } };
          return t.track;
        });
        s.applyDronesNow({ updated, removed: [] });
      } else {
        for (let i = 0; i < n; i++) {
          const base = b.tracks[i].base;
          points[i].position = C.Cartesian3.fromDegrees(base.lon + dLon, base.lat + dLat, base.altM - 416);
        }
      }
      scene.requestRender(); // in request-render mode a frame is drawn only when asked for
      scene.render();
      gl?.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
      ms.push(performance.now() - t0);
    }
    return ms;
  }, { side, frames, n, allInFull: n <= DETAIL_ALL_UP_TO });
}

/** Interleaved rounds for one count; returns the table lines. */
async function compare(page: Page, n: number): Promise<string[]> {
  await setUp(page, n);
  await settle(page);
  // Warm-up: shaders, buffers, the label atlas.
  await timeSide(page, 'bare', 3, n);
  await timeSide(page, 'drones', 3, n);
  const bare: number[] = [];
  const drones: number[] = [];
  for (let round = 0; round < REPEATS; round++) {
    bare.push(...(await timeSide(page, 'bare', FRAMES, n)));
    drones.push(...(await timeSide(page, 'drones', FRAMES, n)));
  }
  const w = 52;
  return [
    `\nRender cost of ${fmt(n)} moving drone tracks (every track moved every frame; ms of work per frame = update + scene.render() a one-pixel readPixels after it; ` +
      `console at 1600×900, SwiftShader WebGL; ${REPEATS} interleaved rounds × ${FRAMES} frames; every other layer hidden)`,
    `  mix: ${mix(n)}`,
    `  ${''.padEnd(w)}  ${'min ms'.padStart(8)} ${'median ms'.padStart(10)} ${'frames'.padStart(7)}`,
    `  ${`baseline: bare PointPrimitiveCollection of ${fmt(n)}`.padEnd(w)}  ${fmt(min(bare), 1).padStart(8)} ${fmt(median(bare), 1).padStart(10)} ${String(bare.length).padStart(7)}`,
    `  ${`DroneLayer (level 2–4 in full, the rest points)`.padEnd(w)}  ${fmt(min(drones), 1).padStart(8)} ${fmt(median(drones), 1).padStart(10)} ${String(drones.length).padStart(7)}`,
    `  drones / bare: ratio of medians ${fmt(median(drones) / median(bare), 2)}, of mins ${fmt(min(drones) / min(bare), 2)} (cost vs baseline)`,
  ];
}

/**
 * The drone render figures; on `page` (a signed-in console) if given, else on a host and browser of its own.
 * Prints the tables and returns their lines.
 */
export async function benchSceneDrones(page?: Page): Promise<string[]> {
  let host: RunningHost | undefined;
  let browser: Browser | undefined;
  try {
    if (!page) {
      host = await startHost();
      browser = await launchBrowser();
      page = await openConsole(browser, host);
      await login(page);
      await settle(page);
    }
    const lines: string[] = [];
    for (const n of COUNTS) {
      const table = await compare(page, n);
      console.log(table.join('\n'));
      lines.push(...table);
    }
    return lines;
  } finally {
    await browser?.close();
    await host?.stop();
  }
}
