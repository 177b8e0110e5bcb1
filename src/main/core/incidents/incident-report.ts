// The incident report (案事件报告) as PDF, for the record: the incident, its alarms with each 1-3-5 stage against
// its target (overdue marked), the orders, the checklist (who ticked what and when, why a step was skipped, which
// were left undone), the notes with their snapshots, the timeline from the audit log and the closing summary.
// Chinese renders with the CJK font the video patrol report embeds (video/patrol-report.ts).
import { stageDueAt, stageReachedAt, type Alarm, type Person, type ResponseStage, type Severity } from '../../../shared/domain.ts';
import type { IncidentType, IncidentView, TimelineEntry } from '../../../shared/response.ts';
import { localTime } from '../video/patrol-report.ts';
import { cjkPdf, CJK_FONT_FILE } from '../reports/cjk-pdf.ts';
import type { UtcOffset } from '../video/patrol-schedule.ts';
import { REPORT_TEXT, type ReportLanguage } from './incident-report-text.ts';

/** Snapshots embedded in one report at most: past this the notes still say they had one. */
const MAX_IMAGES = 60;

export interface IncidentReportInput {
  view: IncidentView;
  /** The incident's type as the SOP file has it now (undefined if it was removed: codes are shown instead). */
  type: IncidentType | undefined;
  language: ReportLanguage;
  generatedAt: number;
  generatedBy: Person;
  /** Note snapshots by evidence id (JPEG). */
  snapshots: Map<string, Buffer>;
  utcOffset?: UtcOffset;
}

