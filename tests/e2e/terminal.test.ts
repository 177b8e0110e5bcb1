// The unit terminal end to end, on a phone-sized Chromium (390×844, touch): the host serves the terminals'
// listener; the unit signs in there (first password changed), receives an order dispatched from the console's
// API, accepts it, loses its network, taps 到达 (shown pending), gets the network back, and the report lands
// once: the order and the alarm are on scene. Takes docs/terminal.png (an order on screen) on the way.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Alarm } from '../../src/shared/domain.ts';
import type { DispatchOrder, Unit } from '../../src/shared/response.ts';
import { E2E_CHANGED_PASSWORD, E2E_PASSWORD, feedClient, launchBrowser, startHost, type RunningHost } from './harness.ts';

const UNIT_ID = 'T2-P1';
const UNIT_ACCOUNT = 'unit-t2p1';
/** On the T2 patrol's route, and the scene a few hundred metres north of it. */
const UNIT_FIX = { latitude: 29.7126, longitude: 106.6285 };
const SCENE = { lon: 106.6292, lat: 29.7158 };

let host: RunningHost;
let terminalUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let consoleApi: Awaited<ReturnType<typeof feedClient>>;
const problems: string[] = [];

beforeAll(async () => {
  host = await startHost(['--terminal-address', '127.0.0.1', '--terminal-port', '0']);
  // Printed just after SKYFENCE_URL, which startHost waits for.
  for (let i = 0; i < 100 && !/SKYFENCE_TERMINAL_URL (\S+)/.test(host.output()); i++) await new Promise((r) => setTimeout(r, 100));
  const printed = /SKYFENCE_TERMINAL_URL (\S+)/.exec(host.output());
  if (!printed) throw new Error(`no SKYFENCE_TERMINAL_URL in the host's output:\n${host.output()}`);
  terminalUrl = printed[1];
  browser = await launchBrowser();
  context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    geolocation: UNIT_FIX, permissions: ['geolocation'],
  });
  page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  consoleApi = await feedClient(host, host.token);
  await consoleApi.call('session.login', { username: 'duty', password: E2E_PASSWORD });
}, 120_000);

afterAll(async () => {
  consoleApi?.close();
  await browser?.close();
  await host?.stop();
});

async function signInAsUnit(): Promise<void> {
  await page.goto(terminalUrl);
  await page.locator('input[name=username]').fill(UNIT_ACCOUNT);
  await page.locator('input[name=password]').fill(E2E_PASSWORD);
  await page.locator('[data-testid=login-form] button[type=submit]').tap();
  // Demo accounts must change the first password before anything else.
  const forced = page.locator('[data-testid=password-form][data-mandatory=true]');
  await forced.waitFor({ timeout: 60_000 });
  const inputs = forced.locator('input[type=password]');
  await inputs.nth(0).fill(E2E_PASSWORD);
  await inputs.nth(1).fill(E2E_CHANGED_PASSWORD);
  await inputs.nth(2).fill(E2E_CHANGED_PASSWORD);
  await forced.locator('button[type=submit]').tap();
  await page.locator('[data-testid=terminal-view]').waitFor({ timeout: 60_000 });
}

const ordersOf = async (alarmId: string) => (await consoleApi.call('dispatch.list', { alarmId, openOnly: false })) as DispatchOrder[];
const alarmNow = async (alarmId: string) => ((await consoleApi.call('alarms.list', { limit: 10_000 })) as { alarms: Alarm[] }).alarms.find((a) => a.id === alarmId);

