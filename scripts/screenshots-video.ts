// The video screenshots of the README, against a console polling the VMS simulator:
//   docs/screenshot-video-map.png       the T3A halls with their cameras, one selected: its field of view and live picture
//   docs/screenshot-video-wall.png      the video wall window, four cameras playing
//   docs/screenshot-patrol-report.png   a video patrol run's report
//   docs/screenshot-alarm-snapshot.png  an intrusion alarm with the snapshot the console kept
import type { Page } from 'playwright-core';
import type { CameraList } from '../src/shared/contract/video.ts';
import type { Camera } from '../src/shared/video.ts';
import { E2E_PASSWORD, feedClient, launchBrowser, login, openConsole, settle } from '../tests/e2e/harness.ts';
import { startVideoHost } from '../tests/e2e/video-harness.ts';

type Scene = { flyTo(lon: number, lat: number, altM?: number): void; project(lon: number, lat: number, altM?: number): { x: number; y: number } | null };
const flyTo = (page: Page, c: { lon: number; lat: number }, altM: number) =>
  page.evaluate(({ c, altM }) => (window as unknown as { __skyfenceScene: Scene }).__skyfenceScene.flyTo(c.lon, c.lat, altM), { c, altM });
const project = (page: Page, c: { lon: number; lat: number; altM?: number }) =>
  page.evaluate((c) => (window as unknown as { __skyfenceScene: Scene }).__skyfenceScene.project(c.lon, c.lat, c.altM), c);
const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: `docs/${name}` });
  console.log(`docs/${name}`);
};

const video = await startVideoHost({ intervalMs: 1000 });
const browser = await launchBrowser();
try {
  const feed = await feedClient(video.host, video.host.token);
  await feed.call('session.login', { username: 'duty', password: E2E_PASSWORD });
  const { cameras } = (await feed.call('video.cameras', {})) as CameraList;
  const byPrefix = (p: string) => cameras.find((c) => c.cameraId.startsWith(p))!;

  // An intrusion at the fence: an alarm with the snapshot the console keeps.
  const fence = byPrefix('FENCE-');
  await video.sim.control({ action: 'event', camera: fence.cameraId, type: 'intrusion' });

  const page = await openConsole(browser, video.host);
  await login(page);
  await settle(page);
  const alarm = page.locator('[data-testid=alarm-item][data-alarm-type=video-analytic]').first();
  await alarm.waitFor({ timeout: 30_000 });
  await alarm.locator('[data-testid=alarm-snapshot]').waitFor({ timeout: 15_000 });
  await page.waitForTimeout(1500);
  await shot(page, 'screenshot-alarm-snapshot.png');

  // The T3A departures hall, a camera selected: its wedge on the map and its live picture in the card.
  const hall: Camera = byPrefix('T3A-DEP');
  await flyTo(page, hall.position, 350);
  await page.waitForTimeout(3000);
  await settle(page);
  const spot = await project(page, hall.position);
  const box = (await page.locator('[data-testid=scene]').boundingBox())!;
  if (spot) await page.mouse.click(box.x + spot.x, box.y + spot.y);
  await page.locator('[data-testid=camera-card] [data-testid=live-player][data-state=playing]').waitFor({ timeout: 30_000 }).catch(() => undefined);
  await page.waitForTimeout(1500);
  await shot(page, 'screenshot-video-map.png');

  // The wall: four cameras sent from the console's list of cameras.
  const [wall] = await Promise.all([page.context().waitForEvent('page'), page.evaluate(() => void window.open('#/wall', 'skyfence-wall'))]);
  await wall.setViewportSize({ width: 1600, height: 900 });
  await wall.locator('[data-testid=wall]').waitFor({ timeout: 30_000 });
  const four = [byPrefix('T3A-DEP'), byPrefix('T2-KERB'), byPrefix('APRON-T3A-PTZ'), byPrefix('CP-')];
  for (const [i, cam] of four.entries()) {
    await wall.locator('[data-testid=wall-search] input, input[data-testid=wall-search]').first().fill(cam.name.zh);
    const item = wall.locator(`[data-testid=wall-camera][data-camera-id="${cam.id}"]`);
    await item.waitFor();
    await item.dragTo(wall.locator(`[data-testid=wall-tile][data-index="${i}"]`));
  }
  await wall.locator('[data-testid=wall-search] input, input[data-testid=wall-search]').first().fill('');
  await wall.locator('[data-testid=live-player][data-state=playing]').nth(3).waitFor({ timeout: 30_000 }).catch(() => undefined);
  await wall.waitForTimeout(2000);
  await shot(wall, 'screenshot-video-wall.png');
  await wall.close();

  // A patrol run: two verdicts, then finished — its report.
  await page.locator('[data-testid=topbar-patrol]').click();
  await page.locator('[data-testid=patrol-dialog]').waitFor();
  await page.locator('[data-testid^=patrol-route-]').first().click();
  await page.locator('[data-testid=patrol-start]').click();
  await page.locator('[data-testid=patrol-run]').waitFor();
  const auto = page.locator('[data-testid=patrol-pause]');
  if (await auto.isVisible()) await auto.click();
  await page.locator('[data-testid=patrol-verdict-normal]').click();
  await page.waitForTimeout(2500);
  await page.locator('[data-testid=patrol-note]').fill('画面偏暗，镜头疑似起雾');
  await page.locator('[data-testid=patrol-verdict-picture-fault]').click();
  await page.waitForTimeout(2500);
  await page.locator('[data-testid=patrol-verdict-normal]').click();
  await page.waitForTimeout(2500);
  await page.locator('[data-testid=patrol-finish]').click();
  const confirm = page.locator('.el-message-box__btns .el-button--primary');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.locator('[data-testid=patrol-report]').waitFor({ timeout: 15_000 });
  await page.waitForTimeout(1000);
  await shot(page, 'screenshot-patrol-report.png');
  feed.close();
} finally {
  await browser.close();
  await video.stop();
}
