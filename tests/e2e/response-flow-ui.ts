// The response end to end, as the issue asks it to be shown, in Chromium: the operator acknowledges an alarm in the
// queue, the nearest unit is proposed and dispatched in one action; the unit's terminal (a phone-sized second page
// on the terminals' listener) acknowledges and reports arrival; the alarm's clocks record each stage. An alarm left
// alone goes overdue and escalates to the commander, who sees it on their own console; the record has it.
// Registered by tests/e2e/response.test.ts on a host whose site has short clocks for manual alarms
// (shortClockSite), so that the overdue stage comes within seconds.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Alarm } from '../../src/shared/domain.ts';
import type { AuditRecord, DispatchOrder, UnitCandidate } from '../../src/shared/response.ts';
import { E2E_CHANGED_PASSWORD, E2E_PASSWORD, feedClient, login, type RunningHost } from './harness.ts';

/** Seconds a manual alarm may wait for acknowledgement on the short-clock site (the clocks file's minimum is 10). */
export const SHORT_ACK_S = 12;

/**
 * A copy of the sample site whose manual alarms are on short clocks (acknowledge 12 s, dispatch 60 s, on scene 120 s);
 * every other rule as shipped. Returns the copied site.json.
 */
export function shortClockSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'skyfence-e2e-site-'));
  cpSync('resources/sites/zuck', dir, { recursive: true });
  const file = join(dir, 'response', 'clocks.json');
  const clocks = JSON.parse(readFileSync(file, 'utf8')) as { rules: unknown[] };
  clocks.rules.unshift({
    id: 'e2e-manual', why: 'end-to-end test: an overdue stage within seconds', alarmTypes: ['manual'],
    targets: { acknowledgeS: SHORT_ACK_S, dispatchS: 60, onSceneS: 120 },
  });
  writeFileSync(file, JSON.stringify(clocks, null, 1));
  return join(dir, 'site.json');
}

export interface ResponseFlowContext {
  host(): RunningHost;
  browser(): Browser;
  /** The terminals' listener (SKYFENCE_TERMINAL_URL). */
  terminalUrl(): string;
}

/** Near T2's departures kerb: T2's foot patrol, its police room and the quick-response point are all close. */
const SCENE = { lon: 106.6292, lat: 29.7158 };
const UNIT_ACCOUNTS = Object.fromEntries(
  (JSON.parse(readFileSync('resources/sites/zuck/response/units.json', 'utf8')) as { units: Array<{ id: string; account: string }> }).units.map((u) => [u.id, u.account]),
);

/**
 * Signs a terminal in as a unit account: its first password is changed when asked (to E2E_CHANGED_PASSWORD); an
 * account another test already signed in with has that one.
 */
async function signInTerminal(page: Page, account: string): Promise<void> {
  const signedIn = page.locator('[data-testid=terminal-status]');
  const forced = page.locator('[data-testid=password-form][data-mandatory=true]');
  const refused = page.locator('[data-testid=login-form] [role=alert]');
  for (const password of [E2E_PASSWORD, E2E_CHANGED_PASSWORD]) {
    await page.locator('input[name=username]').fill(account);
    await page.locator('input[name=password]').fill(password);
    await page.locator('[data-testid=login-form] button[type=submit]').tap();
    await forced.or(refused).or(signedIn).first().waitFor();
    if (await refused.isVisible()) continue;
    if (await forced.isVisible()) {
      const inputs = forced.locator('input[type=password]');
      await inputs.nth(0).fill(password);
      await inputs.nth(1).fill(E2E_CHANGED_PASSWORD);
      await inputs.nth(2).fill(E2E_CHANGED_PASSWORD);
      await forced.locator('button[type=submit]').tap();
    }
    await signedIn.waitFor();
    return;
  }
  throw new Error(`the terminal refused ${account} with both test passwords`);
}

