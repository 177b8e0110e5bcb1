// The after-action report as a document: HTML (self-contained, the timeline chart as inline SVG) and PDF (the CJK
// font of the other reports), in Chinese or English. Both render one model (reportModel) so that they say the
// same thing; every word comes from the dictionary below.
import type { AlarmType, LocalText, ResolutionCategory, Severity } from '../../../shared/domain.ts';
import type { AfterActionReport, DrillKind, DrillStatus, ExpectedAction, PlanType, StepStatus } from '../../../shared/drills.ts';
import { localTime } from '../video/patrol-report.ts';
import { cjkPdf, CJK_FONT_FILE } from '../reports/cjk-pdf.ts';
import { drillTrackName } from './drill-injectors.ts';

export type ReportLang = 'zh-CN' | 'en';

type ControlKind = NonNullable<AfterActionReport['controls']>[number]['kind'];

const zh = {
  title: '复盘报告', drill: '演练', colon: '：', listSep: '、', paren: (s: string) => `（${s}）`,
  plan: '预案', version: '版本', kind: '演练形式', eventType: '事件类型', place: '地点', units: '参演单位', coordinator: '导调员',
  started: '开始', ended: '结束', notEnded: '未结束', tz: '北京时间', speed: '倍速', seed: '随机种子', status: '状态', abortReason: '中止原因',
  duration: '演练时长', drillId: '演练编号',
  kinds: { 'full-scale': '综合演练', 'single-unit': '单项演练', tabletop: '桌面推演' } satisfies Record<DrillKind, string>,
  types: { drill: '演练脚本', closure: '圈层查控' } satisfies Record<PlanType, string>,
  statuses: { running: '进行中', paused: '已暂停', ended: '已结束', aborted: '已中止' } satisfies Record<DrillStatus, string>,
  summary: '汇总', met: '按时完成', late: '超时完成', missed: '未完成', alarmsCount: '演练警情',
  chart: '计划与实际时间线', legendPlanned: '计划时间', legendFired: '实际触发', legendWindow: '目标时限',
  response: '响应时间（对照 1-3-5 目标）', step: '步骤', unit: '单位', expected: '期望动作', reference: '计时起点', actual: '实际用时', target: '目标', verdict: '结果',
  verdicts: { met: '按时', late: '超时', missed: '未完成' },
  cutShort: '中止时未到期', notReached: '未达', overdue: '超时',
  alarms: '演练警情的 1-3-5 环节（报警后用时）', alarm: '警情', raised: '报警', acknowledged: '确认', dispatched: '派警', onScene: '到场', closedAs: '关闭', noAlarms: '无演练警情。',
  timeline: '计划与实际', planned: '计划', action: '行动', fired: '触发', done: '完成', state: '状态', injectFailed: '注入失败',
  missedSteps: '未完成步骤', noMissed: '无未完成步骤。', noMeasures: '预案没有计时的期望动作。',
  observations: '导调观察记录', noObservations: '无观察记录。', at: '时间', by: '记录人', text: '内容',
  controls: '演练控制', noControls: '无。',
  controlKinds: { start: '开始', pause: '暂停', resume: '继续', speed: '调速', skip: '跳至下一步', end: '结束', abort: '中止' } satisfies Record<ControlKind, string>,
  stepStatus: { pending: '未触发', waiting: '等待条件', fired: '已触发', done: '按时完成', late: '超时完成', missed: '未完成', skipped: '无需执行' } satisfies Record<StepStatus, string>,
  actions: {
    acknowledged: '确认警情', dispatched: '派警', 'on-scene': '到场', resolved: '处置完毕', closed: '关闭警情', 'incident-opened': '立案',
    'atc-notified': '通报空管', 'unit-arrived': '到达指定位置', confirmed: '导调员确认',
  } satisfies Record<ExpectedAction, string>,
  closed: { confirmed: '属实', 'false-alarm': '误报', drill: '演练', duplicate: '重复', other: '其他' } satisfies Record<ResolutionCategory, string>,
  severity: { 1: '提示', 2: '一般', 3: '重要', 4: '紧急' } satisfies Record<Severity, string>,
  alarmType: {
    manual: '人工报警', 'touch-circle': '触圈报警', 'clearance-penetration': '净空超高', 'camera-offline': '摄像机离线', 'camera-frozen': '画面冻结',
    'video-analytic': '视频智能分析', 'plate-watchlist': '布控车辆', 'source-silent': '数据源静默', 'drone-threat': '无人机威胁', 'drone-swarm': '无人机蜂群',
  } satisfies Record<AlarmType, string>,
  page: (n: number, m: number) => `第 ${n} 页 / 共 ${m} 页`,
  fromStep: '来自步骤', drillParen: '（演练）', serial: '序列号', drillTarget: '演练目标',
  analytics: {
    motion: '移动侦测', 'line-crossing': '越线', intrusion: '周界入侵', loitering: '长时间逗留', 'unattended-object': '遗留物品',
    'face-watchlist': '人脸布控', tamper: '视频遮挡',
  } as Record<string, string>,
};