describe('unit terminal', () => {
  it('refuses a console account on the terminals’ address', async () => {
    await page.goto(terminalUrl);
    await page.locator('input[name=username]').fill('duty');
    await page.locator('input[name=password]').fill(E2E_CHANGED_PASSWORD);
    await page.locator('[data-testid=login-form] button[type=submit]').tap();
    // Answered like a wrong password: the terminals' address does not confirm a console password.
    await expect.poll(() => page.locator('[data-testid=login-form] [role=alert]').textContent(), { timeout: 30_000 }).toMatch(/用户名或密码错误/);
    expect(await page.locator('[data-testid=alarm-panel]').count()).toBe(0);
  }, 120_000);

  it('receives an order, accepts it, reports arrival made offline once it is back online', async () => {
    await signInAsUnit();
    await expect.poll(() => page.locator('[data-testid=terminal-callsign]').textContent(), { timeout: 30_000 }).toBe('T2巡1');
    await expect.poll(() => page.locator('[data-testid=terminal-connection]').getAttribute('data-online')).toBe('true');
    // Its position, from the phone, reaches the core (at most every 10 s; the first fix goes at once).
    await page.locator('[data-testid=terminal-share-position]').tap();
    await expect
      .poll(async () => ((await consoleApi.call('units.list', {})) as Unit[]).find((u) => u.id === UNIT_ID)?.positionSource, { timeout: 30_000 })
      .toBe('terminal');

    // The console: an alarm, acknowledged, the unit proposed and dispatched in one action.
    const alarm = (await consoleApi.call('alarms.raiseManual', { position: SCENE, severity: 4, note: 'T2 出发层 3 号门 可疑遗留行李' })) as Alarm;
    await consoleApi.call('alarms.acknowledge', { id: alarm.id });
    const nearest = (await consoleApi.call('units.nearest', { alarmId: alarm.id, limit: 20 })) as Array<{ unit: Unit }>;
    expect(nearest.map((c) => c.unit.id)).toContain(UNIT_ID);
    const [order] = (await consoleApi.call('dispatch.send', {
      alarmId: alarm.id, unitIds: [UNIT_ID], guidance: '封控 3 号门周边 20 米，疏散旅客，等待排爆组；勿触碰行李。',
    })) as DispatchOrder[];

    // The terminal shows it at once (pushed, not polled), with the next step as one button.
    const card = page.locator(`[data-testid=terminal-order][data-order-id="${order.id}"]`);
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getAttribute('data-state')).toBe('sent');
    expect(await card.textContent()).toContain('可疑遗留行李');
    expect(await card.locator('[data-testid=order-distance]').textContent()).toMatch(/\d+ 米/);
    await card.locator('[data-testid=order-acknowledge]').tap();
    await expect.poll(async () => (await ordersOf(alarm.id)).find((o) => o.id === order.id)?.state, { timeout: 30_000 }).toBe('acknowledged');
    await expect.poll(() => card.getAttribute('data-state')).toBe('acknowledged');
    mkdirSync('docs', { recursive: true });
    await page.screenshot({ path: 'docs/terminal.png' });

    // The network goes: the arrival waits in the outbox, shown as pending, and does not reach the core.
    await context.setOffline(true);
    await expect.poll(() => page.locator('[data-testid=terminal-connection]').getAttribute('data-online'), { timeout: 30_000 }).toBe('false');
    await card.locator('[data-testid=order-arrive]').tap();
    await card.locator('[data-testid=order-pending]').waitFor();
    await page.locator('[data-testid=terminal-outbox]').waitFor();
    expect(await card.getAttribute('data-state')).toBe('on-scene');
    await page.screenshot({ path: 'docs/terminal-offline.png' });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await ordersOf(alarm.id)).find((o) => o.id === order.id)?.state).toBe('acknowledged');

    // Back online: the session resumes, the report is sent, and it lands once.
    await context.setOffline(false);
    await expect.poll(() => page.locator('[data-testid=terminal-connection]').getAttribute('data-online'), { timeout: 60_000 }).toBe('true');
    await expect.poll(() => page.locator('[data-testid=terminal-outbox]').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(async () => (await ordersOf(alarm.id)).find((o) => o.id === order.id)?.state, { timeout: 30_000 }).toBe('on-scene');
    const orders = await ordersOf(alarm.id);
    expect(orders.filter((o) => o.unitId === UNIT_ID)).toHaveLength(1);
    expect(orders[0].onSceneAt).not.toBeNull();
    expect((await alarmNow(alarm.id))?.state).toBe('on-scene');
    expect(await card.locator('[data-testid=order-pending]').count()).toBe(0);
    expect(await card.locator('[data-testid=order-done]').isVisible()).toBe(true);
    // Nothing the page complained about, beyond the requests the lost network refused.
    expect(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|WebSocket/.test(p))).toEqual([]);
  }, 240_000);
});
