// The drone-detection simulator as its own process, polled over loopback by the console exactly as a real
// system would be (named by --drone-url, which becomes the source `drone-detection`): drones appear as fused
// tracks with one drone alarm each, and injected faults show in the status bar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startSimulatorProcess, type SimulatorProcess } from '../../src/main/core/sources/simulator-process.ts';
import { launchBrowser, login, openConsole, startHost, type RunningHost } from './harness.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

let sim: SimulatorProcess;
let host: RunningHost;
let browser: Browser;

beforeAll(async () => {
  sim = await startSimulatorProcess('src/sim/drone-detection/main.ts', ['--site', SAMPLE_SITE_FILE, '--speed', '20', '--seed', '7']);
  host = await startHost(['--drone-url', sim.url], { env: { SKYFENCE_DRONE_API_KEY: sim.apiKey } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await sim?.stop();
});

const fault = (mode: string) =>
  fetch(`${sim.url}/sim/fault`, { method: 'POST', headers: { 'X-Api-Key': sim.apiKey }, body: JSON.stringify({ mode }) });

describe('drone detection through the simulator', () => {
  it('refuses requests without the API key', async () => {
    expect((await fetch(`${sim.url}/api/v1/tracks`)).status).toBe(401);
    expect((await fetch(`${sim.url}/api/v1/tracks`, { headers: { 'X-Api-Key': 'wrong' } })).status).toBe(401);
  });

  it('shows drones entering the perception circles as drone alarms, and the source healthy', async () => {
    const page = await openConsole(browser, host);
    await login(page);
    const status = page.locator('[data-testid=status-bar]');
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain('无人机探测 正常');
    const droneAlarms = page.locator('[data-testid=alarm-item][data-alarm-type=drone-threat]', { hasText: /无人机|不明目标/ });
    await expect.poll(() => droneAlarms.count(), { timeout: 30_000 }).toBeGreaterThan(0);

    // A malformed answer: the source turns degraded, with where it is wrong (its problem's path); fixed, it is
    // healthy again once a poll comes (failed polls back off, up to 5 s apart).
    await fault('malformed');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('无人机探测 降级');
    expect(await status.locator('[title*="tracks.0.position.lat"]').count()).toBe(1);
    await fault('none');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('无人机探测 正常');

    // A system that answers errors: degraded at first, down after 10 s without a usable answer, and one
    // source-silent alarm (数据源静默) that says why.
    await fault('error500');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('无人机探测 降级');
    await expect.poll(() => status.textContent(), { timeout: 25_000 }).toContain('无人机探测 中断');
    const silent = page.locator('[data-testid=alarm-item][data-alarm-type=source-silent]', { hasText: 'HTTP 500' });
    await expect.poll(() => silent.count(), { timeout: 5_000 }).toBe(1);
    await fault('none');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('无人机探测 正常');

    // A system that takes the request and never answers: the watchdog turns it down on the core's clock,
    // and this outage is an alarm of its own (the first was closed by the system when the source came back).
    await fault('silent');
    await expect.poll(() => status.textContent(), { timeout: 25_000 }).toContain('无人机探测 中断');
    const timedOut = page.locator('[data-testid=alarm-item][data-alarm-type=source-silent]', { hasNotText: 'HTTP 500' });
    await expect.poll(() => timedOut.count(), { timeout: 5_000 }).toBe(1);
    // The first outage's alarm was closed by the system when the source came back: only this one is open.
    await expect.poll(() => silent.count(), { timeout: 5_000 }).toBe(0);
    await fault('none');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('无人机探测 正常');
    await page.context().close();
  });
});
