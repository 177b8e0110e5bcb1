// Video figures of `npm run bench` (method: bench/run.ts, bench/measure.ts, bench/scene.ts).
//
// Polling 5,000 cameras at 1 Hz, as a share of one core. The VMS simulator runs as its own process (as a
// vendor's VMS would); this process runs a core with the console's real `vms` adapter (vmsKind.create, on the
// console's poller) and measures its own CPU time (process.cpuUsage: user + system, every thread, sqlite's
// included) over the wall time of a window: the share of one core. Baseline, interleaved window by window: a
// poller on the same scheduler that does the same GETs of the same documents (cameras/status, then event pages
// after its own cursor, same page size and page limit, same fetch options) and JSON.parses them, nothing more.
// The ratio is what the console's pipeline (validation, health debounce, group alarms, analytic and plate
// alarms with their evidence pictures, cursor writes, status counts) adds over merely reading the VMS.
// Left out of the windows, on purpose:
//  - the frozen check (`frozen: false`): it is a separate load with its own budget (snapshots per second,
//    default 5/s whatever the camera count), not a cost of polling;
//  - the inventory: read once in the first poll (reported on its own), then every 5 min by default; the
//    windows do not re-read it;
//  - the source watchdog: it is set to an hour, so that the windows in which the baseline polls do not make the
//    console's source fall silent (a source-silent alarm) and recover in the next window;
//  - clients: nobody is signed in, so no cameras.changed goes out on a WebSocket.
//
// Render cost of 5,000 camera icons: a browser host whose config points a `vms` source at a 5,000-camera
// simulator (tests/e2e/video-harness.ts); frames with every layer hidden (bare) against only the `cameras`
// layer shown, once the renderer has every camera with its health (cameraCount() is 5,000) and the two grabs
// differ.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Page } from 'playwright-core';
import { systemClock } from '../src/main/core/clock.ts';
import { loadConfig } from '../src/main/core/config.ts';
import { startCore, type Core } from '../src/main/core/core.ts';
import type { SourceDeps } from '../src/main/core/sources/adapter-kind.ts';
import { fetchJsonClient, type HttpJsonClient } from '../src/main/core/sources/http-json.ts';
import { startPolling } from '../src/main/core/sources/poller.ts';
import { startSimulatorProcess, type SimulatorProcess } from '../src/main/core/sources/simulator-process.ts';
import { SqliteEventCursors } from '../src/main/core/video/event-cursors.ts';
import { EVENT_PAGE_SIZE, MAX_EVENT_PAGES_PER_POLL, vmsKind } from '../src/main/core/video/vms-source.ts';
import type { CameraHealth } from '../src/shared/video.ts';
import { launchBrowser, login, openConsole, settle } from '../tests/e2e/harness.ts';
import { startVideoHost } from '../tests/e2e/video-harness.ts';
import { SAMPLE_SITE_FILE } from '../tests/fixtures/sites.ts';
import { fmt, interleaved, median, min, REPEATS, SMOKE } from './measure.ts';
import { compareSceneStates, FRAMES, printSceneComparison, type SceneState } from './scene.ts';

const CAMERAS = SMOKE ? 500 : 5_000;
/** Seconds of polling per timed window, and per warm-up window. */
const WINDOW_S = SMOKE ? 3 : 15;
const WARM_UP_S = SMOKE ? 1 : 5;
const POLL_MS = 1_000;
const SOURCE_ID = 'vms';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A full garbage collection, for heap figures (v8's gc, exposed at run time: `npm run bench` passes no flags). */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

interface Window {
  /** CPU time of this process over wall time: share of one core. */
  share: number;
  cpuMs: number;
  polls: number;
  /** Wall time of each poll (its GETs, and for the console what it does with the answers). */
  pollMs: number[];
  statusGets: number;
  eventPages: number;
  events: number;
}

/** Counts the GETs by what they read (the poll's work must be the same on both sides). */
interface GetCounts {
  status: number;
  eventPages: number;
  events: number;
}

/**
 * Runs `pollOnce` on the console's poller (the next poll POLL_MS after the last one ended) for `seconds`, then
 * stops it, lets `finish` end what the polls started, and returns this process's CPU share over that time.
 * Every poll must succeed.
 */
async function pollWindow(seconds: number, counts: GetCounts, pollOnce: () => Promise<boolean>, finish: () => Promise<void>): Promise<Window> {
  const start = { ...counts };
  let polls = 0;
  let failed = 0;
  const pollMs: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const poller = startPolling(systemClock, { intervalMs: POLL_MS }, async () => {
    polls++;
    const began = performance.now();
    const good = await pollOnce();
    pollMs.push(performance.now() - began);
    if (!good) failed++;
    return good;
  }, (line) => console.error(line));
  await sleep(seconds * 1000);
  await poller.stop();
  await finish();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  if (failed) throw new Error(`${failed} of ${polls} polls failed in a window`);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    share: cpuMs / wallMs, cpuMs, polls, pollMs,
    statusGets: counts.status - start.status, eventPages: counts.eventPages - start.eventPages, events: counts.events - start.events,
  };
}

