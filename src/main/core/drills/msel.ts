// A plan's steps as an MSEL (Master Scenario Events List) sheet and back: CSV and XLSX (exceljs), with the columns
// exercise tools use (inject no., time, synopsis, inject text, from, to, expected action, objective, notes).
//
// The sheet is for people and for the import alike, so each cell that carries plan data is both readable and exact:
//   序号 Inject no.       the step id (references in other cells use it)
//   时间 Time             T+mm:ss (T+mmm:ss past 99 minutes)
//   概要 Synopsis         the step's action: Chinese on the first line, English on the next when it differs
//   注入内容 Inject text  optional condition lines `when: ACTION of STEP` / `if-not: ACTION of STEP`, then the inject
//                         exactly as the plan file writes it, in YAML flow style: `drone-scenario: approach-loiter`,
//                         `alarm: { severity: 3, note: 请立即派警, position: [ 106.6405, 29.7046 ] }`
//   发出 From             the responsible unit: `SWAT-1 (特警巡逻一组)`; the id before the brackets counts
//   接收 To               who acts on the inject (derived; not read back)
//   预期行动 Expected action  `acknowledged of inject-drone within 01:00`
//   目标 Objective        the expectation in words, with its 1-3-5 stage (derived; not read back)
//   备注 Notes            free text; the import keeps it as a YAML comment above the step
// A closure plan's checkpoint steps (close-<checkpoint>) are exported too; on import they update the checkpoint's
// unit and target in `closure:` instead of becoming steps.
import ExcelJS from 'exceljs';
import { Document, isMap, isScalar, isSeq, LineCounter, parse as parseYaml, parseDocument, visit, type Node } from 'yaml';
import { z } from 'zod';
import type { LocalText } from '../../../shared/domain.ts';
import { EXPECTED_ACTIONS, type ExpectedAction, type Plan, type PlanInject, type PlanProblem, type PlanStep, type PlanUnit } from '../../../shared/drills.ts';

export type MselFormat = 'csv' | 'xlsx';

/** The caps of an imported sheet: rows after the header, bytes as sent, and bytes once an XLSX is unzipped. */
export const MSEL_MAX_ROWS = 2000;
export const MSEL_MAX_BYTES = 512 * 1024;
// 2,000 rows of an MSEL unzip to well under 4 MiB: the cap keeps a crafted sheet from stalling the core.
const XLSX_MAX_UNZIPPED = 4 * 1024 * 1024;

const MSEL_FILE = 'MSEL';
const SHEET_NAME = 'MSEL';
const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** The 1-3-5 defaults of the plan format: `within` may be left out for these. */
const DEFAULT_WITHIN_S: Partial<Record<ExpectedAction, number>> = { acknowledged: 60, dispatched: 180, 'on-scene': 300 };

const COLUMNS = [
  { key: 'no', zh: '序号', en: 'Inject no.', width: 18 },
  { key: 'time', zh: '时间', en: 'Time', width: 10 },
  { key: 'synopsis', zh: '概要', en: 'Synopsis', width: 40 },
  { key: 'inject', zh: '注入内容', en: 'Inject text', width: 56 },
  { key: 'from', zh: '发出', en: 'From', width: 24 },
  { key: 'to', zh: '接收', en: 'To', width: 24 },
  { key: 'expect', zh: '预期行动', en: 'Expected action', width: 40 },
  { key: 'objective', zh: '目标', en: 'Objective', width: 36 },
  { key: 'notes', zh: '备注', en: 'Notes', width: 30 },
] as const;
type ColumnKey = (typeof COLUMNS)[number]['key'];
const header = (c: (typeof COLUMNS)[number]) => `${c.zh} ${c.en}`;
const REQUIRED: ColumnKey[] = ['time', 'synopsis', 'from'];

/** Words for the objective column, and the Chinese an author may type instead of the action's keyword. */
const ACTION_WORDS: Record<ExpectedAction, { zh: string; stage?: string }> = {
  acknowledged: { zh: '确认报警', stage: '1-3-5 之 1' },
  dispatched: { zh: '派警', stage: '1-3-5 之 3' },
  'on-scene': { zh: '到场', stage: '1-3-5 之 5' },
  resolved: { zh: '处置完毕' },
  closed: { zh: '关闭报警' },
  'incident-opened': { zh: '立案' },
  'atc-notified': { zh: '通报空管' },
  'unit-arrived': { zh: '到达指定位置' },
  confirmed: { zh: '导调确认' },
};

// ---------------------------------------------------------------------------------------------------------------
// Times and texts of the plan format

