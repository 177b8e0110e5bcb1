// Response and command end to end, in Chromium, on a host whose data directory holds 10,005 open alarms raised
// through the core's pipeline before it started: the operator's alarm queue (tests/e2e/alarm-queue-ui.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { E2E_PASSWORD, feedClient, launchBrowser, login, startHost, type RunningHost } from './harness.ts';
import { QUEUE_SEED, registerAlarmQueueTests, seedQueue } from './alarm-queue-ui.ts';

let host: RunningHost;
let browser: Browser;
let page: Page;
let feed: Awaited<ReturnType<typeof feedClient>>;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'skyfence-e2e-response-'));
  await seedQueue(dataDir);
  host = await startHost([], { dataDir });
  browser = await launchBrowser();
  feed = await feedClient(host, host.token);
  await feed.call('session.login', { username: 'duty', password: E2E_PASSWORD });
  page = await openConsole(browser, host);
  await login(page);
}, 300_000);
/** The console page as harness.openConsole opens it, with room for a slow first load on a loaded machine. */
async function openConsole(b: Browser, h: RunningHost, opts: { locale?: 'en' } = {}): Promise<Page> {
  const context = await b.newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
  const p = await context.newPage();
  p.setDefaultNavigationTimeout(180_000);
  // A two-core machine shared with other jobs: a click may wait long for the page to settle.
  p.setDefaultTimeout(60_000);
  if (opts.locale === 'en') await p.addInitScript(() => localStorage.setItem('skyfence.locale', 'en'));
  await p.goto(h.url);
  return p;
}

afterAll(async () => {
  feed?.close();
  await browser?.close();
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

registerAlarmQueueTests({
  page: () => page,
  async englishPage() {
    const en = await openConsole(browser, host, { locale: 'en' });
    await login(en);
    return en;
  },
  call: <T>(name: string, input: unknown) => feed.call(name, input) as Promise<T>,
  seed: QUEUE_SEED,
});
