// npm run screenshots: the README's pictures of the main screen, zh-CN and English, on the sample airport in
// demo mode: the drone-detection simulator running, a manual alarm, and a map point selected.
import WebSocket from 'ws';
import { E2E_PASSWORD, launchBrowser, login, openConsole, settle, startHost } from '../tests/e2e/harness.ts';

const host = await startHost([], { simulators: true });
const browser = await launchBrowser();
try {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
  await new Promise((r) => ws.once('open', r));
  let id = 0;
  const call = (name: string, input: unknown) =>
    new Promise((resolve) => {
      const my = ++id;
      ws.on('message', (d) => JSON.parse(String(d)).id === my && resolve(undefined));
      ws.send(JSON.stringify({ kind: 'call', id: my, name, input }));
    });
  await call('session.login', { username: 'duty', password: E2E_PASSWORD });
  await call('alarms.raiseManual', { position: { lon: 106.6425, lat: 29.7065, altM: 420 }, severity: 3, note: '南侧围界振动报警，疑似翻越' });
  ws.close();
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
