// The console's video as an operator uses it, in Chromium against a console and its VMS simulator: cameras on
// the map, a camera's live picture from a click, "who can see this" for a map point, and the video wall window
// playing a camera dragged into a tile and one sent from the console.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Camera, CameraHealth } from '../../src/shared/video.ts';
import { LAYER_IDS } from '../../src/renderer/src/stores/layers.ts';
import { login, openConsole, settle, type RunningHost } from './harness.ts';
import type { VideoTestContext } from './video-harness.ts';

type Diagnostics = {
  cameraCount(): number;
  cameraState(id: string): { health: CameraHealth; shown: boolean; selected: boolean } | null;
  storeCameraIds(): string[];
  storeCamera(id: string): Camera | null;
  project(lon: number, lat: number, altM?: number): { x: number; y: number } | null;
  pickAt(x: number, y: number): { selection: { kind: string; cameraId?: string } | null };
  flyTo(lon: number, lat: number, altM?: number): void;
};
type SceneWindow = { __skyfenceScene: Diagnostics };
const sceneOf = (page: Page) => ({
  cameraCount: () => page.evaluate(() => (window as unknown as SceneWindow).__skyfenceScene.cameraCount()),
  cameraIds: () => page.evaluate(() => (window as unknown as SceneWindow).__skyfenceScene.storeCameraIds()),
  camera: (id: string) => page.evaluate((a) => (window as unknown as SceneWindow).__skyfenceScene.storeCamera(a), id),
  state: (id: string) => page.evaluate((a) => (window as unknown as SceneWindow).__skyfenceScene.cameraState(a), id),
  /** The cameras of a list that are online now. */
  online: (ids: string[]) => page.evaluate((list) => list.filter((id) => (window as unknown as SceneWindow).__skyfenceScene.cameraState(id)?.health === 'online'), ids),
  project: (p: { lon: number; lat: number; altM?: number }) => page.evaluate((a) => (window as unknown as SceneWindow).__skyfenceScene.project(a.lon, a.lat, a.altM), p),
  pickAt: (s: { x: number; y: number }) => page.evaluate((a) => (window as unknown as SceneWindow).__skyfenceScene.pickAt(a.x, a.y), s),
  flyTo: (p: { lon: number; lat: number; altM?: number }) => page.evaluate((a) => (window as unknown as SceneWindow).__skyfenceScene.flyTo(a.lon, a.lat, a.altM), p),
});

let host: RunningHost;
let browser: Browser;

async function setLayer(page: Page, id: string, on: boolean): Promise<void> {
  const box = page.locator(`[data-testid=layer-${id}]`);
  const checked = (await box.getAttribute('class'))?.includes('is-checked') ?? false;
  if (checked !== on) await box.click();
}