/** Seconds as mm:ss (minutes grow past 99 rather than wrap). */
export function clockText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** mm:ss or T+mm:ss as seconds; full-width ＋ and ： (a Chinese keyboard) are accepted. */
function parseClock(text: string, withT: boolean): number | null {
  const t = text.trim().replace(/＋/g, '+').replace(/：/g, ':').replace(/\s+/g, '');
  const m = (withT ? /^(?:T\+)?(\d{1,3}):(\d{2})$/i : /^(\d{1,3}):(\d{2})$/).exec(t);
  if (!m || Number(m[2]) > 59) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

/** A text as the plan file writes it: plain when both languages say the same. */
const localText = (t: LocalText | string): string | LocalText => (typeof t === 'string' || t.zh === t.en ? (typeof t === 'string' ? t : t.zh) : { zh: t.zh, en: t.en });
const lonLat = (p: { lon: number; lat: number }) => [p.lon, p.lat];

/** An inject in the plan file's shape (the key is its kind). */
function injectYamlValue(inject: PlanInject): Record<string, unknown> {
  switch (inject.kind) {
    case 'drone-scenario':
      return { 'drone-scenario': inject.scenario };
    case 'camera-event':
      return { 'camera-event': { camera: inject.camera, event: inject.event, ...(inject.note ? { note: localText(inject.note) } : {}) } };
    case 'camera-outage':
      return { 'camera-outage': { camera: inject.camera, duration: clockText(inject.durationS) } };
    case 'unit-report':
      return { 'unit-report': { unit: inject.unit, report: inject.report, ...(inject.position ? { position: lonLat(inject.position) } : {}) } };
    case 'zone-crossing':
      return { 'zone-crossing': { zone: inject.zone, position: lonLat(inject.position) } };
    case 'alarm':
      return { alarm: { severity: inject.severity, note: localText(inject.note), position: lonLat(inject.position) } };
  }
}

/** One inject on one line, YAML flow inside: `camera-outage: { camera: CAM-1, duration: 05:00 }`. */
function injectLine(inject: PlanInject): string {
  const doc = new Document(injectYamlValue(inject));
  visit(doc, { Map: (_k, node, path) => void (path.length > 1 && (node.flow = true)), Seq: (_k, node) => void (node.flow = true) });
  return doc.toString({ lineWidth: 0 }).trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Export

function unitCell(plan: Plan, unitId: string): string {
  const unit = plan.units.find((u) => u.id === unitId);
  return unit && unit.name.zh && unit.name.zh !== unitId ? `${unitId} (${unit.name.zh})` : unitId;
}

/** The units whose steps act on this one (its expectation, `when` or `if-not` names it). */
function recipients(plan: Plan, step: PlanStep): string {
  const units = new Set<string>();
  for (const other of plan.steps) {
    if (other === step) continue;
    for (const c of [other.expect, other.when, other.ifNot]) if (c?.of === step.id) units.add(other.unit);
  }
  if (units.size > 0) return [...units].map((u) => unitCell(plan, u)).join('、');
  return step.inject ? '指挥台 console' : '';
}

function objective(step: PlanStep): string {
  if (!step.expect) return '';
  const words = ACTION_WORDS[step.expect.action];
  const place = step.place ? `，${step.place.radiusM} m 内` : '';
  const stage = words.stage ? `（${words.stage}）` : '';
  return `${clockText(step.expect.targetS)} 内${words.zh}${place}${stage} / ${step.expect.action} within ${clockText(step.expect.targetS)}`;
}

function notes(plan: Plan, step: PlanStep): string {
  const parts: string[] = [];
  if (plan.closure?.checkpoints.some((c) => `close-${c.id}` === step.id)) parts.push('封控检查站（由 closure 生成）/ closure checkpoint');
  if (step.when) parts.push(`${step.when.of} ${ACTION_WORDS[step.when.action].zh}后触发 / fires once ${step.when.action}`);
  if (step.ifNot) parts.push(`届时 ${step.ifNot.of} 未${ACTION_WORDS[step.ifNot.action].zh}才触发 / fires only if not ${step.ifNot.action} by then`);
  return parts.join('；');
}

function stepRow(plan: Plan, step: PlanStep): Record<ColumnKey, string> {
  const injectText = [
    ...(step.when ? [`when: ${step.when.action} of ${step.when.of}`] : []),
    ...(step.ifNot ? [`if-not: ${step.ifNot.action} of ${step.ifNot.of}`] : []),
    ...(step.inject ? [injectLine(step.inject)] : []),
  ].join('\n');
  return {
    no: step.id,
    time: `T+${clockText(step.atS)}`,
    synopsis: step.action.zh === step.action.en ? step.action.zh : `${step.action.zh}\n${step.action.en}`,
    inject: injectText,
    from: unitCell(plan, step.unit),
    to: recipients(plan, step),
    expect: step.expect ? `${step.expect.action} of ${step.expect.of} within ${clockText(step.expect.targetS)}` : '',
    objective: objective(step),
    notes: notes(plan, step),
  };
}

/** RFC 4180: a field with a quote, comma or line break is quoted, quotes doubled. */
function csvField(text: string): string {
  // A leading = + - @ would make Excel evaluate the cell as a formula (CSV injection): an apostrophe keeps it text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const HELP_LINES = [
  ['列 Column', '写法 How to write it'],
  [header(COLUMNS[0]), '步骤编号（字母、数字、-）；其他单元格以此引用 / the step id, referenced by other cells'],
  [header(COLUMNS[1]), 'T+mm:ss，例 T+01:30；超过 99 分钟写 T+105:00 / as T+mm:ss'],
  [header(COLUMNS[2]), '第一行中文，第二行英文（可省）/ Chinese, then English on a second line (optional)'],
  [header(COLUMNS[3]), '可选条件行 when: acknowledged of STEP 或 if-not: dispatched of STEP；然后是注入，如 drone-scenario: approach-loiter'],
  ['', 'camera-event: { camera: ID, event: TYPE, note: TEXT } · camera-outage: { camera: ID, duration: 05:00 }'],
  ['', 'unit-report: { unit: ID, report: accepted|arrived|done|position, position: [lon, lat] } · zone-crossing: { zone: ID, position: [lon, lat] }'],
  ['', 'alarm: { severity: 1-4, note: TEXT, position: [lon, lat] }'],
  [header(COLUMNS[4]), '责任单位编号，括号内为名称 / the responsible unit id, its name in brackets'],
  [header(COLUMNS[6]), `ACTION of STEP within mm:ss；ACTION: ${EXPECTED_ACTIONS.join(' | ')}；acknowledged/dispatched/on-scene 可省 within（1-3-5）`],
  [header(COLUMNS[5]) + ' / ' + header(COLUMNS[7]), '导出时生成，导入时不读 / written on export, not read back'],
  [header(COLUMNS[8]), '导入时作为注释保留 / kept as a comment on import'],
];

export async function planToMsel(plan: Plan, format: MselFormat): Promise<Buffer> {
  const rows = plan.steps.map((s) => stepRow(plan, s));
  if (format === 'csv') {
    const lines = [COLUMNS.map((c) => csvField(header(c))), ...rows.map((r) => COLUMNS.map((c) => csvField(r[c.key])))];
    // The BOM makes Excel read UTF-8 (else it guesses the local code page and the Chinese is garbled).
    return Buffer.from(`\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`, 'utf8');
  }
  const book = new ExcelJS.Workbook();
  book.creator = 'Skyfence';
  book.title = `MSEL ${plan.id} v${plan.version}`;
  const sheet = book.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: header(c), key: c.key, width: c.width, style: { alignment: { wrapText: true, vertical: 'top' } } }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
  // Text format, so that an edited time stays T+mm:ss instead of turning into an Excel time of day.
  sheet.getColumn('time').numFmt = '@';
  for (const r of rows) sheet.addRow(r);
  const help = book.addWorksheet('说明 Help');
  help.columns = [{ width: 28 }, { width: 110 }];
  for (const line of HELP_LINES) help.addRow(line);
  help.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a sheet into rows of text cells

interface Cell {
  column: number;
  text: string;
  /** What the cell was when it was not text (an Excel date, a number, an error): for the time column's message. */
  type?: 'date' | 'number' | 'error';
}
interface SheetRow {
  line: number;
  cells: Cell[];
}
type SheetRead = { rows: SheetRow[]; problems: PlanProblem[] };

const problem = (line: number, column: number, message: string): PlanProblem => ({ file: MSEL_FILE, line, column, message });

/** Records of RFC 4180 CSV; a record's line is its sheet row (a quoted line break does not start a new row). */
function readCsv(data: Buffer): SheetRead {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return { rows: [], problems: [problem(1, 1, 'the CSV is not UTF-8 text: save it from Excel as "CSV UTF-8 (逗号分隔)"')] };
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const rows: SheetRow[] = [];
  let cells: Cell[] = [];
  let column = 1;
  let field = '';
  let line = 1;
  let i = 0;
  const endField = () => {
    // The apostrophe the export put before a formula-like text (see csvField) comes off again.
    const value = /^'[=+\-@\t\r]/.test(field) ? field.slice(1) : field;
    if (value !== '') cells.push({ column, text: value });
    column++;
    field = '';
  };
  const endRecord = () => {
    endField();
    if (cells.length > 0) rows.push({ line, cells });
    cells = [];
    column = 1;
    line++;
  };
  while (i < text.length) {
    const ch = text[i];
    if (field === '' && ch === '"') {
      // A quoted field: runs to the next lone quote.
      const start = line;
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length) return { rows, problems: [problem(start, column, 'a quoted field is never closed (a " is missing)')] };
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          j++;
          break;
        }
        value += text[j++];
      }
      field = value;
      i = j;
      continue;
    }
    if (ch === ',') {
      endField();
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
    if (rows.length > MSEL_MAX_ROWS + 1) break;
  }
  if (field !== '' || cells.length > 0) endRecord();
  return { rows, problems: [] };
}

