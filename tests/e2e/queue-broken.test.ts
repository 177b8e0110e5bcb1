// A queue that cannot be read must say so: with the alarm table gone from under the running console (what a
// damaged database looks like to it), the operator sees that the queue is broken — never "no alarms" — and
// a retry brings it back once the storage is whole again.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sqlite3 from 'sqlite3';
import type { Browser } from 'playwright-core';
import { launchBrowser, login, openConsole, startHost, type RunningHost } from './harness.ts';

let host: RunningHost;
let browser: Browser;
beforeAll(async () => {
  host = await startHost();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

/** One statement on the console's database from outside, as a failing disk or a careless tool would. */
async function tamper(sql: string): Promise<void> {
  const db = new sqlite3.Database(join(host.dataDir, 'skyfence.db'));
  await new Promise<void>((resolve, reject) => db.exec(`PRAGMA busy_timeout = 5000; ${sql}`, (err) => (err ? reject(err) : resolve())));
  await new Promise((resolve) => db.close(resolve));
}

describe('alarm queue that cannot be read', () => {
  it('shows the queue as broken with a retry, not as empty, and recovers', async () => {
    const page = await openConsole(browser, host);
    await login(page, 'duty');
    await expect.poll(() => page.locator('[data-testid=alarm-panel]').textContent()).toContain('当前无未处置报警');

    await tamper('ALTER TABLE alarms RENAME TO alarms_lost');
    await page.reload();
    await page.locator('[data-testid=alarm-queue-broken]').waitFor({ timeout: 60_000 });
    const panel = await page.locator('[data-testid=alarm-panel]').textContent();
    expect(panel).toContain('报警队列无法读取');
    expect(panel).not.toContain('当前无未处置报警');
    expect(panel).not.toMatch(/SQLITE|no such table/i);

    await tamper('ALTER TABLE alarms_lost RENAME TO alarms');
    await page.locator('[data-testid=alarm-queue-retry]').click();
    await page.locator('[data-testid=alarm-queue-broken]').waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid=alarm-panel]').textContent()).toContain('当前无未处置报警');
    await page.context().close();
  });
});
