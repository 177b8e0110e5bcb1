// Alarm latency of `npm run bench` (method: bench/run.ts, bench/measure.ts): from an event in an external
// system to the alarm visible in the operator's page.
//
// The VMS simulator runs as its own process, and a browser host (tests/e2e/video-harness.ts) polls it with the
// console's `vms` source every POLL_MS, as a site would point it at its real VMS. Chromium is signed in as the
// duty operator; a MutationObserver in the page stamps the first moment each alarm item (data-alarm-id) is in the
// DOM, on the wall clock (performance.timeOrigin + performance.now(), as this process stamps its triggers).
// Each event is a face-watchlist hit (severity 4: the top of the queue, in view even in a virtualised list) on
// a camera of its own (an open analytic alarm per camera and kind takes further events as updates, not new
// alarms), triggered through the simulator's control API and timestamped at the trigger. The next event waits
// until the last one is on screen, plus a random part of a poll interval, so that the triggers fall at every
// phase of the poller. The first WARM_UP events (first snapshot picture, first alarm rendered) are not counted.
//
// Baseline: the poll interval itself. A bare poller that did nothing with an answer would show an event after
// the wait for the next poll: uniform over the interval, p50 = ½ and p95 = 0.95 of it. The figures are the
// measured p50/p95, their ratio to the interval, and what the console adds over that bare poller. The core's
// own part (event to alarm raised: the alarm's raisedAt on the host's clock, the same system clock) is given
// beside it, so that the rest is transport and rendering.
import type { Browser, Page } from 'playwright-core';
import { E2E_PASSWORD, feedClient, launchBrowser, login, type RunningHost } from '../tests/e2e/harness.ts';
import { startVideoHost } from '../tests/e2e/video-harness.ts';
import { fmt, SMOKE } from './measure.ts';

const POLL_MS = 1_000;
const EVENTS = SMOKE ? 5 : 30;
const WARM_UP = SMOKE ? 1 : 3;
/** An event not on screen within this long is a failure of the console, not a slow figure. */
const GIVE_UP_MS = 90_000;

interface Seen {
  alarmId: string;
  triggeredAt: number;
  raisedAt: number;
  visibleAt: number;
}

const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The console page at the harness's size, with time to load on a busy machine (Cesium is large). */
async function openPage(browser: Browser, host: RunningHost): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  await page.goto(host.url);
  return page;
}

/**
 * Records, in the page, when each alarm item first appears. Plain JavaScript text: tsx names the functions of a
 * callback with a helper that does not exist in the page.
 */
const WATCH_ALARM_ITEMS = `(() => {
  const seen = (window.__alarmSeen = {});
  const stamp = (el) => {
    const id = el.getAttribute('data-alarm-id');
    if (id && el.getAttribute('data-testid') === 'alarm-item' && !(id in seen)) seen[id] = performance.timeOrigin + performance.now();
  };
  const scan = (root) => {
    stamp(root);
    root.querySelectorAll('[data-alarm-id]').forEach(stamp);
  };
  scan(document.body);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') stamp(r.target);
      else r.addedNodes.forEach((n) => n.nodeType === Node.ELEMENT_NODE && scan(n));
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-alarm-id'] });
})()`;

const percentile = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

