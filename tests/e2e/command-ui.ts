// The commander's screen and the incident UI in Chromium. Through the API (as the commander): two manual
// alarms at T2, one acknowledged and a unit dispatched to it, one incident opened from both. Then the
// commander's screen (1920×1080, zh-CN) shows it: its alarms with their clocks, the order with its clocks, the
// units on the map (the dispatched one with its line to the scene), the clocks beside the alarm markers, the
// checklist. A second page signed in as an operator (duty) follows at #/command, every control disabled. The
// commander ticks a step (the follower sees it at once), skips another with a reason, adds a note, downloads
// the PDF (%PDF); the follower cannot close the incident. Takes docs/commander.png (1920×1080) and
// docs/commander-follower.png (1366×768, read-only) on the way.
// Registered by a test file that runs a host (registerCommandTests({ host, browser })).
import { mkdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Alarm } from '../../src/shared/domain.ts';
import type { DispatchOrder, Incident, IncidentType, UnitCandidate } from '../../src/shared/response.ts';
import { E2E_PASSWORD, feedClient, login, settle, type RunningHost } from './harness.ts';

export interface CommandTestContext {
  host(): RunningHost;
  browser(): Browser;
}

/** T2 departures, where the sample units patrol. */
const SCENE = { lon: 106.6292, lat: 29.7158 };
const TYPE_ID = 'unattended-object';

type Api = Awaited<ReturnType<typeof feedClient>>;

