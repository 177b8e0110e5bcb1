// Playback (回放) in Chromium, against the merged core. A period is recorded first: a finished drill the
// registering file names (drillId), else a short live period made here through the API as the commander (a
// manual alarm raised, then acknowledged a few seconds later). The commander opens #/playback for it, and:
//   - jumping to an event from the list lands the scrubber and the frame on it, with the alarm in its state at
//     that instant (compared with playback.frame through the contract: e.g. 'new' at its raise, 'acknowledged'
//     at its acknowledgement);
//   - play at 10× moves the time, frames follow, never two frame requests in flight and at most a few a second;
//   - a seek to a chosen instant (the busiest of a dozen, by the contract) draws that instant's number of tracks;
//   - the view sends only playback.* calls and reads (site, camera positions, session), and the alarms are the
//     same after the playback as before (states and counts through alarms.list).
// Registered by a test file that runs a host (registerPlaybackUiTests({ host, browser, drillId? })).
import { describe, expect, it } from 'vitest';
import type { Browser, Page, WebSocket as PwWebSocket } from 'playwright-core';
import type { AlarmList } from '../../src/shared/contract/alarms.ts';
import type { Alarm } from '../../src/shared/domain.ts';
import type { PlaybackFrame, PlaybackIndex } from '../../src/shared/drills.ts';
import { E2E_PASSWORD, feedClient, login, type RunningHost } from './harness.ts';
import { listedEvents } from '../../src/renderer/src/components/playback/listed-events.ts';

export interface PlaybackTestContext {
  host(): RunningHost;
  browser(): Browser;
  /** A finished drill to play back; without it the test records a short live period itself. */
  drillId?(): string | null;
}

type Api = Awaited<ReturnType<typeof feedClient>>;
type Period = { drillId: string } | { from: number; to: number };
type PlaybackDiagnostics = { ready: boolean; state(): { at: number | null; tracks: number; alarms: Record<string, { state: string }> } };