/**
 * The ZIP's total unzipped size from its central directory, so that a small XLSX that unzips to gigabytes is refused
 * before exceljs inflates it; null when it is not a ZIP.
 */
function unzippedSize(data: Buffer): number | null {
  const EOCD = 0x06054b50;
  const CENTRAL = 0x02014b50;
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--) {
    if (data.readUInt32LE(at) !== EOCD) continue;
    const entries = data.readUInt16LE(at + 10);
    let p = data.readUInt32LE(at + 16);
    let total = 0;
    for (let n = 0; n < entries; n++) {
      if (p + 46 > data.length || data.readUInt32LE(p) !== CENTRAL) return null;
      const size = data.readUInt32LE(p + 24);
      if (size === 0xffffffff) return Number.POSITIVE_INFINITY;
      total += size;
      p += 46 + data.readUInt16LE(p + 28) + data.readUInt16LE(p + 30) + data.readUInt16LE(p + 32);
    }
    return total;
  }
  return null;
}

function cellOf(value: ExcelJS.CellValue, column: number): Cell | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return { column, text: value.toISOString(), type: 'date' };
  if (typeof value === 'number') return { column, text: String(value), type: 'number' };
  if (typeof value === 'string' || typeof value === 'boolean') return { column, text: String(value) };
  if ('richText' in value) return { column, text: value.richText.map((r) => r.text).join('') };
  if ('error' in value) return { column, text: String(value.error), type: 'error' };
  if ('formula' in value || 'sharedFormula' in value) return value.result === undefined ? null : cellOf(value.result as ExcelJS.CellValue, column);
  if ('text' in value) return { column, text: String(value.text) };
  return null;
}