/** The live player's frame count, state and lag. */
async function playerFacts(player: ReturnType<Page['locator']>) {
  const [state, frames, lag] = await Promise.all([player.getAttribute('data-state'), player.getAttribute('data-frames'), player.getAttribute('data-lag-ms')]);
  return { state, frames: Number(frames), lagMs: lag === '' || lag === null ? null : Number(lag) };
}
/** The picture on a player's canvas now. */
const canvasPixels = (player: ReturnType<Page['locator']>) => player.locator('canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL('image/png'));

/** Plays, draws new frames over 2 s, the picture changes, and the lag is that of a live picture. */
async function expectPlaying(page: Page, player: ReturnType<Page['locator']>): Promise<void> {
  await expect.poll(() => player.getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
  const first = await playerFacts(player);
  const picture = await canvasPixels(player);
  await page.waitForTimeout(2000);
  const later = await playerFacts(player);
  expect(later.state).toBe('playing');
  expect(later.frames).toBeGreaterThan(first.frames);
  expect(await canvasPixels(player)).not.toBe(picture);
  // Behind live by the simulator's encoding and the loopback: well under the red mark.
  expect(later.lagMs).not.toBeNull();
  expect(later.lagMs!).toBeLessThan(5000);
  expect(later.lagMs!).toBeGreaterThan(-2000);
}

/**
 * An online camera (other than `except`) that a click on the map picks on its own (no neighbour drawn over it),
 * flown to; and where to click it in the scene.
 */
async function clickableOnlineCamera(page: Page, except: string[] = []): Promise<{ camera: Camera; x: number; y: number }> {
  const scene = sceneOf(page);
  const online = (await scene.online(await scene.cameraIds())).filter((id) => !except.includes(id)).slice(0, 12);
  expect(online.length).toBeGreaterThan(0);
  for (const id of online) {
    const camera = (await scene.camera(id))!;
    await scene.flyTo(camera.position);
    await page.waitForTimeout(1500);
    await settle(page);
    const spot = await scene.project(camera.position);
    if (!spot) continue;
    const picked = await scene.pickAt(spot);
    if (picked.selection?.kind === 'camera' && picked.selection.cameraId === id) return { camera, ...spot };
  }
  throw new Error('no online camera could be picked on its own');
}

/** Registered by video.test.ts, on its console wired to a VMS simulator of 300 cameras. */
export function videoUiTests(ctx: VideoTestContext): void {
  beforeAll(() => {
    host = ctx.host();
    browser = ctx.browser();
  });
describe('video', () => {
  it('draws the cameras, opens a camera\'s live picture from the map, and tells who can see a point', async () => {
    const page = await openConsole(browser, host);
    await login(page);
    const scene = sceneOf(page);
    // Targets and alarms off: nothing but the cameras under the click.
    await setLayer(page, 'tracks', false);
    await setLayer(page, 'alarms', false);
    await expect.poll(() => scene.cameraCount(), { timeout: 30_000 }).toBeGreaterThanOrEqual(100);
    // Health arrives with the first poll of the VMS.
    await expect.poll(async () => (await scene.online(await scene.cameraIds())).length, { timeout: 30_000 }).toBeGreaterThan(0);

    const { camera, x, y } = await clickableOnlineCamera(page);
    const box = (await page.locator('[data-testid=scene]').boundingBox())!;
    await page.mouse.click(box.x + x, box.y + y);
    const card = page.locator('[data-testid=camera-card]');
    await expect.poll(() => card.getAttribute('data-camera-id'), { timeout: 10_000 }).toBe(camera.id);
    expect((await scene.state(camera.id))?.selected).toBe(true);
    expect(await card.locator('[data-testid=camera-health]').getAttribute('data-health')).toBe('online');
    await expectPlaying(page, card.locator('[data-testid=live-player]'));
    await expect(card.locator('[data-testid=live-lag]').textContent()).resolves.toMatch(/^落后实时 \d+\.\d 秒$/);

    // Who can see a point a third of the way into this camera's view: a map point (every layer off, so that
    // the click lands on the ground, not on a building or a camera).
    for (const id of LAYER_IDS) await setLayer(page, id, false);
    await settle(page);
    const k = Math.cos((camera.position.lat * Math.PI) / 180);
    const a = (camera.headingDeg * Math.PI) / 180;
    const d = Math.min(camera.rangeM / 3, 60);
    const target = { lon: camera.position.lon + (d * Math.sin(a)) / (111_320 * k), lat: camera.position.lat + (d * Math.cos(a)) / 110_540 };
    const spot = (await scene.project(target))!;
    expect(spot).not.toBeNull();
    await page.mouse.click(box.x + spot.x, box.y + spot.y);
    await page.locator('[data-testid=selection-lonlat]').waitFor();
    await page.locator('[data-testid=selection-card] [data-testid=who-can-see-button]').click();
    const rows = page.locator('[data-testid=who-can-see] [data-camera-id]');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const listed = await rows.evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-camera-id')!, m: Number(e.getAttribute('data-distance-m')) })));
    const known = new Set(await scene.cameraIds());
    for (const r of listed) expect(known.has(r.id)).toBe(true);
    expect(listed.map((r) => r.m)).toEqual([...listed.map((r) => r.m)].sort((p, q) => p - q));
    // One click opens that camera's live view.
    await rows.first().click();
    await expect.poll(() => card.getAttribute('data-camera-id'), { timeout: 10_000 }).toBe(listed[0].id);
    await card.locator('[data-testid=live-player]').waitFor();
    for (const id of LAYER_IDS) await setLayer(page, id, !['grid', 'protection'].includes(id));
    // (Cesium's widget tries a few inline styles, which the CSP blocks by design.)
    expect((page as Page & { problems?: string[] }).problems?.filter((p) => !/status of 503/.test(p) && !p.includes('inline style'))).toEqual([]);
    await page.context().close();
  });

  it('opens the video wall in its own window, signed in, with 4 tiles; plays a camera dragged in and one sent from the console', async () => {
    const page = await openConsole(browser, host);
    await login(page);
    const scene = sceneOf(page);
    await page.evaluate(() => localStorage.removeItem('skyfence.wall'));
    await setLayer(page, 'tracks', false);
    await setLayer(page, 'alarms', false);
    await expect.poll(() => scene.cameraCount(), { timeout: 30_000 }).toBeGreaterThanOrEqual(100);
    await expect.poll(async () => (await scene.online(await scene.cameraIds())).length, { timeout: 30_000 }).toBeGreaterThan(1);
    // The camera the console will send, and another one to drag into a tile.
    const sent = await clickableOnlineCamera(page);
    const draggedId = (await scene.online(await scene.cameraIds())).find((id) => id !== sent.camera.id)!;
    const dragged = (await scene.camera(draggedId))!;

    // As the top bar's button does: the same window name, so that a second click finds the open wall.
    const [wall] = await Promise.all([page.context().waitForEvent('page'), page.evaluate(() => void window.open('#/wall', 'skyfence-wall'))]);
    const problems: string[] = [];
    wall.on('pageerror', (e) => problems.push(e.message));
    // The window resumes the console's session: no second sign-in.
    await wall.locator('[data-testid=wall]').waitFor({ timeout: 30_000 });
    expect(await wall.locator('[data-testid=login-form]').count()).toBe(0);
    expect(await wall.locator('[data-testid=wall]').getAttribute('data-size')).toBe('4');
    await expect(wall.locator('[data-testid=wall-tile]').count()).resolves.toBe(4);

    // Drag a camera from the searchable list into the third tile.
    await wall.locator('input[data-testid=wall-search], [data-testid=wall-search] input').first().fill(dragged.name.zh);
    const item = wall.locator(`[data-testid=wall-camera][data-camera-id="${dragged.id}"]`);
    await item.waitFor();
    await item.dragTo(wall.locator('[data-testid=wall-tile][data-index="2"]'));
    const tile = wall.locator('[data-testid=wall-tile][data-index="2"]');
    await expect.poll(() => tile.getAttribute('data-camera-id'), { timeout: 10_000 }).toBe(dragged.id);
    await expectPlaying(wall, tile.locator('[data-testid=live-player]'));

    // Send another camera from the console: it lands in the first free tile of the open wall.
    const box = (await page.locator('[data-testid=scene]').boundingBox())!;
    await page.mouse.click(box.x + sent.x, box.y + sent.y);
    const card = page.locator('[data-testid=camera-card]');
    await expect.poll(() => card.getAttribute('data-camera-id'), { timeout: 10_000 }).toBe(sent.camera.id);
    await card.locator('[data-testid=send-to-wall]').click();
    const first = wall.locator('[data-testid=wall-tile][data-index="0"]');
    await expect.poll(() => first.getAttribute('data-camera-id'), { timeout: 5000 }).toBe(sent.camera.id);
    await first.locator('[data-testid=live-player]').waitFor();
    // The third tile kept its camera.
    expect(await tile.getAttribute('data-camera-id')).toBe(dragged.id);

    // Cleared, a tile says how to fill it.
    await tile.locator('[data-testid=wall-tile-clear]').click();
    await expect.poll(() => tile.getAttribute('data-camera-id'), { timeout: 10_000 }).toBe('');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
}