/** T2 departures: where the recorded alarm is raised. */
const T2 = { lon: 106.6292, lat: 29.7158 };
/** What the playback view may call: playback itself, and reads only (the site, camera positions, the drill's report for its step names, the session). */
const ALLOWED_CALLS = /^(playback\.(open|frame)|site\.get|video\.cameras|drill\.report|incidents\.types|session\.(current|resume))$/;
const OPEN_STATES = new Set(['new', 'acknowledged', 'dispatched', 'on-scene', 'resolved']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function recordLivePeriod(api: Api): Promise<{ from: number; to: number }> {
  const alarm = (await api.call('alarms.raiseManual', { position: T2, severity: 3, note: '回放测试：T2 出发层旅客报告可疑人员' })) as Alarm;
  await sleep(3000);
  await api.call('alarms.acknowledge', { id: alarm.id });
  await sleep(3000);
  return { from: alarm.raisedAt - 3000, to: Date.now() - 200 };
}

const frameAt = (api: Api, index: PlaybackIndex, at: number) =>
  api.call('playback.frame', { from: index.from, to: index.to, at, ...(index.drillId ? { drillId: index.drillId } : {}) }) as Promise<PlaybackFrame>;

/** Two events of one alarm at whose instants the contract shows it in two different open states. */
async function alarmChange(api: Api, index: PlaybackIndex): Promise<{ subject: string; first: { i: number; state: string }; second: { i: number; state: string } } | null> {
  const bySubject = new Map<string, number[]>();
  index.events.forEach((e, i) => e.subject && bySubject.set(e.subject, [...(bySubject.get(e.subject) ?? []), i]));
  let asked = 0;
  for (const [subject, positions] of bySubject) {
    const states: Array<{ i: number; state: string }> = [];
    for (const i of positions.slice(0, 4)) {
      if (++asked > 40) return null;
      const state = (await frameAt(api, index, index.events[i].at)).alarms.find((a) => a.id === subject)?.state;
      if (state && OPEN_STATES.has(state)) states.push({ i, state });
    }
    for (let k = 1; k < states.length; k++) if (states[k].state !== states[0].state) return { subject, first: states[0], second: states[k] };
  }
  return null;
}

/** The call names the page sends, and the most playback.frame requests it ever had out at once. */
function watchCalls(page: Page): { names: string[]; frameTimes: number[]; maxFramesInFlight: () => number; reset(): void } {
  const names: string[] = [];
  const frameTimes: number[] = [];
  const out = new Set<number>();
  let max = 0;
  page.on('websocket', (ws: PwWebSocket) => {
    ws.on('framesent', ({ payload }) => {
      const f = JSON.parse(String(payload)) as { kind?: string; id?: number; name?: string };
      if (f.kind !== 'call' || !f.name) return;
      names.push(f.name);
      if (f.name === 'playback.frame' && f.id !== undefined) {
        frameTimes.push(Date.now());
        out.add(f.id);
        max = Math.max(max, out.size);
      }
    });
    ws.on('framereceived', ({ payload }) => {
      const f = JSON.parse(String(payload)) as { id?: number };
      if (f.id !== undefined) out.delete(f.id);
    });
  });
  return { names, frameTimes, maxFramesInFlight: () => max, reset: () => void names.splice(0) };
}

/**
 * The period's own alarms, their count and states: a drill's alarms (closed at its end), or a live period's manual
 * ones. Alarms raised later are not playback's doing, nor are the running host's other live alarms, which change
 * on their own (a camera back online closes its offline alarm).
 */
const alarmSnapshot = async (api: Api, until: number, drill: boolean) => {
  const list = (await api.call('alarms.list', { includeClosed: true, limit: 10_000 })) as AlarmList;
  const ofPeriod = list.alarms.filter((a) => a.raisedAt <= until && a.drill === drill && (drill || a.source === 'manual'));
  return { count: ofPeriod.length, states: Object.fromEntries(ofPeriod.map((a) => [a.id, a.state])) };
};

export function registerPlaybackUiTests(ctx: PlaybackTestContext): void {
  describe('playback (UI)', () => {
    it('jumps to events, plays at 10×, seeks to an instant, and changes nothing', async () => {
      const api: Api = await feedClient(ctx.host(), ctx.host().token);
      await api.call('session.login', { username: 'command', password: E2E_PASSWORD });
      const drillId = ctx.drillId?.() ?? null;
      const period: Period = drillId ? { drillId } : await recordLivePeriod(api);
      const index = (await api.call('playback.open', period)) as PlaybackIndex;
      const before = await alarmSnapshot(api, index.to, drillId !== null);
      expect(before.count, 'the period has alarms of its own').toBeGreaterThan(0);
      expect(index.to).toBeGreaterThan(index.from);
      expect(index.events.length, 'the period has events to jump to').toBeGreaterThan(0);
      const change = await alarmChange(api, index);
      expect(change, 'an alarm changes state within the period (e.g. new → acknowledged)').not.toBeNull();

      const context = await ctx.browser().newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
      context.setDefaultTimeout(60_000);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      const calls = watchCalls(page);
      try {
        await page.goto(ctx.host().url, { timeout: 120_000 });
        await login(page, 'command');
        const hash = 'drillId' in period ? `#/playback?drill=${encodeURIComponent(period.drillId)}` : `#/playback?from=${period.from}&to=${period.to}`;
        calls.reset();
        await page.evaluate((h) => (location.hash = h), hash);
        const view = page.locator('[data-testid=playback-view][data-open=true]');
        await view.waitFor({ timeout: 120_000 });
        await page.waitForFunction(() => (window as unknown as { __skyfencePlayback?: PlaybackDiagnostics }).__skyfencePlayback?.ready === true, null, { timeout: 120_000 });
        // Nobody takes it for live: the banner says so (and 演练 for a drill).
        expect(await page.locator('[data-testid=playback-banner]').textContent()).toContain('回放');
        expect(await page.locator('[data-testid=playback-drill-badge]').count()).toBe(drillId ? 1 : 0);
        // The list leaves out noise (sign-ins, check-ins) and shows each drill control once.
        const listed = listedEvents(index.events);
        expect(listed.length).toBeGreaterThan(0);
        expect(await page.locator('[data-testid=playback-event]').count()).toBe(listed.length);
        const attr = async (name: string) => Number(await view.getAttribute(name));
        const alarmRow = page.locator(`[data-testid=playback-alarm][data-alarm-id="${change!.subject}"]`);

        // Jump to an event from the list: the scrubber and the frame land on it, the alarm in its state then.
        for (const { i, state } of [change!.first, change!.second, change!.first]) {
          const at = index.events[i].at;
          const row = listed.indexOf(index.events[i]);
          expect(row, 'an alarm event is listed').toBeGreaterThanOrEqual(0);
          await page.locator(`[data-testid=playback-event][data-index="${row}"]`).click();
          await expect.poll(() => attr('data-at')).toBe(at);
          await expect.poll(() => attr('data-frame-at'), { timeout: 30_000 }).toBe(at);
          expect(Number(await page.locator('[data-testid=playback-range]').inputValue())).toBeCloseTo(at, -1);
          await expect.poll(() => alarmRow.getAttribute('data-state')).toBe(state);
          expect(await page.locator(`[data-testid=playback-event][data-index="${row}"]`).getAttribute('class')).toContain('is-current');
        }

        // Play at 10×: the time moves and the frames follow, one request at a time, a few a second at most.
        await page.locator('[data-testid=playback-start]').click();
        await expect.poll(() => attr('data-frame-at'), { timeout: 30_000 }).toBe(index.from);
        await page.locator('[data-testid=playback-speed-10]').click();
        const framesBefore = calls.frameTimes.length;
        const playedAt = Date.now();
        await page.locator('[data-testid=playback-play]').click();
        await expect.poll(() => view.getAttribute('data-playing')).toBe('true');
        const target = Math.min(index.to, index.from + 10_000);
        await expect.poll(() => attr('data-at'), { timeout: 30_000 }).toBeGreaterThanOrEqual(target);
        // Paused at once (a short drill's period ends within seconds at 10×, and play at the end starts over).
        // Clicked only while it reads playing (a click just after the end would start it over), until it stays paused.
        await expect.poll(async () => {
          if ((await view.getAttribute('data-playing')) === 'true') await page.locator('[data-testid=playback-play]').click();
          await page.waitForTimeout(300);
          return view.getAttribute('data-playing');
        }, { timeout: 20_000, interval: 200 }).toBe('false');
        const playedS = (Date.now() - playedAt) / 1000;
        // The frames followed the clock.
        await expect.poll(() => attr('data-frame-at'), { timeout: 30_000 }).toBeGreaterThan(index.from);
        expect(calls.maxFramesInFlight()).toBe(1);
        expect(calls.frameTimes.length - framesBefore).toBeLessThanOrEqual(Math.ceil(playedS * 4) + 2);

        // Seek to a chosen instant (the busiest of a dozen): that many tracks on the map.
        const samples = await Promise.all(Array.from({ length: 12 }, (_, k) => Math.round(index.from + ((index.to - index.from) * (k + 0.5)) / 12)).map(async (at) => ({ at, frame: await frameAt(api, index, at) })));
        const chosen = samples.reduce((a, b) => (b.frame.tracks.length > a.frame.tracks.length ? b : a));
        if (index.tracks > 0) expect(chosen.frame.tracks.length, 'the period holds tracks: some instant shows them').toBeGreaterThan(0);
        await page.locator('[data-testid=playback-range]').fill(String(chosen.at));
        await expect.poll(() => attr('data-frame-at'), { timeout: 30_000 }).toBe(chosen.at);
        const drawn = await page.evaluate(() => (window as unknown as { __skyfencePlayback: PlaybackDiagnostics }).__skyfencePlayback.state());
        expect(drawn.at).toBe(chosen.at);
        expect(drawn.tracks).toBe(chosen.frame.tracks.length);
        expect(await attr('data-at')).toBe(chosen.at);
        expect(Number(await page.locator('[data-testid=playback-counts]').getAttribute('data-tracks'))).toBe(chosen.frame.tracks.length);
        // The open alarms listed are the frame's.
        const open = chosen.frame.alarms.filter((a) => a.state !== 'closed');
        expect(await page.locator('[data-testid=playback-alarm]').count()).toBe(open.length);

        // Playback changes nothing: only playback.* calls and reads left the page, the alarms are as they were.
        const sent = [...new Set(calls.names)];
        expect(sent.filter((n) => !ALLOWED_CALLS.test(n)), `calls from the playback view: ${sent.join(', ')}`).toEqual([]);
        expect(sent).toContain('playback.frame');
        expect(await alarmSnapshot(api, index.to, drillId !== null)).toEqual(before);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
        api.close();
      }
    });
  });
}
