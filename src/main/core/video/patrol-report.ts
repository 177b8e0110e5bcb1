// The video patrol report of a period (a shift): CSV for spreadsheets (UTF-8 with a BOM, so that Excel reads
// the Chinese) and PDF for the record, with the Chinese font embedded and the snapshots of abnormal and
// picture-fault checks shown small. Both list every check and, per run, the cameras it missed.
import { cjkPdf, CJK_FONT_FILE } from '../reports/cjk-pdf.ts';
import type { Person } from '../../../shared/domain.ts';
import type { PatrolRun, PatrolVerdict } from '../../../shared/video.ts';
import type { HeldFile } from './media-server.ts';
import { localUtcOffset, type UtcOffset } from './patrol-schedule.ts';
import type { EvidenceStore } from './video-ports.ts';

export { CJK_FONT_FILE, CJK_FONT_NAME } from '../reports/cjk-pdf.ts';
/** Snapshots embedded in one PDF at most: beyond, the table still says which checks had one. */
const MAX_IMAGES = 120;

export const VERDICT_ZH: Record<PatrolVerdict | 'missed', string> = {
  normal: '正常',
  'picture-fault': '画面故障',
  abnormal: '异常',
  missed: '未巡检',
};

export interface PatrolReportInput {
  from: number;
  to: number;
  runs: PatrolRun[];
  generatedAt: number;
  generatedBy: Person;
  cameraName(id: string): string;
  utcOffset?: UtcOffset;
}

/** `YYYY-MM-DD HH:mm:ss` in the console's local time. */
export function localTime(at: number | null, offset: UtcOffset = localUtcOffset): string {
  if (at === null) return '';
  return new Date(at + offset(at) * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Runs oldest first, as a report reads. */
const chronological = (runs: PatrolRun[]) => [...runs].sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));

const CSV_HEADER = ['巡检记录', '路线', '巡检人', '开始时间', '结束时间', '摄像机编号', '摄像机名称', '结论', '备注', '巡检时间', '快照编号'];

/** A CSV field: quoted when needed; a leading = + - @ is defused so that a spreadsheet never runs a note as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function patrolReportCsv(input: PatrolReportInput): Buffer {
  const t = (at: number | null) => localTime(at, input.utcOffset);
  const lines = [CSV_HEADER];
  for (const run of chronological(input.runs)) {
    const head = [run.id, run.routeName, `${run.by.displayName} (${run.by.username})`, t(run.startedAt), t(run.finishedAt)];
    for (const c of run.checks) {
      lines.push([...head, c.cameraId, input.cameraName(c.cameraId), VERDICT_ZH[c.verdict], c.note, t(c.at), c.snapshotId ?? '']);
    }
    for (const id of run.missed) lines.push([...head, id, input.cameraName(id), VERDICT_ZH.missed, '', '', '']);
  }
  return Buffer.from(`\uFEFF${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`, 'utf8');
}

/** The snapshots worth showing: those of abnormal and picture-fault checks. */
export async function reportSnapshots(runs: PatrolRun[], evidence: Pick<EvidenceStore, 'get'>): Promise<Map<string, Buffer>> {
  const ids = runs.flatMap((r) => r.checks).filter((c) => c.verdict !== 'normal' && c.snapshotId).map((c) => c.snapshotId!);
  const images = new Map<string, Buffer>();
  for (const id of ids.slice(0, MAX_IMAGES)) {
    const e = await evidence.get(id);
    if (e && /jpe?g|png/.test(e.contentType)) images.set(id, e.data);
  }
  return images;
}

