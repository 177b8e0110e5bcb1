// The after-action report as documents: the HTML is one self-contained page (strict CSP, nothing fetched) with
// every text escaped and the timeline chart as inline SVG, one row per step; the PDF embeds the Chinese font, and
// read back it says 复盘报告, the steps, the measured times and the page numbers. Both in English on request.
// The fixture's documents are written to test-results/ for a look.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { buildAfterActionReport } from '../../src/main/core/drills/after-action.ts';
import { afterActionHtml, afterActionPdf, drillAlarmTitle, tPlus } from '../../src/main/core/drills/after-action-export.ts';
import { drillTrackName } from '../../src/main/core/drills/drill-injectors.ts';
import type { AfterActionReport } from '../../src/shared/drills.ts';
import { alarms, drill, log, plan, toDrillMs, toWall } from '../fixtures/drills/drone-drill.ts';

vi.setConfig({ testTimeout: 60_000 });

const OUT = join(process.cwd(), 'test-results', 'after-action');
mkdirSync(OUT, { recursive: true });

const report = buildAfterActionReport({ plan, drill, log, alarms, toDrillMs });

const HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
const LONG = `${'值班员在确认警情后未按预案第 3 条立即通报空管塔台，而是先行调取摄像机画面核实，'.repeat(4)}建议在下次演练前组织专项培训。`;
const hostile: AfterActionReport = {
  ...report,
  observations: [
    ...report.observations,
    { id: 2, atMs: 250_000, wallAt: toWall(250_000), by: '王芳', text: HOSTILE },
    { id: 3, atMs: 260_000, wallAt: toWall(260_000), by: '王芳', text: LONG, stepId: 'on-scene' },
  ],
};

/** The PDF's text as a reader would copy it (poppler's pdftotext). */
function pdfText(pdf: Buffer, name: string): string {
  const file = join(OUT, `${name}.pdf`);
  writeFileSync(file, pdf);
  const out = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`pdftotext failed: ${out.stderr}`);
  return out.stdout;
}

const compact = (s: string) => s.replace(/\s+/g, '');

describe('T+ times', () => {
  it('writes drill seconds as T+mm:ss, minutes running on past the hour', () => {
    expect(tPlus(0)).toBe('T+00:00');
    expect(tPlus(45)).toBe('T+00:45');
    expect(tPlus(200.4)).toBe('T+03:20');
    expect(tPlus(3725)).toBe('T+62:05');
  });
});

describe('drill alarm titles', () => {
  const actions: Record<string, { zh: string; en: string }> = {
    'inject-vehicle': { zh: '同伙驾车向机场高速方向逃离，进入内圈识别布控圈', en: 'An accomplice drives off' },
  };
  const stepAction = (id: string) => actions[id];

  it('words a drone serial, an analytic code and an old drill-track name as the console does', () => {
    expect(drillAlarmTitle({ type: 'drone-threat', title: '1581F830F552C2CA7113' }, stepAction, 'zh-CN')).toBe('无人机威胁（演练） · 序列号 1581F830…');
    expect(drillAlarmTitle({ type: 'drone-threat', title: '1581F830F552C2CA7113' }, stepAction, 'en')).toBe('Drone threat (drill) · serial 1581F830…');
    expect(drillAlarmTitle({ type: 'video-analytic', title: '围界西南段01 loitering' }, stepAction, 'zh-CN')).toBe('围界西南段01 长时间逗留');
    expect(drillAlarmTitle({ type: 'video-analytic', title: 'FENCE-01 unattended-object' }, stepAction, 'en')).toBe('FENCE-01 unattended object');
    expect(drillAlarmTitle({ type: 'touch-circle', title: 'bd8265af-inject-vehicle → 内圈识别布控圈' }, stepAction, 'zh-CN'))
      .toBe('演练目标 同伙驾车向机场高速方向逃离 → 内圈识别布控圈');
    // A drone with a name and an operator's note stay as they are.
    expect(drillAlarmTitle({ type: 'drone-threat', title: 'DJI Mavic 3' }, stepAction, 'zh-CN')).toBe('DJI Mavic 3');
    expect(drillAlarmTitle({ type: 'manual', title: '导调提示：请立即派警' }, stepAction, 'zh-CN')).toBe('导调提示：请立即派警');
  });

  it("names a zone-crossing's drill track by the step's words, without the drill's id", () => {
    expect(drillTrackName('同伙驾车向机场高速方向逃离，进入内圈识别布控圈')).toBe('演练目标 同伙驾车向机场高速方向逃离');
    expect(drillTrackName('一辆可疑车辆沿机场南路高速行驶并多次绕行航站楼前高架桥')).toBe('演练目标 一辆可疑车辆沿机场南路高速行驶并多次绕…');
    expect(drillTrackName('')).toBe('演练目标 触圈科目');
  });

  it('shows the worded titles in the report, never the raw serial', () => {
    const raw: AfterActionReport = {
      ...report,
      alarms: report.alarms.map((a, i) => (i === 0 ? { ...a, type: 'drone-threat' as const, title: '1581F830F552C2CA7113' } : a)),
    };
    const html = afterActionHtml(raw, 'zh-CN');
    expect(html).toContain('无人机威胁（演练） · 序列号 1581F830…');
    expect(html).not.toContain('1581F830F552C2CA7113');
    expect(html).not.toMatch(/步骤 inject-drone/);
  });
});

