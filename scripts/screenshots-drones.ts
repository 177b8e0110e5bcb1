// The drone screenshots of the README, against a console fed by the drone simulator's four systems:
//   docs/screenshot-drone-approach.png  the hobby drone loitering under the 02L approach: its alarm, card and
//                                       the approach surface it penetrates, with the gap in metres
//   docs/screenshot-drone-atc.png       the response to it: 通报空管 with the pre-filled message, the clocks
//   docs/screenshot-drone-swarm.png     the swarm of 50 as one grouped alarm, in English
import type { Page } from 'playwright-core';
import type { AlarmList } from '../src/shared/contract/index.ts';
import type { DroneTrack } from '../src/shared/drones.ts';
import { startDroneHost } from '../tests/e2e/drone-harness.ts';
import { E2E_PASSWORD, feedClient, launchBrowser, login, openConsole, settle } from '../tests/e2e/harness.ts';

type Scene = { flyTo(lon: number, lat: number, altM?: number): void };
const flyTo = (page: Page, c: { lon: number; lat: number }, altM: number) =>
  page.evaluate(({ c, altM }) => (window as unknown as { __skyfenceScene: Scene }).__skyfenceScene.flyTo(c.lon, c.lat, altM), { c, altM });
const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: `docs/${name}` });
  console.log(`docs/${name}`);
};
const until = async <T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> => {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 1000))) {
    const v = await get();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
};

const drones = await startDroneHost({ speed: 3 });
const browser = await launchBrowser();
try {
  const feed = await feedClient(drones.host, drones.host.token);
  await feed.call('session.login', { username: 'duty', password: E2E_PASSWORD });
  const page = await openConsole(browser, drones.host);
  await login(page);
  await settle(page);
  await drones.sim.control({ scenario: 'approach-loiter', action: 'start' });

  // Wait until the loiterer is well into the approach surface.
  const loiter = await until('the loiterer penetrating the 02L approach', async () =>
    ((await feed.call('drones.list', {})) as DroneTrack[]).find((t) => t.threat.penetrationM > 15 && t.threat.lowestSurface?.surface === 'approach'));
  const alarms = ((await feed.call('alarms.list', {})) as AlarmList).alarms;
  const alarm = alarms.find((a) => a.type === 'drone-threat' && a.details.trackId === loiter.id)!;
  const item = page.locator(`[data-testid=alarm-item][data-alarm-id="${alarm.id}"]`);
  await item.click();
  await flyTo(page, loiter.position, 900);
  await page.waitForTimeout(3000);
  await settle(page);
  await shot(page, 'screenshot-drone-approach.png');

  // The response: 处置 → the ATC step with its pre-filled message.
  await item.locator('[data-testid=alarm-respond]').click();
  await page.locator(`[data-testid=drone-response-panel][data-alarm-id="${alarm.id}"]`).waitFor();
  await page.waitForTimeout(1500);
  await shot(page, 'screenshot-drone-atc.png');

  // The swarm, in English.
  await drones.sim.control({ scenario: 'swarm', action: 'start' });
  const en = await openConsole(browser, drones.host, { locale: 'en' });
  await login(en);
  await settle(en);
  const swarm = en.locator('[data-testid=alarm-item][data-alarm-type=drone-swarm]').first();
  await swarm.waitFor({ timeout: 60_000 });
  const members = await until('the swarm', async () => {
    const all = ((await feed.call('drones.list', {})) as DroneTrack[]).filter((t) => t.swarmId);
    return all.length >= 40 ? all : undefined;
  });
  await swarm.click();
  await flyTo(en, members[0].position, 2500);
  await en.waitForTimeout(3000);
  await settle(en);
  await shot(en, 'screenshot-drone-swarm.png');
  feed.close();
} finally {
  await browser.close();
  await drones.stop();
}
