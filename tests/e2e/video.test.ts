// What the duty operator relies on from video, end to end: the VMS simulator runs as its own process and the
// console polls it every 0.5 s over loopback, as it would a site's VMS. A camera going offline is one alarm
// within the poll interval + 1 s and its icon turns; a camera back with a frozen picture is found; a switch of
// 200 cameras dying is one alarm that follows its cameras and closes when they are back; "who can see this"
// lists the cameras that geometry computed here says cover the picked point. Then the camera card, live player
// and wall (video-ui.ts), video patrol and checkpoints (patrol-ui.ts), on the same console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Alarm } from '../../src/shared/domain.ts';
import type { CameraList } from '../../src/shared/contract/video.ts';
import type { Camera, CameraHealth } from '../../src/shared/video.ts';
import { LAYER_IDS } from '../../src/renderer/src/stores/layers.ts';
import { feedClient, launchBrowser, login, openConsole, settle } from './harness.ts';
import { patrolUiTests } from './patrol-ui.ts';
import { startVideoHost, type VideoHost } from './video-harness.ts';
import { videoUiTests } from './video-ui.ts';

const INTERVAL_MS = 500;
const BIG_SWITCH = 'T3A-AGG-01';

type Scene = {
  cameraState(id: string): { health: CameraHealth } | null;
  cameraCount(): number;
  project(lon: number, lat: number, altM?: number): { x: number; y: number } | null;
  flyTo(lon: number, lat: number, altM?: number): void;
};
const scene = <T>(page: Page, fn: (s: Scene, arg: string) => T, arg = '') =>
  page.evaluate(({ body, arg }) => new Function('s', 'arg', `return (${body})(s, arg)`)((window as unknown as { __skyfenceScene: Scene }).__skyfenceScene, arg), { body: fn.toString(), arg }) as Promise<T>;

let video: VideoHost;
let browser: Browser;
let page: Page;
let client: Awaited<ReturnType<typeof feedClient>>;
let cameras: Camera[];

beforeAll(async () => {
  video = await startVideoHost({ intervalMs: INTERVAL_MS });
  browser = await launchBrowser();
  client = await feedClient(video.host, video.host.token);
  await client.call('session.login', { username: 'command', password: 'e2e-password-1' });
  page = await openConsole(browser, video.host);
  await login(page);
  await page.waitForFunction(() => (window as unknown as { __skyfenceScene: Scene }).__skyfenceScene.cameraCount() === 300, null, { timeout: 30_000 });
  cameras = ((await client.call('video.cameras', {})) as CameraList).cameras;
});
afterAll(async () => {
  client?.close();
  await browser?.close();
  await video?.stop();
});

const openAlarms = async (type: Alarm['type']) =>
  ((await client.call('alarms.list', {})) as { alarms: Alarm[] }).alarms.filter((a) => a.type === type && a.state !== 'closed');
const alarmById = async (id: string) =>
  ((await client.call('alarms.list', { includeClosed: true })) as { alarms: Alarm[] }).alarms.find((a) => a.id === id);
const iconHealth = (id: string) => scene(page, (s, cam) => s.cameraState(cam)?.health ?? null, id);
const ofSwitch = (alarms: Alarm[]) => alarms.filter((a) => a.type === 'camera-offline' && a.details.group === BIG_SWITCH);
const cameraIdsOf = (a: Alarm) => (a.type === 'camera-offline' || a.type === 'camera-frozen' ? a.details.cameraIds : []);