const en: typeof zh = {
  title: 'After-action report', drill: 'DRILL', colon: ': ', listSep: ', ', paren: (s: string) => ` (${s})`,
  plan: 'Plan', version: 'Version', kind: 'Drill kind', eventType: 'Event type', place: 'Place', units: 'Units', coordinator: 'Coordinator',
  started: 'Started', ended: 'Ended', notEnded: 'not ended', tz: 'Beijing time', speed: 'Speed', seed: 'Seed', status: 'Status', abortReason: 'Abort reason',
  duration: 'Drill time', drillId: 'Drill',
  kinds: { 'full-scale': 'Full-scale', 'single-unit': 'Single-unit', tabletop: 'Tabletop' },
  types: { drill: 'Drill script', closure: 'Closure plan' },
  statuses: { running: 'running', paused: 'paused', ended: 'ended', aborted: 'aborted' },
  summary: 'Summary', met: 'Met', late: 'Late', missed: 'Missed', alarmsCount: 'Drill alarms',
  chart: 'Plan against actual', legendPlanned: 'planned', legendFired: 'fired', legendWindow: 'target window',
  response: 'Response times against the 1-3-5 targets', step: 'Step', unit: 'Unit', expected: 'Expected action', reference: 'Timed from', actual: 'Actual', target: 'Target', verdict: 'Verdict',
  verdicts: { met: 'met', late: 'late', missed: 'missed' },
  cutShort: 'not due when aborted', notReached: 'not reached', overdue: 'overdue',
  alarms: 'Drill alarms: 1-3-5 stages (time after the alarm)', alarm: 'Alarm', raised: 'Raised', acknowledged: 'Acknowledged', dispatched: 'Dispatched', onScene: 'On scene', closedAs: 'Closed', noAlarms: 'No drill alarms.',
  timeline: 'Steps', planned: 'Planned', action: 'Action', fired: 'Fired', done: 'Done', state: 'State', injectFailed: 'inject failed',
  missedSteps: 'Missed steps', noMissed: 'No missed steps.', noMeasures: 'The plan times no expected actions.',
  observations: 'Observations', noObservations: 'No observations.', at: 'Time', by: 'By', text: 'Text',
  controls: 'Drill controls', noControls: 'None.',
  controlKinds: { start: 'start', pause: 'pause', resume: 'resume', speed: 'speed', skip: 'skip to next step', end: 'end', abort: 'abort' },
  stepStatus: { pending: 'not fired', waiting: 'waiting', fired: 'fired', done: 'met', late: 'late', missed: 'missed', skipped: 'not needed' },
  actions: {
    acknowledged: 'alarm acknowledged', dispatched: 'unit dispatched', 'on-scene': 'on scene', resolved: 'resolved', closed: 'alarm closed', 'incident-opened': 'incident opened',
    'atc-notified': 'ATC notified', 'unit-arrived': 'unit in place', confirmed: 'confirmed by the coordinator',
  },
  closed: { confirmed: 'confirmed', 'false-alarm': 'false alarm', drill: 'drill', duplicate: 'duplicate', other: 'other' },
  severity: { 1: 'Info', 2: 'Minor', 3: 'Major', 4: 'Critical' },
  alarmType: {
    manual: 'Manual alarm', 'touch-circle': 'Touch-circle alarm', 'clearance-penetration': 'Clearance penetration', 'camera-offline': 'Camera offline',
    'camera-frozen': 'Picture frozen', 'video-analytic': 'Video analytics', 'plate-watchlist': 'Watch-listed vehicle', 'source-silent': 'Source silent',
    'drone-threat': 'Drone threat', 'drone-swarm': 'Drone swarm',
  },
  page: (n: number, m: number) => `Page ${n} of ${m}`,
  fromStep: 'From step', drillParen: ' (drill)', serial: 'serial', drillTarget: 'Drill target',
  analytics: {
    motion: 'motion', 'line-crossing': 'line crossing', intrusion: 'intrusion', loitering: 'loitering', 'unattended-object': 'unattended object',
    'face-watchlist': 'watch-listed face', tamper: 'camera tampering',
  },
};

const WORDS: Record<ReportLang, typeof zh> = { 'zh-CN': zh, en };

const ANALYTIC_TITLE = /^(.*\S)\s+(motion|line-crossing|intrusion|loitering|unattended-object|face-watchlist|tamper)$/;
/** A drill track named the old way, after the drill's id and the step's id: `bd8265af-inject-vehicle → 内圈…`. */
const OLD_DRILL_TRACK = /^[0-9a-f]{8}-([A-Za-z0-9][A-Za-z0-9_.-]*)(.*)$/;
/** A drone's serial number (a remote id) used as its label. */
const SERIAL = /^[0-9A-Za-z]{12,}$/;

/**
 * A drill alarm's title as an operator reads it: a drone's bare serial becomes 无人机威胁（演练）· 序列号 1581F830…,
 * an analytic's code its words (FENCE-01 长时间逗留), a drill track named by its drill and step ids the step's words.
 * `stepAction` gives a step's action by its id.
 */
export function drillAlarmTitle(
  alarm: { type?: AlarmType; title: string }, stepAction: (stepId: string) => LocalText | undefined, lang: ReportLang,
): string {
  const w = WORDS[lang];
  const title = alarm.title.trim();
  if ((alarm.type === 'drone-threat' || alarm.type === undefined) && SERIAL.test(title) && /\d/.test(title)) {
    return `${w.alarmType['drone-threat']}${w.drillParen} · ${w.serial} ${title.slice(0, 8)}…`;
  }
  const analytic = alarm.type === 'video-analytic' || alarm.type === undefined ? ANALYTIC_TITLE.exec(title) : null;
  if (analytic) return `${analytic[1]} ${w.analytics[analytic[2]]}`;
  const old = OLD_DRILL_TRACK.exec(title);
  if (old && (alarm.type === 'touch-circle' || alarm.type === 'clearance-penetration' || alarm.type === undefined)) {
    const action = stepAction(old[1]);
    if (action || alarm.type !== undefined) return `${drillTrackName(action?.zh)}${old[2]}`;
  }
  return title;
}

