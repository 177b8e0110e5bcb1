// Response and command end to end, in Chromium: the operator's alarm queue (tests/e2e/alarm-queue-ui.ts) on two
// hosts whose data directories hold alarms raised through the core's pipeline before they started: 10,005
// open (the load and the scrolling), and 205 (the workflow: keys, clocks, close, grouping, silence, dispatch);
// then one demo host with the terminals' listener and short clocks for manual alarms: the response from alarm to
// unit on scene with the unit's terminal, an overdue stage escalated to the commander (response-flow-ui.ts),
// patrol duty (duty-ui.ts), the record and the shift handover (record-ui.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { E2E_PASSWORD, feedClient, launchBrowser, login, startHost, type RunningHost } from './harness.ts';
import { registerResponseFlowTests, shortClockSite } from './response-flow-ui.ts';
import { registerDutyUiTests } from './duty-ui.ts';
import { recordUiTests } from './record-ui.ts';
import { registerCommandTests } from './command-ui.ts';
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

describe('response and command on one demo host', () => {
  let host: RunningHost;
  let terminalUrl = '';
  beforeAll(async () => {
    host = await startHost(['--site', shortClockSite(), '--terminal-address', '127.0.0.1', '--terminal-port', '0']);
    // Printed just after SKYFENCE_URL, which startHost waits for.
    for (let i = 0; i < 100 && !/SKYFENCE_TERMINAL_URL (\S+)/.test(host.output()); i++) await new Promise((r) => setTimeout(r, 100));
    const printed = /SKYFENCE_TERMINAL_URL (\S+)/.exec(host.output());
    if (!printed) throw new Error(`no SKYFENCE_TERMINAL_URL in the host's output:\n${host.output()}`);
    terminalUrl = printed[1];
  }, 180_000);
  afterAll(async () => {
    await host?.stop();
  });
  registerDutyUiTests({ host: () => host, browser: () => browser });
  recordUiTests({ host: () => host, browser: () => browser });
  registerResponseFlowTests({ host: () => host, browser: () => browser, terminalUrl: () => terminalUrl });
  registerCommandTests({ host: () => host, browser: () => browser });
});
