// Response and command end to end, in Chromium: the operator's alarm queue (tests/e2e/alarm-queue-ui.ts) on two
// hosts whose data directories hold alarms raised through the core's pipeline before they started: 10,005
// open (the load and the scrolling), and 205 (the workflow: keys, clocks, close, grouping, silence, dispatch).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { E2E_PASSWORD, feedClient, launchBrowser, login, startHost, type RunningHost } from './harness.ts';
import { QUEUE_SEED, registerAlarmQueueLoadTests, registerAlarmQueueTests, seedQueue, SMALL_QUEUE_SEED, type QueueSeed } from './alarm-queue-ui.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The console page as harness.openConsole opens it, with room for a slow first load on a loaded machine. */
async function openConsole(h: RunningHost, opts: { locale?: 'en' } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
  const p = await context.newPage();
  p.setDefaultNavigationTimeout(180_000);
  // A two-core machine shared with other jobs: a click may wait long for the page to settle.
  p.setDefaultTimeout(60_000);
  if (opts.locale === 'en') await p.addInitScript(() => localStorage.setItem('skyfence.locale', 'en'));
  await p.goto(h.url);
  await login(p);
  return p;
}

/** A host on a seeded data directory, a feed signed in as duty, and a console page; stopped after the block. */
function seededHost(seed: QueueSeed) {
  const state = {} as { host: RunningHost; dataDir: string; page: Page; feed: Awaited<ReturnType<typeof feedClient>> };
  beforeAll(async () => {
    state.dataDir = mkdtempSync(join(tmpdir(), 'skyfence-e2e-response-'));
    await seedQueue(state.dataDir, seed);
    state.host = await startHost([], { dataDir: state.dataDir });
    state.feed = await feedClient(state.host, state.host.token);
    await state.feed.call('session.login', { username: 'duty', password: E2E_PASSWORD });
    state.page = await openConsole(state.host);
  }, 300_000);
  afterAll(async () => {
    state.feed?.close();
    await state.page?.context().close();
    await state.host?.stop();
    if (state.dataDir) rmSync(state.dataDir, { recursive: true, force: true });
  });
  return state;
}

describe('a queue of 10,005 open alarms', () => {
  const s = seededHost(QUEUE_SEED);
  registerAlarmQueueLoadTests({ page: () => s.page, seed: QUEUE_SEED });
});

describe('the alarm workflow in the queue', () => {
  const s = seededHost(SMALL_QUEUE_SEED);
  registerAlarmQueueTests({
    page: () => s.page,
    englishPage: () => openConsole(s.host, { locale: 'en' }),
    call: <T>(name: string, input: unknown) => s.feed.call(name, input) as Promise<T>,
    seed: SMALL_QUEUE_SEED,
  });
});