async function signedInPage(ctx: CommandTestContext, username: string, size: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await ctx.browser().newContext({ viewport: size, deviceScaleFactor: 1, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(ctx.host().url);
  // Signed in once the console is there; its scene may take longer than login() waits on a loaded machine,
  // and it is replaced by the commander's screen's own anyway.
  await login(page, username).catch(async (err: unknown) => {
    if (!(await page.locator('[data-testid=alarm-panel]').isVisible())) throw err;
  });
  return { context, page, problems };
}

async function openCommandScreen(page: Page, incidentId?: string): Promise<void> {
  // As the second screen opens it (第二屏跟随): a page loading at #/command, resuming the tab's session.
  await page.evaluate((id) => (location.hash = id ? `#/command?incident=${id}` : '#/command'), incidentId ?? '');
  await page.reload();
  await page.locator('[data-testid=command-view]').waitFor({ timeout: 90_000 });
  await page.waitForFunction(() => (window as unknown as { __skyfenceScene?: { ready: boolean } }).__skyfenceScene?.ready === true, null, { timeout: 120_000 });
}

const step = (page: Page, stepId: string) => page.locator(`[data-testid=command-view] [data-testid=incident-step][data-step-id="${stepId}"]`);

export function registerCommandTests(ctx: CommandTestContext): void {
  describe("commander's screen (UI)", () => {
    it('shows a live incident, works its checklist, notes and PDF; an operator follows read-only', async () => {
      const api: Api = await feedClient(ctx.host(), ctx.host().token);
      await api.call('session.login', { username: 'command', password: E2E_PASSWORD });
      const a1 = (await api.call('alarms.raiseManual', { position: SCENE, severity: 4, note: 'T2 出发层 3 号门 可疑遗留行李' })) as Alarm;
      const a2 = (await api.call('alarms.raiseManual', { position: { lon: SCENE.lon + 0.0004, lat: SCENE.lat + 0.0002 }, severity: 3, note: '旅客报告 3 号门附近有人丢下背包离开' })) as Alarm;
      await api.call('alarms.acknowledge', { id: a1.id });
      const [nearest] = (await api.call('units.nearest', { alarmId: a1.id, limit: 3 })) as UnitCandidate[];
      expect(nearest, 'a unit near T2 to send').toBeTruthy();
      const [order] = (await api.call('dispatch.send', { alarmId: a1.id, unitIds: [nearest.unit.id], guidance: '封控 3 号门周边 20 米' })) as DispatchOrder[];
      const incident = (await api.call('incidents.open', { alarmIds: [a1.id, a2.id], typeId: TYPE_ID, title: 'T2 出发层遗留可疑行李' })) as Incident;
      const type = ((await api.call('incidents.types', {})) as IncidentType[]).find((t) => t.id === TYPE_ID)!;
      const [first, second] = type.steps;

      const commander = await signedInPage(ctx, 'command', { width: 1920, height: 1080 });
      const follower = await signedInPage(ctx, 'duty', { width: 1366, height: 768 });
      try {
        const page = commander.page;
        await openCommandScreen(page, incident.id);
        const view = page.locator('[data-testid=command-view]');
        expect(await view.getAttribute('data-incident-id')).toBe(incident.id);
        expect(await view.getAttribute('data-can-command')).toBe('true');
        await expect.poll(() => page.locator('[data-testid=command-incident-number]').textContent(), { timeout: 30_000 }).toBe(incident.number);
        expect(await page.locator('[data-testid=command-read-only]').count()).toBe(0);
        // The checklist of its type, every step to do.
        await expect.poll(() => view.locator('[data-testid=incident-step]').count()).toBe(type.steps.length);
        expect(await step(page, first.id).textContent()).toContain(first.text.zh);
        // Its two alarms with their clocks: the first acknowledged and dispatched (reached), the second still to acknowledge.
        await expect.poll(() => view.locator('[data-testid=command-alarm]').count()).toBe(2);
        const firstAlarm = view.locator(`[data-testid=command-alarm][data-alarm-id="${a1.id}"]`);
        expect(await firstAlarm.locator('[data-stage=acknowledge]').getAttribute('data-reached')).toBe('true');
        expect(await firstAlarm.locator('[data-stage=dispatch]').getAttribute('data-reached')).toBe('true');
        expect(await view.locator(`[data-testid=command-alarm][data-alarm-id="${a2.id}"] [data-stage=acknowledge]`).getAttribute('data-reached')).toBe('false');
        // The unit on its order, with its clocks: sent within the 3-minute target, on the way.
        const orderRow = view.locator(`[data-testid=command-order][data-order-id="${order.id}"]`);
        await orderRow.waitFor({ timeout: 30_000 });
        expect(await orderRow.getAttribute('data-state')).toBe('sent');
        expect(await orderRow.locator('[data-testid=order-clock-sent]').getAttribute('data-late')).toBe('false');
        expect(await orderRow.locator('[data-testid=order-clock-on-scene]').textContent()).toMatch(/\d+:\d\d/);
        // More units can be sent from here: the nearest available are proposed.
        await expect.poll(() => view.locator('[data-testid=command-candidate]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
        // The map: the units drawn, the dispatched one with its line to the scene; the second alarm's clock beside its marker.
        await expect.poll(() => page.evaluate(() => (window as unknown as { __skyfenceUnits: { count(): number } }).__skyfenceUnits.count()), { timeout: 30_000 }).toBeGreaterThan(0);
        await expect
          .poll(() => page.evaluate((id) => (window as unknown as { __skyfenceUnits: { state(id: string): { lineTo: unknown; status: string } | null } }).__skyfenceUnits.state(id), nearest.unit.id), { timeout: 30_000 })
          .toMatchObject({ status: 'dispatched', lineTo: { lon: SCENE.lon, lat: SCENE.lat } });
        const clock = await page.evaluate((id) => (window as unknown as { __skyfenceClocks: { label(id: string): { text: string; level: string } | null } }).__skyfenceClocks.label(id), a2.id);
        // Counting down to its 1-minute target, or red past it on a slow machine.
        expect(clock?.text).toMatch(/^确认(超时)? \d+:\d\d$/);
        expect(clock?.level === 'overdue').toBe(clock?.text.includes('超时'));

        // The follower: an operator at #/command gets the newest open incident, read-only.
        const fpage = follower.page;
        await openCommandScreen(fpage);
        await expect.poll(() => fpage.locator('[data-testid=command-view]').getAttribute('data-incident-id'), { timeout: 30_000 }).toBe(incident.id);
        await fpage.locator('[data-testid=command-read-only]').waitFor();
        await expect.poll(() => step(fpage, first.id).count(), { timeout: 30_000 }).toBe(1);
        expect(await step(fpage, first.id).locator('[data-testid=incident-step-done]').isDisabled()).toBe(true);
        expect(await step(fpage, first.id).locator('[data-testid=incident-step-skip]').isDisabled()).toBe(true);
        expect(await fpage.locator('[data-testid=incident-close]').isDisabled()).toBe(true);
        expect(await fpage.locator('[data-testid=incident-note-add]').isDisabled()).toBe(true);
        // Who may act is said where the control is.
        expect(await step(fpage, first.id).locator('.incident-checklist-actions').getAttribute('title')).toContain('指挥员');

        // Tick the first step: done with who and when, and the follower sees it without reloading.
        await step(page, first.id).locator('[data-testid=incident-step-done]').click();
        await expect.poll(() => step(page, first.id).getAttribute('data-state')).toBe('done');
        expect(await step(page, first.id).locator('[data-testid=incident-step-by]').textContent()).toContain('陈刚');
        await expect.poll(() => step(fpage, first.id).getAttribute('data-state'), { timeout: 15_000 }).toBe('done');

        // Skip the second: a reason is asked for (refused empty), then shown.
        await step(page, second.id).locator('[data-testid=incident-step-skip]').click();
        const dialog = page.locator('.el-dialog[data-testid=incident-reason-dialog]').last();
        await dialog.waitFor();
        await dialog.locator('[data-testid=incident-reason-submit]').click();
        await expect.poll(() => dialog.locator('[data-testid=incident-reason-error]').textContent()).toContain('请说明原因');
        await dialog.locator('textarea[data-testid=incident-reason-text], [data-testid=incident-reason-text] textarea').first().fill('排爆组已在现场，无需另行疏散');
        await dialog.locator('[data-testid=incident-reason-submit]').click();
        await expect.poll(() => step(page, second.id).getAttribute('data-state')).toBe('skipped');
        expect(await step(page, second.id).locator('[data-testid=incident-step-reason]').textContent()).toContain('排爆组已在现场');
        await expect.poll(() => step(fpage, second.id).getAttribute('data-state'), { timeout: 15_000 }).toBe('skipped');

        // A note.
        const notes = page.locator('[data-testid=command-view] [data-testid=incident-notes]');
        await notes.locator('textarea[data-testid=incident-note-text], [data-testid=incident-note-text] textarea').first().fill('行李已由排爆组移至安全区，旅客秩序正常');
        await notes.locator('[data-testid=incident-note-add]').click();
        await expect.poll(() => notes.getAttribute('data-count')).toBe('1');
        expect(await notes.locator('[data-testid=incident-note]').first().textContent()).toContain('排爆组移至安全区');
        // The timeline has it all, newest at the bottom.
        const timeline = page.locator('[data-testid=command-view] [data-testid=incident-timeline]');
        await expect.poll(() => timeline.locator('[data-testid=incident-timeline-line]').last().getAttribute('data-action'), { timeout: 15_000 }).toBe('incident.note');
        expect(await timeline.locator('[data-testid=incident-timeline-line][data-action="incident.open"]').count()).toBe(1);
        expect(await timeline.locator('[data-testid=incident-timeline-line][data-action="dispatch.send"]').count()).toBe(1);

        // The PDF report downloads.
        const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.locator('[data-testid=command-view] [data-testid=incident-report]').click()]);
        expect(download.suggestedFilename()).toBe(`案事件报告-${incident.number}.pdf`);
        const pdf = readFileSync((await download.path())!);
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

        await settle(page);
        mkdirSync('docs', { recursive: true });
        await page.screenshot({ path: 'docs/commander.png' });
        // The follower on a laptop (1366×768): the same screen, read-only.
        await settle(fpage);
        await fpage.screenshot({ path: 'docs/commander-follower.png' });
        expect(commander.problems).toEqual([]);
        expect(follower.problems).toEqual([]);
      } finally {
        api.close();
        await commander.context.close();
        await follower.context.close();
      }
    }, 480_000);
  });
}
