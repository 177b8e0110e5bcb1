// The alarm queue's list with 10,000 open alarms against a bare list of the same rows (a plain <ol> of the same
// text, built with the DOM API, no framework), in Chromium on the console page. Method:
//  - 10,000 manual alarms are raised through the core's own pipeline (raiseBatch: the same rows and audit
//    entries as live alarms) into a data directory before the host starts on it (tests/e2e/alarm-queue-ui.ts
//    seedQueue), without positions, so that the map draws none of them and the figures are the list's alone.
//  - Each figure is the main thread's work for the change, timed in the page: script, style and layout forced
//    synchronously (getBoundingClientRect) — paint and compositing are not included on either side.
//    first render: the console's list mounted from nothing with its 10,000 rows / the <ol> of 10,000 <li> built
//    and laid out. scroll a page: the list scrolled by its height (the virtual list draws the rows now in view)
//    / the <ol> scrolled by its height. burst: 100 alarm.changed updates (a severity change each, so that they
//    move) applied as the store applies events (one flush) / the 100 <li> texts replaced in place (no reordering).
//  - One untimed warm-up of each side, then REPEATS interleaved rounds; min and median, and the ratio to the bare list.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, login, startHost } from '../tests/e2e/harness.ts';
import { seedQueue } from '../tests/e2e/alarm-queue-ui.ts';
import { fmt, interleaved, median, min, SMOKE } from './measure.ts';

const N = SMOKE ? 500 : 10_000;
const BURST = SMOKE ? 10 : 100;

interface QueueHooks {
  rows(): number;
  firstRender(): Promise<number>;
  scrollPage(): Promise<number>;
  burst(n: number, round: number): Promise<number>;
}

/** The bare list: the same text per row as the console shows (severity, type, title, state, time), in an <ol> of the panel's size. */
async function buildBare(page: Page): Promise<number> {
  return page.evaluate(() => {
    document.getElementById('bench-bare')?.remove();
    const rows = [...document.querySelectorAll('[data-testid=alarm-item]')].slice(0, 1).map((e) => e.textContent ?? '');
    const sample = rows[0] ?? '';
    const w = window as unknown as { __benchTexts?: string[] };
    w.__benchTexts ??= Array.from({ length: (window as unknown as { __benchN: number }).__benchN }, (_, i) => `${sample} #${i}`);
    const t0 = performance.now();
    const ol = document.createElement('ol');
    ol.id = 'bench-bare';
    ol.style.cssText = 'position:fixed;left:0;top:0;width:400px;height:700px;overflow:auto;z-index:99;background:#0e1825;color:#fff;margin:0;padding:8px';
    for (const text of w.__benchTexts) {
      const li = document.createElement('li');
      li.textContent = text;
      li.style.cssText = 'padding:10px 12px;margin-bottom:8px;border:1px solid #22364d';
      ol.append(li);
    }
    document.body.append(ol);
    ol.getBoundingClientRect();
    return performance.now() - t0;
  });
}
const bareScroll = (page: Page) => page.evaluate(() => {
  const ol = document.getElementById('bench-bare')!;
  const t0 = performance.now();
  ol.scrollTop = (ol.scrollTop + ol.clientHeight) % Math.max(1, ol.scrollHeight - ol.clientHeight);
  ol.getBoundingClientRect();
  ol.lastElementChild!.getBoundingClientRect();
  return performance.now() - t0;
});
const bareBurst = (page: Page, n: number, round: number) => page.evaluate(({ n, round }) => {
  const ol = document.getElementById('bench-bare')!;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const li = ol.children[i * 3] as HTMLElement;
    li.textContent = `${li.textContent!.slice(0, -2)}${round % 10} `;
  }
  ol.getBoundingClientRect();
  ol.lastElementChild!.getBoundingClientRect();
  return performance.now() - t0;
}, { n, round });
const hooks = <T>(page: Page, fn: (h: QueueHooks, arg: [number, number]) => Promise<T> | T, arg: [number, number] = [0, 0]) =>
  page.evaluate(({ src, arg }) => {
    const h = (window as unknown as { __skyfenceAlarmQueue: QueueHooks }).__skyfenceAlarmQueue;
    return (new Function('h', 'arg', `return (${src})(h, arg)`))(h, arg);
  }, { src: fn.toString(), arg }) as Promise<T>;

function table(title: string, rows: Array<[string, number[]]>): void {
  console.log(`\n${title}`);
  const w = Math.max(...rows.map(([n]) => n.length));
  console.log(`  ${''.padEnd(w)}  ${'min ms'.padStart(9)} ${'median ms'.padStart(10)}`);
  for (const [name, v] of rows) console.log(`  ${name.padEnd(w)}  ${fmt(min(v), 1).padStart(9)} ${fmt(median(v), 1).padStart(10)}`);
  const [[, a], [, b]] = rows;
  console.log(`  list / bare: ratio of medians ${fmt(median(b) / Math.max(0.01, median(a)), 2)}, of mins ${fmt(min(b) / Math.max(0.01, min(a)), 2)} (cost vs baseline)`);
}

export async function benchAlarmList(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skyfence-bench-queue-'));
  await seedQueue(dataDir, { fresh: N, old: 0, oldAgeMs: 0 });
  const host = await startHost([], { dataDir });
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.setDefaultNavigationTimeout(180_000);
    page.setDefaultTimeout(180_000);
    await page.goto(host.url);
    await login(page);
    await page.waitForFunction((n) => document.querySelector('[data-testid=alarm-list]')?.getAttribute('data-rows') === String(n), N, { timeout: 180_000 });
    await page.evaluate((n) => ((window as unknown as { __benchN: number }).__benchN = n), N);
    const drawn = await hooks(page, (h) => h.rows());

    const first = await interleaved(() => buildBare(page), () => hooks(page, (h) => h.firstRender()));
    let round = 0;
    const scroll = await interleaved(() => bareScroll(page), () => hooks(page, (h) => h.scrollPage()));
    const burst = await interleaved(() => bareBurst(page, BURST, ++round), () => hooks(page, (h, [n, r]) => h.burst(n, r), [BURST, ++round]));
    const drawnAfter = await hooks(page, (h) => h.rows());
    const title = `Alarm list with ${fmt(N)} open alarms (console at 1600×900; the list's rows in the page: ${drawn} at the top, ${drawnAfter} after the runs; ` +
      'ms of script + style + layout, forced synchronously; 1 warm-up + interleaved runs)';
    console.log(`\n${title}`);
    table('  first render', [['baseline: bare <ol> of the same rows', first.baseline], ['console list (virtualised)', first.subject]]);
    table('  scroll by a page', [['baseline: bare <ol> scrolled', scroll.baseline], ['console list (virtualised)', scroll.subject]]);
    table(`  burst of ${BURST} alarm.changed`, [['baseline: bare <ol>, texts replaced in place', burst.baseline], ['console list (store flush + render)', burst.subject]]);
  } finally {
    await browser.close();
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
