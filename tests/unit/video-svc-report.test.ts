// The patrol report: CSV that Excel reads (BOM, Chinese verdicts, missed cameras as rows, no formulas) and a
// PDF with the Chinese font embedded, the snapshots of abnormal checks, and a page even for an empty period;
// then patrol.report's link, served by ticket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/core/api.ts';
import { patrolReportCsv, patrolReportPdf, type PatrolReportInput } from '../../src/main/core/video/patrol-report.ts';
import { serveMedia } from '../../src/main/core/video/video-core.ts';
import type { MediaLink } from '../../src/shared/contract/video.ts';
import type { PatrolRun } from '../../src/shared/video.ts';
import { testCore } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';
import { camera, DbEvidence, MemoryCameras, TINY_JPEG } from '../fixtures/video-svc-cameras.ts';

const at = (h: number, m: number) => Date.UTC(2026, 10, 24, h - 8, m); // China time
const duty = { username: 'duty', displayName: '李明' };
const RUNS: PatrolRun[] = [
  {
    id: 'run-2', routeId: 'demo-area', routeName: 'T2 出发层 巡检', by: duty, startedAt: at(14, 2), finishedAt: at(14, 20), missed: ['vms/c'],
    checks: [
      { cameraId: 'vms/a', verdict: 'normal', note: '', at: at(14, 3), snapshotId: 's-normal' },
      { cameraId: 'vms/b', verdict: 'abnormal', note: '=HYPERLINK("http://x"), "可疑"包裹', at: at(14, 5), snapshotId: 's-odd' },
    ],
  },
  { id: 'run-1', routeId: 'demo-checkpoints', routeName: '卡口巡检', by: duty, startedAt: at(8, 1), finishedAt: null, missed: [], checks: [
    { cameraId: 'vms/kk', verdict: 'picture-fault', note: '黑屏', at: at(8, 2), snapshotId: null },
  ] },
];
const names: Record<string, string> = { 'vms/a': '出发层 1号', 'vms/b': '出发层 2号', 'vms/c': '出发层 3号', 'vms/kk': '卡口 1' };
const input = (runs: PatrolRun[]): PatrolReportInput => ({
  from: at(0, 0), to: at(23, 59), runs, generatedAt: at(23, 0), generatedBy: { username: 'command', displayName: '陈刚' },
  cameraName: (id) => names[id] ?? id, utcOffset: () => 480,
});
const pages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;

describe('patrol report', () => {
  it('writes CSV with a BOM, a row per check and per missed camera, oldest run first, formulas defused', () => {
    const csv = patrolReportCsv(input(RUNS));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('巡检记录,路线,巡检人,开始时间,结束时间,摄像机编号,摄像机名称,结论,备注,巡检时间,快照编号');
    expect(lines.slice(1)).toEqual([
      'run-1,卡口巡检,李明 (duty),2026-11-24 08:01:00,,vms/kk,卡口 1,画面故障,黑屏,2026-11-24 08:02:00,',
      'run-2,T2 出发层 巡检,李明 (duty),2026-11-24 14:02:00,2026-11-24 14:20:00,vms/a,出发层 1号,正常,,2026-11-24 14:03:00,s-normal',
      `run-2,T2 出发层 巡检,李明 (duty),2026-11-24 14:02:00,2026-11-24 14:20:00,vms/b,出发层 2号,异常,"'=HYPERLINK(""http://x""), ""可疑""包裹",2026-11-24 14:05:00,s-odd`,
      'run-2,T2 出发层 巡检,李明 (duty),2026-11-24 14:02:00,2026-11-24 14:20:00,vms/c,出发层 3号,未巡检,,,',
    ]);
    expect(patrolReportCsv(input([])).toString('utf8')).toBe('\uFEFF巡检记录,路线,巡检人,开始时间,结束时间,摄像机编号,摄像机名称,结论,备注,巡检时间,快照编号\r\n');
  });

  it('writes a PDF with the CJK font embedded and the abnormal check’s snapshot as an image', async () => {
    const pdf = await patrolReportPdf(input(RUNS), new Map([['s-odd', TINY_JPEG]]));
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text).toMatch(/\/FontFile3?\b/);
    expect(text).toContain('CIDFontType0');
    expect(text).toContain('NotoSansCJKsc-Regular');
    expect(text.match(/\/Subtype \/Image/g)).toHaveLength(1);
    expect(pages(pdf)).toBeGreaterThanOrEqual(1);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
  }, 30_000);

  it('renders an empty period, and says which package to install when the font is missing', async () => {
    const pdf = await patrolReportPdf(input([]), new Map());
    expect(pages(pdf)).toBe(1);
    expect(() => patrolReportPdf(input([]), new Map(), '/nonexistent/NotoSansCJK-Regular.ttc')).toThrow(/fonts-noto-cjk/);
  }, 30_000);

  it('breaks a long shift onto more pages', async () => {
    const many: PatrolRun = { ...RUNS[0], id: 'run-long', checks: Array.from({ length: 80 }, (_, i) => ({ cameraId: `vms/x${i}`, verdict: 'normal' as const, note: '画面清晰', at: at(9, 0) + i * 10_000, snapshotId: null })) };
    expect(pages(await patrolReportPdf(input([many]), new Map()))).toBeGreaterThan(1);
  }, 30_000);
});

