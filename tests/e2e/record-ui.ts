// The record as the duty room uses it, in Chromium against the demo host: the outgoing operator opens 交接班
// from the duty menu, reads the summary (the open alarms the core counts), leaves a note and submits; a wrong
// password from the incoming operator is refused and worded; the right one hands over, and the seat is then
// signed in as the incoming commander, who finds both steps in the audit log under the right names; the
// administrator verifies the chain (校验) and reads "intact"; an operator is not offered the audit log.
// Screenshots: test-results/record-*.png (zh-CN and en).
//
// Registered by the response suite: recordUiTests({ host, browser }) on a demo host (simulators not needed).
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Alarm } from '../../src/shared/domain.ts';
import type { HandoverSummary } from '../../src/shared/response.ts';
import { E2E_CHANGED_PASSWORD, E2E_PASSWORD, feedClient, login, type RunningHost } from './harness.ts';

export interface RecordTestContext {
  host(): RunningHost;
  browser(): Browser;
}

let host: RunningHost;
let browser: Browser;

const shot = async (page: Page, name: string) => {
  mkdirSync('test-results', { recursive: true });
  await page.waitForTimeout(1500); // the dialog's opening transition, slow on a software-rendered GPU
  await page.screenshot({ path: `test-results/record-${name}.png`, animations: 'disabled' });
};

/** A console page, with room for a loaded two-core machine (the 3D scene loads slowly there). */
async function openConsole(b: Browser, h: RunningHost, opts: { locale?: 'en' } = {}): Promise<Page> {
  const context = await b.newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  if (opts.locale === 'en') await page.addInitScript(() => localStorage.setItem('skyfence.locale', 'en'));
  await page.goto(h.url, { timeout: 120_000 });
  return page;
}

async function openDutyEntry(page: Page, id: 'handover' | 'audit'): Promise<void> {
  await page.locator('[data-testid=topbar-watch-menu]').click();
  await page.locator(`[data-testid=topbar-entry-${id}]`).click();
}

export function recordUiTests(ctx: RecordTestContext): void {
  beforeAll(() => {
    host = ctx.host();
    browser = ctx.browser();
  });

  describe('the record', () => {
    it('hands the shift over at one seat: summary, note, a refused password, the incoming commander signed in; both steps in the audit log', async () => {
      const feed = await feedClient(host, host.token);
      let page: Page | undefined;
      try {
        await feed.call('session.login', { username: 'duty', password: E2E_PASSWORD });
        for (const [severity, note] of [[4, '南侧围界振动，疑似翻越'], [3, 'T2 到达层可疑包裹'], [2, '停车场车辆逗留']] as const) {
          await feed.call('alarms.raiseManual', { position: { lon: 106.6425, lat: 29.7065 }, severity, note });
        }
        // The commander's first password (set by the administrator) is changed once, as at a first sign-in.
        const commander = await feedClient(host, host.token);
        await commander.call('session.login', { username: 'command', password: E2E_PASSWORD });
        commander.close();
        const summary = (await feed.call('handover.draft', {})) as HandoverSummary;
        const open = ((await feed.call('alarms.list', {})) as { alarms: Alarm[] }).alarms;
        expect(summary.openAlarms).toBe(open.length);

        page = await openConsole(browser, host);
        const p = page;
        await login(p, 'duty');
        await openDutyEntry(p, 'handover');
        const dialog = p.locator('[data-testid=handover-dialog]');
        await expect.poll(() => dialog.locator('[data-testid=handover-open-alarms] strong').textContent()).toBe(String(open.length));
        await expect.poll(() => dialog.locator('[data-testid=handover-urgent] li').first().textContent()).toContain('紧急');
        await dialog.locator('textarea[name=handover-note]').fill('T2 到达层可疑包裹已移交派出所，注意 3 号门；南侧围界振动待复核。');
        await shot(p, 'handover-draft');
        await dialog.locator('[data-testid=handover-submit]').click();
        await expect.poll(() => dialog.locator('[data-testid=handover-pending-note]').textContent()).toContain('3 号门');

        await dialog.locator('input[name=handover-username]').fill('command');
        await dialog.locator('input[name=handover-password]').fill('not-the-password');
        await dialog.locator('[data-testid=handover-accept]').click();
        await expect.poll(() => dialog.locator('[data-testid=handover-error]').textContent()).toMatch(/用户名或密码/);
        await dialog.locator('input[name=handover-password]').fill(E2E_CHANGED_PASSWORD);
        await shot(p, 'handover-pending');
        await dialog.locator('[data-testid=handover-accept]').click();
        await expect.poll(() => p.locator('[data-testid=current-user]').textContent(), { timeout: 15_000 }).toContain('陈刚');
        await expect.poll(() => p.locator('[data-testid=current-user]').textContent()).toContain('指挥员');

        // The commander reads the record of the handover.
        await openDutyEntry(p, 'audit');
        const audit = p.locator('[data-testid=audit-dialog]');
        await audit.locator('[data-testid=audit-action]').click();
        await p.locator('.el-select-dropdown__item', { hasText: '交接班' }).click();
        await audit.locator('[data-testid=audit-search]').click();
        const rows = audit.locator('[data-testid=audit-table] .el-table__body tr');
        await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
        const text = await audit.locator('[data-testid=audit-table] .el-table__body').textContent();
        expect(text).toMatch(/command\s*接班/);
        expect(text).toMatch(/duty\s*接班被拒/);
        expect(text).toMatch(/duty\s*提交交接班/);
        expect(text).toContain('说明：T2 到达层可疑包裹已移交派出所');
        expect(await audit.locator('[data-testid=audit-verify]').count(), 'a commander does not verify').toBe(0);
        await shot(p, 'audit-commander');
      } finally {
        feed.close();
        await page?.context().close();
      }
    }, 180_000);

    it('lets the administrator verify the chain, and does not offer the audit log to an operator', async () => {
      const page = await openConsole(browser, host);
      try {
        await adminVerifies(page);
      } finally {
        await page.context().close();
      }
      const operator = await openConsole(browser, host, { locale: 'en' });
      try {
        await operatorHasNoAuditLog(operator);
      } finally {
        await operator.context().close();
      }
    }, 240_000);
  });
}

async function adminVerifies(page: Page): Promise<void> {
  await login(page, 'admin');
  await openDutyEntry(page, 'audit');
  const audit = page.locator('[data-testid=audit-dialog]');
  await expect.poll(() => audit.locator('[data-testid=audit-table] .el-table__body tr').count()).toBeGreaterThan(5);
  await audit.locator('[data-testid=audit-verify]').click();
  const verdict = audit.locator('[data-testid=audit-verdict]');
  await expect.poll(() => verdict.getAttribute('data-ok')).toBe('true');
  expect(await verdict.textContent()).toMatch(/审计链完整：共 \d+ 条，链首 [0-9a-f]{16}…/);
  await shot(page, 'audit-verify');
}

async function operatorHasNoAuditLog(operator: Page): Promise<void> {
  await login(operator, 'duty');
  await operator.locator('[data-testid=topbar-watch-menu]').click();
  await operator.locator('[data-testid=topbar-entry-handover]').waitFor();
  expect(await operator.locator('[data-testid=topbar-entry-audit]').count()).toBe(0);
  await operator.locator('[data-testid=topbar-entry-handover]').click();
  const dialog = operator.locator('[data-testid=handover-dialog]');
  await expect.poll(() => dialog.locator('[data-testid=handover-open-alarms]').textContent()).toContain('Open alarms');
  await dialog.locator('textarea[name=handover-note]').fill('Fence vibration at the south side still to be checked.');
  await shot(operator, 'handover-en');
}
