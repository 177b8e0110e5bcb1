// npm run screenshots: the README's pictures of the main screen, zh-CN and English, on the sample airport in
// demo mode: the drone-detection simulator running, a manual alarm, and a map point selected.
import { E2E_PASSWORD, feedClient, launchBrowser, login, openConsole, settle, startHost } from '../tests/e2e/harness.ts';

const host = await startHost([], { simulators: true });
const browser = await launchBrowser();
try {
  const feed = await feedClient(host, host.token);
  const call = feed.call;
  await call('session.login', { username: 'duty', password: E2E_PASSWORD });
  await call('alarms.raiseManual', { position: { lon: 106.6425, lat: 29.7065, altM: 420 }, severity: 3, note: '南侧围界振动报警，疑似翻越' });
  feed.close();
  await new Promise((r) => setTimeout(r, 25_000)); // let the simulated drones come in
  for (const locale of ['zh-CN', 'en'] as const) {
    const page = await openConsole(browser, host, { locale });
    await login(page);
    await settle(page);
    await page.waitForTimeout(2500);
    const scene = (await page.locator('[data-testid=scene]').boundingBox())!;
    await page.mouse.click(scene.x + scene.width * 0.62, scene.y + scene.height * 0.72);
    await page.locator('[data-testid=ols-height]').waitFor();
    await settle(page);
    await page.screenshot({ path: `docs/screenshot-${locale}.png` });
    console.log(`docs/screenshot-${locale}.png`);
    await page.context().close();
  }
} finally {
  await browser.close();
  await host.stop();
}