async function readXlsx(data: Buffer): Promise<SheetRead> {
  const size = unzippedSize(data);
  if (size === null) return { rows: [], problems: [problem(1, 1, 'the file is not an XLSX workbook (not a ZIP archive): save it from Excel as .xlsx, or import it as CSV')] };
  if (size > XLSX_MAX_UNZIPPED) return { rows: [], problems: [problem(1, 1, `the workbook unpacks to more than ${XLSX_MAX_UNZIPPED / 1024 / 1024} MiB: an MSEL sheet is far smaller`)] };
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch (err) {
    return { rows: [], problems: [problem(1, 1, `the file is not an XLSX workbook that can be read: ${(err as Error).message.split('\n')[0].slice(0, 200)}`)] };
  }
  const sheet = book.getWorksheet(SHEET_NAME) ?? book.worksheets[0];
  if (!sheet) return { rows: [], problems: [problem(1, 1, 'the workbook has no sheet')] };
  if (sheet.actualRowCount > MSEL_MAX_ROWS + 1) {
    return { rows: [], problems: [problem(MSEL_MAX_ROWS + 2, 1, `the sheet has ${sheet.actualRowCount - 1} rows after the header: at most ${MSEL_MAX_ROWS}`)] };
  }
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      const c = cellOf(cell.value, column);
      if (c && c.text.trim() !== '') cells.push(c);
    });
    if (cells.length > 0) rows.push({ line, cells });
  });
  return { rows, problems: [] };
}

// ---------------------------------------------------------------------------------------------------------------
// Cells into plan values

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
const HEADER_NAMES = new Map<string, ColumnKey>();
for (const c of COLUMNS) for (const name of [header(c), c.zh, c.en, c.en.replace(/\.$/, '')]) HEADER_NAMES.set(norm(name), c.key);

const ACTION_BY_WORD = new Map<string, ExpectedAction>();
for (const a of EXPECTED_ACTIONS) {
  ACTION_BY_WORD.set(a, a);
  ACTION_BY_WORD.set(ACTION_WORDS[a].zh, a);
}
ACTION_BY_WORD.set('确认', 'acknowledged');

type Condition = { action: ExpectedAction; of: string };

/** `ACTION of STEP`, the action a keyword or its Chinese word. */
function parseCondition(text: string): Condition | string {
  const m = /^(\S+)\s+of\s+(\S+)$/i.exec(text.trim());
  if (!m) return `"${text.trim()}" is not "ACTION of STEP" (e.g. acknowledged of inject-drone)`;
  const action = ACTION_BY_WORD.get(m[1].toLowerCase()) ?? ACTION_BY_WORD.get(m[1]);
  if (!action) return `"${m[1]}" is not an action: one of ${EXPECTED_ACTIONS.join(', ')}`;
  return { action, of: m[2] };
}