function countingClient(counts: GetCounts): HttpJsonClient {
  return {
    async getJson(url, opts) {
      const body = await fetchJsonClient.getJson(url, opts);
      count(counts, url, body);
      return body;
    },
  };
}

function count(counts: GetCounts, url: string, body: unknown): void {
  const path = new URL(url).pathname;
  if (path === '/api/cameras/status') counts.status++;
  else if (path === '/api/events') {
    counts.eventPages++;
    counts.events += (body as { events?: unknown[] }).events?.length ?? 0;
  }
}

/** The baseline: the same GETs of the same documents, JSON.parsed, nothing done with them. */
function bareReader(sim: SimulatorProcess, counts: GetCounts) {
  const headers = { 'X-Api-Key': sim.apiKey };
  const getJson = async (pathAndQuery: string): Promise<unknown> => {
    const url = new URL(pathAndQuery, sim.url).toString();
    // The same fetch options as the console's client (src/main/core/sources/http-json.ts).
    const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(3_000) });
    if (!res.ok) throw new Error(`${pathAndQuery}: HTTP ${res.status}`);
    const body = JSON.parse(await res.text());
    count(counts, url, body);
    return body;
  };
  let cursor = '';
  return async (): Promise<boolean> => {
    const status = (await getJson('/api/cameras/status')) as { cameras: unknown[] };
    if (status.cameras.length !== CAMERAS) throw new Error(`the simulator reported ${status.cameras.length} camera states, not ${CAMERAS}`);
    for (let page = 0; page < MAX_EVENT_PAGES_PER_POLL; page++) {
      const answer = (await getJson(`/api/events?${new URLSearchParams({ after: cursor, limit: String(EVENT_PAGE_SIZE) })}`)) as { next: string; more: boolean };
      cursor = answer.next;
      if (!answer.more) break;
    }
    return true;
  };
}

