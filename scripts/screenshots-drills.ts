// The drill screenshots of the README, against a demo host with its simulators (the core starts the drill range):
//   docs/screenshot-drill-in-progress.png   the coordinator's console during the drone-intrusion drill: watermark,
//                                           banner, the drill alarm in the queue, the panel with steps and clock
//   docs/screenshot-drill-after-action.png  the after-action report of that drill (timeline, response times)
// Run after `npm run build`: node --import tsx scripts/screenshots-drills.ts
import type { Page } from 'playwright-core';
import type { Alarm } from '../src/shared/domain.ts';
import type { DrillState, Plan } from '../src/shared/drills.ts';
import type { UnitCandidate } from '../src/shared/response.ts';
import { E2E_PASSWORD, feedClient, launchBrowser, login, openConsole, settle, startHost } from '../tests/e2e/harness.ts';
import { DRILL_PLAN, droneSteps } from '../tests/e2e/drills-ui.ts';

const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: `docs/${name}` });
  console.log(`docs/${name}`);
};
const until = async <T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 120_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
};

const host = await startHost([], { simulators: true });
const browser = await launchBrowser();
try {
  const coordinatorApi = await feedClient(host, host.token);
  await coordinatorApi.call('session.login', { username: 'drill', password: E2E_PASSWORD });
  const operatorApi = await feedClient(host, host.token);
  await operatorApi.call('session.login', { username: 'duty', password: E2E_PASSWORD });
  const plan = (await coordinatorApi.call('plans.get', { id: DRILL_PLAN })) as Plan;
  droneSteps(plan); // the plan is the one the shots describe

  const page = await openConsole(browser, host);
  page.setDefaultTimeout(90_000);
  await login(page, 'drill');
  await settle(page);

  // Started from the panel at 5×, so that the shot catches the inject and the first steps.
  await page.locator('[data-testid=topbar-drills]').click();
  const card = page.locator(`[data-testid=drill-plan][data-plan-id="${DRILL_PLAN}"]`);
  await card.locator('[data-testid=drill-plan-start-quick]').click();
  await page.locator('[data-testid=drill-start-speed-5]').click();
  await page.locator('[data-testid=drill-start-submit]').click();
  await page.locator('[data-testid=drill-current]').waitFor();
  const drill = (await coordinatorApi.call('drill.current', {})) as DrillState;

  // The drill alarm: acknowledged by the operator (through the contract), so that a step shows done.
  const alarm = await until('the drill alarm', async () =>
    ((await operatorApi.call('alarms.list', { limit: 10_000 })) as { alarms: Alarm[] }).alarms.find((a) => a.drill && a.state === 'new'));
  await page.locator(`[data-testid=alarm-item][data-alarm-id="${alarm.id}"]`).waitFor();
  await operatorApi.call('alarms.acknowledge', { id: alarm.id });
  await coordinatorApi.call('drill.observe', { id: drill.id, text: '值班员确认迅速，已口头复述目标方位与高度' });
  if (alarm.position) {
    await page.evaluate((p) => (window as unknown as { __skyfenceScene: { flyTo(lon: number, lat: number, altM?: number): void } }).__skyfenceScene.flyTo(p.lon, p.lat, 2500), alarm.position);
  }
  await page.waitForTimeout(4000);
  await settle(page);
  await shot(page, 'screenshot-drill-in-progress.png');

  // Dispatched, then ended: the report opens.
  const [nearest] = (await operatorApi.call('units.nearest', { alarmId: alarm.id, limit: 1 })) as UnitCandidate[];
  if (nearest) await operatorApi.call('dispatch.send', { alarmId: alarm.id, unitIds: [nearest.unit.id], guidance: '前往02L进近端处置' }).catch((e: Error) => console.error(`dispatch: ${e.message}`));
  await page.waitForTimeout(3000);
  await page.locator('[data-testid=drill-end]').click();
  await page.locator('.el-message-box__btns .el-button--primary').click();
  await page.locator(`[data-testid=after-action-view][data-drill-id="${drill.id}"][data-loaded=true]`).waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1500);
  await shot(page, 'screenshot-drill-after-action.png');
  coordinatorApi.close();
  operatorApi.close();
} finally {
  await browser.close();
  await host.stop();
}
