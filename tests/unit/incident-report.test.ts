// The incident report (PDF): the CJK font embedded, the incident's number, the 1-3-5 stage times against their
// targets with the overdue ones marked, the orders, the checklist with who and why, the steps left undone, the
// notes with their snapshot, the timeline and the summary, in Chinese (and in English on request); then
// incidents.report's link, served by ticket and put on the record.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../src/main/core/api.ts';
import { advanceAlarmInTx } from '../../src/main/core/alarms/sqlite-alarm-repository.ts';
import { elapsed } from '../../src/main/core/incidents/incident-report.ts';
import { Incidents } from '../../src/main/core/incidents/incidents.ts';
import { serveMedia } from '../../src/main/core/video/video-core.ts';
import type { MediaLink } from '../../src/shared/contract/video.ts';
import type { DispatchOrder, Incident } from '../../src/shared/response.ts';
import { testCore } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';
import { TINY_JPEG } from '../fixtures/video-svc-cameras.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const duty = { username: 'duty', displayName: '李明' };
const command = { username: 'command', displayName: '陈刚' };
const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'skyfence-incident-report-'));

/** The PDF's text as a reader would copy it (poppler's pdftotext). */
function pdfText(pdf: Buffer, name: string): string {
  const file = join(scratch, `${name}.pdf`);
  writeFileSync(file, pdf);
  const out = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`pdftotext failed: ${out.stderr}`);
  return out.stdout;
}

let t: Awaited<ReturnType<typeof testCore>>;
let incident: Incident;
let snapshotId: string;
const orders: DispatchOrder[] = [];