/** Beijing time has no daylight saving: a fixed UTC+8, whatever the host's zone. */
const SHANGHAI = () => 480;

// ——— The model both documents render ———

type Tone = 'met' | 'late' | 'missed' | 'muted' | 'fired';
interface Cell { text: string; tone?: Tone }
interface Table { columns: Array<{ title: string; w: number }>; rows: Cell[][] }
interface Section { heading: string; table?: Table; empty?: string }

interface ChartRow {
  stepId: string;
  label: string;
  /** The step's action in full (a tooltip in HTML). */
  detail: string;
  plannedS: number;
  firedS?: number;
  /** When its expectation happened, and how it went. */
  done?: { s: number; tone: 'met' | 'late' };
  /** The target window: from the reference to reference + target. */
  window?: { fromS: number; toS: number };
  /** Never happened: the target passed at this time. */
  missedAtS?: number;
  note?: string;
}
interface Chart { endS: number; tickS: number; rows: ChartRow[]; marks: Array<{ s: number; text: string }>; durationS: number }

interface Model {
  lang: ReportLang;
  title: string;
  subtitle: string;
  facts: Array<[string, string, boolean?]>;
  summary: Array<{ label: string; value: string; tone?: Tone }>;
  chart: Chart;
  legend: Array<{ text: string; tone: Tone | 'planned' | 'window' }>;
  sections: Section[];
}

/** `T+mm:ss` of drill seconds (minutes run on past 59, as plans write them). */
export function tPlus(s: number): string {
  return `T+${clock(s)}`;
}

