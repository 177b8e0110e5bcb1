// The response to a drone alarm as an operator works it in Chromium: 处置 from the queue opens the panel beside
// the map with the alarm's facts and the suggested steps; the ATC message comes pre-filled and is recorded as
// sent (the alarm is acknowledged by it), then the controller's acknowledgement; a runway suspended shows in the
// top bar and holds the close back with a worded refusal until it is resumed; a unit is sent to the pilot; the
// close with its outcome closes the alarm. Registered by a test file that runs a host with real drones.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

export interface DroneResponseTestContext {
  /** A console page signed in as an operator (duty), the Chinese UI. */
  page(): Page;
  /** Raises a drone-threat alarm (with a pilot position and a threatened runway) and returns its id. */
  raiseDroneAlarm(): Promise<string>;
  /** When the alarm was raised (the core's clock): the ATC clock's target is 60 s from then. */
  raisedAt(alarmId: string): Promise<number>;
}

/** An Element Plus input or textarea by its test id (the attribute lands on the native element). */
const field = (scope: ReturnType<Page['locator']>, id: string) =>
  scope.locator(`input[data-testid=${id}], textarea[data-testid=${id}], [data-testid=${id}] input, [data-testid=${id}] textarea`).first();

export function registerDroneResponseTests(ctx: DroneResponseTestContext): void {
  describe('drone response (UI)', () => {
    it('takes an operator through notify, acknowledge, suspend, dispatch and close', async () => {
      const page = ctx.page();
      const alarmId = await ctx.raiseDroneAlarm();
      const item = page.locator(`[data-testid=alarm-item][data-alarm-id="${alarmId}"]`);
      await item.waitFor({ timeout: 30_000 });
      // A drone alarm is closed through its response, not the plain close.
      expect(await item.locator('[data-testid=alarm-close]').count()).toBe(0);
      await item.locator('[data-testid=alarm-respond]').click();

      const panel = page.locator(`[data-testid=drone-response-panel][data-alarm-id="${alarmId}"]`);
      await panel.waitFor();
      await expect.poll(() => panel.locator('[data-testid=response-facts]').innerText()).toContain('飞手位置');
      expect(await panel.locator('[data-testid=response-atc]').getAttribute('data-suggested')).toBe('true');
      // The map is still there beside the panel.
      expect(await page.locator('canvas').first().isVisible()).toBe(true);

      // 通报空管: the message is pre-filled with the position to 5 decimals and the altitude; the operator edits it.
      const atc = panel.locator('[data-testid=response-atc]');
      const message = field(atc, 'response-message');
      const prefilled = await message.inputValue();
      expect(prefilled).toMatch(/北纬 \d+\.\d{5}，东经 \d+\.\d{5}/);
      expect(prefilled).toContain('海拔');
      await message.fill(`${prefilled}\n请塔台注意`);
      await atc.locator('[data-testid=response-notified]').click();
      await expect.poll(() => atc.locator('[data-testid=response-step][data-step=atc-notified]').count()).toBe(1);
      await expect.poll(() => item.getAttribute('data-state')).toBe('acknowledged');
      // Recorded within its 60 s target or not: the clock says which (red when late).
      const late = Date.now() - (await ctx.raisedAt(alarmId)) > 60_000;
      expect(await atc.locator('[data-testid=response-clock]').getAttribute('data-overdue')).toBe(String(late));
      await field(atc, 'response-counterpart').fill('塔台 张伟');
      await atc.locator('[data-testid=response-acknowledged]').click();
      await expect.poll(() => atc.locator('[data-testid=response-step][data-step=atc-acknowledged]').innerText()).toContain('塔台 张伟');

      // 跑道暂停: the threatened runway is pre-selected; the top bar shows it suspended in red.
      const runway = panel.locator('[data-testid=response-runway]');
      await runway.locator('[data-testid=response-suspend]').click();
      await runway.locator('[data-testid=response-runway-held]').waitFor();
      const held = (await runway.locator('[data-testid=response-resume]').first().getAttribute('data-runway'))!;
      const topbar = page.locator(`[data-testid=runway-status-item][data-runway="${held}"]`);
      await expect.poll(() => topbar.getAttribute('data-suspended')).toBe('true');
      expect(await topbar.innerText()).toContain('暂停');

      // 结案 is refused while the runway is suspended, in words.
      const close = panel.locator('[data-testid=response-close]');
      await close.locator('[data-testid=response-outcome] [data-outcome=pilot-found]').click();
      await close.locator('[data-testid=response-close-submit]').click();
      await expect.poll(() => close.locator('[data-testid=response-close-error]').innerText()).toContain('请先恢复跑道');
      expect(await item.getAttribute('data-state')).toBe('acknowledged');

      await runway.locator('[data-testid=response-resume]').first().click();
      await expect.poll(() => topbar.getAttribute('data-suspended')).toBe('false');

      // 派警至飞手位置.
      const unit = panel.locator('[data-testid=response-unit]');
      await field(unit, 'response-unit-call-sign').fill('巡逻三组');
      await unit.locator('[data-testid=response-dispatch]').click();
      await expect.poll(() => unit.locator('[data-testid=response-step][data-step=unit-dispatched]').innerText()).toContain('巡逻三组');

      await field(close, 'response-close-note').fill('飞手已带离现场');
      await close.locator('[data-testid=response-close-submit]').click();
      await expect.poll(() => close.locator('[data-testid=response-step][data-step=closed]').innerText()).toContain('已找到飞手');
      await page.locator('[data-testid=response-hide]').click();
      await expect.poll(() => page.locator(`[data-testid=alarm-item][data-alarm-id="${alarmId}"]`).count()).toBe(0);
    });

    it('lists the permits for an operator without the buttons to create or revoke', async () => {
      const page = ctx.page();
      await page.locator('[data-testid=topbar-permits]').click();
      const dialog = page.locator('[data-testid=permit-dialog]');
      await dialog.locator('[data-testid=permit-table]').waitFor();
      expect(await dialog.locator('[data-testid=permit-create]').count()).toBe(0);
      expect(await dialog.locator('[data-testid=permit-revoke]').count()).toBe(0);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    });
  });
}