const textValue = z.union([z.string().trim().min(1), z.object({ zh: z.string().trim().min(1), en: z.string().trim().min(1) }).strict()]);
const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const name = z.string().trim().min(1).max(100);
const mmss = z.string().regex(/^\d{1,3}:[0-5]\d$/, 'a duration is mm:ss');
/** The inject forms of the plan format (docs/plans.md); the site checks (a camera that exists …) are the plan validator's. */
const INJECT_SCHEMAS: Record<string, z.ZodType> = {
  'drone-scenario': name,
  'camera-event': z.object({ camera: name, event: name, note: textValue.optional() }).strict(),
  'camera-outage': z.object({ camera: name, duration: mmss }).strict(),
  'unit-report': z.object({ unit: name, report: z.enum(['accepted', 'arrived', 'done', 'position']), position: position.optional() }).strict(),
  'zone-crossing': z.object({ zone: name, position }).strict(),
  alarm: z.object({ severity: z.number().int().min(1).max(4), note: textValue, position }).strict(),
};
const INJECT_KINDS = Object.keys(INJECT_SCHEMAS);
/** An inject cell is one short line of YAML; a longer one is refused before the YAML parser sees it. */
const INJECT_TEXT_MAX = 2000;

/** The inject's YAML value as the plan file holds it, or why the text is not one. */
function parseInject(text: string): Record<string, unknown> | string {
  if (text.length > INJECT_TEXT_MAX) return `the inject text is ${text.length} characters; an inject is at most ${INJECT_TEXT_MAX}`;
  let value: unknown;
  try {
    value = parseYaml(text, { prettyErrors: false, logLevel: 'error' });
  } catch (err) {
    return `the inject text does not parse: ${(err as Error).message.split('\n')[0]}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `the inject text is not "KIND: VALUE" (KIND one of ${INJECT_KINDS.join(', ')})`;
  }
  const keys = Object.keys(value);
  if (keys.length !== 1 || !INJECT_KINDS.includes(keys[0])) return `the inject is one of ${INJECT_KINDS.join(', ')}, not "${keys.join(', ')}"`;
  const kind = keys[0];
  const checked = INJECT_SCHEMAS[kind].safeParse((value as Record<string, unknown>)[kind]);
  if (!checked.success) {
    const first = checked.error.issues[0];
    return `the inject text does not parse: ${[kind, ...first.path].join('.')}: ${first.message}`;
  }
  const inject: Record<string, unknown> = { [kind]: checked.data };
  // 5:00 is written back as 05:00, the format's mm:ss.
  const outage = inject['camera-outage'] as { duration: string } | undefined;
  if (outage) outage.duration = clockText(parseClock(outage.duration, false)!);
  return inject;
}

interface ImportedStep {
  line: number;
  id: string;
  at: string;
  atS: number | null;
  unit: string;
  action: string | LocalText;
  when?: Condition;
  ifNot?: Condition;
  expect?: Condition & { within?: string };
  inject?: Record<string, unknown>;
  notes?: string;
  /** Columns of the cells that reference other steps, for the reference check. */
  refColumns: { when?: number; ifNot?: number; expect?: number };
}

function unitFromCell(text: string, units: PlanUnit[] | null): string | null {
  const t = text.trim();
  const m = /^([A-Za-z0-9][A-Za-z0-9_-]*)\s*(?:[(（].*[)）])?$/.exec(t);
  if (m) return m[1];
  const byName = units?.find((u) => u.name.zh === t || u.name.en === t);
  return byName ? byName.id : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Plan YAML

type YamlPlan = Record<string, unknown>;

/** The plan's metadata (everything but the steps) in the plan file's keys and order. */
function metadataYaml(plan: Plan, version: number): YamlPlan {
  return {
    'skyfence-plan': 1,
    id: plan.id,
    version,
    title: localText(plan.title),
    type: plan.type,
    kind: plan.kind,
    'event-type': plan.eventType,
    place: localText(plan.place),
    position: lonLat(plan.position),
    date: plan.date,
    seed: plan.seed,
    units: plan.units.map((u) => (u.site ? { id: u.id } : { id: u.id, name: localText(u.name) })),
    procedures: localText(plan.procedures),
    'site-setup': localText(plan.siteSetup),
    'simulated-conditions': localText(plan.simulatedConditions),
    assembly: {
      points: plan.assembly.points.map((p) => ({ name: localText(p.name), position: lonLat(p.position) })),
      routes: plan.assembly.routes.map(localText),
    },
    announce: { end: localText(plan.announce.end), abort: localText(plan.announce.abort) },
  };
}

const TO_FILL = '待填写 TO FILL IN';
/** Keys of the skeleton the coordinator must fill in before the plan validates. */
const SKELETON_GAPS = ['title', 'event-type', 'place', 'position', 'date', 'procedures', 'site-setup', 'simulated-conditions'] as const;

function skeletonYaml(id: string, units: string[]): YamlPlan {
  return {
    'skyfence-plan': 1,
    id,
    version: 1,
    title: TO_FILL,
    type: 'drill',
    kind: 'tabletop',
    'event-type': TO_FILL,
    place: TO_FILL,
    position: TO_FILL,
    date: TO_FILL,
    seed: 1,
    units: units.map((u) => ({ id: u })),
    procedures: TO_FILL,
    'site-setup': TO_FILL,
    'simulated-conditions': TO_FILL,
    assembly: { points: [], routes: [] },
    announce: { end: '演练结束，各单位恢复正常勤务', abort: '演练中止，各单位恢复正常勤务' },
  };
}

function stepYaml(s: ImportedStep): Record<string, unknown> {
  return {
    id: s.id,
    at: s.at,
    unit: s.unit,
    action: s.action,
    ...(s.when ? { when: { action: s.when.action, of: s.when.of } } : {}),
    ...(s.ifNot ? { 'if-not': { action: s.ifNot.action, of: s.ifNot.of } } : {}),
    ...(s.expect ? { expect: { action: s.expect.action, of: s.expect.of, ...(s.expect.within ? { within: s.expect.within } : {}) } } : {}),
    ...(s.inject ? { inject: s.inject } : {}),
  };
}

/** Small maps and lists (texts, positions, conditions, injects) in flow style, as the format's examples write them. */
function styleDocument(doc: Document): void {
  const FLOW_KEYS = new Set(['title', 'place', 'position', 'expect', 'when', 'if-not', 'inject', 'name', 'announce']);
  visit(doc, {
    Pair(_k, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if ((isMap(pair.value) || isSeq(pair.value)) && (FLOW_KEYS.has(key) || isLocalTextNode(pair.value))) (pair.value as { flow?: boolean }).flow = true;
    },
  });
}
function isLocalTextNode(node: unknown): boolean {
  return isMap(node) && node.items.length === 2 && node.items.every((p) => isScalar(p.key) && (p.key.value === 'zh' || p.key.value === 'en'));
}

/** A plan as plan-file YAML (format 1): its metadata, steps and closure, written with the yaml Document API. */
export function planToYaml(plan: Plan): string {
  const closureIds = new Set((plan.closure?.checkpoints ?? []).map((c) => `close-${c.id}`));
  const steps = plan.steps.filter((s) => !closureIds.has(s.id)).map((s) => stepYaml(importedFromStep(s)));
  return writeYaml({ ...metadataYaml(plan, plan.version), steps, ...closureYaml(plan.closure) }, new Map(), null);
}

function importedFromStep(s: PlanStep): ImportedStep {
  return {
    line: s.line ?? 0,
    id: s.id,
    at: `T+${clockText(s.atS)}`,
    atS: s.atS,
    unit: s.unit,
    action: localText(s.action),
    ...(s.when ? { when: { action: s.when.action, of: s.when.of } } : {}),
    ...(s.ifNot ? { ifNot: { action: s.ifNot.action, of: s.ifNot.of } } : {}),
    ...(s.expect ? { expect: { action: s.expect.action, of: s.expect.of, within: clockText(s.expect.targetS) } } : {}),
    ...(s.inject ? { inject: injectYamlValue(s.inject) } : {}),
    refColumns: {},
  };
}

function closureYaml(closure: Plan['closure']): YamlPlan {
  if (!closure) return {};
  return {
    closure: {
      zone: closure.zone,
      respond: clockText(closure.respondS),
      close: clockText(closure.closeS),
      checkpoints: closure.checkpoints.map((c) => ({ id: c.id, name: localText(c.name), position: lonLat(c.position), unit: c.unit, within: clockText(c.targetS) })),
    },
  };
}

function writeYaml(content: YamlPlan, stepNotes: Map<number, string>, headerComment: string | null): string {
  const doc = new Document(content);
  styleDocument(doc);
  const steps = doc.get('steps', true);
  if (isSeq(steps)) {
    steps.items.forEach((item, index) => {
      const note = stepNotes.get(index);
      if (note) (item as Node).commentBefore = note.split(/\r?\n/).map((l) => ` ${l}`).join('\n');
    });
  }
  if (headerComment) doc.commentBefore = headerComment;
  return doc.toString({ lineWidth: 0 });
}

// ---------------------------------------------------------------------------------------------------------------
// Import

/**
 * The plan YAML an MSEL sheet describes: the steps from its rows, the rest (metadata, units) from `base` (the plan
 * it was exported from, when known; the version goes up by one). Without a base the YAML is a skeleton with
 * `id: newId` whose gaps the problems name (file `<id>.yaml`, the line in the returned text). Problems of the sheet
 * name its row and column (file `MSEL`). Never throws on bad input.
 */
export async function mselToPlanYaml(data: Buffer, format: MselFormat, base: Plan | null, newId = 'msel-import'): Promise<{ text: string; problems: PlanProblem[] }> {
  if (data.length > MSEL_MAX_BYTES) {
    return { text: '', problems: [problem(1, 1, `the sheet is ${Math.ceil(data.length / 1024)} KiB: at most ${MSEL_MAX_BYTES / 1024} KiB`)] };
  }
  if (format === 'csv' && data.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    return { text: '', problems: [problem(1, 1, 'the file is an XLSX workbook, not CSV: import it as XLSX')] };
  }
  const read = format === 'csv' ? readCsv(data) : await readXlsx(data);
  if (read.problems.length > 0) return { text: '', problems: read.problems };
  if (read.rows.length === 0) return { text: '', problems: [problem(1, 1, `the sheet is empty: its first row is the header (${COLUMNS.map(header).join(', ')})`)] };
  const [head, ...body] = read.rows;
  if (body.length > MSEL_MAX_ROWS) {
    return { text: '', problems: [problem(body[MSEL_MAX_ROWS].line, 1, `the sheet has ${body.length} rows after the header: at most ${MSEL_MAX_ROWS}`)] };
  }
  const problems: PlanProblem[] = [];

  // The header: which column is which.
  const columnOf = new Map<ColumnKey, number>();
  for (const cell of head.cells) {
    const key = HEADER_NAMES.get(norm(cell.text));
    if (!key) {
      problems.push(problem(head.line, cell.column, `unknown column header "${cell.text.trim()}": the columns are ${COLUMNS.map(header).join(', ')}`));
    } else if (columnOf.has(key)) {
      problems.push(problem(head.line, cell.column, `the column "${header(COLUMNS.find((c) => c.key === key)!)}" is there twice (first in column ${columnOf.get(key)})`));
    } else {
      columnOf.set(key, cell.column);
    }
  }
  // Without these columns no step can be read; an unknown column is only left out.
  const missing = REQUIRED.filter((key) => !columnOf.has(key));
  for (const key of missing) problems.push(problem(head.line, 1, `the column "${header(COLUMNS.find((c) => c.key === key)!)}" is missing`));
  if (missing.length > 0) return { text: '', problems };
  const headerColumns = new Set(head.cells.map((c) => c.column));

  const steps: ImportedStep[] = [];
  const notesByStep = new Map<number, string>();
  const closureNotes: string[] = [];
  const closureUpdates = new Map<string, { unit: string; within?: string }>();
  const checkpointIds = new Set((base?.closure?.checkpoints ?? []).map((c) => `close-${c.id}`));
  const seen = new Map<string, number>();
  for (const row of body) {
    const cell = (key: ColumnKey): Cell | undefined => row.cells.find((c) => c.column === columnOf.get(key));
    const text = (key: ColumnKey) => cell(key)?.text.trim() ?? '';
    const col = (key: ColumnKey) => columnOf.get(key) ?? 1;
    const at = (key: ColumnKey, message: string) => problems.push(problem(row.line, col(key), message));
    for (const c of row.cells) {
      if (!headerColumns.has(c.column)) problems.push(problem(row.line, c.column, 'this cell is in a column without a header: add the header or move the text'));
    }

    const id = text('no') || `step-${steps.length + 1}`;
    if (!STEP_ID.test(id)) at('no', `"${id}" is not a step id: letters, digits, "-" and "_", at most 64`);
    else if (seen.has(id)) at('no', `the step id "${id}" is already used in row ${seen.get(id)}`);
    seen.set(id, row.line);

    const timeCell = cell('time');
    let atS: number | null = null;
    if (!timeCell || timeCell.text.trim() === '') at('time', 'the row has no time: write T+mm:ss');
    else if (timeCell.type === 'date') at('time', 'the time is an Excel date or time of day: write it as text, T+mm:ss');
    else if (timeCell.type === 'number') at('time', `the time is the number ${timeCell.text}: write it as text, T+mm:ss`);
    else if ((atS = parseClock(timeCell.text, true)) === null) at('time', `"${timeCell.text.trim()}" is not a time: write T+mm:ss (seconds 00-59), e.g. T+01:30`);

    const synopsis = text('synopsis');
    let action: string | LocalText = synopsis;
    if (!synopsis) at('synopsis', 'the row has no synopsis: the step\'s action in words');
    else {
      const [zh, ...rest] = synopsis.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      const en = rest.join(' ');
      action = en && en !== zh ? { zh, en } : zh;
    }

    const fromText = text('from');
    let unit = fromText;
    if (!fromText) at('from', 'the row has no responsible unit (发出 From)');
    else {
      const found = unitFromCell(fromText, base?.units ?? null);
      if (!found) at('from', `"${fromText}" is not a unit id (e.g. SWAT-1, or "SWAT-1 (特巡1)")`);
      else if (base && !base.units.some((u) => u.id === found)) at('from', `the unit "${found}" is not one of the plan's units: ${base.units.map((u) => u.id).join(', ')}`);
      else unit = found;
    }

    const step: ImportedStep = { line: row.line, id, at: atS === null ? (timeCell?.text.trim() ?? '') : `T+${clockText(atS)}`, atS, unit, action, refColumns: {} };

    const injectLines = text('inject').split(/\r?\n/);
    const rest: string[] = [];
    for (const l of injectLines) {
      const cond = /^\s*(when|if-not)\s*[:：]\s*(.*)$/i.exec(l);
      if (!cond) {
        rest.push(l);
        continue;
      }
      const parsed = parseCondition(cond[2]);
      const kind = cond[1].toLowerCase() === 'when' ? 'when' : 'ifNot';
      if (typeof parsed === 'string') at('inject', `${cond[1]}: ${parsed}`);
      else if (step[kind]) at('inject', `the inject text has two "${cond[1]}" lines`);
      else {
        step[kind] = parsed;
        step.refColumns[kind] = col('inject');
      }
    }
    const injectText = rest.join('\n').trim();
    if (injectText) {
      const inject = parseInject(injectText);
      if (typeof inject === 'string') at('inject', inject);
      else step.inject = inject;
    }

    const expectText = text('expect');
    if (expectText) {
      const m = /^(.*?)(?:\s+within\s+(\S+))?$/i.exec(expectText)!;
      const parsed = parseCondition(m[1]);
      if (typeof parsed === 'string') at('expect', parsed);
      else if (m[2] !== undefined && parseClock(m[2], false) === null) at('expect', `"${m[2]}" is not a target time: write mm:ss, e.g. 01:00`);
      else if (m[2] === undefined && DEFAULT_WITHIN_S[parsed.action] === undefined) {
        at('expect', `"${parsed.action}" needs its target: "${parsed.action} of ${parsed.of} within mm:ss"`);
      } else {
        step.expect = { ...parsed, ...(m[2] !== undefined ? { within: clockText(parseClock(m[2], false)!) } : {}) };
        step.refColumns.expect = col('expect');
      }
    }
    const note = text('notes');
    if (checkpointIds.has(id)) {
      // A closure checkpoint's row: its unit and target go back into `closure:`.
      closureUpdates.set(id, { unit, within: step.expect?.within });
      if (note) closureNotes.push(`${id}: ${note}`);
      continue;
    }
    if (note) notesByStep.set(steps.length, note);
    steps.push(step);
  }

  // Order and references, once every step is known.
  let previous: ImportedStep | null = null;
  for (const s of steps) {
    if (s.atS === null) continue;
    if (previous && previous.atS !== null && s.atS < previous.atS) {
      problems.push(problem(s.line, columnOf.get('time')!, `${s.at} comes after ${previous.at} (row ${previous.line}): the steps are in time order`));
    }
    previous = s;
  }
  const ids = new Set([...steps.map((s) => s.id), ...checkpointIds]);
  for (const s of steps) {
    for (const [kind, cond] of [['when', s.when], ['ifNot', s.ifNot], ['expect', s.expect]] as const) {
      if (cond && !ids.has(cond.of)) problems.push(problem(s.line, s.refColumns[kind] ?? 1, `"${cond.of}" is not a step of this sheet`));
    }
  }

  const stepValues = steps.map(stepYaml);
  if (base) {
    const closure = base.closure
      ? {
          ...base.closure,
          checkpoints: base.closure.checkpoints.map((c) => {
            const update = closureUpdates.get(`close-${c.id}`);
            return update ? { ...c, unit: update.unit || c.unit, targetS: update.within ? parseClock(update.within, false)! : c.targetS } : c;
          }),
        }
      : undefined;
    const comment = [
      ` 由 MSEL 表导入的步骤；其余取自预案 ${base.id} v${base.version}`,
      ` Steps imported from an MSEL sheet; the rest from plan ${base.id} v${base.version}`,
      ...closureNotes.map((n) => ` ${n.replace(/\r?\n/g, ' ')}`),
    ].join('\n');
    const text = writeYaml({ ...metadataYaml(base, base.version + 1), steps: stepValues, ...closureYaml(closure) }, notesByStep, comment);
    return { text, problems };
  }

  const units = [...new Set(steps.map((s) => s.unit).filter((u) => STEP_ID.test(u)))];
  const comment = ` 由 MSEL 表导入的步骤；没有同编号的预案：请填写标为“${TO_FILL}”的项\n Steps imported from an MSEL sheet; no plan to take the rest from: fill in what says "${TO_FILL}"`;
  const text = writeYaml({ ...skeletonYaml(newId, units), steps: stepValues }, notesByStep, comment);
  return { text, problems: [...problems, ...skeletonProblems(text, newId)] };
}

/** Where in the skeleton's text each gap is, for the coordinator's editor. */
function skeletonProblems(text: string, id: string): PlanProblem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const file = `${id}.yaml`;
  const out: PlanProblem[] = SKELETON_GAPS.map((key) => {
    const node = doc.get(key, true) as Node | undefined;
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : { line: 1, col: 1 };
    return { file, line: pos.line, column: pos.col, message: `no plan "${id}" to take "${key}" from: fill it in` };
  });
  const units = doc.get('units', true) as Node | undefined;
  const pos = units?.range ? lineCounter.linePos(units.range[0]) : { line: 1, col: 1 };
  out.push({ file, line: pos.line, column: pos.col, message: 'the units are the ids the sheet names: give a name to each one that is not a unit of the site' });
  return out;
}