function clock(s: number): string {
  const whole = Math.max(0, Math.round(s));
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

/** `m:ss` of a duration in seconds. */
function span(s: number): string {
  const whole = Math.max(0, Math.round(s));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

const TICKS = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

function reportModel(report: AfterActionReport, lang: ReportLang): Model {
  const w = WORDS[lang];
  const lt = (t: { zh: string; en: string }) => (lang === 'en' ? t.en || t.zh : t.zh || t.en);
  const unitName = (id: string) => {
    const u = report.plan.units.find((x) => x.id === id);
    return u ? lt(u.name) : id;
  };
  const { drill, summary } = report;
  const wall = (at: number) => `${localTime(at, SHANGHAI)}${w.paren(w.tz)}`;
  const measureOf = new Map(report.measures.map((m) => [m.stepId, m]));
  const actionOf = new Map(report.timeline.map((t) => [t.stepId, t.action]));
  const stepWords = (stepId: string) => {
    const a = actionOf.get(stepId);
    return a ? lt(a) : stepId;
  };
  // A step as the chart names it: its action, then its unit ("值班员确认警情 · 公安指挥中心值班席"); the unit is left out
  // where the action already names it ("导调组宣布演练开始").
  const stepLabel = (stepId: string, unit: string) => {
    const action = stepWords(stepId);
    const who = unitName(unit);
    return action.includes(who) ? action : `${action} · ${who}`;
  };

  // Short facts go two to a line; long ones (`true`) take the whole width.
  const facts: Array<[string, string, boolean?]> = [
    [w.plan, `${lt(report.plan.title)}${w.paren(report.plan.id)}`, true],
    [w.version, `v${report.plan.version}`],
    [w.kind, `${w.kinds[report.plan.kind]}${report.plan.type === 'closure' ? w.paren(w.types.closure) : ''}`],
    [w.eventType, report.plan.eventType],
    [w.status, w.statuses[drill.status]],
    [w.coordinator, drill.coordinator],
    [w.speed, `${drill.speed}×`],
    [w.started, wall(drill.startedAt)],
    [w.ended, drill.endedAt === undefined ? w.notEnded : wall(drill.endedAt)],
    [w.duration, tPlus(summary.durationS)],
    [w.seed, String(drill.seed)],
    ...(drill.abortReason ? [[w.abortReason, drill.abortReason, true] as [string, string, boolean]] : []),
    [w.place, lt(report.plan.place), true],
    [w.units, report.plan.units.map((u) => lt(u.name)).join(w.listSep), true],
    [w.drillId, drill.id, true],
  ];

  const summaryCells: Model['summary'] = [
    { label: w.met, value: String(summary.met), tone: 'met' },
    { label: w.late, value: String(summary.late), tone: 'late' },
    { label: w.missed, value: String(summary.missed), tone: 'missed' },
    { label: w.duration, value: tPlus(summary.durationS) },
    { label: w.alarmsCount, value: String(report.alarms.length) },
  ];

  // The chart: one row per step.
  const rows: ChartRow[] = report.timeline.map((t) => {
    const m = measureOf.get(t.stepId);
    const row: ChartRow = { stepId: t.stepId, label: stepLabel(t.stepId, t.unit), detail: `${unitName(t.unit)}${w.colon}${lt(t.action)}`, plannedS: t.plannedS };
    if (t.firedS !== undefined) row.firedS = t.firedS;
    if (m) {
      const from = m.referenceS ?? t.plannedS;
      row.window = { fromS: from, toS: from + m.targetS };
      if (m.actualS !== undefined) row.done = { s: from + m.actualS, tone: m.verdict === 'met' ? 'met' : 'late' };
      else if (!m.cutShort) row.missedAtS = from + m.targetS;
    }
    if (t.status === 'skipped') row.note = w.stepStatus.skipped;
    else if (t.injectFailed !== undefined) row.note = w.injectFailed;
    else if (m?.cutShort) row.note = w.cutShort;
    return row;
  });
  const marks = (report.controls ?? [])
    .filter((c) => c.kind === 'pause' || c.kind === 'skip' || c.kind === 'speed' || c.kind === 'abort')
    .map((c) => ({ s: c.atS, text: `${w.controlKinds[c.kind]}${c.kind === 'speed' && c.detail !== undefined ? ` ${c.detail}×` : ''}` }));
  const latest = Math.max(
    summary.durationS, 1,
    ...rows.flatMap((r) => [r.plannedS, r.firedS ?? 0, r.done?.s ?? 0, r.window?.toS ?? 0]),
  );
  const tickS = TICKS.find((t) => latest / t <= 10) ?? Math.ceil(latest / 10 / 3600) * 3600;
  const chart: Chart = { endS: Math.ceil(latest / tickS) * tickS, tickS, rows, marks, durationS: summary.durationS };

  const legend: Model['legend'] = [
    { text: w.legendPlanned, tone: 'planned' }, { text: w.legendFired, tone: 'fired' }, { text: w.legendWindow, tone: 'window' },
    { text: w.met, tone: 'met' }, { text: w.late, tone: 'late' }, { text: w.missed, tone: 'missed' },
  ];

  const stepCell = (stepId: string) => stepWords(stepId);

  const response: Table = {
    columns: [
      { title: w.step, w: 0.3 }, { title: w.unit, w: 0.14 }, { title: w.expected, w: 0.14 }, { title: w.reference, w: 0.1 },
      { title: w.actual, w: 0.1 }, { title: w.target, w: 0.08 }, { title: w.verdict, w: 0.14 },
    ],
    rows: report.measures.map((m) => {
      const tone: Tone = m.cutShort ? 'muted' : m.verdict;
      return [
        { text: stepCell(m.stepId) }, { text: unitName(m.unit) }, { text: w.actions[m.action] },
        { text: tPlus(m.referenceS ?? 0) },
        { text: m.actualS === undefined ? '—' : span(m.actualS), tone },
        { text: span(m.targetS) },
        { text: m.cutShort ? w.cutShort : w.verdicts[m.verdict], tone },
      ];
    }),
  };

  const stage = (s: number | undefined, targetS: number | undefined): Cell => {
    const target = targetS === undefined ? '' : ` / ${span(targetS)}`;
    if (s === undefined) return { text: `${w.notReached}${target}`, tone: 'muted' };
    const over = targetS !== undefined && s > targetS;
    return { text: `+${span(s)}${target}${over ? ` ${w.overdue}` : ''}`, tone: over ? 'late' : 'met' };
  };
  const alarms: Table = {
    columns: [
      { title: w.alarm, w: 0.28 }, { title: w.raised, w: 0.1 }, { title: w.acknowledged, w: 0.15 }, { title: w.dispatched, w: 0.15 },
      { title: w.onScene, w: 0.15 }, { title: w.closedAs, w: 0.17 },
    ],
    rows: report.alarms.map((a) => [
      { text: `${a.type ? w.alarmType[a.type] : w.alarm}${a.severity ? ` ${w.severity[a.severity]}` : ''}\n${drillAlarmTitle(a, (id) => actionOf.get(id), lang)}${a.stepId ? `\n${w.fromStep}${w.colon}${shorten(stepWords(a.stepId), 30)}` : ''}` },
      { text: tPlus(a.raisedS) },
      stage(a.acknowledgedS, a.targets?.acknowledgeS),
      stage(a.dispatchedS, a.targets?.dispatchS),
      stage(a.onSceneS, a.targets?.onSceneS),
      { text: a.closed ? w.closed[a.closed] : '—' },
    ]),
  };

  const statusTone = (s: StepStatus): Tone | undefined => (s === 'done' ? 'met' : s === 'late' ? 'late' : s === 'missed' ? 'missed' : s === 'skipped' || s === 'pending' ? 'muted' : undefined);
  const timeline: Table = {
    columns: [
      { title: w.planned, w: 0.1 }, { title: w.unit, w: 0.17 }, { title: w.action, w: 0.42 },
      { title: w.fired, w: 0.1 }, { title: w.done, w: 0.1 }, { title: w.state, w: 0.11 },
    ],
    rows: report.timeline.map((t) => [
      { text: tPlus(t.plannedS) }, { text: unitName(t.unit) },
      { text: `${lt(t.action)}${t.injectFailed !== undefined ? `\n${w.injectFailed}${w.colon}${t.injectFailed}` : ''}` },
      { text: t.firedS === undefined ? '—' : tPlus(t.firedS) },
      { text: t.doneS === undefined ? '—' : tPlus(t.doneS) },
      { text: w.stepStatus[t.status], tone: statusTone(t.status) },
    ]),
  };

  const missed: Table = {
    columns: [{ title: w.step, w: 0.45 }, { title: w.unit, w: 0.2 }, { title: w.expected, w: 0.2 }, { title: w.target, w: 0.15 }],
    rows: report.missed.map((id) => {
      const m = measureOf.get(id);
      return [
        { text: stepCell(id), tone: 'missed' as Tone }, { text: m ? unitName(m.unit) : '' }, { text: m ? w.actions[m.action] : '' },
        { text: m ? `${tPlus((m.referenceS ?? 0) + m.targetS)}` : '' },
      ];
    }),
  };

  const observations: Table = {
    columns: [{ title: w.at, w: 0.1 }, { title: w.by, w: 0.12 }, { title: w.step, w: 0.22 }, { title: w.text, w: 0.56 }],
    rows: report.observations.map((o) => [{ text: tPlus(o.atMs / 1000) }, { text: o.by }, { text: o.stepId ? shorten(stepWords(o.stepId), 30) : '—' }, { text: o.text }]),
  };

  const controls: Table = {
    columns: [{ title: w.at, w: 0.15 }, { title: w.action, w: 0.35 }, { title: w.text, w: 0.5 }],
    rows: (report.controls ?? []).map((c) => [
      { text: tPlus(c.atS) }, { text: w.controlKinds[c.kind] },
      { text: controlDetail(c) },
    ]),
  };

  // The engine's details: the new speed, the drill time a skip jumped to, an abort's reason.
  function controlDetail(c: NonNullable<AfterActionReport['controls']>[number]): string {
    if (c.detail === undefined) return '';
    if (c.kind === 'speed') return `${c.detail}×`;
    if (c.kind === 'skip' && typeof c.detail === 'number') return `→ ${tPlus(c.detail / 1000)}`;
    return String(c.detail);
  }
  const section = (heading: string, table: Table, empty: string): Section => (table.rows.length ? { heading, table } : { heading, empty });
  return {
    lang,
    title: w.title,
    subtitle: lt(report.plan.title),
    facts,
    summary: summaryCells,
    chart,
    legend,
    sections: [
      section(w.response, response, w.noMeasures),
      section(w.alarms, alarms, w.noAlarms),
      section(w.timeline, timeline, '—'),
      section(`${w.missedSteps}${w.paren(String(report.missed.length))}`, missed, w.noMissed),
      section(`${w.observations}${w.paren(String(report.observations.length))}`, observations, w.noObservations),
      section(w.controls, controls, w.noControls),
    ],
  };
}

const COLOURS: Record<Tone | 'planned' | 'window' | 'grid' | 'text', string> = {
  met: '#2e7d32', late: '#d68910', missed: '#c62828', muted: '#777777', fired: '#1f4e79', planned: '#444444', window: '#dbe7f3', grid: '#d0d0d0', text: '#222222',
};

// ——— HTML ———

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
const escLines = (s: string) => esc(s).replace(/\n/g, '<br>');

/** The chart as SVG: a label column, then drill time left to right; one `<g class="row">` per step. */
function chartSvg(chart: Chart, legend: Model['legend'], axisTitle: string): string {
  const W = 960, labelW = 250, right = 24, top = 34, rowH = 26, legendH = 30;
  const plotW = W - labelW - right;
  const x = (s: number) => (labelW + (s / chart.endS) * plotW).toFixed(1);
  const H = top + chart.rows.length * rowH + 10 + legendH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(axisTitle)}">`);
  const bottom = top + chart.rows.length * rowH;
  // Row shading first, so that the grid and the marks stay visible over it.
  chart.rows.forEach((_, i) => {
    if (i % 2 === 0) out.push(`<rect x="0" y="${top + i * rowH}" width="${W}" height="${rowH}" fill="#f6f7f9"/>`);
  });
  for (let s = 0; s <= chart.endS + 1e-9; s += chart.tickS) {
    out.push(`<line x1="${x(s)}" y1="${top - 4}" x2="${x(s)}" y2="${bottom}" stroke="${COLOURS.grid}" stroke-width="1"/>`);
    out.push(`<text x="${x(s)}" y="${top - 10}" text-anchor="middle" class="tick">${esc(tPlus(s))}</text>`);
  }
  for (const m of chart.marks) {
    out.push(`<g class="mark"><line x1="${x(m.s)}" y1="${top - 4}" x2="${x(m.s)}" y2="${bottom}" stroke="#7b4fa0" stroke-dasharray="2 3"/>` +
      `<title>${esc(`${tPlus(m.s)} ${m.text}`)}</title><text x="${x(m.s)}" y="${bottom + 12}" text-anchor="middle" class="marktext">${esc(m.text)}</text></g>`);
  }
  chart.rows.forEach((r, i) => {
    const y = top + i * rowH;
    const cy = y + rowH / 2;
    const parts: string[] = [];
    parts.push(`<text x="6" y="${cy + 4}" class="label">${esc(clip(r.label, 38))}</text>`);
    if (r.window) parts.push(`<rect x="${x(r.window.fromS)}" y="${cy - 4}" width="${(Number(x(r.window.toS)) - Number(x(r.window.fromS))).toFixed(1)}" height="8" fill="${COLOURS.window}"/>`);
    if (r.firedS !== undefined && r.done) parts.push(`<line x1="${x(r.firedS)}" y1="${cy}" x2="${x(r.done.s)}" y2="${cy}" stroke="${COLOURS[r.done.tone]}" stroke-width="2"/>`);
    if (r.missedAtS !== undefined) {
      if (chart.durationS > r.missedAtS) parts.push(`<line x1="${x(r.missedAtS)}" y1="${cy}" x2="${x(chart.durationS)}" y2="${cy}" stroke="${COLOURS.missed}" stroke-width="2" stroke-dasharray="4 3"/>`);
      parts.push(`<rect class="missed" x="${Number(x(r.missedAtS)) - 5}" y="${cy - 5}" width="10" height="10" fill="${COLOURS.missed}"/>`);
    }
    parts.push(`<circle class="planned" cx="${x(r.plannedS)}" cy="${cy}" r="6" fill="none" stroke="${COLOURS.planned}" stroke-width="1.5"/>`);
    if (r.firedS !== undefined) parts.push(`<circle class="fired" cx="${x(r.firedS)}" cy="${cy}" r="3.5" fill="${COLOURS.fired}"/>`);
    if (r.done) parts.push(`<path class="${r.done.tone}" d="M${x(r.done.s)} ${cy - 6} l6 6 l-6 6 l-6 -6 z" fill="${COLOURS[r.done.tone]}"/>`);
    if (r.note) parts.push(`<text x="${Number(x(r.plannedS)) + 10}" y="${cy + 4}" class="note">${esc(r.note)}</text>`);
    out.push(`<g class="row" data-step="${esc(r.stepId)}"><title>${esc(r.detail)}</title>${parts.join('')}</g>`);
  });
  // The legend, under the plot.
  let lx = labelW;
  const ly = bottom + 26;
  for (const l of legend) {
    const c = l.tone === 'planned' ? COLOURS.planned : COLOURS[l.tone];
    const sym = l.tone === 'planned' ? `<circle cx="${lx + 6}" cy="${ly - 4}" r="5" fill="none" stroke="${c}" stroke-width="1.5"/>`
      : l.tone === 'window' ? `<rect x="${lx}" y="${ly - 8}" width="14" height="8" fill="${c}"/>`
        : l.tone === 'missed' ? `<rect x="${lx + 1}" y="${ly - 9}" width="10" height="10" fill="${c}"/>`
          : l.tone === 'fired' ? `<circle cx="${lx + 6}" cy="${ly - 4}" r="3.5" fill="${c}"/>`
            : `<path d="M${lx + 6} ${ly - 10} l6 6 l-6 6 l-6 -6 z" fill="${c}"/>`;
    out.push(`<g class="legend">${sym}<text x="${lx + 18}" y="${ly}" class="tick" text-anchor="start">${esc(l.text)}</text></g>`);
    lx += 26 + l.text.length * (/[^\x00-\x7f]/.test(l.text) ? 13 : 7);
  }
  out.push('</svg>');
  return out.join('\n');
}

/** At most `max` characters, ending in an ellipsis when cut. */
function shorten(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

/** Cut to about `max` Latin letters' width (a Chinese character counts as two), ending in an ellipsis. */
function clip(s: string, max: number): string {
  let width = 0;
  const chars = Array.from(s);
  for (let i = 0; i < chars.length; i++) {
    width += /[\u2e80-\uffff]/.test(chars[i]) ? 2 : 1;
    if (width > max) return `${chars.slice(0, i).join('')}…`;
  }
  return s;
}

const CSS = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;color:#222;margin:24px auto;max-width:1000px;padding:0 16px;line-height:1.5}
.watermark{position:fixed;inset:0;display:flex;align-items:center;justify-content:center;pointer-events:none;font-size:180px;font-weight:700;color:rgba(198,40,40,.06);transform:rotate(-24deg);z-index:0}
header{display:flex;align-items:baseline;gap:12px;border-bottom:2px solid #c62828;padding-bottom:8px}
header h1{margin:0;font-size:26px}
.badge{background:#c62828;color:#fff;border-radius:3px;padding:1px 8px;font-size:14px;font-weight:700}
.subtitle{font-size:17px;color:#444}
dl.facts{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:2px 14px;margin:14px 0}
dl.facts dt{color:#666}dl.facts dd{margin:0;overflow-wrap:anywhere}dl.facts dd.wide{grid-column:span 3}
.summary{display:flex;gap:10px;flex-wrap:wrap;margin:10px 0 4px}
.summary div{border:1px solid #ddd;border-radius:4px;padding:6px 14px;min-width:90px}
.summary b{display:block;font-size:22px}
h2{font-size:17px;margin:22px 0 8px;border-left:4px solid #1f4e79;padding-left:8px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f0f2f5;font-weight:600}
.chart{border:1px solid #ddd;background:#fff}
.chart .tick{font-size:11px;fill:#555}.chart .label{font-size:12px;fill:#222}.chart .note{font-size:11px;fill:#777}.chart .marktext{font-size:10px;fill:#7b4fa0}
.met{color:${COLOURS.met}}.late{color:${COLOURS.late}}.missed{color:${COLOURS.missed}}.muted{color:${COLOURS.muted}}.fired{color:${COLOURS.fired}}
section{position:relative;z-index:1}
`;

export function afterActionHtml(report: AfterActionReport, lang: ReportLang): string {
  const w = WORDS[lang];
  const m = reportModel(report, lang);
  const cell = (c: Cell, tag = 'td') => `<${tag}${c.tone ? ` class="${c.tone}"` : ''}>${escLines(c.text)}</${tag}>`;
  const table = (t: Table) =>
    `<table><thead><tr>${t.columns.map((c) => `<th style="width:${Math.round(c.w * 100)}%">${esc(c.title)}</th>`).join('')}</tr></thead>` +
    `<tbody>${t.rows.map((r) => `<tr>${r.map((c) => cell(c)).join('')}</tr>`).join('\n')}</tbody></table>`;
  const factPairs = m.facts.map(([k, v, wide]) => `<dt>${esc(k)}</dt><dd${wide ? ' class="wide"' : ''}>${esc(v)}</dd>`).join('');
  return [
    '<!doctype html>',
    `<html lang="${lang === 'en' ? 'en' : 'zh-CN'}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(`${m.title} — ${m.subtitle}`)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<div class="watermark" aria-hidden="true">${esc(w.drill)}</div>`,
    `<header><span class="badge">${esc(w.drill)}</span><h1>${esc(m.title)}</h1><span class="subtitle">${esc(m.subtitle)}</span></header>`,
    `<section><dl class="facts">${factPairs}</dl></section>`,
    `<section><h2>${esc(w.summary)}</h2><div class="summary">${m.summary.map((s) => `<div${s.tone ? ` class="${s.tone}"` : ''}><b>${esc(s.value)}</b>${esc(s.label)}</div>`).join('')}</div></section>`,
    `<section><h2>${esc(w.chart)}</h2>${chartSvg(m.chart, m.legend, w.chart)}</section>`,
    ...m.sections.map((s) => `<section><h2>${esc(s.heading)}</h2>${s.table ? table(s.table) : `<p class="muted">${esc(s.empty ?? '')}</p>`}</section>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// ——— PDF ———

export async function afterActionPdf(report: AfterActionReport, lang: ReportLang, fontFile = CJK_FONT_FILE): Promise<Buffer> {
  const w = WORDS[lang];
  const m = reportModel(report, lang);
  const { doc, done, left, width, floor, room } = cjkPdf(fontFile, { Title: `${m.title} ${m.subtitle}`, Author: report.drill.coordinator }, { bufferPages: true });
  const heading = (text: string) => {
    room(70);
    doc.moveDown(0.8).fontSize(13).fillColor(COLOURS.fired).text(text, left, doc.y, { width });
    doc.fillColor('black').moveDown(0.2).fontSize(8.5);
  };
  const table = (t: Table) => {
    const xs = t.columns.reduce<number[]>((acc, c, i) => [...acc, i === 0 ? left : acc[i - 1] + t.columns[i - 1].w * width], []);
    const cellW = (i: number) => t.columns[i].w * width - 6;
    const draw = (cells: Cell[], head: boolean) => {
      doc.fontSize(8.5);
      const h = Math.max(...cells.map((c, i) => doc.heightOfString(c.text || ' ', { width: cellW(i) }))) + 5;
      if (doc.y + h > floor()) {
        doc.addPage();
        if (!head) draw(t.columns.map((c) => ({ text: c.title })), true);
      }
      const y = doc.y;
      if (head) doc.rect(left, y - 1, width, h).fill('#eef1f5');
      cells.forEach((c, i) => doc.fillColor(c.tone ? COLOURS[c.tone] : head ? '#333' : 'black').text(c.text || ' ', xs[i] + 2, y + 1, { width: cellW(i) }));
      doc.fillColor('black');
      doc.moveTo(left, y + h - 1).lineTo(left + width, y + h - 1).lineWidth(0.4).strokeColor('#cccccc').stroke();
      doc.x = left;
      doc.y = y + h;
    };
    draw(t.columns.map((c) => ({ text: c.title })), true);
    for (const r of t.rows) draw(r, false);
  };

  // The head.
  doc.fontSize(20).fillColor('black').text(m.title, left, doc.y, { width, align: 'center' });
  doc.moveDown(0.2).fontSize(12).text(m.subtitle, left, doc.y, { width, align: 'center' });
  doc.moveDown(0.6).fontSize(9.5);
  const half = width / 2;
  for (let i = 0; i < m.facts.length;) {
    const pair = m.facts[i][2] || i + 1 >= m.facts.length || m.facts[i + 1][2] ? [m.facts[i]] : [m.facts[i], m.facts[i + 1]];
    const cellW = pair.length === 1 && pair[0][2] ? width : half - 8;
    const lines = pair.map(([k, v]) => `${k}${w.colon}${v}`);
    const h = Math.max(...lines.map((s) => doc.heightOfString(s, { width: cellW })));
    room(h);
    const y = doc.y;
    lines.forEach((s, j) => doc.text(s, left + j * half, y, { width: cellW }));
    doc.x = left;
    doc.y = y + h + 1;
    i += pair.length;
  }

  heading(w.summary);
  {
    const y = doc.y;
    const boxW = width / m.summary.length;
    m.summary.forEach((s, i) => {
      const x = left + i * boxW;
      doc.rect(x + 2, y, boxW - 4, 38).lineWidth(0.6).strokeColor('#cccccc').stroke();
      doc.fontSize(15).fillColor(s.tone ? COLOURS[s.tone] : 'black').text(s.value, x + 8, y + 3, { width: boxW - 16 });
      doc.fontSize(8.5).fillColor('#444').text(s.label, x + 8, y + 23, { width: boxW - 16 });
    });
    doc.fillColor('black');
    doc.x = left;
    doc.y = y + 44;
  }

  heading(w.chart);
  pdfChart(doc, m, left, width, floor);

  for (const s of m.sections) {
    heading(s.heading);
    if (s.table) table(s.table);
    else doc.fontSize(9).fillColor(COLOURS.muted).text(s.empty ?? '', left, doc.y, { width }).fillColor('black');
  }

  // Page numbers and the drill mark on every page, written into the bottom margin (which must not break the page).
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(8).fillColor('#666').text(w.page(i - range.start + 1, range.count), left, doc.page.height - 28, { width, align: 'center', lineBreak: false });
    doc.fontSize(8).fillColor(COLOURS.missed).text(`【${w.drill}】`, left, 20, { width, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.fillColor('black');
  doc.end();
  return done;
}

/** The timeline chart in vector graphics: the axis repeats on each page the rows run onto. */
function pdfChart(doc: PDFKit.PDFDocument, m: Model, left: number, width: number, floor: () => number): void {
  const { chart } = m;
  const labelW = 150, rowH = 17, axisH = 16;
  const plotW = width - labelW - 8;
  const x = (s: number) => left + labelW + (s / chart.endS) * plotW;
  const axis = (y: number, rows: number) => {
    doc.fontSize(6.5).fillColor('#555');
    for (let s = 0; s <= chart.endS + 1e-9; s += chart.tickS) {
      doc.moveTo(x(s), y + axisH - 3).lineTo(x(s), y + axisH + rows * rowH).lineWidth(0.4).strokeColor(COLOURS.grid).stroke();
      const label = tPlus(s);
      const lw = doc.widthOfString(label);
      doc.text(label, Math.min(x(s) - lw / 2, left + width - lw), y + 2, { lineBreak: false });
    }
    for (const mark of chart.marks) {
      doc.moveTo(x(mark.s), y + axisH - 3).lineTo(x(mark.s), y + axisH + rows * rowH).lineWidth(0.6).dash(2, { space: 2 }).strokeColor('#7b4fa0').stroke().undash();
    }
    doc.fillColor('black');
  };
  const fitLabel = (s: string, maxW: number) => {
    let t = s;
    while (t.length > 1 && doc.widthOfString(t) > maxW) t = `${Array.from(t).slice(0, -2).join('')}…`;
    return t;
  };
  let i = 0;
  while (i < chart.rows.length) {
    if (doc.y + axisH + rowH * 2 > floor()) doc.addPage();
    const y0 = doc.y;
    const fit = Math.max(1, Math.floor((floor() - y0 - axisH - 30) / rowH));
    const rows = chart.rows.slice(i, i + fit);
    rows.forEach((_, k) => {
      if (k % 2 === 0) doc.rect(left, y0 + axisH + k * rowH, width, rowH).fill('#f6f7f9');
    });
    axis(y0, rows.length);
    rows.forEach((r, k) => {
      const y = y0 + axisH + k * rowH;
      const cy = y + rowH / 2;
      doc.fontSize(7.5).fillColor('black');
      doc.text(fitLabel(r.label, labelW - 6), left + 3, cy - 4.5, { lineBreak: false });
      if (r.window) doc.rect(x(r.window.fromS), cy - 3, Math.max(0.5, x(r.window.toS) - x(r.window.fromS)), 6).fill(COLOURS.window);
      if (r.firedS !== undefined && r.done) doc.moveTo(x(r.firedS), cy).lineTo(x(r.done.s), cy).lineWidth(1.4).strokeColor(COLOURS[r.done.tone]).stroke();
      if (r.missedAtS !== undefined) {
        if (chart.durationS > r.missedAtS) doc.moveTo(x(r.missedAtS), cy).lineTo(x(chart.durationS), cy).lineWidth(1.4).dash(3, { space: 2 }).strokeColor(COLOURS.missed).stroke().undash();
        doc.rect(x(r.missedAtS) - 3.5, cy - 3.5, 7, 7).fill(COLOURS.missed);
      }
      doc.circle(x(r.plannedS), cy, 4.2).lineWidth(1).strokeColor(COLOURS.planned).stroke();
      if (r.firedS !== undefined) doc.circle(x(r.firedS), cy, 2.4).fill(COLOURS.fired);
      if (r.done) {
        const dx = x(r.done.s);
        doc.polygon([dx, cy - 4.5], [dx + 4.5, cy], [dx, cy + 4.5], [dx - 4.5, cy]).fill(COLOURS[r.done.tone]);
      }
      if (r.note) {
        doc.fontSize(6.5).fillColor(COLOURS.muted);
        const nx = Math.min(x(r.plannedS) + 8, left + width - doc.widthOfString(r.note) - 2);
        doc.text(r.note, nx, cy - 4, { lineBreak: false });
      }
      doc.fillColor('black');
    });
    i += rows.length;
    doc.x = left;
    doc.y = y0 + axisH + rows.length * rowH + 4;
  }
  // Control marks named under the chart, then the legend.
  doc.fontSize(6.5).fillColor('#7b4fa0');
  for (const mark of chart.marks) {
    const label = mark.text;
    const lw = doc.widthOfString(label);
    doc.text(label, Math.max(left, Math.min(x(mark.s) - lw / 2, left + width - lw)), doc.y, { lineBreak: false });
  }
  if (chart.marks.length) doc.y += 10;
  const ly = doc.y + 4;
  let lx = left + labelW;
  doc.fontSize(7.5);
  for (const l of m.legend) {
    const c = l.tone === 'planned' ? COLOURS.planned : COLOURS[l.tone];
    if (l.tone === 'planned') doc.circle(lx + 4, ly + 4, 4).lineWidth(1).strokeColor(c).stroke();
    else if (l.tone === 'window') doc.rect(lx, ly + 1, 10, 6).fill(c);
    else if (l.tone === 'missed') doc.rect(lx + 0.5, ly + 0.5, 7, 7).fill(c);
    else if (l.tone === 'fired') doc.circle(lx + 4, ly + 4, 2.4).fill(c);
    else doc.polygon([lx + 4, ly - 0.5], [lx + 8.5, ly + 4], [lx + 4, ly + 8.5], [lx - 0.5, ly + 4]).fill(c);
    doc.fillColor('#333').text(l.text, lx + 13, ly, { lineBreak: false });
    lx += 13 + doc.widthOfString(l.text) + 12;
  }
  doc.fillColor('black');
  doc.x = left;
  doc.y = ly + 14;
}