describe('patrol.report through the dispatcher', () => {
  let t: Awaited<ReturnType<typeof testCore>>;
  beforeAll(async () => {
    t = await testCore();
    Object.assign(t.core, { cameras: new MemoryCameras([camera('vms/a', { lon: 104.44, lat: 30.57 }), camera('vms/b', { lon: 104.45, lat: 30.57 })]), evidence: new DbEvidence(t.core.db) });
  });
  afterAll(async () => t?.dispose());

  it('returns a link to the file, held for five minutes', async () => {
    const duty = await signedIn(t.core, 'duty');
    await dispatch(t.core, await signedIn(t.core, 'command'), 'patrol.saveRoute', { id: 'gates', name: '登机口', cameraIds: ['vms/a', 'vms/b'], dwellS: 10, schedule: [] });
    const run = (await dispatch(t.core, duty, 'patrol.start', { routeId: 'gates' })) as PatrolRun;
    await dispatch(t.core, duty, 'patrol.check', { runId: run.id, cameraId: 'vms/a', verdict: 'abnormal', note: '门未关' });
    await dispatch(t.core, duty, 'patrol.finish', { runId: run.id });
    const csvLink = (await dispatch(t.core, duty, 'patrol.report', { from: 0, to: t.clock.now(), format: 'csv' })) as MediaLink;
    expect(csvLink.expiresAt).toBe(t.clock.now() + 5 * 60_000);
    const csv = await serveMedia(t.core, csvLink.url);
    expect(csv.status).toBe(200);
    expect(csv.headers['Content-Type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['Content-Disposition']).toMatch(/^attachment; filename=".+\.csv"; filename\*=UTF-8''%E8%A7%86/);
    expect((csv.body as Buffer).toString('utf8')).toContain('门未关');
    expect((csv.body as Buffer).toString('utf8')).toMatch(/vms\/b,摄像机 vms\/b,未巡检/);
    const pdfLink = (await dispatch(t.core, duty, 'patrol.report', { from: 0, to: t.clock.now(), format: 'pdf' })) as MediaLink;
    const pdf = await serveMedia(t.core, pdfLink.url);
    expect(pdf.headers['Content-Type']).toBe('application/pdf');
    expect((pdf.body as Buffer).toString('latin1')).toContain('/Subtype /Image'); // the abnormal check's snapshot
    t.clock.advance(5 * 60_000);
    expect((await serveMedia(t.core, csvLink.url)).status).toBe(403);
  }, 30_000);
});
