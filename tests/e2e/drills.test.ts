// Drills end to end, in Chromium: one demo host with its simulators (the drill range is started by the core for
// each drill), the coordinator's and the operator's consoles signed in once (tests/e2e/drills-ui.ts); then the
// drill that ran to its end is played back (tests/e2e/playback-ui.ts).
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Browser } from 'playwright-core';
import type { DrillState } from '../../src/shared/drills.ts';
import { E2E_PASSWORD, feedClient, launchBrowser, startHost, type RunningHost } from './harness.ts';
import { registerDrillUiTests } from './drills-ui.ts';
import { registerPlaybackUiTests } from './playback-ui.ts';

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

describe('playback of the drill that ran to its end', () => {
  let drillId = '';
  beforeAll(async () => {
    const api = await feedClient(host, host.token);
    await api.call('session.login', { username: 'command', password: E2E_PASSWORD });
    const drills = (await api.call('drill.list', { limit: 20 })) as DrillState[];
    drillId = drills.find((d) => d.status === 'ended')?.id ?? '';
    expect(drillId, 'the drill tests ended a drill').not.toBe('');
  });
  registerPlaybackUiTests({ host: () => host, browser: () => browser, drillId: () => drillId });
});
