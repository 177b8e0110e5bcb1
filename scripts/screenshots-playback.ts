// The playback screenshot of the README: docs/screenshot-playback.png, the playback view of a recorded period
// on the map with its scrubber, events and the open alarms at the instant shown.
// With SKYFENCE_PLAYBACK_PLAN=<plan id> it first runs that plan as a drill at 10× for 40 s (as the coordinator)
// and plays the drill back; otherwise it records a live period: the simulators' traffic, a manual alarm raised,
// acknowledged and dispatched. Run after `npm run build`: node --import tsx scripts/screenshots-playback.ts
import type { Page } from 'playwright-core';
import type { DispatchOrder, UnitCandidate } from '../src/shared/response.ts';
import type { Alarm } from '../src/shared/domain.ts';
import type { DrillState } from '../src/shared/drills.ts';
import { E2E_PASSWORD, feedClient, launchBrowser, login, startHost } from '../tests/e2e/harness.ts';

const T2 = { lon: 106.6292, lat: 29.7158 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Diagnostics = { ready: boolean; flyTo(lon: number, lat: number, altM?: number): void };

const host = await startHost([], { simulators: true });
const browser = await launchBrowser();
try {
  const api = await feedClient(host, host.token);
  let hash: string;
  let focus: { lon: number; lat: number } = T2;
  const plan = process.env.SKYFENCE_PLAYBACK_PLAN;
  if (plan) {
    await api.call('session.login', { username: 'drill', password: E2E_PASSWORD });
    const drill = (await api.call('drill.start', { planId: plan, speed: 10 })) as DrillState;
    await sleep(40_000);
    await api.call('drill.control', { id: drill.id, action: 'end' });
    hash = `#/playback?drill=${encodeURIComponent(drill.id)}`;
  } else {
    await api.call('session.login', { username: 'command', password: E2E_PASSWORD });
    const from = Date.now();
    await sleep(8000);
    const alarm = (await api.call('alarms.raiseManual', { position: T2, severity: 4, note: 'T2 出发层 3 号门 可疑遗留行李' })) as Alarm;
    await sleep(6000);
    await api.call('alarms.acknowledge', { id: alarm.id });
    const [nearest] = (await api.call('units.nearest', { alarmId: alarm.id, limit: 1 })) as UnitCandidate[];
    if (nearest) (await api.call('dispatch.send', { alarmId: alarm.id, unitIds: [nearest.unit.id], guidance: '封控 3 号门周边 20 米' })) as DispatchOrder[];
    await sleep(10_000);
    hash = `#/playback?from=${from}&to=${Date.now() - 500}`;
    focus = alarm.position ?? T2;
  }
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(120_000);
  const page: Page = await context.newPage();
  await page.goto(host.url);
  await login(page, plan ? 'drill' : 'command');
  await page.evaluate((h) => (location.hash = h), hash);
  await page.locator('[data-testid=playback-view][data-open=true]').waitFor();
  await page.waitForFunction(() => (window as unknown as { __skyfencePlayback?: Diagnostics }).__skyfencePlayback?.ready === true);
  // The instant of the third event (an alarm in the middle of its handling), the map over it.
  const events = await page.locator('[data-testid=playback-event]').count();
  const pick = Math.min(2, Math.max(0, events - 1));
  if (events) await page.locator(`[data-testid=playback-event][data-index="${pick}"]`).click();
  await page.evaluate(({ lon, lat }) => (window as unknown as { __skyfencePlayback: Diagnostics }).__skyfencePlayback.flyTo(lon, lat, 2200), focus);
  await page.waitForTimeout(4000);
  await page.screenshot({ path: 'docs/screenshot-playback.png' });
  console.log('docs/screenshot-playback.png');
} finally {
  await browser.close();
  await host.stop();
}
