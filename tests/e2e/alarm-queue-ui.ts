// The operator's alarm queue in Chromium: 10,000 open alarms load and scroll with fewer than 100 rows in the
// DOM; J/K move and A acknowledges; each alarm's 1-3-5 clock counts down to its target on the core's clock and
// turns red once overdue; the close dialog asks a reason for 误报; grouping by source and zone; the timed
// silence shows its remaining time, flashes for a critical alarm and ends; D opens the dispatch dialog (the
// nearest units once the units service answers). Registered by tests/e2e/response.test.ts; the host's data
// directory is seeded through the core's own alarm pipeline before the host starts (seedQueue).
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../src/main/core/config.ts';
import { startCore } from '../../src/main/core/core.ts';
import { systemClock } from '../../src/main/core/clock.ts';
import type { RaiseAlarm } from '../../src/main/core/alarms/alarm-service.ts';
import type { Alarm } from '../../src/shared/domain.ts';
import { E2E_PASSWORD } from './harness.ts';

/** What seedQueue raises: `fresh` severity-1 alarms raised now, and `old` severity-2 ones raised `oldAgeMs` ago. */
export interface QueueSeed {
  fresh: number;
  old: number;
  oldAgeMs: number;
}
export const QUEUE_SEED: QueueSeed = { fresh: 10_000, old: 5, oldAgeMs: 10 * 60_000 };
/** For the workflow tests: a short queue with its old (overdue) alarms. */
export const SMALL_QUEUE_SEED: QueueSeed = { fresh: 200, old: 5, oldAgeMs: 10 * 60_000 };

/**
 * Raises manual alarms into a data directory through the core's pipeline (raiseBatch: the same rows and audit
 * entries as live alarms), with the core stopped again before the host starts on it. No positions: the map
 * draws none of them, so that the queue is what is measured and exercised.
 */
export async function seedQueue(dataDir: string, seed: QueueSeed = QUEUE_SEED): Promise<void> {
  const config = loadConfig(['--data-dir', dataDir, '--no-sim', '--demo'], { SKYFENCE_ADMIN_PASSWORD: E2E_PASSWORD });
  const raise = async (n: number, severity: 1 | 2, clockOffsetMs: number, label: string) => {
    const clock = { now: () => Date.now() - clockOffsetMs, setTimeout: systemClock.setTimeout };
    const core = await startCore(config, { clock, log: () => undefined });
    try {
      for (let i = 0; i < n; i += 500) {
        const batch: RaiseAlarm[] = Array.from({ length: Math.min(500, n - i) }, (_, k) => ({
          source: 'manual', type: 'manual', severity, position: null, details: { note: `${label} ${i + k + 1}` },
        }));
        await core.alarms.raiseBatch(batch);
      }
    } finally {
      await core.close();
    }
  };
  await raise(seed.old, 2, seed.oldAgeMs, '积压报警');
  await raise(seed.fresh, 1, 0, '巡查记录');
}

export interface AlarmQueueTestContext {
  /** A console page signed in as the operator duty (李明), Chinese UI, the queue loaded. */
  page(): Page;
  /** An English console page signed in as duty. */
  englishPage(): Promise<Page>;
  /** A contract call as duty. */
  call<T = unknown>(name: string, input: unknown): Promise<T>;
  seed: QueueSeed;
}

const item = (page: Page, id: string) => page.locator(`[data-testid=alarm-item][data-alarm-id="${id}"]`);
const current = (page: Page) => page.locator('[data-testid=alarm-item][data-current=true]');
/** "确认 剩余 0:57" → the seconds. */
const seconds = (text: string) => {
  const m = /(\d+):(\d\d)(?::(\d\d))?/.exec(text);
  if (!m) throw new Error(`no time in "${text}"`);
  return m[3] ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : Number(m[1]) * 60 + Number(m[2]);
};

/**
 * The load of a full queue, on a host of its own: the list of 10,000 alarms is one reply of about 6 MB, and a
 * host drops a client whose unsent bytes pass its limit (4 MiB) when an event follows before it has drained.
 */