describe('camera health', () => {
  it('raises one camera-offline alarm within the poll interval + 1 s and turns the icon; back frozen, the picture is found frozen', async () => {
    const camera = cameras.find((c) => c.kind === 'fixed' && c.group !== BIG_SWITCH)!;
    expect(await iconHealth(camera.id)).toBe('online');

    const sent = Date.now();
    await video.sim.control({ action: 'camera', id: camera.cameraId, state: 'offline' });
    const item = page.locator(`[data-testid=alarm-item][data-alarm-type=camera-offline]`);
    await item.first().waitFor({ timeout: 10_000 });
    const [alarm] = await openAlarms('camera-offline');
    // Raised (core clock) within one poll interval + 1 s of the camera going down: two polls confirm it.
    expect(alarm.raisedAt - sent).toBeLessThan(INTERVAL_MS + 1000);
    expect(cameraIdsOf(alarm)).toEqual([camera.id]);
    expect(await item.count()).toBe(1);
    await expect.poll(() => iconHealth(camera.id), { timeout: 5_000 }).toBe('offline');

    // It comes back, but its encoder hangs: online to the VMS, the same picture every time.
    await video.sim.control({ action: 'camera', id: camera.cameraId, state: 'frozen' });
    await expect.poll(async () => (await alarmById(alarm.id))?.state, { timeout: 10_000 }).toBe('closed');
    await page.locator(`[data-testid=alarm-item][data-alarm-type=camera-frozen]`).first().waitFor({ timeout: 30_000 });
    const [frozen] = await openAlarms('camera-frozen');
    expect(cameraIdsOf(frozen)).toEqual([camera.id]);
    await expect.poll(() => iconHealth(camera.id), { timeout: 5_000 }).toBe('frozen');

    await video.sim.control({ action: 'camera', id: camera.cameraId, state: 'online' });
    await expect.poll(async () => (await alarmById(frozen.id))?.state, { timeout: 30_000 }).toBe('closed');
    await expect.poll(() => iconHealth(camera.id), { timeout: 5_000 }).toBe('online');
  });

  it('makes a dead switch of 200 cameras one alarm that follows its cameras, and closes it when they are back', async () => {
    const members = cameras.filter((c) => c.group === BIG_SWITCH);
    expect(members).toHaveLength(200);
    // One camera of the switch fails first: the switch's alarm, with one camera.
    await video.sim.control({ action: 'camera', id: members[0].cameraId, state: 'offline' });
    await expect.poll(async () => ofSwitch(await openAlarms('camera-offline')).map(cameraIdsOf), { timeout: 10_000 }).toEqual([[members[0].id]]);
    const [first] = ofSwitch(await openAlarms('camera-offline'));

    // Then the whole switch: the same alarm, now with 200 cameras — not 200 alarms.
    await video.sim.control({ action: 'group', group: BIG_SWITCH, state: 'offline' });
    await expect.poll(async () => ofSwitch(await openAlarms('camera-offline')).map((a) => [a.id, cameraIdsOf(a).length]), { timeout: 10_000 })
      .toEqual([[first.id, 200]]);
    const item = page.locator(`[data-testid=alarm-item][data-alarm-id="${first.id}"]`);
    await expect.poll(() => item.textContent(), { timeout: 5_000 }).toContain('200');
    expect(ofSwitch(await openAlarms('camera-offline'))).toHaveLength(1);
    await expect.poll(() => iconHealth(members[150].id), { timeout: 5_000 }).toBe('offline');

    // The switch comes back but one camera stays down: the alarm is updated to that one.
    await video.sim.control({ action: 'group', group: BIG_SWITCH, state: 'online' });
    await expect.poll(async () => cameraIdsOf((await alarmById(first.id))!), { timeout: 10_000 }).toEqual([members[0].id]);
    expect((await alarmById(first.id))!.details).toMatchObject({ peak: 200 });
    // And when it is back too, the system closes the alarm.
    await video.sim.control({ action: 'camera', id: members[0].cameraId, state: 'online' });
    await expect.poll(async () => (await alarmById(first.id))?.state, { timeout: 10_000 }).toBe('closed');
    await expect.poll(() => iconHealth(members[0].id), { timeout: 5_000 }).toBe('online');
  });
});

