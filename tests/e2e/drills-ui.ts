// A drill end to end, in Chromium against a demo host with its simulators: the coordinator (drill/王芳) starts the
// drone-intrusion plan at 10× from the drill panel; both consoles show the DRILL watermark and banner; the inject
// reaches the operator (duty/李明) as a drill alarm with the 演练 badge and a drill track on the map; the operator
// acknowledges and dispatches it from the queue; the plan's steps turn done (or late); the coordinator adds an
// observation and ends; the after-action report shows the measured times, the same numbers as drill.report. An
// operator's drill.start is refused; an abort mid-drill leaves no drill alarm and no drill track in the operator's
// console. Registered by an e2e test file (registerDrillUiTests) on its host; one host, two pages signed in once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Alarm } from '../../src/shared/domain.ts';
import type { DroneTrack } from '../../src/shared/drones.ts';
import type { AfterActionReport, DrillState, Plan } from '../../src/shared/drills.ts';
import { E2E_PASSWORD, feedClient, login, type RunningHost } from './harness.ts';

export const DRILL_PLAN = 'drone-intrusion-approach';

type Feed = Awaited<ReturnType<typeof feedClient>>;
type SceneProbe = { storeDroneIds(): string[]; droneState(id: string): { shown: boolean } | null };

/** m:ss as the after-action view words a duration (components/drills/drill-time.ts mmss). */
const mmss = (seconds: number) => {
  const s = Math.round(Math.abs(seconds));
  return `${seconds < 0 ? '-' : ''}${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** The plan's drone inject and the steps that time the acknowledgement and dispatch of its alarm. */
export function droneSteps(plan: Plan): { inject: string; ack: string; dispatch: string } {
  const inject = plan.steps.find((s) => s.inject?.kind === 'drone-scenario');
  if (!inject) throw new Error(`plan ${plan.id} has no drone-scenario inject`);
  const expecting = (action: string) => plan.steps.find((s) => s.expect?.action === action && s.expect.of === inject.id);
  const ack = expecting('acknowledged');
  const dispatch = expecting('dispatched');
  if (!ack || !dispatch) throw new Error(`plan ${plan.id} does not time the acknowledgement and dispatch of ${inject.id}`);
  return { inject: inject.id, ack: ack.id, dispatch: dispatch.id };
}

export function registerDrillUiTests(ctx: { browser: () => Browser; host: () => RunningHost }): void {
  describe('a drill from the drill panel', () => {
    let coordinator: Page;
    let operator: Page;
    let coordinatorApi: Feed;
    let operatorApi: Feed;

    async function consolePage(username: string): Promise<Page> {
      const context = await ctx.browser().newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      page.setDefaultNavigationTimeout(180_000);
      page.setDefaultTimeout(60_000);
      await page.goto(ctx.host().url);
      await login(page, username);
      return page;
    }
    async function api(username: string): Promise<Feed> {
      const c = await feedClient(ctx.host(), ctx.host().token);
      await c.call('session.login', { username, password: E2E_PASSWORD });
      return c;
    }
    const openDrillAlarms = async (): Promise<Alarm[]> =>
      ((await operatorApi.call('alarms.list', { limit: 10_000 })) as { alarms: Alarm[] }).alarms.filter((a) => a.drill && a.state !== 'closed');
    const drillTrackIds = async (): Promise<string[]> => ((await operatorApi.call('drones.list', {})) as DroneTrack[]).filter((t) => t.drill).map((t) => t.id);
    const sceneDrones = (page: Page) => page.evaluate(() => (window as unknown as { __skyfenceScene: SceneProbe }).__skyfenceScene.storeDroneIds());
    const droneShown = (page: Page, id: string) =>
      page.evaluate((id) => (window as unknown as { __skyfenceScene: SceneProbe }).__skyfenceScene.droneState(id)?.shown ?? false, id);

    async function openPanel(): Promise<void> {
      const panel = coordinator.locator('[data-testid=drill-panel]');
      if (await panel.isVisible()) return;
      await coordinator.locator('[data-testid=topbar-drills]').click();
      await panel.waitFor();
    }
    /** Starts the plan at 10× from the panel; returns the drill. */
    async function startFromPanel(): Promise<string> {
      await openPanel();
      await coordinator.locator('.el-tabs__item', { hasText: '预案' }).click();
      const card = coordinator.locator(`[data-testid=drill-plan][data-plan-id="${DRILL_PLAN}"]`);
      await card.waitFor();
      expect(await card.getAttribute('data-problems')).toBe('0');
      await card.locator('[data-testid=drill-plan-start-quick]').click();
      const dialog = coordinator.locator('[data-testid=drill-start-dialog]');
      await dialog.locator('[data-testid=drill-start-speed-10]').click();
      await dialog.locator('[data-testid=drill-start-submit]').click();
      await dialog.waitFor({ state: 'hidden' });
      const current = coordinator.locator('[data-testid=drill-current]');
      await current.waitFor();
      return (await current.getAttribute('data-drill-id'))!;
    }
    /** The queue is virtualised and live alarms come first: scrolls down through it until the alarm is drawn. */
    async function revealAlarm(id: string) {
      const item = operator.locator(`[data-testid=alarm-item][data-alarm-id="${id}"]`);
      await expect.poll(async () => {
        if ((await item.count()) > 0) return true;
        await operator.locator('[data-testid=alarm-list]').evaluate((el) => {
          const next = el.scrollTop + el.clientHeight * 0.8;
          el.scrollTop = next >= el.scrollHeight - el.clientHeight + 1 ? 0 : next;
        });
        return false;
      }, { timeout: 60_000, interval: 400 }).toBe(true);
      return item;
    }
    /** Clicks a button of the alarm's row: a row the list redraws meanwhile is found again. */
    async function clickOnAlarm(id: string, testid: string): Promise<void> {
      for (let attempt = 1; ; attempt++) {
        const item = await revealAlarm(id);
        try {
          await item.locator(`[data-testid=${testid}]`).click({ timeout: 5_000 });
          return;
        } catch (err) {
          if (attempt >= 10) throw err;
        }
      }
    }
    /** The first open drill alarm raised by this drill (not one of `before`) in the operator's queue, with its 演练 badge. */
    async function drillAlarmInQueue(before: ReadonlySet<string>, injectStep?: string): Promise<Alarm> {
      const fresh = async () => (await openDrillAlarms()).filter((a) => !before.has(a.id));
      await expect.poll(async () => (await fresh()).length, { timeout: 90_000, interval: 500 }).toBeGreaterThan(0);
      let [alarm] = await fresh();
      if (injectStep) {
        // The alarm the drill linked to the inject (the one its steps time), not just any drill alarm (a sensor's, a swarm's).
        let linked = '';
        await expect.poll(async () => {
          const d = (await coordinatorApi.call('drill.current', {})) as DrillState | null;
          return (linked = d?.steps.find((st) => st.stepId === injectStep)?.alarmId ?? '');
        }, { timeout: 200_000, interval: 500 }).not.toBe('');
        alarm = (await fresh()).find((a) => a.id === linked) ?? alarm;
        expect(alarm.id).toBe(linked);
      }
      await expect.poll(async () => (await revealAlarm(alarm.id)).locator('.alarm-panel-item-drill').textContent({ timeout: 5_000 }).catch(() => null), { timeout: 30_000 }).toBe('演练');
      return alarm;
    }
    /** A drill track of the drill range is in the operator's drone store and drawn on the map. */
    async function drillTrackOnMap(): Promise<string> {
      let shownId = '';
      await expect.poll(async () => {
        const drill = new Set(await drillTrackIds());
        const onPage = (await sceneDrones(operator)).filter((id) => drill.has(id));
        for (const id of onPage) if (await droneShown(operator, id)) return (shownId = id);
        return '';
      }, { timeout: 60_000, interval: 500 }).not.toBe('');
      return shownId;
    }

    beforeAll(async () => {
      // One after the other: two 3D scenes loading at once on a shared two-core machine outwait the harness.
      coordinator = await consolePage('drill');
      operator = await consolePage('duty');
      [coordinatorApi, operatorApi] = await Promise.all([api('drill'), api('duty')]);
    }, 300_000);
    // A failed test leaves no dialog over the next one's page, and no drill running under it.
    afterEach(async () => {
      for (const page of [coordinator, operator]) {
        for (let i = 0; page && i < 3 && (await page.locator('.el-overlay:visible').count()) > 0; i++) {
          await page.keyboard.press('Escape');
          await page.waitForTimeout(300);
        }
      }
      const current = (await coordinatorApi?.call('drill.current', {}).catch(() => null)) as DrillState | null;
      if (current) await coordinatorApi.call('drill.control', { id: current.id, action: 'abort', reason: 'e2e: the test before failed' }).catch(() => undefined);
    });
    afterAll(async () => {
      // Nothing of a drill left running for the next block.
      const current = (await coordinatorApi?.call('drill.current', {}).catch(() => null)) as DrillState | null;
      if (current) await coordinatorApi.call('drill.control', { id: current.id, action: 'abort', reason: 'e2e cleanup' }).catch(() => undefined);
      coordinatorApi?.close();
      operatorApi?.close();
      await coordinator?.context().close();
      await operator?.context().close();
    });

    it('an operator may not start a drill: the core refuses drill.start', async () => {
      await expect(operatorApi.call('drill.start', { planId: DRILL_PLAN, speed: 10 })).rejects.toMatchObject({ code: 'forbidden' });
      expect(await operatorApi.call('drill.current', {})).toBeNull();
      // The operator has no drill panel; the coordinator has.
      expect(await operator.locator('[data-testid=topbar-drills]').count()).toBe(0);
      expect(await coordinator.locator('[data-testid=topbar-drills]').count()).toBe(1);
    });

    it('an abort mid-drill leaves no drill alarm and no drill track in the operator’s console', async () => {
      const drillId = await startFromPanel();
      const alarm = await drillAlarmInQueue(new Set());
      const trackId = await drillTrackOnMap();

      await coordinator.locator('[data-testid=drill-abort]').click();
      const dialog = coordinator.locator('[data-testid=drill-abort-dialog]');
      // The reason is required.
      await dialog.locator('[data-testid=drill-abort-confirm]').click();
      await dialog.locator('[role=alert]').waitFor();
      await dialog.locator('textarea[data-testid=drill-abort-reason], [data-testid=drill-abort-reason] textarea').first().fill('跑道临时启用，演练中止');
      await dialog.locator('[data-testid=drill-abort-confirm]').click();
      await dialog.waitFor({ state: 'hidden' });
      const aborted = (await coordinatorApi.call('drill.list', { limit: 5 })) as DrillState[];
      expect(aborted.find((d) => d.id === drillId)?.status).toBe('aborted');
      // The coordinator gets the aborted drill's report, with its reason.
      const view = coordinator.locator(`[data-testid=after-action-view][data-drill-id="${drillId}"][data-loaded=true]`);
      await view.waitFor({ timeout: 60_000 });
      expect(await view.locator('[data-testid=aar-fact-abortReason]').textContent()).toBe('跑道临时启用，演练中止');
      await coordinator.keyboard.press('Escape');
      await view.waitFor({ state: 'hidden' });

      // The operator's console: the drill alarm leaves the queue (closed as 演练 by the system), the track the map.
      await operator.locator(`[data-testid=alarm-item][data-alarm-id="${alarm.id}"]`).waitFor({ state: 'detached', timeout: 30_000 });
      expect(await operator.locator('[data-testid=alarm-item] .alarm-panel-item-drill').count()).toBe(0);
      expect(await openDrillAlarms()).toEqual([]);
      const closed = ((await operatorApi.call('alarms.list', { limit: 10_000, includeClosed: true })) as { alarms: Alarm[] }).alarms.find((a) => a.id === alarm.id);
      expect(closed?.resolution?.category).toBe('drill');
      await expect.poll(async () => (await sceneDrones(operator)).includes(trackId), { timeout: 30_000 }).toBe(false);
      expect(await drillTrackIds()).toEqual([]);
      await operator.locator('[data-testid=drill-watermark]').waitFor({ state: 'hidden', timeout: 30_000 });
      expect(await operator.locator('[data-testid=alarm-drill-count]').count()).toBe(0);
    }, 300_000);
    it('the coordinator runs the drone-intrusion plan at 10×: watermark, drill alarm and track, acknowledged and dispatched, measured in the report', async () => {
      const plan = (await coordinatorApi.call('plans.get', { id: DRILL_PLAN })) as Plan;
      const steps = droneSteps(plan);
      const before = new Set((await openDrillAlarms()).map((a) => a.id));
      const drillId = await startFromPanel();
      const state = (await coordinatorApi.call('drill.current', {})) as DrillState;
      expect(state.id).toBe(drillId);
      expect(state.speed).toBe(10);

      // Every console shows the drill: the watermark over the map and the banner with T+ and the plan's title.
      for (const page of [coordinator, operator]) {
        await page.locator('[data-testid=drill-watermark]').waitFor();
        const banner = page.locator('[data-testid=drill-banner]');
        await expect.poll(() => banner.textContent()).toContain('演练进行中');
        expect(await banner.textContent()).toContain(plan.title.zh);
        await expect.poll(async () => /T\+\d\d:\d\d/.test((await page.locator('[data-testid=drill-banner-clock]').textContent()) ?? '')).toBe(true);
        // It takes no clicks: the map underneath stays usable.
        expect(await page.locator('[data-testid=drill-watermark]').evaluate((el) => getComputedStyle(el).pointerEvents)).toBe('none');
      }
      await expect.poll(() => operator.locator('[data-testid=mode-badge]').textContent(), { timeout: 15_000 }).toBe('演练');

      // The inject: a drill alarm in the operator's queue (badge 演练) and the drill range's track on the map.
      const alarm = await drillAlarmInQueue(before, steps.inject);
      await drillTrackOnMap();
      // Drill alarms are counted apart: the live count does not hold them.
      await expect.poll(() => operator.locator('[data-testid=alarm-drill-count]').textContent()).toContain('演练');
      // The coordinator slows the clock while the operators work (the speed control), as a director would.
      await coordinator.locator('[data-testid=drill-speed]').click();
      await coordinator.locator('.el-select-dropdown__item:visible', { hasText: /^1×$/ }).click();
      await expect.poll(async () => ((await coordinatorApi.call('drill.current', {})) as DrillState).speed).toBe(1);

      // The operator acknowledges and dispatches it from the queue.
      await clickOnAlarm(alarm.id, 'alarm-ack');
      const rowState = async () => (await revealAlarm(alarm.id)).getAttribute('data-state', { timeout: 5_000 }).catch(() => null);
      await expect.poll(rowState, { timeout: 30_000 }).toBe('acknowledged');
      await clickOnAlarm(alarm.id, 'alarm-dispatch');
      const dispatch = operator.locator('[data-testid=dispatch-dialog]');
      await dispatch.locator('[data-testid=dispatch-unit]').first().waitFor();
      await dispatch.locator('[data-testid=dispatch-submit]').click();
      await expect.poll(rowState, { timeout: 30_000 }).toBe('dispatched');

      // The plan's steps that time them are met (✓ in time, or late on a slow machine), in the panel.
      const stepStatus = (id: string) => coordinator.locator(`[data-testid=drill-step][data-step-id="${id}"]`).getAttribute('data-status');
      await expect.poll(() => stepStatus(steps.inject), { timeout: 30_000 }).not.toBe('pending');
      await expect.poll(() => stepStatus(steps.ack), { timeout: 30_000 }).toMatch(/^(done|late)$/);
      await expect.poll(() => stepStatus(steps.dispatch), { timeout: 30_000 }).toMatch(/^(done|late)$/);

      // An observation: Enter adds it, shown at its T+.
      const note = '值班员确认后口头复述目标方位';
      await coordinator.locator('input[data-testid=drill-observe-input], [data-testid=drill-observe-input] input').first().fill(note);
      await coordinator.locator('input[data-testid=drill-observe-input], [data-testid=drill-observe-input] input').first().press('Enter');
      const observation = coordinator.locator('[data-testid=drill-observation]', { hasText: note });
      await observation.waitFor();
      expect(await observation.textContent()).toMatch(/T\+\d\d:\d\d/);

      // End: confirmed, then the after-action report opens with the measured times.
      await coordinator.locator('[data-testid=drill-end]').click();
      await coordinator.locator('.el-message-box__btns .el-button--primary').click();
      const view = coordinator.locator(`[data-testid=after-action-view][data-drill-id="${drillId}"][data-loaded=true]`);
      await view.waitFor({ timeout: 60_000 });
      const report = (await coordinatorApi.call('drill.report', { id: drillId })) as AfterActionReport;
      expect(report.drill.status).toBe('ended');
      for (const [stepId, action] of [[steps.ack, 'acknowledged'], [steps.dispatch, 'dispatched']] as const) {
        const measure = report.measures.find((m) => m.stepId === stepId && m.action === action);
        expect(measure?.actualS, `${action} is measured`).toBeGreaterThanOrEqual(0);
        const row = view.locator(`[data-testid=aar-measure][data-step-id="${stepId}"][data-action="${action}"]`);
        expect(await row.locator('[data-testid=aar-measure-actual]').textContent()).toBe(mmss(measure!.actualS!));
        expect(await row.getAttribute('data-verdict')).toBe(measure!.verdict);
        expect(await row.locator('[data-testid=aar-measure-verdict]').textContent()).toBe({ met: '达标', late: '超时', missed: '未完成' }[measure!.verdict]);
      }
      expect(await view.locator('[data-testid=aar-observation]', { hasText: note }).count()).toBe(1);
      expect(await view.locator('[data-testid=after-action-chart-row]').count()).toBe(report.timeline.length);
      // The drill is over: the watermark leaves every screen.
      for (const page of [coordinator, operator]) await page.locator('[data-testid=drill-watermark]').waitFor({ state: 'hidden', timeout: 30_000 });
      await coordinator.keyboard.press('Escape');
      await view.waitFor({ state: 'hidden' });
    }, 600_000);

  });
}