beforeAll(async () => {
  t = await testCore();
  const incidents = new Incidents({
    db: t.core.db, clock: t.clock, bus: t.core.bus, site: t.core.site, audit: t.core.audit, alarms: t.core.alarms,
    dispatch: { list: async (f) => orders.filter((o) => (f.incidentId !== undefined && o.incidentId === f.incidentId) || (f.alarmId !== undefined && o.alarmId === f.alarmId)) },
    siteDir: dirname(SAMPLE_SITE_FILE), log: () => undefined, evidence: t.core.evidence, utcOffset: () => 480,
  });
  await incidents.load();
  t.core.incidents = incidents;

  // Two alarms: the first worked inside its 1-3-5 targets, the second acknowledged late (1:30 against 1:00).
  const raise = (lon: number) => t.core.alarms.raise({ source: 'manual', type: 'manual', severity: 4, position: { lon, lat: 29.715 }, details: { note: '遗留行李箱' } });
  const a = await raise(106.641);
  const b = await raise(106.642);
  const t0 = t.clock.now();
  t.clock.advance(45_000);
  await t.core.alarms.acknowledge(a.id, duty);
  t.clock.advance(45_000);
  await t.core.alarms.acknowledge(b.id, duty);
  t.clock.advance(30_000); // 2:00
  await t.core.db.transaction((tx) => advanceAlarmInTx(tx, a.id, { stage: 'dispatched', at: t0 + 120_000 }));
  incident = await incidents.open({ alarmIds: [a.id, b.id], typeId: 'unattended-object', title: 'T2 出发层 12 号门遗留行李箱' }, duty);
  orders.push({
    id: 'order-1', alarmId: a.id, incidentId: incident.id, unitId: 'SWAT-Q', callSign: '特警屯点', state: 'on-scene', guidance: '设置警戒区',
    target: null, etaS: 150, sentAt: t0 + 120_000, sentBy: duty, acknowledgedAt: t0 + 135_000, onSceneAt: t0 + 250_000, doneAt: null, cancelledAt: null, note: null, drill: false,
  });
  t.clock.advance(130_000); // 4:10
  await t.core.db.transaction((tx) => advanceAlarmInTx(tx, a.id, { stage: 'on-scene', at: t0 + 250_000 }));
  await incidents.step(incident.id, 'verify', 'done', undefined, duty);
  await incidents.step(incident.id, 'cordon', 'done', undefined, command);
  await incidents.step(incident.id, 'evacuate', 'skip', '区域内无旅客', command);
  snapshotId = await t.core.evidence.save('vms/t2-12', TINY_JPEG, t.clock.now());
  await incidents.note(incident.id, '行李箱为黑色拉杆箱，无人认领', snapshotId, duty);
  t.clock.advance(600_000);
  incident = await incidents.close(incident.id, '排爆确认为旅客遗失行李，已交还失主。', command);
});
afterAll(async () => {
  await t?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the incident report', () => {
  it('is a PDF with the Chinese font embedded and the note’s snapshot as an image', async () => {
    const pdf = await t.core.incidents.reportPdf(incident.id, 'zh', command);
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw).toContain('NotoSansCJKsc-Regular');
    expect(raw.match(/\/Subtype \/Image/g)).toHaveLength(1);
    expect(raw.trimEnd().endsWith('%%EOF')).toBe(true);
  });

  it.skipIf(!hasPdftotext)('reads, in Chinese: the number, the stages against their targets, the checklist with who and why, the notes, the summary', async () => {
    const text = pdfText(await t.core.incidents.reportPdf(incident.id, 'zh', command), 'zh');
    expect(text).toContain('案事件报告');
    expect(text).toContain(incident.number);
    expect(text).toContain('遗留可疑物品');
    expect(text).toContain('T2 出发层 12 号门遗留行李箱');
    // The first alarm acknowledged at 0:45 of 1:00; the second at 1:30 of 1:00, overdue.
    expect(text).toContain('+0:45 / 1:00');
    expect(text).toMatch(/\+1:30 \/ 1:00 超时/);
    expect(text).toContain('+4:10 / 5:00'); // on scene
    expect(text).toContain('特警屯点');
    expect(text).toContain('区域内无旅客');
    expect(text).toContain('已跳过');
    expect(text).toContain('未完成');
    expect(text).toContain('结案时仍有未完成步骤');
    expect(text).toContain('行李箱为黑色拉杆箱，无人认领');
    expect(text).toContain('排爆确认为旅客遗失行李，已交还失主。');
    expect(text).toContain('陈刚');
    expect(text).toContain('立案'); // the timeline's words for the record's actions
  });

  it.skipIf(!hasPdftotext)('reads in English on request', async () => {
    const text = pdfText(await t.core.incidents.reportPdf(incident.id, 'en', command), 'en');
    expect(text).toContain('Incident report');
    expect(text).toContain('Unattended suspicious object');
    expect(text).toContain(incident.number);
    expect(text).toContain('skipped');
    expect(text).toContain('not done');
  });

  it('is served by incidents.report as a short-lived link, and the export goes on the record', async () => {
    const session = await signedIn(t.core, 'duty');
    const link = (await dispatch(t.core, session, 'incidents.report', { id: incident.id })) as MediaLink;
    expect(link.url).toMatch(/^\/media\//);
    const served = await serveMedia(t.core, link.url);
    expect(served.status).toBe(200);
    expect(served.headers['Content-Type']).toBe('application/pdf');
    expect(served.headers['Content-Disposition']).toContain(encodeURIComponent(`案事件报告-${incident.number}.pdf`));
    expect((served.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const [entry] = await t.core.db.all<{ action: string; actor: string; details: string }>(
      "SELECT action, actor, details FROM audit_log WHERE subject = ? AND action = 'incident.export'", [incident.id],
    );
    expect(entry).toMatchObject({ actor: 'duty' });
    expect(JSON.parse(entry.details)).toMatchObject({ number: incident.number, format: 'pdf' });
  });

  it('refuses a report of an unknown incident', async () => {
    const session = await signedIn(t.core, 'duty');
    await expect(dispatch(t.core, session, 'incidents.report', { id: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('writes durations as m:ss and h:mm:ss', () => {
    expect([elapsed(0), elapsed(45_000), elapsed(90_000), elapsed(3_725_000)]).toEqual(['0:00', '0:45', '1:30', '1:02:05']);
  });
});
