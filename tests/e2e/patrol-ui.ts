// Video patrol (视频巡检) and checkpoints (卡口) as an operator uses them, against the demo host with the VMS
// simulator: a patrol run with a normal and a picture-fault verdict, its report and the shift's CSV; a plate put
// on the watch list, read by the simulator at a checkpoint, and the plate-watchlist alarm that follows.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CameraList } from '../../src/shared/contract/video.ts';
import type { PatrolRoute } from '../../src/shared/video.ts';
import { E2E_PASSWORD, feedClient, login, openConsole, type RunningHost } from './harness.ts';
import type { VideoHost, VideoTestContext } from './video-harness.ts';

let video: VideoHost;
let host: RunningHost;
let browser: Browser;

/** Scripts the VMS simulator (POST /sim/control). */
async function simControl(_h: RunningHost, body: Record<string, unknown>): Promise<void> {
  await video.sim.control(body);
}

/** What the demo holds, read as an integration would: the cameras and the patrol routes. */
async function demoFacts(): Promise<{ cameras: CameraList['cameras']; routes: PatrolRoute[] }> {
  const client = await feedClient(host, host.token);
  try {
    await client.call('session.login', { username: 'admin', password: E2E_PASSWORD });
    const { cameras } = (await client.call('video.cameras', {})) as CameraList;
    const routes = (await client.call('patrol.routes', {})) as PatrolRoute[];
    return { cameras, routes };
  } finally {
    client.close();
  }
}

async function signedInAdmin(): Promise<Page> {
  const page = await openConsole(browser, host);
  await login(page, 'admin');
  return page;
}

/** Registered by video.test.ts, on its console wired to a VMS simulator. */
export function patrolUiTests(ctx: VideoTestContext): void {
  beforeAll(() => {
    video = ctx.video();
    host = video.host;
    browser = ctx.browser();
  });
describe('video patrol', () => {
  it('runs the first route: a normal and a picture fault, the rest missed in the report, the shift as CSV', async () => {
    const { routes } = await demoFacts();
    expect(routes.length, 'the demo has a patrol route').toBeGreaterThan(0);
    const route = routes[0];
    expect(route.cameraIds.length, 'the first route has at least three cameras').toBeGreaterThanOrEqual(3);
    const n = route.cameraIds.length;

    const page = await signedInAdmin();
    await page.locator('[data-testid=topbar-patrol]').click();
    await page.locator(`[data-testid=patrol-route-${route.id}]`).click();
    await page.locator('[data-testid=patrol-start]').click();
    await page.locator('[data-testid=patrol-run]').waitFor();
    // The automatic round would move on after the dwell time: this operator takes each camera by hand.
    await page.locator('[data-testid=patrol-auto]').click();
    await expect.poll(() => page.locator('[data-testid=patrol-countdown]').count(), { timeout: 15_000 }).toBe(0);

    const position = page.locator('[data-testid=patrol-position]');
    expect(await position.textContent()).toBe(`1 / ${n}`);
    // The first camera's picture arrives from the VMS (a real image, not the fault notice).
    const picture = page.locator('[data-testid=patrol-picture]');
    await picture.waitFor({ timeout: 15_000 });
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);

    await page.locator('[data-testid=patrol-verdict-normal]').click();
    await expect.poll(() => position.textContent(), { timeout: 15_000 }).toBe(`2 / ${n}`);

    // A picture fault needs a note: without one it is not recorded (unless the picture itself failed, which
    // is then the note); with one it is, and the run moves on.
    const list = page.locator('[data-testid=patrol-camera-list] li');
    if (await page.locator('[data-testid=patrol-picture-fault]').count() === 0) {
      await page.locator('[data-testid=patrol-verdict-picture-fault]').click();
      expect(await page.locator('[data-testid=patrol-error]').textContent()).toContain('须填写情况说明');
      expect(await list.nth(1).getAttribute('data-verdict')).toBe('none');
    }
    await page.locator('[data-testid=patrol-note]').fill('镜头被遮挡');
    await page.locator('[data-testid=patrol-verdict-picture-fault]').click();
    await expect.poll(() => position.textContent(), { timeout: 15_000 }).toBe(`3 / ${n}`);
    expect(await list.nth(0).getAttribute('data-verdict')).toBe('normal');
    expect(await list.nth(1).getAttribute('data-verdict')).toBe('picture-fault');

    // Finishing with cameras left asks first: they will count as missed.
    await page.locator('[data-testid=patrol-finish]').click();
    const confirm = page.locator('.el-message-box');
    expect(await confirm.textContent()).toContain(`还有 ${n - 2} 台摄像机未检`);
    await confirm.locator('.el-button--primary').click();

    const report = page.locator('[data-testid=patrol-report]');
    await report.waitFor();
    expect(await report.getAttribute('data-checked')).toBe('2');
    expect(await report.getAttribute('data-missed')).toBe(String(n - 2));
    const counts = await page.locator('[data-testid=patrol-report-counts]').textContent();
    expect(counts).toContain('已检 2 台');
    expect(counts).toContain('正常 1');
    expect(counts).toContain('图像故障 1');
    expect(counts).toContain(`漏检 ${n - 2} 台`);
    expect(await report.textContent()).toContain('镜头被遮挡');

    // The shift's records hold the run; its report downloads as CSV naming the route.
    await page.locator('#tab-records').click();
    await page.locator('[data-testid=patrol-runs]', { hasText: route.name }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=patrol-export-csv]').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain(route.name);
    await page.context().close();
  });
});

describe('checkpoints', () => {
  it('puts a plate on the watch list; read at a checkpoint, it raises a plate-watchlist alarm and shows red', async () => {
    const { cameras } = await demoFacts();
    const checkpointCamera = cameras.find((c) => c.kind === 'checkpoint' && c.checkpointId);
    expect(checkpointCamera, 'the demo VMS has a checkpoint camera').toBeDefined();

    const page = await signedInAdmin();
    await page.locator('[data-testid=topbar-plates]').click();
    await page.locator('[data-testid=plates-dialog]').waitFor();
    await page.locator('#tab-watchlist').click();
    await page.locator('[data-testid=watchlist-add-plate]').fill('渝A99999');
    await page.locator('[data-testid=watchlist-add-reason]').fill('测试布控');
    await page.locator('[data-testid=watchlist-add]').click();
    const entry = page.locator('[data-testid=watchlist-row][data-plate="渝A99999"]');
    await entry.waitFor();
    expect(await entry.textContent()).toContain('测试布控');

    // The simulator reads the plate at the checkpoint (the camera as the VMS names it).
    await page.locator('#tab-reads').click();
    await simControl(host, { action: 'plate', camera: checkpointCamera!.cameraId, plate: '渝A99999', direction: 'in', lane: 1 });

    const alarm = page.locator('[data-testid=alarm-item][data-alarm-type=plate-watchlist]', { hasText: '渝A99999' });
    await alarm.waitFor({ timeout: 15_000 });
    // The read joins the top of the live list, marked as a watch-list hit.
    const read = page.locator('[data-testid=plates-row][data-plate="渝A99999"]').first();
    await read.waitFor({ timeout: 10_000 });
    expect(await read.getAttribute('data-watch-hit')).toBe('true');
    expect(await read.textContent()).toContain('进');
    await page.context().close();
  });
});
}