/** Metres east and north of `from` (local tangent plane: well under 0.1 % off within a kilometre). */
function enu(from: { lon: number; lat: number }, to: { lon: number; lat: number }) {
  const R = 6_378_137;
  const rad = Math.PI / 180;
  return { e: (to.lon - from.lon) * rad * R * Math.cos(from.lat * rad), n: (to.lat - from.lat) * rad * R };
}

/** Covers: within range, and (but for PTZ cameras, which turn) within half the field of view of the heading. */
function coverage(c: Camera, p: { lon: number; lat: number }) {
  const { e, n } = enu(c.position, p);
  const distanceM = Math.hypot(e, n);
  const bearing = ((Math.atan2(e, n) * 180) / Math.PI + 360) % 360;
  const off = Math.abs(((bearing - c.headingDeg + 540) % 360) - 180);
  const margin = { m: 1, deg: 0.5 }; // what rounding may put on either side of an edge
  const sure = distanceM < c.rangeM - margin.m && (c.kind === 'ptz' || off < c.fovDeg / 2 - margin.deg);
  const maybe = distanceM < c.rangeM + margin.m && (c.kind === 'ptz' || off < c.fovDeg / 2 + margin.deg);
  return { distanceM, sure, maybe };
}

describe('who can see this', () => {
  it('lists, nearest first, the cameras whose view and range cover a picked point', async () => {
    // A point in the T3A halls, where views overlap: picked with a click on the map.
    const hall = cameras.find((c) => c.cameraId.startsWith('T3A-DEP') && c.kind === 'fixed')!;
    for (const id of LAYER_IDS) await page.locator(`[data-testid=layer-${id}]`).evaluate((el, on) => {
      if (el.classList.contains('is-checked') !== on) (el as HTMLElement).click();
    }, false);
    await scene(page, (s, at) => s.flyTo(JSON.parse(at).lon, JSON.parse(at).lat, 400), JSON.stringify(hall.position));
    await settle(page);
    const spot = (await scene(page, (s, at) => s.project(JSON.parse(at).lon, JSON.parse(at).lat), JSON.stringify(hall.position)))!;
    const box = (await page.locator('[data-testid=scene]').boundingBox())!;
    await page.mouse.click(box.x + spot.x + 25, box.y + spot.y + 10);
    const lonLat = page.locator('[data-testid=selection-lonlat]');
    await lonLat.waitFor();
    const point = { lon: Number(await lonLat.getAttribute('data-lon')), lat: Number(await lonLat.getAttribute('data-lat')) };

    await page.locator('[data-testid=selection-card] [data-testid=who-can-see-button]').click();
    const rows = page.locator('[data-testid=who-can-see] [data-camera-id]');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const listed = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id')!));

    const byId = new Map(cameras.map((c) => [c.id, c]));
    const seen = cameras.map((c) => ({ id: c.id, ...coverage(c, point) }));
    const sure = seen.filter((s) => s.sure).sort((a, b) => a.distanceM - b.distanceM);
    expect(sure.length, 'the picked point is seen by several cameras').toBeGreaterThan(1);
    // Every camera listed covers the point (all are online now: nearest first is plain distance order).
    for (const id of listed) expect(coverage(byId.get(id)!, point).maybe, `${id} is listed but does not cover the point`).toBe(true);
    const distances = listed.map((id) => coverage(byId.get(id)!, point).distanceM);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    // And none that surely covers it is left out of the nearest ten.
    const shown = Math.min(listed.length, 10);
    const farthestShown = distances[shown - 1];
    const missing = sure.filter((s) => s.distanceM < farthestShown - 1 && !listed.includes(s.id));
    expect(missing.map((s) => s.id)).toEqual([]);
    expect(listed.length).toBeGreaterThanOrEqual(Math.min(10, sure.length));
    expect(listed.length).toBeLessThanOrEqual(Math.min(10, seen.filter((s) => s.maybe).length));
  });
});

// The camera card, the live player and the wall; video patrol and checkpoints: on the same console and simulator.
const context = { video: () => video, host: () => video.host, browser: () => browser };
videoUiTests(context);
patrolUiTests(context);