/** `m:ss` (or `h:mm:ss`) of a duration in ms. */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0');
  return `${h ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

/** One 1-3-5 stage of an alarm: when reached, how long after the alarm against its target, and whether overdue. */
export function stageCell(alarm: Alarm, stage: ResponseStage, language: ReportLanguage, offset?: UtcOffset): string {
  const w = REPORT_TEXT[language];
  const reached = stageReachedAt(alarm, stage);
  const due = stageDueAt(alarm, stage);
  const target = elapsed(due - alarm.raisedAt);
  const overdue = alarm.clock.overdue.some((o) => o.stage === stage) || (reached !== null && reached > due);
  const mark = overdue ? ` ${w.overdue}` : '';
  if (reached === null) return `${w.notReached}\n${w.target} ${target}${mark}`;
  return `${localTime(reached, offset).slice(11)}\n+${elapsed(reached - alarm.raisedAt)} / ${target}${mark}`;
}

/** Any record entry's details in one short line: `key: value; …`. */
function detailsLine(e: TimelineEntry): string {
  const parts = Object.entries(e.details)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return clip(parts.join('; '));
}

const clip = (line: string, max = 300) => (line.length > max ? `${line.slice(0, max - 1)}…` : line);

/** What a record entry says, in the report's words for the entries an incident writes, else its details. */
function entryWords(e: TimelineEntry, input: IncidentReportInput, subjectName: (s: string | null) => string): string {
  const w = REPORT_TEXT[input.language];
  const d = e.details;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const stepText = (id: string) => input.type?.steps.find((s) => s.id === id)?.text[input.language] ?? id;
  switch (e.action) {
    case 'timeline.omitted':
      return w.omitted(Number(d.omitted));
    case 'alarm.raise':
      return `${w.alarmType[d.type as Alarm['type']] ?? str(d.type)} ${w.severity[d.severity as Severity] ?? ''}`.trim();
    case 'alarm.incident':
      return `→ ${str(d.number)}`;
    case 'incident.open':
      return clip(`${input.type?.name[input.language] ?? str(d.typeId)}${w.colon}${str(d.title)}`);
    case 'incident.addAlarms':
      return Array.isArray(d.alarmIds) ? d.alarmIds.map((a) => subjectName(String(a))).join(w.listSep) : '';
    case 'incident.step': {
      const state = d.action === 'skipped' ? w.stepState.skipped : w.stepState.done;
      return clip(`${stepText(str(d.stepId))}${w.colon}${state}${d.reason ? w.paren(`${w.reason}${w.colon}${str(d.reason)}`) : ''}`);
    }
    case 'incident.note':
      return clip(`${str(d.text)}${d.snapshotId ? w.paren(w.snapshot) : ''}`);
    case 'incident.close': {
      const pending = Array.isArray(d.pendingSteps) ? d.pendingSteps.length : 0;
      return clip(`${str(d.summary)}${pending ? w.paren(`${w.stepState.pending} ${pending}`) : ''}`);
    }
    default:
      return detailsLine(e);
  }
}

export function incidentReportPdf(input: IncidentReportInput, fontFile = CJK_FONT_FILE): Promise<Buffer> {
  const { view, type, language } = input;
  const { incident, alarms, orders } = view;
  const w = REPORT_TEXT[language];
  const t = (at: number | null) => (at === null ? '—' : localTime(at, input.utcOffset));
  const clock = (at: number | null) => (at === null ? '—' : t(at).slice(11));
  const who = (p: Person | null) => (p ? `${p.displayName}${w.paren(p.username)}` : '—');
  const typeName = type ? type.name[language] : incident.typeId;

  const { doc, done, left, width, room } = cjkPdf(fontFile, { Title: `${w.title} ${incident.number}`, Author: input.generatedBy.displayName });
  const heading = (text: string) => {
    room(60);
    doc.moveDown(0.8).fontSize(13).text(text, left, doc.y, { width });
    doc.moveDown(0.2).fontSize(8.5);
  };
  /** A table: column widths as fractions of the page; the header row repeats after a page break. */
  const table = (columns: Array<{ title: string; w: number }>, rows: string[][]) => {
    const xs = columns.reduce<number[]>((acc, c, i) => [...acc, i === 0 ? left : acc[i - 1] + columns[i - 1].w * width], []);
    const draw = (cells: string[], bold = false) => {
      const h = Math.max(...cells.map((s, i) => doc.heightOfString(s || ' ', { width: columns[i].w * width - 4 }))) + 4;
      if (doc.y + h > doc.page.height - doc.page.margins.bottom) {
        doc.addPage();
        if (!bold) draw(columns.map((c) => c.title), true);
      }
      const y = doc.y;
      cells.forEach((s, i) => doc.fillColor(bold ? '#444' : s.includes(w.overdue) || s === w.stepState.pending ? '#b00' : 'black').text(s, xs[i], y, { width: columns[i].w * width - 4 }));
      doc.fillColor('black');
      if (bold) doc.moveTo(left, y + h - 2).lineTo(left + width, y + h - 2).lineWidth(0.5).stroke();
      doc.x = left;
      doc.y = y + h;
    };
    draw(columns.map((c) => c.title), true);
    for (const r of rows) draw(r);
  };

  // The head: what, when, who.
  doc.fontSize(20).text(w.title, { align: 'center' });
  doc.moveDown(0.3).fontSize(11).text(`${incident.number}　${typeName}${incident.drill ? `　【${w.drill}】` : ''}`, { align: 'center' });
  doc.moveDown(0.6).fontSize(10);
  const facts: Array<[string, string]> = [
    [w.name, incident.title],
    [w.state, incident.state === 'open' ? w.open : w.closed],
    [w.opened, `${t(incident.openedAt)}　${who(incident.openedBy)}`],
    [w.closedAt, incident.closedAt === null ? w.notClosed : `${t(incident.closedAt)}　${who(incident.closedBy)}`],
    [w.position, incident.position ? `${incident.position.lon.toFixed(6)}, ${incident.position.lat.toFixed(6)}` : '—'],
    [w.generated, `${t(input.generatedAt)}　${who(input.generatedBy)}`],
  ];
  for (const [k, v] of facts) doc.text(`${k}${w.colon}${v}`, left, doc.y, { width });

  heading(`${w.alarms}${w.paren(String(alarms.length))}`);
  table(
    [{ title: w.alarm, w: 0.22 }, { title: w.raised, w: 0.13 }, { title: w.acknowledged, w: 0.17 }, { title: w.dispatched, w: 0.17 }, { title: w.onScene, w: 0.17 }, { title: w.resolved, w: 0.14 }],
    alarms.map((a, i) => [
      `${w.alarm} ${i + 1}　${w.alarmType[a.type] ?? a.type}\n${w.severity[a.severity]}　${a.id.slice(0, 8)}`,
      t(a.raisedAt).replace(' ', '\n'),
      stageCell(a, 'acknowledge', language, input.utcOffset),
      stageCell(a, 'dispatch', language, input.utcOffset),
      stageCell(a, 'on-scene', language, input.utcOffset),
      a.resolvedAt === null ? '—' : `${clock(a.resolvedAt)}\n+${elapsed(a.resolvedAt - a.raisedAt)}`,
    ]),
  );

  heading(`${w.orders}${w.paren(String(orders.length))}`);
  if (!orders.length) doc.text(w.noOrders, left, doc.y, { width });
  else {
    table(
      [{ title: w.unit, w: 0.2 }, { title: w.orderState, w: 0.12 }, { title: w.sent, w: 0.17 }, { title: w.orderAck, w: 0.17 }, { title: w.onScene, w: 0.17 }, { title: w.done, w: 0.17 }],
      orders.map((o) => [
        o.callSign,
        w.orderStates[o.state],
        `${clock(o.sentAt)}\n${o.sentBy.displayName}`,
        o.acknowledgedAt === null ? '—' : `${clock(o.acknowledgedAt)}\n+${elapsed(o.acknowledgedAt - o.sentAt)}`,
        o.onSceneAt === null ? '—' : `${clock(o.onSceneAt)}\n+${elapsed(o.onSceneAt - o.sentAt)}`,
        o.doneAt === null ? (o.cancelledAt === null ? '—' : `${clock(o.cancelledAt)} ${w.orderStates.cancelled}`) : clock(o.doneAt),
      ]),
    );
  }

  heading(w.checklist);
  const stepText = new Map((type?.steps ?? []).map((s) => [s.id, s]));
  table(
    [{ title: '#', w: 0.05 }, { title: w.step, w: 0.37 }, { title: w.state, w: 0.1 }, { title: w.when, w: 0.16 }, { title: w.who, w: 0.14 }, { title: w.reason, w: 0.18 }],
    incident.steps.map((s, i) => {
      const sop = stepText.get(s.stepId);
      const targetS = sop?.targetS;
      const late = s.at !== null && targetS !== undefined && s.at - incident.openedAt > targetS * 1000;
      const when = s.at === null ? (targetS === undefined ? '—' : `${w.target} ${elapsed(targetS * 1000)}`) : `${clock(s.at)}\n+${elapsed(s.at - incident.openedAt)}${targetS === undefined ? '' : ` / ${elapsed(targetS * 1000)}`}${late ? ` ${w.overdue}` : ''}`;
      return [String(i + 1), sop ? sop.text[language] : s.stepId, w.stepState[s.state], when, s.by?.displayName ?? '—', s.reason ?? ''];
    }),
  );
  const pending = incident.steps.filter((s) => s.state === 'pending');
  if (incident.state === 'closed' && pending.length) {
    doc.moveDown(0.3).fillColor('#b00').text(`${w.pendingNote}${w.colon}${pending.map((s) => stepText.get(s.stepId)?.text[language] ?? s.stepId).join(w.listSep)}`, left, doc.y, { width });
    doc.fillColor('black');
  }

  // The heading stays with the first note (and its picture).
  const first = incident.notes[0];
  room(first?.snapshotId && input.snapshots.has(first.snapshotId) ? 290 : 90);
  heading(`${w.notes}${w.paren(String(incident.notes.length))}`);
  if (!incident.notes.length) doc.text(w.noNotes, left, doc.y, { width });
  let images = 0;
  for (const n of incident.notes) {
    const jpegOf = n.snapshotId ? input.snapshots.get(n.snapshotId) : undefined;
    room(40 + (jpegOf && images < MAX_IMAGES ? 190 : 0)); // a note and its picture on one page
    doc.fontSize(8.5).fillColor('#444').text(`${t(n.at)}　${who(n.by)}`, left, doc.y, { width });
    doc.fillColor('black').fontSize(10).text(n.text, left, doc.y, { width });
    if (n.snapshotId) {
      const jpeg = jpegOf;
      if (jpeg && images < MAX_IMAGES) {
        const y = doc.y + 4;
        try {
          doc.image(jpeg, left, y, { fit: [240, 180] });
          images++;
          doc.x = left;
          doc.y = y + 184;
        } catch {
          doc.fontSize(8.5).text(`${w.snapshot} ${n.snapshotId}${w.colon}${w.snapshotMissing}`, left, y, { width });
        }
      } else {
        doc.fontSize(8.5).text(`${w.snapshot} ${n.snapshotId}${jpeg ? '' : `${w.colon}${w.snapshotMissing}`}`, left, doc.y, { width });
      }
    }
    doc.moveDown(0.4);
  }

  heading(`${w.timeline}${w.paren(String(view.timeline.length))}`);
  const subjectName = subjectNamer(view, language);
  table(
    [{ title: w.when, w: 0.16 }, { title: w.actor, w: 0.13 }, { title: w.action, w: 0.16 }, { title: w.subject, w: 0.15 }, { title: w.details, w: 0.4 }],
    view.timeline.map((e) => [
      t(e.at).replace(' ', '\n'),
      e.actor,
      w.actions[e.action] ?? e.action,
      subjectName(e.subject),
      entryWords(e, input, subjectName),
    ]),
  );

  heading(w.summary);
  doc.fontSize(10).text(incident.summary ?? w.noSummary, left, doc.y, { width });
  doc.end();
  return done;
}

/** A record entry's subject as a reader knows it: the incident's number, 警情 n (its alarm), a unit's call sign. */
function subjectNamer(view: IncidentView, language: ReportLanguage): (subject: string | null) => string {
  const w = REPORT_TEXT[language];
  const names = new Map<string, string>([[view.incident.id, view.incident.number]]);
  view.alarms.forEach((a, i) => names.set(a.id, `${w.alarm} ${i + 1}`));
  for (const o of view.orders) names.set(o.id, o.callSign);
  return (subject) => (subject === null ? '' : names.get(subject) ?? subject.slice(0, 12));
}