export function patrolReportPdf(input: PatrolReportInput, snapshots: Map<string, Buffer>, fontFile = CJK_FONT_FILE): Promise<Buffer> {
  const t = (at: number | null) => localTime(at, input.utcOffset) || '—';
  const { doc, done, left, width, room } = cjkPdf(fontFile, { Title: '视频巡检报告', Author: input.generatedBy.displayName });

  doc.fontSize(20).text('视频巡检报告', { align: 'center' });
  doc.moveDown(0.5).fontSize(10);
  doc.text(`时段：${t(input.from)} 至 ${t(input.to)}`);
  doc.text(`生成：${t(input.generatedAt)}　${input.generatedBy.displayName}（${input.generatedBy.username}）`);

  const runs = chronological(input.runs);
  const counts: Record<PatrolVerdict | 'missed', number> = { normal: 0, 'picture-fault': 0, abnormal: 0, missed: 0 };
  for (const r of runs) {
    for (const c of r.checks) counts[c.verdict]++;
    counts.missed += r.missed.length;
  }
  doc.moveDown(0.5).fontSize(12).text('汇总');
  doc.fontSize(10).text(
    `巡检记录 ${runs.length} 次；${(Object.keys(counts) as Array<keyof typeof counts>).map((k) => `${VERDICT_ZH[k]} ${counts[k]}`).join('，')}`,
  );
  if (runs.length === 0) doc.moveDown().text('该时段内没有巡检记录。');

  // Columns of a run's table: camera, verdict, time, note.
  const cols = [
    { title: '摄像机', x: left, w: width * 0.32 },
    { title: '结论', x: left + width * 0.33, w: width * 0.12 },
    { title: '时间', x: left + width * 0.46, w: width * 0.17 },
    { title: '备注', x: left + width * 0.64, w: width * 0.36 },
  ];
  const row = (cells: string[]) => {
    const h = Math.max(...cells.map((s, i) => doc.heightOfString(s || ' ', { width: cols[i].w }))) + 3;
    room(h);
    const y = doc.y;
    cells.forEach((s, i) => doc.text(s, cols[i].x, y, { width: cols[i].w }));
    doc.x = left;
    doc.y = y + h;
  };

  let images = 0;
  for (const run of runs) {
    room(80);
    doc.moveDown().fontSize(13).text(run.routeName, left);
    doc.fontSize(9).text(`巡检人：${run.by.displayName}（${run.by.username}）　开始：${t(run.startedAt)}　结束：${run.finishedAt === null ? '未结束' : t(run.finishedAt)}`);
    doc.text(`记录编号：${run.id}`);
    doc.moveDown(0.3);
    row(cols.map((c) => c.title));
    doc.moveTo(left, doc.y - 1).lineTo(left + width, doc.y - 1).lineWidth(0.5).stroke();
    for (const c of run.checks) row([input.cameraName(c.cameraId), VERDICT_ZH[c.verdict], t(c.at).slice(11), c.note]);
    if (run.missed.length > 0) {
      doc.moveDown(0.3).text(`未巡检（${run.missed.length}）：${run.missed.map(input.cameraName).join('、')}`, left, doc.y, { width });
    }
    for (const c of run.checks) {
      const jpeg = c.snapshotId ? snapshots.get(c.snapshotId) : undefined;
      if (!jpeg || images >= MAX_IMAGES) continue;
      room(140);
      const y = doc.y + 4;
      try {
        doc.image(jpeg, left, y, { fit: [160, 120] });
        doc.text(`${input.cameraName(c.cameraId)}　${VERDICT_ZH[c.verdict]}　${t(c.at)}\n${c.note}`, left + 170, y, { width: width - 170 });
        images++;
      } catch {
        doc.text(`${input.cameraName(c.cameraId)}：快照无法显示`, left + 170, y, { width: width - 170 });
      }
      doc.x = left;
      doc.y = y + 126;
    }
  }
  doc.end();
  return done;
}

/** The report as a file to hold for download. */
export async function buildPatrolReport(
  format: 'csv' | 'pdf',
  input: PatrolReportInput,
  evidence: Pick<EvidenceStore, 'get'>,
  fontFile = CJK_FONT_FILE,
): Promise<HeldFile> {
  const day = localTime(input.from, input.utcOffset).slice(0, 10);
  if (format === 'csv') return { contentType: 'text/csv; charset=utf-8', filename: `视频巡检报告-${day}.csv`, data: patrolReportCsv(input) };
  const data = await patrolReportPdf(input, await reportSnapshots(input.runs, evidence), fontFile);
  return { contentType: 'application/pdf', filename: `视频巡检报告-${day}.pdf`, data };
}
