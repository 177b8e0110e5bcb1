// Render cost of one scene state against another (which layers are shown), timed only on frames that show the
// state they claim. Method (see bench/run.ts): switching layers only takes effect when Cesium's own render
// loop ticks, so after each switch the loop ticks and renders until two consecutive canvas grabs agree
// (settled); the grab is checked against the state's reference grab, and only then are frames timed with
// __skyfenceScene.measureRenderMs(1) (one forced scene.render() each waited for with a one-pixel readPixels). A grab after the
// timed frames must still match the reference, else the round is discarded. The two references must differ
// by many pixels, else the figure is refused.
import type { Page } from 'playwright-core';
import { LAYER_IDS, type LayerId } from '../src/renderer/src/stores/layers.ts';
import { countDifferentPixels } from '../tests/e2e/pixels.ts';
import { fmt, median, min, REPEATS, SMOKE } from './measure.ts';

export const FRAMES = SMOKE ? 2 : 15;
/** A grab agrees with another when fewer pixels than this differ (labels and edges may dither by a few). */
export const SAME_PX = 200;
/** A grab of the scene may wait long for a stable frame on a loaded machine (SwiftShader draws on the CPU). */
const GRAB_TIMEOUT_MS = 120_000;

interface SceneHooks {
  setLayerVisible(id: string, on: boolean): void;
  measureRenderMs(n: number): number;
  frameNumber(): number;
}

export interface SceneState {
  /** Short name, for errors and the canvas-check line. */
  name: string;
  /** Row label in the table. */
  label: string;
  /** The layers shown; every other layer is hidden. */
  layers: readonly LayerId[];
  /** Throws unless the page shows what this state claims beyond pixels (e.g. how many cameras are drawn). */
  check?: (page: Page) => Promise<void>;
}

export interface SceneComparison {
  baseline: number[];
  subject: number[];
  /** Pixels by which the two references differ. */
  distinct: number;
  discarded: number;
  checks: string[];
}

/**
 * Requests a render (setLayerVisible with the state the first layer already has only calls
 * scene.requestRender()) and waits, on requestAnimationFrame, until the viewer's own loop has rendered `n` more
 * frames.
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

/** Shows exactly the state's layers, then lets Cesium's render loop tick and render (data sources are applied in its clock tick). */
async function showState(page: Page, state: SceneState): Promise<void> {
  await page.evaluate(({ ids, shown }) => {
    const w = window as unknown as { __skyfenceScene: SceneHooks; __benchLayerState: boolean };
    w.__benchLayerState = shown.includes(ids[0]);
    for (const id of ids) w.__skyfenceScene.setLayerVisible(id, shown.includes(id));
  }, { ids: [...LAYER_IDS] as string[], shown: [...state.layers] as string[] });
  await renderedFrames(page, 2);
}

/** Times frames of `baseline` and `subject` in REPEATS interleaved rounds of FRAMES frames, each checked on the canvas. */
export async function compareSceneStates(page: Page, baseline: SceneState, subject: SceneState, opts: { distinctPx: number }): Promise<SceneComparison> {
  const locator = page.locator('[data-testid=scene]');
  const scene = { screenshot: () => locator.screenshot({ timeout: GRAB_TIMEOUT_MS }) };
  const states = [baseline, subject] as const;
  /** Renders until two consecutive grabs agree; returns the last grab. */
  const settled = async (state: SceneState): Promise<Buffer> => {
    let last = await scene.screenshot();
    for (let i = 0; i < 30; i++) {
      await renderedFrames(page, 2);
      const next = await scene.screenshot();
      if (countDifferentPixels(last, next) < SAME_PX) return next;
      last = next;
    }
    throw new Error(`the ${state.name} scene did not settle in 30 grabs`);
  };
  const timeFrames = (n: number) =>
    page.evaluate((n) => {
      const s = (window as unknown as { __skyfenceScene: SceneHooks }).__skyfenceScene;
      return Array.from({ length: n }, () => s.measureRenderMs(1));
    }, n);

  // References, after the tiles have loaded (settled) and a warm-up of each state (shaders, geometry upload).
  const reference = new Map<SceneState, Buffer>();
  for (const state of states) {
    await showState(page, state);
    await settled(state);
    await state.check?.(page);
    await timeFrames(5);
    reference.set(state, await settled(state));
  }
  const distinct = countDifferentPixels(reference.get(baseline)!, reference.get(subject)!);
  if (distinct < opts.distinctPx) throw new Error(`the ${baseline.name} and ${subject.name} frames differ by only ${distinct} pixels: the layer switch did not show`);

  const frames = new Map<SceneState, number[]>(states.map((s) => [s, []]));
  let discarded = 0;
  const checks: string[] = [];
  for (let round = 0; round < REPEATS; round++) {
    for (const state of states) {
      await showState(page, state);
      const before = countDifferentPixels(await settled(state), reference.get(state)!);
      if (before >= SAME_PX) throw new Error(`round ${round + 1}: the settled ${state.name} frame differs from its reference by ${before} pixels`);
      await state.check?.(page);
      const ms = await timeFrames(FRAMES);
      // The last timed frame is the one on screen now: it must still show the claimed state.
      const after = countDifferentPixels(await scene.screenshot(), reference.get(state)!);
      checks.push(`${state.name[0]}${before}/${after}`);
      if (after >= SAME_PX) discarded++;
      else frames.get(state)!.push(...ms);
    }
  }
  if (!frames.get(baseline)!.length || !frames.get(subject)!.length) throw new Error(`every round of a state was discarded (canvas checks: ${checks.join(' ')})`);
  return { baseline: frames.get(baseline)!, subject: frames.get(subject)!, distinct, discarded, checks };
}

/** The table of a comparison: min and median ms per frame of each state, and the cost ratio subject/baseline. */
export function printSceneComparison(title: string, baseline: SceneState, subject: SceneState, r: SceneComparison): void {
  console.log(`\n${title}`);
  const w = 34;
  console.log(`  ${''.padEnd(w)}  ${'min ms'.padStart(8)} ${'median ms'.padStart(10)} ${'frames'.padStart(7)}`);
  for (const [name, v] of [[baseline.label, r.baseline], [subject.label, r.subject]] as const) {
    console.log(`  ${name.padEnd(w)}  ${fmt(min(v), 1).padStart(8)} ${fmt(median(v), 1).padStart(10)} ${String(v.length).padStart(7)}`);
  }
  console.log(`  ${subject.name} / ${baseline.name}: ratio of medians ${fmt(median(r.subject) / median(r.baseline), 2)}, of mins ${fmt(min(r.subject) / min(r.baseline), 2)} (cost vs baseline)`);
  console.log(`  canvas checks (state, px off its reference before/after timing): ${r.checks.join(' ')}`);
}
