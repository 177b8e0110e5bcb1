// Drills end to end, in Chromium: one demo host with its simulators (the drill range is started by the core for
// each drill), the coordinator's and the operator's consoles signed in once (tests/e2e/drills-ui.ts).
import { afterAll, beforeAll, describe } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startHost, type RunningHost } from './harness.ts';
import { registerDrillUiTests } from './drills-ui.ts';

let browser: Browser;
let host: RunningHost;
beforeAll(async () => {
  [browser, host] = await Promise.all([launchBrowser(), startHost([], { simulators: true })]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('drills', () => {
  registerDrillUiTests({ browser: () => browser, host: () => host });
});