export function registerResponseFlowTests(ctx: ResponseFlowContext): void {
  describe('the response, end to end', () => {
    /** A console page signed in as `username`, with patient timeouts for a loaded machine. */
    async function consolePage(username: string): Promise<Page> {
      const context = await ctx.browser().newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
      context.setDefaultTimeout(60_000);
      context.setDefaultNavigationTimeout(120_000);
      const page = await context.newPage();
      await page.goto(ctx.host().url);
      await login(page, username);
      return page;
    }
    async function api(username: string) {
      const c = await feedClient(ctx.host(), ctx.host().token);
      await c.call('session.login', { username, password: E2E_PASSWORD });
      return c;
    }

    it('acknowledge, the nearest unit dispatched in one action, the terminal accepts and arrives: every stage on the clock', async () => {
      const feed = await api('duty');
      const operator = await consolePage('duty');
      try {
        const alarm = (await feed.call('alarms.raiseManual', { position: SCENE, severity: 3, note: 'T2 出发层 5 号门 旅客冲突' })) as Alarm;
        const item = operator.locator(`[data-testid=alarm-item][data-alarm-id="${alarm.id}"]`);
        await item.waitFor();
        // The clock counts down to the acknowledgement target fixed on the alarm.
        expect(alarm.clock.targets.acknowledgeS).toBe(SHORT_ACK_S);
        await item.locator('[data-testid=alarm-ack]').click();
        await expect.poll(() => item.getAttribute('data-state')).toBe('acknowledged');

        // 派警: the nearest available units by estimated arrival, the first chosen; one action sends it.
        const nearest = (await feed.call('units.nearest', { alarmId: alarm.id, limit: 5 })) as UnitCandidate[];
        await item.locator('[data-testid=alarm-dispatch]').click();
        const dialog = operator.locator('[data-testid=dispatch-dialog]');
        const proposed = dialog.locator('[data-testid=dispatch-unit]');
        await proposed.first().waitFor();
        expect(await proposed.first().getAttribute('data-unit-id')).toBe(nearest[0].unit.id);
        await dialog.locator('[data-testid=dispatch-submit]').click();
        await expect.poll(() => item.getAttribute('data-state')).toBe('dispatched');
        await dialog.waitFor({ state: 'hidden' });
        const [order] = (await feed.call('dispatch.list', { alarmId: alarm.id, openOnly: true })) as DispatchOrder[];
        expect(order.unitId).toBe(nearest[0].unit.id);
        await operator.screenshot({ path: 'docs/screenshot-response-operator.png' });

        // The unit's phone: its own sign-in on the terminals' listener (first password changed), the order pushed.
        const phone = await ctx.browser().newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
        phone.setDefaultTimeout(60_000);
        const terminal = await phone.newPage();
        await terminal.goto(ctx.terminalUrl());
        await signInTerminal(terminal, UNIT_ACCOUNTS[order.unitId]);
        const card = terminal.locator(`[data-testid=terminal-order][data-order-id="${order.id}"]`);
        await card.waitFor();
        expect(await card.textContent()).toContain('旅客冲突');
        await card.locator('[data-testid=order-acknowledge]').tap();
        await expect.poll(() => card.getAttribute('data-state')).toBe('acknowledged');
        await card.locator('[data-testid=order-arrive]').tap();

        // The console follows: on scene, and the alarm's clock holds each stage's time, in order.
        await expect.poll(() => item.getAttribute('data-state'), { timeout: 30_000 }).toBe('on-scene');
        const { alarms } = (await feed.call('alarms.list', { limit: 10_000 })) as { alarms: Alarm[] };
        const after = alarms.find((a) => a.id === alarm.id)!;
        expect(after.acknowledgedAt).not.toBeNull();
        expect(after.dispatchedAt!).toBeGreaterThanOrEqual(after.acknowledgedAt!);
        expect(after.onSceneAt!).toBeGreaterThanOrEqual(after.dispatchedAt!);
        const [arrived] = (await feed.call('dispatch.list', { alarmId: alarm.id, openOnly: false })) as DispatchOrder[];
        expect(arrived.state).toBe('on-scene');
        expect(arrived.acknowledgedAt).not.toBeNull();
        expect(arrived.onSceneAt).not.toBeNull();
        await phone.close();
      } finally {
        feed.close();
        await operator.context().close();
      }
    }, 300_000);

    it('escalates an alarm nobody acknowledged to the commander once its stage is overdue, on the record', async () => {
      const commander = await consolePage('command');
      const feed = await api('duty');
      const boss = await api('command');
      try {
        const alarm = (await feed.call('alarms.raiseManual', { position: SCENE, severity: 2, note: '无人值守的报警' })) as Alarm;
        const banner = commander.locator(`[data-testid=escalation-banner][data-alarm-id="${alarm.id}"]`);
        await banner.waitFor({ timeout: (SHORT_ACK_S + 30) * 1000 });
        expect(await banner.getAttribute('data-stage')).toBe('acknowledge');
        await commander.screenshot({ path: 'test-results/response-escalation.png' });
        const { alarms } = (await feed.call('alarms.list', { limit: 10_000 })) as { alarms: Alarm[] };
        const overdue = alarms.find((a) => a.id === alarm.id)!;
        expect(overdue.clock.overdue.map((o) => o.stage)).toEqual(['acknowledge']);
        expect(overdue.escalatedAt).not.toBeNull();
        const record = (await boss.call('audit.list', { subject: alarm.id, limit: 50 })) as AuditRecord[];
        expect(record.map((r) => r.action)).toContain('alarm.overdue');
      } finally {
        feed.close();
        boss.close();
        await commander.context().close();
      }
    }, 240_000);
  });
}