describe('after-action HTML', () => {
  const html = afterActionHtml(hostile, 'zh-CN');
  writeFileSync(join(OUT, 'report.zh-CN.html'), html);

  it('is one self-contained document under a strict CSP', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    // Nothing that would be fetched: no script, link, image, external href or CSS url().
    const tags = html.match(/<[a-z]+\b/gi) ?? [];
    expect(tags.map((t) => t.toLowerCase()).filter((t) => ['<script', '<link', '<img', '<iframe', '<object'].includes(t))).toEqual([]);
    expect(html).not.toMatch(/url\(|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('escapes a hostile observation', () => {
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
  });

  it('draws the timeline as inline SVG with one row per step, marked by how it went', () => {
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(svg.length).toBeGreaterThan(0);
    const rows = [...svg.matchAll(/<g class="row" data-step="([^"]+)">/g)].map((m) => m[1]);
    expect(rows).toEqual(plan.steps.map((s) => s.id));
    const row = (id: string) => svg.slice(svg.indexOf(`data-step="${id}"`)).split('</g>')[0];
    expect(row('ack')).toContain('class="met"');
    expect(row('dispatch')).toContain('class="late"');
    expect(row('on-scene')).toContain('class="missed"');
    for (const id of plan.steps.map((s) => s.id)) expect(row(id)).toContain('class="planned"');
    // A T+mm:ss axis reaching past the end of the drill (T+07:00).
    expect(svg).toContain('>T+00:00<');
    expect(svg).toContain('>T+07:00<');
  });

  it('states the facts, the response times against the 1-3-5 targets, the missed step, the observations and the counts', () => {
    expect(html).toContain('<h1>复盘报告</h1>');
    for (const s of ['02 跑道进近区无人机入侵处置演练', 'v3', '综合演练', '王芳', '2025-06-18 10:00:00（北京时间）', '10×', '42', '已结束']) expect(html).toContain(s);
    // ack 0:45 of 1:00 met, dispatch 3:20 of 3:00 late, on-scene missed.
    expect(html).toMatch(/<td class="met">0:45<\/td><td>1:00<\/td><td class="met">按时<\/td>/);
    expect(html).toMatch(/<td class="late">3:20<\/td><td>3:00<\/td><td class="late">超时<\/td>/);
    expect(html).toMatch(/<td class="missed">—<\/td><td>5:00<\/td><td class="missed">未完成<\/td>/);
    // The alarm's stages after its raise: acknowledged +0:33, dispatched +3:08 (over 3:00), never on scene.
    expect(html).toContain('<td class="met">+0:33 / 1:00</td>');
    expect(html).toContain('<td class="late">+3:08 / 3:00 超时</td>');
    expect(html).toContain('<td class="muted">未达 / 5:00</td>');
    expect(html).toContain('未完成步骤（1）');
    // An observation names its step by what the step does, not by its id.
    expect(html).toContain('<td>T+02:30</td><td>王芳</td><td>派特警巡逻一组前往飞手可能位置</td>');
    expect(html).not.toMatch(/<td>(dispatch|inject-drone|on-scene)<\/td>/);
    expect(html).toMatch(/<b>2<\/b>按时完成<\/div><div class="late"><b>1<\/b>超时完成<\/div><div class="missed"><b>1<\/b>未完成/);
  });

  it('shows an abort and its reason', () => {
    const aborted = afterActionHtml({ ...report, drill: { ...report.drill, status: 'aborted', abortReason: '真实警情 <优先>' } }, 'zh-CN');
    expect(aborted).toContain('<dt>状态</dt><dd>已中止</dd>');
    expect(aborted).toContain('<dt>中止原因</dt><dd class="wide">真实警情 &lt;优先&gt;</dd>');
  });

  it('marks an expectation an abort cut short as not due rather than missed', () => {
    const cutLog = log.filter((e) => e.drillMs < 240_000).concat({ seq: 100, drillMs: 240_000, kind: 'abort', detail: '真实警情' });
    const cut = buildAfterActionReport({ plan, log: cutLog, alarms, toDrillMs, drill: { ...drill, status: 'aborted', abortReason: '真实警情', drillMs: 240_000 } });
    const doc = afterActionHtml(cut, 'zh-CN');
    expect(doc).toMatch(/<td class="muted">—<\/td><td>5:00<\/td><td class="muted">中止时未到期<\/td>/);
    expect(doc).toContain('未完成步骤（0）');
    expect(doc).toContain('<td>T+04:00</td><td>中止</td><td>真实警情</td>');
  });

  it('speaks English on request', () => {
    const en = afterActionHtml(hostile, 'en');
    writeFileSync(join(OUT, 'report.en.html'), en);
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('<h1>After-action report</h1>');
    expect(en).toContain('Drone intrusion on the runway 02 approach');
    expect(en).toContain('Full-scale');
    expect(en).toContain('<td class="late">3:20</td><td>3:00</td><td class="late">late</td>');
    expect(en).not.toMatch(/复盘|按时|超时|未完成/);
  });
});

const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;

describe.skipIf(!hasPdftotext)('after-action PDF', () => {
  it('renders the Chinese report: title, steps, measured times, observations, page numbers', async () => {
    const pdf = await afterActionPdf(hostile, 'zh-CN');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf, 'report.zh-CN');
    const flat = compact(text);
    expect(flat).toContain('复盘报告');
    expect(flat).toContain(compact('02 跑道进近区无人机入侵处置演练'));
    for (const s of plan.steps) expect(flat).toContain(compact(s.action.zh).slice(0, 12));
    // Steps are named by their words, not their ids.
    for (const id of ['inject-drone', 'notify-atc', 'press-dispatch']) expect(text).not.toContain(id);
    for (const s of ['0:45', '3:20', '+0:33/1:00', '+3:08/3:00超时', '未达/5:00', 'T+07:00', '按时', '超时', '未完成', '王芳', '2025-06-1810:00:00（北京时间）']) expect(flat).toContain(s);
    // The long observation wraps onto the page whole: its last words are there.
    expect(flat).toContain('建议在下次演练前组织专项培训。');
    expect(flat).toContain(compact(HOSTILE));
    const pages = Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [join(OUT, 'report.zh-CN.pdf')], { encoding: 'utf8' }).stdout)?.[1]);
    expect(pages).toBeGreaterThan(0);
    expect(flat).toContain(`第1页/共${pages}页`);
    expect(flat).toContain(`第${pages}页/共${pages}页`);
  });

  it('keeps every word on the page when a long plan runs the chart and the tables over several pages', async () => {
    const steps = Array.from({ length: 48 }, (_, i) => ({
      id: `step-${String(i + 1).padStart(2, '0')}`, atS: i * 20, unit: i % 2 ? 'SWAT-1' : 'UNDECLARED-UNIT-WITH-A-LONG-NAME',
      action: { zh: `第 ${i + 1} 步：${'按预案要求组织力量前往现场并持续报告处置进展，'.repeat(3)}`, en: `Step ${i + 1}: ${'x'.repeat(180)}` },
      ...(i % 3 === 0 ? { expect: { action: 'dispatched' as const, of: `step-${String(i + 1).padStart(2, '0')}`, targetS: 60 } } : {}),
    }));
    const bigLog = steps.flatMap((s, i) => [
      { seq: i * 2 + 1, drillMs: s.atS * 1000, kind: 'fire' as const, stepId: s.id },
      ...(s.expect && i % 2 === 0 ? [{ seq: i * 2 + 2, drillMs: s.atS * 1000 + 30_000 + i * 1000, kind: (30 + i <= 60 ? 'done' : 'late') as 'done' | 'late', stepId: s.id, action: 'dispatched' as const }] : []),
    ]);
    const big = buildAfterActionReport({
      plan: { ...plan, title: { zh: '长'.repeat(120), en: 'L'.repeat(300) }, steps }, log: bigLog, alarms, toDrillMs,
      drill: { ...drill, drillMs: 1400_000, steps: [], observations: [{ id: 1, atMs: 1000, wallAt: 0, by: '王芳', text: 'A'.repeat(900) }] },
    });
    for (const lang of ['zh-CN', 'en'] as const) {
      const file = join(OUT, `long.${lang}.pdf`);
      writeFileSync(file, await afterActionPdf(big, lang));
      const bbox = spawnSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
      const pages = [...bbox.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([^]*?)<\/page>/g)];
      expect(pages.length).toBeGreaterThan(2);
      const words = pages.flatMap(([, pw, ph, body]) => [...body.matchAll(/xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)</g)]
        .map(([, x0, y0, x1, y1, word]) => ({ word, off: Number(x0) < 0 || Number(y0) < 0 || Number(x1) > Number(pw) + 0.5 || Number(y1) > Number(ph) + 0.5 })));
      expect(words.filter((x) => x.off)).toEqual([]);
      // Every step's row is drawn (in the chart and the table), named by its words.
      if (lang === 'zh-CN') {
        const flat = compact(spawnSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout);
        for (let n = 1; n <= steps.length; n++) expect(flat.split(`第${n}步：`).length - 1, `step ${n}`).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('refuses clearly when the Chinese font is missing', async () => {
    await expect(afterActionPdf(report, 'zh-CN', '/nonexistent/font.ttc')).rejects.toThrow(/font .*missing.*fonts-noto-cjk/);
  });

  it('renders the English report', async () => {
    const text = pdfText(await afterActionPdf(hostile, 'en'), 'report.en');
    expect(text).toContain('After-action report');
    expect(text).toContain('Drone intrusion on the runway 02 approach');
    expect(text).toContain('Response times against the 1-3-5 targets');
    expect(text).toMatch(/Page 1 of \d+/);
    expect(compact(text)).toContain('+3:08/3:00');
    expect(text).toContain('overdue');
  });
});
