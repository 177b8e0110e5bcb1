// Patrol duty (勤务) as the command room uses it, in Chromium: the duty panel shows the current shift, its
// progress and the mandatory points per grid cell, with the coverage layer on the map; a commander changes the
// roster (an operator may not); a unit's position report at a point turns it done in the panel and on the map.
// Registered by the response e2e file on a demo host (units and terminals as in resources/sites/zuck/response).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DutyPlan, DutyStatus } from '../../src/shared/response.ts';
import { E2E_PASSWORD, feedClient, login, settle, type RunningHost } from './harness.ts';

export interface DutyUiContext {
  host(): RunningHost;
  browser(): Browser;
  /** Where the screenshots go (default test-results/). */
  screenshotDir?: string;
}

type DutyDiagnostics = { pointState(id: string): { state: string; shown: boolean; selected: boolean } | null; cellStates(): Record<string, string> };
const pointState = (page: Page, id: string) =>
  page.evaluate((pointId) => (window as unknown as { __skyfenceDuty?: DutyDiagnostics }).__skyfenceDuty?.pointState(pointId) ?? null, id);

export function registerDutyUiTests(ctx: DutyUiContext): void {
  describe('patrol duty (UI)', () => {
    let host: RunningHost;
    let browser: Browser;
    let plan: DutyPlan;
    /** The operator's console, kept from the first test for the last (a console takes long to load on a busy machine). */
    let operator: Page | null = null;
    const shots = ctx.screenshotDir ?? 'test-results';

    /** A client signed in as `username` (the forced first change made by the harness). */
    async function client(username: string) {
      const c = await feedClient(host, host.token);
      await c.call('session.login', { username, password: E2E_PASSWORD });
      return c;
    }
    /** A console signed in as `username` with the duty panel open; patient timeouts, for a loaded machine. */
    async function openDuty(username: string): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
      context.setDefaultTimeout(60_000);
      context.setDefaultNavigationTimeout(120_000);
      const page = await context.newPage();
      await page.goto(host.url);
      await login(page, username);
      await page.locator('[data-testid=topbar-duty]').click();
      await page.locator('[data-testid=duty-panel] [data-testid=duty-shift]').waitFor();
      return page;
    }

    beforeAll(async () => {
      host = ctx.host();
      browser = ctx.browser();
      const c = await client('duty');
      try {
        plan = (await c.call('duty.plan', {})) as DutyPlan;
      } finally {
        c.close();
      }
    });

    afterAll(async () => {
      await operator?.context().close();
    });

    it('shows the current shift, its progress and every mandatory point by grid cell, and the coverage on the map', async () => {
      const page = (operator = await openDuty('duty'));
      const c = await client('duty');
      const status = (await c.call('duty.status', {})) as DutyStatus;
      c.close();
      const shift = page.locator('[data-testid=duty-shift]');
      expect(await shift.getAttribute('data-shift-id')).toBe(status.shift.id);
      expect(await shift.getAttribute('data-date')).toBe(status.shift.date);
      expect(await shift.innerText()).toMatch(status.shift.id === 'day' ? /白班（08:00–20:00）/ : /夜班（20:00–08:00）/);
      expect(await page.locator('[data-testid=duty-progress-text]').innerText()).toMatch(/已巡 \d+ \/ \d+ 个必巡点位/);
      await expect.poll(() => page.locator('[data-testid=duty-point]').count()).toBe(plan.points.length);
      // Each point's row shows its state as the core has it.
      for (const p of status.points.slice(0, 5)) {
        expect(await page.locator(`[data-testid=duty-point][data-point-id="${p.pointId}"]`).getAttribute('data-state')).toBe(p.state);
      }
      // The layer came on with the panel: points drawn with their state, the cells with points tinted.
      await expect.poll(() => pointState(page, 'T2-DEP')).toMatchObject({ shown: true, state: status.points.find((p) => p.pointId === 'T2-DEP')!.state });
      const cells = await page.evaluate(() => (window as unknown as { __skyfenceDuty: DutyDiagnostics }).__skyfenceDuty.cellStates());
      expect(Object.keys(cells).sort()).toEqual(status.cells.map((x) => x.gridCellId).sort());
      // An operator reads the roster but is not offered the editor.
      await page.locator('[data-testid=duty-panel] .el-tabs__item', { hasText: '排班' }).click();
      await page.locator('[data-testid=duty-roster-row]').first().waitFor();
      expect(await page.locator('[data-testid=duty-roster-edit]').count()).toBe(0);
      await page.locator('[data-testid=duty-panel] .el-tabs__item', { hasText: '必巡点位' }).click();
    }, 300_000);

    it('lets a commander add a unit to the current shift and shows it on the point', async () => {
      const page = await openDuty('command');
      await page.locator('[data-testid=duty-panel] .el-tabs__item', { hasText: '排班' }).click();
      await page.locator('[data-testid=duty-roster-edit]').click();
      await page.locator('[data-testid=duty-roster-add]').click();
      const row = page.locator('[data-testid=duty-roster-edit-row]').last();
      // 派出所值班 (PS-MAIN) to the control tower: in neither default roster.
      await row.locator('[data-testid=duty-roster-unit]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '派出所值班' }).click();
      await row.locator('[data-testid=duty-roster-points]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '塔台' }).click();
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=duty-roster-save]').click();
      await expect.poll(() => page.locator('[data-testid=duty-roster-meta]').innerText()).toMatch(/陈刚 于 .* 调整/);
      expect(await page.locator('[data-testid=duty-roster-row][data-unit-id="PS-MAIN"]').innerText()).toContain('塔台');

      await page.locator('[data-testid=duty-panel] .el-tabs__item', { hasText: '必巡点位' }).click();
      const tower = page.locator('[data-testid=duty-point][data-point-id="TWR"]');
      await expect.poll(() => tower.innerText()).toContain('派出所值班');
      expect(['due', 'done']).toContain(await tower.getAttribute('data-state'));
      await page.context().close();
    }, 300_000);

    it('turns a point done when its unit reports a position there, in the panel and on the map', async () => {
      const page = operator ?? (operator = await openDuty('duty'));
      const point = plan.points.find((p) => p.id === 'T2-DEP')!;
      const row = page.locator('[data-testid=duty-point][data-point-id="T2-DEP"]');
      // T2-P1 walks the T2 line in both shifts; its terminal reports where it is.
      const unit = await client('unit-t2p1');
      try {
        await unit.call('terminal.report', {
          reportId: `duty-e2e-${Date.now()}`, kind: 'position', position: { lon: point.position[0], lat: point.position[1] + 0.0001 }, at: Date.now(),
        });
      } finally {
        unit.close();
      }
      await expect.poll(() => row.getAttribute('data-state'), { timeout: 15_000 }).toBe('done');
      expect(await row.locator('[data-testid=duty-checkin]').first().innerText()).toMatch(/T2巡1 \d{2}:\d{2}:\d{2} 到位/);
      await expect.poll(() => pointState(page, 'T2-DEP')).toMatchObject({ state: 'done' });

      // The panel and the coverage layer, looked at: docs-worthy.
      await row.click();
      await settle(page);
      await page.screenshot({ path: `${shots}/duty-panel.png` });
    }, 300_000);
  });
}