export function registerAlarmQueueLoadTests(ctx: Pick<AlarmQueueTestContext, 'page' | 'seed'>): void {
  describe('alarm queue (UI), 10,000 open', () => {
    it('loads 10,000 alarms, says how many more the core holds, and keeps fewer than 100 rows in the page while scrolling', async () => {
      const page = ctx.page();
      const total = ctx.seed.fresh + ctx.seed.old;
      await expect.poll(() => page.locator('[data-testid=alarm-capped]').textContent(), { timeout: 180_000 }).toBe(`显示 10000 / 共 ${total} 条未关闭`);
      expect(await page.locator('[data-testid=alarm-count]').textContent()).toBe(String(total));
      const list = page.locator('[data-testid=alarm-list]');
      expect(await list.getAttribute('data-rows')).toBe('10000');
      const rows = page.locator('[data-testid=alarm-item]');
      expect(await rows.count()).toBeLessThan(100);
      expect(await rows.count()).toBeGreaterThan(3);

      // The old ones first (severity 2), then the newest of the rest.
      expect(await rows.first().textContent()).toContain('积压报警');
      const seen = new Set<string>();
      /** The indexes of the rows drawn now. */
      const drawn = () => page.locator('.alarm-virtual-list-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
      for (const [at, expectIndex] of [[0.5, 5000], [1, 9999]] as const) {
        await list.evaluate((el, f) => el.scrollTo({ top: f * (el.scrollHeight - el.clientHeight) }), at);
        // The rows of that place are drawn (a loaded machine may take a moment), and only those.
        await expect.poll(async () => { const d = await drawn(); return Math.min(...d) <= expectIndex && Math.max(...d) >= expectIndex - (at === 1 ? 0 : 200); }, { timeout: 30_000 }).toBe(true);
        const count = await rows.count();
        expect(count).toBeLessThan(100);
        expect(count).toBeGreaterThan(3);
        for (const title of await page.locator('[data-testid=alarm-item] [data-testid=alarm-title]').allTextContents()) seen.add(title);
      }
      // At the end: an alarm of the first batch raised (the 500 of a batch share their time; the id orders them).
      const last = await page.locator('[data-testid=alarm-item] [data-testid=alarm-title]').allTextContents();
      expect(last.at(-1)).toMatch(/巡查记录 (\d+)$/);
      expect(Number(/(\d+)$/.exec(last.at(-1)!)![1])).toBeLessThanOrEqual(500);
      expect(seen.size).toBeGreaterThan(10);
      await list.evaluate((el) => el.scrollTo({ top: 0 }));
    });

  });
}

export function registerAlarmQueueTests(ctx: AlarmQueueTestContext): void {
  const raise = (severity: number, note: string, lon = 106.645) =>
    ctx.call<Alarm>('alarms.raiseManual', { position: { lon, lat: 29.72 }, severity, note });

  describe('alarm queue (UI)', () => {
    // One failed test must not leave a dialog over the queue for the next ones.
    afterEach(async () => {
      const page = ctx.page();
      for (let i = 0; i < 3 && await page.locator('.el-overlay:visible').count() > 0; i++) {
        await page.keyboard.press('Escape');
        await page.waitForTimeout(300);
      }
    });
    it('shows each stage\'s countdown on the core\'s clock, to its 1-3-5 target, and red with 超时 once overdue', async () => {
      const page = ctx.page();
      const fresh = await raise(4, '候机楼东侧可疑包裹');
      const row = item(page, fresh.id);
      await row.waitFor({ timeout: 60_000 });
      const clock = row.locator('[data-testid=alarm-clock]');
      expect(await clock.getAttribute('data-stage')).toBe('acknowledge');
      const first = (await clock.textContent())!;
      expect(first).toMatch(/^确认 剩余 \d:\d\d$/);
      // The countdown is to raisedAt + 60 s on the core's clock (this machine is the core's: ±2 s).
      const expected = (fresh.raisedAt + fresh.clock.targets.acknowledgeS * 1000 - Date.now()) / 1000;
      expect(Math.abs(seconds(first) - expected)).toBeLessThanOrEqual(2);
      await expect.poll(() => clock.textContent(), { timeout: 5_000 }).not.toBe(first);
      expect(seconds((await clock.textContent())!)).toBeLessThan(seconds(first));

      // The old alarms are past every stage: red, 超时 and by how long.
      const old = page.locator('[data-testid=alarm-item]', { hasText: '积压报警' }).first();
      const oldClock = old.locator('[data-testid=alarm-clock]');
      expect(await oldClock.getAttribute('data-level')).toBe('overdue');
      const overdueText = (await oldClock.textContent())!;
      expect(overdueText).toMatch(/^确认 超时 \d+:\d\d$/);
      // Raised 10 minutes ago, due 1 minute after: 9 minutes overdue (and some seconds of the test).
      expect(seconds(overdueText)).toBeGreaterThanOrEqual(ctx.seed.oldAgeMs / 1000 - 60);
    });

    it('moves with J and K, acknowledges with A, and shows the keys of the current alarm', async () => {
      const page = ctx.page();
      const a = await raise(4, '跑道入侵 J/K 测试一', 106.646);
      const b = await raise(4, '跑道入侵 J/K 测试二', 106.647);
      await item(page, b.id).waitFor({ timeout: 60_000 });
      await page.locator('[data-testid=alarm-panel]').click({ position: { x: 5, y: 5 } });
      // Newest first: b, then a.
      await page.keyboard.press('j');
      await expect.poll(() => current(page).getAttribute('data-alarm-id')).toBe(b.id);
      await page.keyboard.press('j');
      await expect.poll(() => current(page).getAttribute('data-alarm-id')).toBe(a.id);
      await page.keyboard.press('k');
      await expect.poll(() => current(page).getAttribute('data-alarm-id')).toBe(b.id);
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => current(page).getAttribute('data-alarm-id')).toBe(a.id);
      // The keys are shown on the current alarm's buttons.
      expect(await current(page).locator('[data-testid=alarm-ack] kbd').textContent()).toBe('A');
      expect(await current(page).locator('[data-testid=alarm-close] kbd').textContent()).toBe('C');
      expect(await item(page, b.id).locator('kbd').count()).toBe(0);

      await page.keyboard.press('a');
      await expect.poll(() => item(page, a.id).getAttribute('data-state')).toBe('acknowledged');
      expect(await item(page, a.id).locator('[data-testid=alarm-state]').textContent()).toBe('已确认 · 李明');
      // The clock moved on to dispatch (3 minutes from the raise), and the acknowledgement is listed with its time.
      const clock = item(page, a.id).locator('[data-testid=alarm-clock]');
      await expect.poll(() => clock.getAttribute('data-stage')).toBe('dispatch');
      expect(await clock.textContent()).toMatch(/^派警 剩余 [12]:\d\d$/);
      expect(await item(page, a.id).locator('[data-testid=alarm-clock-stages] [data-stage=acknowledge]').getAttribute('data-reached')).toBe('true');
      expect(await item(page, b.id).getAttribute('data-state')).toBe('new');

      // Help on ?, closed with Esc; keys typed into a field do nothing to the queue.
      await page.keyboard.press('?');
      await page.locator('[data-testid=alarm-key-help]').waitFor();
      expect(await page.locator('[data-testid=alarm-key-help] [data-action]').count()).toBe(12);
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=alarm-key-help]').waitFor({ state: 'hidden' });
      await page.keyboard.press('k');
      await expect.poll(() => current(page).getAttribute('data-alarm-id')).toBe(b.id);
      await page.evaluate(() => {
        const input = document.createElement('input');
        input.id = 'typing-probe';
        document.body.append(input);
        input.focus();
      });
      await page.keyboard.type('aj');
      expect(await current(page).getAttribute('data-alarm-id')).toBe(b.id);
      expect(await item(page, b.id).getAttribute('data-state')).toBe('new');
      await page.evaluate(() => document.getElementById('typing-probe')?.remove());
    });

    it('asks for a reason to close as 误报 (C), and closes with it', async () => {
      const page = ctx.page();
      const a = await raise(4, '围界振动报警 关闭测试', 106.648);
      await item(page, a.id).click();
      await expect.poll(() => current(page).getAttribute('data-alarm-id')).toBe(a.id);
      await page.keyboard.press('c');
      const dialog = page.locator('[data-testid=close-dialog]');
      await dialog.waitFor();
      const submit = dialog.locator('[data-testid=close-submit]');
      await dialog.locator('[data-category=false-alarm]').click();
      expect(await submit.isDisabled()).toBe(true);
      expect(await dialog.locator('[data-testid=close-reason-hint]').textContent()).toContain('须说明原因');
      // 重复 offers the original alarm to pick instead of a reason.
      await dialog.locator('[data-category=duplicate]').click();
      await dialog.locator('[data-testid=close-duplicate-of]').waitFor();
      await dialog.locator('[data-category=false-alarm]').click();
      await dialog.locator('textarea').fill('风吹围网，现场核查无人员');
      expect(await submit.isDisabled()).toBe(false);
      await submit.click();
      await item(page, a.id).waitFor({ state: 'detached' });
      await dialog.waitFor({ state: 'hidden' });
      const closed = (await ctx.call<{ alarms: Alarm[] }>('alarms.list', { includeClosed: true, limit: 10_000 })).alarms.find((x) => x.id === a.id)!;
      expect(closed.resolution).toEqual({ category: 'false-alarm', note: '风吹围网，现场核查无人员' });
    });

    it('groups by source and zone with counts (G), and folds a group', async () => {
      const page = ctx.page();
      await page.keyboard.press('g');
      await expect.poll(() => page.locator('[data-testid=alarm-panel]').getAttribute('data-grouped')).toBe('true');
      const groups = page.locator('[data-testid=alarm-group]');
      await groups.first().waitFor();
      // The seeded alarms have no position: one group of manual alarms without a zone, holding most of the queue.
      const unzoned = page.locator('[data-testid=alarm-group][data-group="manual|-"]');
      await unzoned.scrollIntoViewIfNeeded().catch(() => undefined);
      const counts = await groups.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
      expect(counts.every((n) => n > 0)).toBe(true);
      const first = groups.first();
      const key = (await first.getAttribute('data-group'))!;
      const n = Number(await first.getAttribute('data-count'));
      expect(await first.textContent()).toContain(String(n));
      await first.click();
      await expect.poll(() => page.locator(`[data-testid=alarm-group][data-group="${key}"]`).getAttribute('data-collapsed')).toBe('true');
      await page.locator(`[data-testid=alarm-group][data-group="${key}"]`).click();
      await expect.poll(() => page.locator(`[data-testid=alarm-group][data-group="${key}"]`).getAttribute('data-collapsed')).toBe('false');
      await page.keyboard.press('g');
      await expect.poll(() => groups.count()).toBe(0);
    });

    it('silences for 5 minutes only, shows what is left, flashes for a critical alarm meanwhile, and ends on request', async () => {
      const page = ctx.page();
      const played = () => page.evaluate(() => (window as unknown as { __skyfenceSound: { played(): number } }).__skyfenceSound.played());
      await page.locator('[data-testid=alarm-silence-menu]').click();
      // Three durations only: no "for ever".
      expect(await page.locator('[data-testid=alarm-silence-for]').evaluateAll((els) => els.map((e) => e.getAttribute('data-minutes')))).toEqual(['5', '15', '30']);
      await page.locator('[data-testid=alarm-silence-for][data-minutes="5"]').click();
      const left = page.locator('[data-testid=alarm-silence-remaining]');
      await expect.poll(() => left.textContent()).toMatch(/静音中 4:5\d|静音中 5:00/);
      const before = await played();
      await raise(4, '静音期间的紧急报警', 106.649);
      await expect.poll(() => page.locator('[data-testid=alarm-silence]').getAttribute('class')).toContain('is-flashing');
      expect(await played()).toBe(before);
      // Never for ever: the longest is 30 minutes (M steps 5 → 15 → 30 → on).
      await page.keyboard.press('m');
      await expect.poll(() => left.textContent()).toMatch(/静音中 1[45]:\d\d/);
      await page.keyboard.press('m');
      await expect.poll(() => left.textContent()).toMatch(/静音中 (29:\d\d|30:00)/);
      await page.locator('[data-testid=alarm-silence-end]').click();
      await expect.poll(() => page.locator('[data-testid=alarm-silence]').getAttribute('data-silenced')).toBe('false');
      // Sound is back: the waiting critical alarms call again.
      await expect.poll(played, { timeout: 10_000 }).toBeGreaterThan(before);
    });

    it('opens the dispatch dialog on D with the nearest units, the first chosen, and dispatches on Enter', async () => {
      const page = ctx.page();
      const a = await raise(4, 'T2 出发层 派警测试', 106.6452);
      // The list is virtualised: the new critical alarm heads the queue, and is drawn once the list is at its top
      // (the tests before may have left it scrolled down with their current alarm).
      await page.locator('[data-testid=alarm-list]').evaluate((el) => el.scrollTo({ top: 0 }));
      await item(page, a.id).click();
      await page.keyboard.press('d');
      const dialog = page.locator('[data-testid=dispatch-dialog]');
      await dialog.waitFor();
      await expect.poll(() => dialog.locator('[data-testid=dispatch-loading]').count()).toBe(0);
      const nearest = await ctx.call<unknown[]>('units.nearest', { alarmId: a.id, limit: 5 }).catch((e: { code?: string }) => e);
      if (!Array.isArray(nearest)) {
        // The units service is not running in this build: the dialog says so in words, and nothing is sent.
        expect((nearest as { code?: string }).code).toBe('unavailable');
        expect(await dialog.locator('[data-testid=dispatch-error]').textContent()).toContain('派警服务暂不可用');
        expect(await dialog.locator('[data-testid=dispatch-submit]').isDisabled()).toBe(true);
        await page.keyboard.press('Escape');
        return;
      }
      const units = dialog.locator('[data-testid=dispatch-unit]');
      await expect.poll(() => units.count()).toBe(nearest.length);
      expect(await units.first().getAttribute('data-chosen')).toBe('true');
      expect(await units.first().textContent()).toMatch(/\d+:\d\d/);
      await dialog.locator('[data-testid=dispatch-guidance] input, input[data-testid=dispatch-guidance]').first().fill('从东侧通道进入');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => item(page, a.id).getAttribute('data-state')).toBe('dispatched');
      await expect.poll(() => item(page, a.id).locator('[data-testid=alarm-orders]').textContent()).toContain('已下达');
    });

    it('looks right mid-response, in Chinese and in English (screenshots to look at)', async () => {
      const page = ctx.page();
      const a = await raise(3, '安检口人员冲闯', 106.6448);
      await item(page, a.id).click();
      await page.waitForTimeout(500);
      await page.screenshot({ path: 'test-results/alarm-queue-zh-CN.png' });
      const en = await ctx.englishPage();
      await en.locator(`[data-testid=alarm-item][data-alarm-id="${a.id}"]`).click();
      await en.waitForTimeout(500);
      expect(await en.locator(`[data-testid=alarm-item][data-alarm-id="${a.id}"] [data-testid=alarm-clock]`).textContent()).toMatch(/^(Acknowledge in|Acknowledge overdue) \d+:\d\d$/);
      await en.screenshot({ path: 'test-results/alarm-queue-en.png' });
      await en.context().close();
    });
  });
}
