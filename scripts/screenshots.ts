// npm run screenshots: the README's pictures, on the sample airport in demo mode with the drone-detection
// simulator running and a manual alarm:
//   docs/screenshot-zh-CN.png, docs/screenshot-en.png  the main screen, a map point selected (its pick marker and card)
//   docs/screenshot-declutter.png                         the map zoomed out: only what matters at that distance is named
//   docs/screenshot-selected-track.png                    a drone selected: ringed on the map, its alarms highlighted in the queue
//   docs/screenshot-close-dialog.png                      closing an alarm with a category (属实 / 误报 / 演练 / 重复 / 其他)
//   docs/screenshot-user-admin.png                        user administration: roles, disable, reset password, unlock
import type { Page } from 'playwright-core';
import type { Alarm, Track } from '../src/shared/domain.ts';
import { E2E_PASSWORD, feedClient, launchBrowser, login, openConsole, settle, startHost } from '../tests/e2e/harness.ts';

type SceneDiagnostics = {
  project(lon: number, lat: number, altM?: number): { x: number; y: number } | null;
  storeTrack(id: string): Track | null;
};

const host = await startHost([], { simulators: true });
const browser = await launchBrowser();
/** Waits until the camera has stopped moving (flights take a while on a software-rendered GPU). */
async function cameraStill(page: Page): Promise<void> {
  let last = '';
  for (let i = 0; i < 40; i++) {
    const now = JSON.stringify(await page.evaluate(() => (window as unknown as { __skyfenceScene: { camera(): unknown } }).__skyfenceScene.camera()));
    if (now === last) return;
    last = now;
    await page.waitForTimeout(400);
  }
}
const shot = async (page: Page, name: string) => {
  await settle(page);
  await page.screenshot({ path: `docs/${name}` });
  console.log(`docs/${name}`);
};
try {
  const feed = await feedClient(host, host.token);
  const call = feed.call;
  await call('session.login', { username: 'duty', password: E2E_PASSWORD });
  await call('alarms.raiseManual', { position: { lon: 106.6425, lat: 29.7065, altM: 420 }, severity: 3, note: '南侧围界振动报警，疑似翻越' });
  // Let the simulated drones come in, until one of them has raised an alarm.
  let droneAlarm: Alarm | undefined;
  for (let i = 0; i < 90 && !droneAlarm; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const { alarms } = (await call('alarms.list', {})) as { alarms: Alarm[] };
    droneAlarm = alarms.find((a) => (a.type === 'touch-circle' || a.type === 'clearance-penetration') && a.details.classification === 'drone');
  }
  if (!droneAlarm) throw new Error('no drone alarm within 90 s');

  for (const locale of ['zh-CN', 'en'] as const) {
    const page = await openConsole(browser, host, { locale });
    await login(page);
    await settle(page);
    await page.waitForTimeout(2500);
    const scene = (await page.locator('[data-testid=scene]').boundingBox())!;
    await page.mouse.click(scene.x + scene.width * 0.62, scene.y + scene.height * 0.72);
    await page.locator('[data-testid=ols-height]').waitFor();
    await shot(page, `screenshot-${locale}.png`);

    if (locale === 'zh-CN') {
      // Zoomed out four times from the home view: the circles, the alarms and the targets, not every post.
      await page.locator('.scene-view-selection .sf-panel-title button').click();
      await page.locator('[data-testid=nav-zoom-out]').click();
      await cameraStill(page);
      await page.locator('[data-testid=nav-zoom-out]').click();
      await cameraStill(page);
      await shot(page, 'screenshot-declutter.png');

      // A drone selected on the map: first its alarm from the queue (the map flies there), then the drone itself.
      await page.locator(`[data-alarm-id="${droneAlarm.id}"] [data-testid=alarm-title]`).click();
      await cameraStill(page);
      const target = droneAlarm.details as { sourceId: string; trackId: string; trackLabel: string };
      const trackId = `${target.sourceId}/${target.trackId}`;
      // The drone moves every second: click where it is now, again if it moved under the pointer.
      const name = page.locator('[data-testid=selection-name]', { hasText: new RegExp(`^${target.trackLabel}$`) });
      for (let attempt = 0; attempt < 5 && !(await name.isVisible()); attempt++) {
        const spot = await page.evaluate((id) => {
          const s = (window as unknown as { __skyfenceScene: SceneDiagnostics }).__skyfenceScene;
          const t = s.storeTrack(id);
          return t ? s.project(t.position.lon, t.position.lat, t.position.altM) : null;
        }, trackId);
        if (!spot) throw new Error(`track ${trackId} is not on the picture`);
        await page.mouse.click(scene.x + spot.x, scene.y + spot.y);
        await page.waitForTimeout(600);
      }
      await name.waitFor({ timeout: 5000 });
      await page.waitForTimeout(800);
      await shot(page, 'screenshot-selected-track.png');

      // Closing an alarm: the category is chosen, the note says what happened.
      await page.locator('[data-testid=alarm-item][data-alarm-type=manual] [data-testid=alarm-close]').first().click();
      const dialog = page.locator('[data-testid=close-dialog]');
      await dialog.waitFor();
      await dialog.locator('[data-category=false-alarm]').click();
      await dialog.locator('textarea').fill('现场核查为施工车辆碰触围界，已通知施工单位');
      await page.waitForTimeout(500);
      await page.screenshot({ path: 'docs/screenshot-close-dialog.png' });
      console.log('docs/screenshot-close-dialog.png');
    }
    await page.context().close();
  }

  // User administration: every demo account still has its password change due.
  const admin = await openConsole(browser, host);
  await login(admin, 'admin');
  await admin.locator('[data-testid=user-admin]').click();
  await admin.locator('[data-testid=user-table]').waitFor();
  await admin.waitForTimeout(800);
  await admin.screenshot({ path: 'docs/screenshot-user-admin.png' });
  console.log('docs/screenshot-user-admin.png');
  await admin.context().close();
  feed.close();
} finally {
  await browser.close();
  await host.stop();
}