export async function benchAlarmLatency(): Promise<void> {
  const video = await startVideoHost({ cameras: SMOKE ? 100 : 300, intervalMs: POLL_MS });
  const browser = await launchBrowser();
  let feed: Awaited<ReturnType<typeof feedClient>> | undefined;
  try {
    const page = await openPage(browser, video.host);
    await login(page, 'duty', E2E_PASSWORD);
    await page.evaluate(WATCH_ALARM_ITEMS);
    feed = await feedClient(video.host, video.host.token);
    await feed.call('session.login', { username: 'duty', password: E2E_PASSWORD });
    const f = feed;

    const { cameras } = await video.sim.get<{ cameras: Array<{ id: string }> }>('/api/cameras');
    if (cameras.length < EVENTS + WARM_UP) throw new Error(`the simulator has ${cameras.length} cameras; ${EVENTS + WARM_UP} are needed`);
    // Spread over the layout, one camera per event.
    const step = Math.floor(cameras.length / (EVENTS + WARM_UP));
    const picked = Array.from({ length: EVENTS + WARM_UP }, (_, i) => cameras[i * step].id);

    const alarmOf = async (eventId: string, deadline: number) => {
      for (;;) {
        const list = (await f.call('alarms.list', { limit: 2000 })) as { alarms: Array<{ id: string; raisedAt: number; details: { eventId?: string } }> };
        const alarm = list.alarms.find((a) => a.details?.eventId === eventId);
        if (alarm) return alarm;
        if (wallNow() > deadline) throw new Error(`no alarm for VMS event ${eventId} within ${GIVE_UP_MS / 1000} s`);
        await sleep(100);
      }
    };

    const seen: Seen[] = [];
    for (let i = 0; i < picked.length; i++) {
      await sleep(Math.random() * POLL_MS + 200); // every phase of the poller
      const triggeredAt = wallNow();
      const answer = (await video.sim.control({ action: 'event', camera: picked[i], type: 'face-watchlist', label: `BENCH ${i + 1}` })) as { event: { id: string } };
      const deadline = triggeredAt + GIVE_UP_MS;
      const alarm = await alarmOf(answer.event.id, deadline);
      await page.waitForFunction((id) => (window as unknown as { __alarmSeen: Record<string, number> }).__alarmSeen[id] !== undefined, alarm.id, {
        timeout: Math.max(1000, deadline - wallNow()),
      });
      const visibleAt = await page.evaluate((id) => (window as unknown as { __alarmSeen: Record<string, number> }).__alarmSeen[id], alarm.id);
      if (i >= WARM_UP) seen.push({ alarmId: alarm.id, triggeredAt, raisedAt: alarm.raisedAt, visibleAt });
    }

    const visible = seen.map((s) => s.visibleAt - s.triggeredAt);
    const raised = seen.map((s) => s.raisedAt - s.triggeredAt);
    const onScreen = seen.map((s) => s.visibleAt - s.raisedAt);
    const row = (name: string, v: number[]) =>
      `  ${name.padEnd(44)} ${fmt(percentile(v, 50)).padStart(7)} ${fmt(percentile(v, 95)).padStart(7)} ${fmt(Math.min(...v)).padStart(7)} ${fmt(Math.max(...v)).padStart(7)}`;
    const p50 = percentile(visible, 50);
    const p95 = percentile(visible, 95);
    console.log(
      `\nAlarm latency, VMS event → alarm visible in the page (${EVENTS} face-watchlist events on ${EVENTS} cameras after ${WARM_UP} warm-up; ` +
        `console's vms source polling every ${fmt(POLL_MS)} ms; ${SMOKE ? 100 : 300} cameras; Chromium signed in as the duty operator)`,
    );
    console.log(`  ${''.padEnd(44)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'min'.padStart(7)} ${'max'.padStart(7)}`);
    console.log(row('baseline: a bare poller (wait for next poll)', [POLL_MS * 0.5, POLL_MS * 0.95]).replace(/\s+\S+\s+\S+$/, ''));
    console.log(row('event → alarm raised in the core', raised));
    console.log(row('alarm raised → item in the page', onScreen));
    console.log(row('event → alarm visible in the page', visible));
    console.log(
      `  against the poll interval: p50 ${fmt(p50 / POLL_MS, 2)}×, p95 ${fmt(p95 / POLL_MS, 2)}× the interval; ` +
        `over a bare poller: p50 +${fmt(p50 - POLL_MS * 0.5)} ms (ratio ${fmt(p50 / (POLL_MS * 0.5), 2)}), p95 +${fmt(p95 - POLL_MS * 0.95)} ms (ratio ${fmt(p95 / (POLL_MS * 0.95), 2)})`,
    );
  } finally {
    feed?.close();
    await browser.close();
    await video.stop();
  }
}

// Run alone: node --import tsx bench/alarm-latency.ts
if (import.meta.url === `file://${process.argv[1]}`) await benchAlarmLatency();