export async function cameraPolling(): Promise<void> {
  const gc = collectGarbage();
  const log: string[] = [];
  const sim = await startSimulatorProcess('src/sim/vms/main.ts', ['--site', SAMPLE_SITE_FILE, '--seed', '7', '--cameras', String(CAMERAS)], { log: (l) => log.push(l) });
  const dataDir = mkdtempSync(join(tmpdir(), 'skyfence-bench-video-'));
  let core: Core | undefined;
  try {
    core = await startCore(loadConfig(['--data-dir', dataDir, '--no-sim'], { SKYFENCE_ADMIN_PASSWORD: 'bench-password' }), { log: (l) => log.push(l) });
    const c = core;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;

    const consoleCounts: GetCounts = { status: 0, eventPages: 0, events: 0 };
    const bareCounts: GetCounts = { status: 0, eventPages: 0, events: 0 };
    // The entry a site would write, checked by the kind's own schema.
    const entry = vmsKind.configSchema.parse({ id: SOURCE_ID, kind: 'vms', url: sim.url, intervalMs: POLL_MS, frozen: false, inventoryEveryMs: 86_400_000 });
    c.sources.register({ id: SOURCE_ID, kind: 'vms', name: vmsKind.defaultName, silentAfterMs: 3_600_000 });
    const deps: SourceDeps = {
      clock: c.clock, tracks: c.tracks, sources: c.sources, http: countingClient(consoleCounts), video: c.cameras,
      cursors: new SqliteEventCursors(c.db, c.clock), drones: c.drones.fusion, runways: c.drones.runways, units: c.units.units, log: (l) => log.push(l), random: Math.random,
    };
    const adapter = vmsKind.create({ ...entry, apiKey: sim.apiKey }, deps);

    // The first poll on its own: the inventory of every camera, every state new, the event backlog.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    if (!(await adapter.pollOnce())) throw new Error(`the first poll failed:\n${log.join('\n')}`);
    await c.cameras.settled();
    const firstCpu = process.cpuUsage(cpu0);
    const firstWallMs = performance.now() - t0;
    const known = c.cameras.counts(SOURCE_ID);
    const online = c.cameras.states().filter((s) => s.health === 'online').length;
    if (known.cameras !== CAMERAS || online !== CAMERAS) throw new Error(`after the first poll the console has ${known.cameras} cameras, ${online} online; expected ${CAMERAS}`);

    const bare = bareReader(sim, bareCounts);
    const { baseline, subject } = await interleaved<Window>(
      (warmUp) => pollWindow(warmUp ? WARM_UP_S : WINDOW_S, bareCounts, bare, async () => undefined),
      (warmUp) => pollWindow(warmUp ? WARM_UP_S : WINDOW_S, consoleCounts, () => adapter.pollOnce(), () => c.cameras.settled()),
    );
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    const still = c.cameras.counts(SOURCE_ID);
    if (still.cameras !== CAMERAS || still.offline || still.frozen) throw new Error(`after the run the console has ${still.cameras} cameras, ${still.offline} offline, ${still.frozen} frozen`);
    // Both sides must have done the same work per poll: one status read each, event pages as the backlog needed.
    for (const w of [...baseline, ...subject]) {
      if (w.statusGets !== w.polls) throw new Error(`a window made ${w.polls} polls but ${w.statusGets} status reads`);
    }

    const pct = (v: number) => `${fmt(v * 100, 1)} %`;
    const perPoll = (w: Window) => w.cpuMs / w.polls;
    const sum = (ws: Window[], f: (w: Window) => number) => ws.reduce((a, w) => a + f(w), 0);
    console.log(
      `\nPolling ${fmt(CAMERAS)} cameras at 1 Hz: this process's CPU (user + system) over wall time = share of one core ` +
        `(VMS simulator in its own process; ${REPEATS} interleaved windows of ${WINDOW_S} s per side after a ${WARM_UP_S} s warm-up each; ` +
        'frozen check off: it is a separate load with its own budget, default 5 snapshots/s; no clients signed in)',
    );
    const w = 40;
    console.log(`  ${''.padEnd(w)}  ${'min'.padStart(8)} ${'median'.padStart(8)}  ${'CPU ms/poll min'.padStart(15)} ${'median'.padStart(7)}  ${'polls'.padStart(6)} ${'ms/poll'.padStart(8)} ${'event pages'.padStart(11)} ${'events'.padStart(7)}`);
    for (const [name, ws] of [['baseline: same GETs + JSON.parse only', baseline], ['console vms adapter (vmsKind, poller)', subject]] as const) {
      const shares = ws.map((x) => x.share);
      const per = ws.map(perPoll);
      console.log(
        `  ${name.padEnd(w)}  ${pct(min(shares)).padStart(8)} ${pct(median(shares)).padStart(8)}  ${fmt(min(per), 1).padStart(15)} ${fmt(median(per), 1).padStart(7)}  ` +
          `${String(sum(ws, (x) => x.polls)).padStart(6)} ${fmt(median(ws.flatMap((x) => x.pollMs))).padStart(8)} ${String(sum(ws, (x) => x.eventPages)).padStart(11)} ${String(sum(ws, (x) => x.events)).padStart(7)}`,
      );
    }
    const bs = baseline.map((x) => x.share);
    const ss = subject.map((x) => x.share);
    console.log(`  console / baseline: share of a core, ratio of medians ${fmt(median(ss) / median(bs), 2)}, of mins ${fmt(min(ss) / min(bs), 2)}; ` +
      `CPU per poll, ratio of medians ${fmt(median(subject.map(perPoll)) / median(baseline.map(perPoll)), 2)} (cost vs baseline)`);
    console.log('  (polls: in all timed windows; ms/poll: median wall time of a poll, the next poll starting 1 s after one ends, as the console schedules them)');
    console.log(`  first poll (inventory of ${fmt(CAMERAS)} cameras, every state new, the event backlog): ${fmt((firstCpu.user + firstCpu.system) / 1000)} ms CPU, ${fmt(firstWallMs)} ms wall`);
    console.log(`  heap used after a full GC: ${fmt(heapBefore / 2 ** 20, 1)} MiB with the core started, ${fmt(heapAfter / 2 ** 20, 1)} MiB after the run with ${fmt(CAMERAS)} cameras ` +
      `(+${fmt((heapAfter - heapBefore) / 2 ** 20, 1)} MiB, ${fmt((heapAfter - heapBefore) / CAMERAS / 1024, 2)} KiB per camera)`);
  } catch (err) {
    if (log.length) console.error(log.slice(-20).join('\n'));
    throw err;
  } finally {
    await core?.close();
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface CameraHooks {
  cameraCount(): number;
  storeCameraIds(): string[];
  cameraState(id: string): { health: CameraHealth; lon: number; lat: number; altM: number } | null;
  project(lon: number, lat: number, altM?: number): { x: number; y: number } | null | undefined;
}

/** How many cameras the renderer has, how many are drawn with a known health, and how many fall on the canvas. */
const cameraPicture = (page: Page) =>
  page.evaluate(() => {
    const s = (window as unknown as { __skyfenceScene: CameraHooks }).__skyfenceScene;
    const canvas = document.querySelector('[data-testid=scene] canvas') as HTMLCanvasElement;
    let online = 0;
    let onCanvas = 0;
    const ids = s.storeCameraIds();
    for (const id of ids) {
      const st = s.cameraState(id);
      if (st?.health === 'online') online++;
      const at = st && s.project(st.lon, st.lat, st.altM);
      if (at && at.x >= 0 && at.y >= 0 && at.x <= canvas.clientWidth && at.y <= canvas.clientHeight) onCanvas++;
    }
    return { inStore: ids.length, online, onCanvas, drawn: s.cameraCount() };
  });

/** The camera icons must differ from the bare scene by at least this many pixels. */
const DISTINCT_PX = SMOKE ? 1_000 : 5_000;

export async function cameraRender(): Promise<void> {
  // The frozen check at its smallest budget: the host's own background load, the same for both states.
  // Host (with its simulator) and browser start side by side; whichever started is stopped if the other failed.
  const [hostStart, browserStart] = await Promise.allSettled([
    startVideoHost({ cameras: CAMERAS, intervalMs: POLL_MS, frozen: { checksPerS: 0.1 } }),
    launchBrowser(),
  ]);
  if (hostStart.status === 'rejected' || browserStart.status === 'rejected') {
    if (hostStart.status === 'fulfilled') await hostStart.value.stop();
    if (browserStart.status === 'fulfilled') await browserStart.value.close();
    throw hostStart.status === 'rejected' ? hostStart.reason : (browserStart as PromiseRejectedResult).reason;
  }
  const video = hostStart.value;
  const browser = browserStart.value;
  try {
    const page = await openConsole(browser, video.host);
    await login(page);
    await settle(page);
    // Every camera in the renderer, each with its health (online: the simulator runs no faults).
    const until = Date.now() + 60_000;
    let seen = await cameraPicture(page);
    while (seen.inStore !== CAMERAS || seen.online !== CAMERAS) {
      if (Date.now() > until) throw new Error(`the renderer has ${seen.inStore} of ${CAMERAS} cameras, ${seen.online} online, after 60 s`);
      await sleep(500);
      seen = await cameraPicture(page);
    }
    const drawn = (expected: number) => async (p: Page) => {
      const n = (await cameraPicture(p)).drawn;
      if (n !== expected) throw new Error(`the scene draws ${n} cameras, expected ${expected}`);
    };
    const bare: SceneState = { name: 'bare', label: 'baseline: every layer hidden', layers: [], check: drawn(0) };
    const cameras: SceneState = { name: 'cameras', label: `${fmt(CAMERAS)} camera icons, only layer shown`, layers: ['cameras'], check: drawn(CAMERAS) };
    const r = await compareSceneStates(page, bare, cameras, { distinctPx: DISTINCT_PX });
    printSceneComparison(
      `Render cost of ${fmt(CAMERAS)} camera icons (one BillboardCollection; ${fmt(seen.onCanvas)} of them on the canvas at the home view; console at 1600×900, SwiftShader WebGL; ` +
        `ms of work per frame, ${REPEATS} interleaved rounds × ${FRAMES} frames per state, timed only once the switch shows and cameraCount() is ${fmt(CAMERAS)} / 0; ` +
        `bare and cameras grabs differ by ${fmt(r.distinct)} px; rounds discarded: ${r.discarded})`,
      bare, cameras, r,
    );
  } finally {
    await browser.close();
    await video.stop();
  }
}
