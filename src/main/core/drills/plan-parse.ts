// A plan file (YAML, docs/plans.md) read into a Plan, every problem at once with its line and column: YAML
// syntax, unknown or missing keys, wrong types, bad times, steps out of order, duplicate ids, a step's unit that
// the plan does not declare, an `of` that names no step. What needs the site (cameras, zones, checkpoints,
// scenarios, units.json, sops.json, the area) is plan-check.ts's job, using the positions kept here.
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import type { LocalText } from '../../../shared/domain.ts';
import {
  DRILL_KINDS, EXPECTED_ACTIONS, PLAN_TYPES, type ClosureCheckpoint, type DrillKind, type ExpectedAction, type Plan,
  type PlanInject, type PlanProblem, type PlanStep, type PlanType, type PlanUnit, type StepCondition,
} from '../../../shared/drills.ts';
import { formatDuration, parseDuration, parseStepTime } from './plan-time.ts';

export const PLAN_FORMAT = 1;
/** Plans larger than this are refused unread (the contract caps a plan's text the same). */
export const PLAN_TEXT_MAX = 512 * 1024;
/** Flow brackets ([ {) nested deeper than this are refused before parsing (the YAML composer is slow on them). */
const MAX_FLOW_DEPTH = 32;
/** A shipped plan is about 200 lines. */
const MAX_LINES = 5000;

/** The offset where flow brackets first nest deeper than `max`, outside quotes and comments; 0 when they do not. */
function flowDepthOver(text: string, max: number): number {
  let depth = 0;
  let quote: string | null = null;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      comment = false;
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) comment = true;
    else if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return 0;
}

/** The keys of each map of the format: the schema (resources/plans/plan.schema.json) must agree (a test checks). */
export const PLAN_KEYS = {
  plan: {
    required: ['skyfence-plan', 'id', 'version', 'title', 'type', 'kind', 'event-type', 'place', 'position', 'date', 'units',
      'procedures', 'site-setup', 'simulated-conditions', 'assembly', 'announce', 'steps'],
    optional: ['seed', 'closure'],
  },
  text: { required: ['zh', 'en'], optional: [] },
  unit: { required: ['id'], optional: ['name'] },
  assembly: { required: ['points', 'routes'], optional: [] },
  point: { required: ['name', 'position'], optional: [] },
  announce: { required: ['end', 'abort'], optional: [] },
  step: { required: ['id', 'at', 'unit', 'action'], optional: ['expect', 'inject', 'when', 'if-not'] },
  expect: { required: ['action', 'of'], optional: ['within'] },
  condition: { required: ['action', 'of'], optional: [] },
  inject: { required: [], optional: ['drone-scenario', 'camera-event', 'camera-outage', 'unit-report', 'zone-crossing', 'alarm'] },
  'camera-event': { required: ['camera', 'event'], optional: ['note'] },
  'camera-outage': { required: ['camera', 'duration'], optional: [] },
  'unit-report': { required: ['unit', 'report'], optional: ['position'] },
  'zone-crossing': { required: ['zone', 'position'], optional: [] },
  alarm: { required: ['severity', 'note', 'position'], optional: [] },
  closure: { required: ['zone', 'respond', 'close', 'checkpoints'], optional: [] },
  checkpoint: { required: ['id', 'unit', 'within'], optional: ['name', 'position'] },
} as const satisfies Record<string, { required: readonly string[]; optional: readonly string[] }>;
type Shape = keyof typeof PLAN_KEYS;

/** The 1-3-5 targets a step's `within` defaults to; other actions must say theirs. */
export const DEFAULT_WITHIN_S: Partial<Record<ExpectedAction, number>> = { acknowledged: 60, dispatched: 180, 'on-scene': 300 };
export const UNIT_REPORTS = ['accepted', 'arrived', 'done', 'position'] as const;
/** A closure checkpoint is reached within this distance of it. */
export const CHECKPOINT_RADIUS_M = 50;

const PLAN_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const NAME_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface Pos {
  line: number;
  column: number;
}

/** A name or place that only the site (or the simulators) can confirm, with where the file says it. */
export type SiteRef =
  | { kind: 'event-type' | 'site-unit' | 'report-unit' | 'scenario' | 'camera' | 'analytic' | 'checkpoint'; value: string; path: string }
  | { kind: 'zone'; value: string; path: string; position?: { lon: number; lat: number }; positionPath?: string }
  | { kind: 'position'; value: { lon: number; lat: number }; path: string };

export interface ParsedPlan {
  file: string;
  /** The plan when the file has no problem of its own (the site checks may still find some). */
  plan: Plan | null;
  problems: PlanProblem[];
  /** What could be read for a listing even when the plan is broken. */
  head: { id?: string; version?: number; title?: LocalText; type?: PlanType; kind?: DrillKind; steps: number; injects: number };
  /** Where a value is in the file, by its path (`steps[2].inject.camera-event.camera`); falls back to its parent. */
  where(path: string): Pos;
  /** The closure checkpoints written as a bare id (their name and position come from the site). */
  siteCheckpoints: Set<string>;
  /** Everything plan-check must confirm against the site, read even where the rest of the file is broken. */
  refs: SiteRef[];
}

/** The candidate nearest to `name` (edit distance, case-insensitive), when it is plausibly a typo of it. */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const a = name.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(a, c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** ` (did you mean X?)` or ` (one of: a, b, c)`. */
export function hint(name: string, candidates: readonly string[], listUpTo = 12): string {
  const near = nearest(name, candidates);
  if (near) return ` (did you mean ${near}?)`;
  if (candidates.length === 0) return '';
  const shown = candidates.slice(0, listUpTo).join(', ');
  return ` (one of: ${shown}${candidates.length > listUpTo ? `, … ${candidates.length - listUpTo} more` : ''})`;
}

type Entry = { key: Node; value: Node | null };

/** Reads one file: every reader method records its problem and returns undefined instead of throwing. */
class Reader {
  readonly problems: PlanProblem[] = [];
  readonly positions = new Map<string, Pos>();
  readonly refs: SiteRef[] = [];
  private readonly lines = new LineCounter();
  /** The ids written in each list (`steps`, `units`, `closure.checkpoints`), read up front so that a message can name
   *  an item by its id ("step ack") rather than by its place in the list. */
  readonly listIds = new Map<string, Array<string | undefined>>();

  constructor(readonly file: string, readonly source: string) {}

  /** A path as a person reads it: `steps[2].expect.within` → `step ack: expect.within`. */
  label(path: string): string {
    if (path === '') return 'the plan';
    const m = /^(steps|units|closure\.checkpoints|assembly\.points|assembly\.routes)\[(\d+)\](?:\.(.+))?$/.exec(path);
    if (!m) return path;
    const index = Number(m[2]);
    const id = this.listIds.get(m[1])?.[index];
    const item = `${LIST_NOUN[m[1]]} ${id ?? `#${index + 1}`}`;
    return m[3] ? `${item}: ${m[3]}` : item;
  }

  get lineCounter(): LineCounter {
    return this.lines;
  }

  pos(offset: number): Pos {
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  /** A position that is never past the file's last character (a YAML error at its very end points there). */
  clampedPos(offset: number): Pos {
    const lines = this.source.replace(/\r?\n$/, '').split(/\r?\n/);
    const p = this.pos(Math.min(offset, this.source.length));
    if (p.line <= lines.length) return { line: p.line, column: Math.min(p.column, lines[p.line - 1].length + 1) };
    return { line: lines.length, column: Math.max(1, lines[lines.length - 1].length) };
  }

  at(node: Node | null | undefined, fallback: Pos): Pos {
    return node?.range ? this.pos(node.range[0]) : fallback;
  }

  problem(where: Pos, message: string): undefined {
    this.problems.push({ file: this.file, line: where.line, column: where.column, message });
    return undefined;
  }

  /** A map of a known shape: unknown keys and missing required keys are problems; the entries by key. */
  map(node: Node | null | undefined, path: string, shape: Shape, where: Pos): Map<string, Entry> | undefined {
    if (node === undefined) return undefined; // a missing key: reported where its map is read
    const here = this.at(node, where);
    this.positions.set(path, here);
    if (!isMap(node)) return this.problem(here, `${this.label(path)} must be a map with ${PLAN_KEYS[shape].required.map((k) => `\`${k}\``).join(', ') || 'one key'}`);
    const known: readonly string[] = [...PLAN_KEYS[shape].required, ...PLAN_KEYS[shape].optional];
    const entries = new Map<string, Entry>();
    for (const pair of (node as YAMLMap).items as Pair<Node, Node | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const keyPos = this.at(pair.key, here);
      if (key === undefined) {
        this.problem(keyPos, `${this.label(path)}: a key must be a plain name`);
        continue;
      }
      if (!known.includes(key)) {
        this.problem(keyPos, `unknown key \`${key}\` in ${this.label(path)}${hint(key, known)}`);
        continue;
      }
      if (entries.has(key)) {
        this.problem(keyPos, `duplicate key \`${key}\` in ${this.label(path)}`);
        continue;
      }
      const childPath = path ? `${path}.${key}` : key;
      this.positions.set(childPath, this.at(pair.value, keyPos));
      entries.set(key, { key: pair.key, value: pair.value });
    }
    for (const key of PLAN_KEYS[shape].required) {
      if (!entries.has(key)) this.problem(here, `${this.label(path)}: missing key \`${key}\``);
    }
    return entries;
  }

  valueAt(entries: Map<string, Entry> | undefined, key: string): Node | null | undefined {
    return entries?.get(key)?.value;
  }

  posOf(path: string): Pos {
    for (let p = path; ; ) {
      const hit = this.positions.get(p);
      if (hit) return hit;
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) return this.positions.get('') ?? { line: 1, column: 1 };
      p = p.slice(0, cut);
    }
  }

  string(node: Node | null | undefined, path: string, pattern?: RegExp, patternText?: string): string | undefined {
    if (node === undefined) return undefined;
    const here = this.posOf(path);
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      return this.problem(here, `${this.label(path)} must be a text${describe(node)}`);
    }
    if (pattern && !pattern.test(node.value)) return this.problem(here, `${this.label(path)} "${node.value}" ${patternText}`);
    const source = node.range ? this.source.slice(node.range[0], node.range[1]) : '';
    return unfoldCjk(node.value, source).trim();
  }

  integer(node: Node | null | undefined, path: string, min: number, max: number): number | undefined {
    if (node === undefined) return undefined;
    const here = this.posOf(path);
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      return this.problem(here, `${this.label(path)} must be a whole number ${min}–${max}${describe(node)}`);
    }
    return v;
  }

  oneOf<T extends string>(node: Node | null | undefined, path: string, values: readonly T[]): T | undefined {
    if (node === undefined) return undefined;
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    const shown = typeof v === 'string' ? `"${v}"` : describe(node).replace(/^, not /, '') || 'nothing';
    return this.problem(this.posOf(path), `${this.label(path)} is ${values.join(' | ')}, not ${shown}${typeof v === 'string' ? hint(v, values).replace(/ \(one of.*\)$/, '') : ''}`);
  }

  /** A plain string (the same in both languages) or { zh, en }. */
  text(node: Node | null | undefined, path: string): LocalText | undefined {
    if (node === undefined) return undefined;
    if (isMap(node)) {
      const e = this.map(node, path, 'text', this.posOf(path));
      const zh = this.string(this.valueAt(e, 'zh'), `${path}.zh`);
      const en = this.string(this.valueAt(e, 'en'), `${path}.en`);
      return zh !== undefined && en !== undefined ? { zh, en } : undefined;
    }
    const s = this.string(node, path);
    return s === undefined ? undefined : { zh: s, en: s };
  }

  position(node: Node | null | undefined, path: string): { lon: number; lat: number } | undefined {
    if (node === undefined) return undefined;
    const here = this.posOf(path);
    const items = isSeq(node) ? node.items.map((n) => (isScalar(n) ? n.value : undefined)) : [];
    const [lon, lat] = items;
    if (items.length !== 2 || typeof lon !== 'number' || typeof lat !== 'number') {
      return this.problem(here, `${this.label(path)} must be [longitude, latitude]${describe(node)}`);
    }
    if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      const swap = Math.abs(lat) <= 180 && Math.abs(lon) <= 90 ? '; are longitude and latitude swapped?' : '';
      return this.problem(here, `${this.label(path)} [${lon}, ${lat}] is not a place: longitude is −180–180, latitude −90–90${swap}`);
    }
    this.refs.push({ kind: 'position', value: { lon, lat }, path });
    return { lon, lat };
  }

  seq(node: Node | null | undefined, path: string, what: string): Node[] | undefined {
    if (node === undefined) return undefined;
    if (!isSeq(node)) return this.problem(this.posOf(path), `${this.label(path)} must be a list of ${what}${describe(node)}`);
    node.items.forEach((item, i) => this.positions.set(`${path}[${i}]`, this.at(item as Node, this.posOf(path))));
    return node.items as Node[];
  }

  duration(node: Node | null | undefined, path: string): number | undefined {
    if (node === undefined) return undefined;
    const r = parseDuration(isScalar(node) ? node.value : node === null ? undefined : '(a list or map)');
    return 'error' in r ? this.problem(this.posOf(path), `${this.label(path)}: ${r.error}`) : r.seconds;
  }
}

const LIST_NOUN: Record<string, string> = {
  steps: 'step', units: 'unit', 'closure.checkpoints': 'checkpoint', 'assembly.points': 'assembly point', 'assembly.routes': 'assembly route',
};

/** The `id` of each item of a list of maps, where it is a plain text (undefined elsewhere). */
function idsOf(node: unknown): Array<string | undefined> {
  if (!isSeq(node)) return [];
  return node.items.map((item) => {
    const id = isMap(item) ? item.get('id', true) : undefined;
    return isScalar(id) && typeof id.value === 'string' ? id.value : undefined;
  });
}

const CJK = '\\u3000-\\u303f\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
const CJK_CHAR = new RegExp(`[${CJK}]`);
/** Chinese punctuation outside the CJK blocks: it joins without a space only next to a CJK character. */
const CJK_NEAR = new RegExp(`[${CJK}\\u2014\\u2026\\u2018-\\u201d\\u00b7]`);

/**
 * YAML folds a line break inside a text into a space; between two Chinese characters (or a character and Chinese
 * punctuation) that space is a stray one ("派出 就近警力"). Removes the spaces of such joins, and only those: a space
 * written on one line stays, and English keeps its spaces.
 */
export function unfoldCjk(value: string, source: string): string {
  if (!source.includes('\n')) return value;
  const joins = new Set<string>();
  const lines = source.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  for (let i = 0; i + 1 < lines.length; i++) {
    const a = [...lines[i]].at(-1)!;
    const b = [...lines[i + 1]][0];
    if (CJK_NEAR.test(a) && CJK_NEAR.test(b) && (CJK_CHAR.test(a) || CJK_CHAR.test(b))) joins.add(a + b);
  }
  if (joins.size === 0) return value;
  const chars = [...value];
  return chars.filter((c, i) => !(c === ' ' && i > 0 && joins.has(chars[i - 1] + (chars[i + 1] ?? '')))).join('');
}

function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined) return ', but it is empty';
  if (isMap(node)) return ', not a map';
  if (isSeq(node)) return ', not a list';
  if (isScalar(node)) return `, not ${JSON.stringify(node.value)}`;
  return '';
}

/** Parses and checks a plan's text on its own (no site). Never throws on bad input. */
export function parsePlan(file: string, text: string): ParsedPlan {
  const r = new Reader(file, text);
  const head: ParsedPlan['head'] = { steps: 0, injects: 0 };
  const siteCheckpoints = new Set<string>();
  const result = (plan: Plan | null): ParsedPlan => ({
    file,
    plan: r.problems.length ? null : plan, problems: sortProblems(r.problems), head, where: (p) => r.posOf(p), siteCheckpoints, refs: r.refs,
  });

  if (text.length > PLAN_TEXT_MAX) {
    r.problem({ line: 1, column: 1 }, `the file is ${text.length} characters; a plan is at most ${PLAN_TEXT_MAX}`);
    return result(null);
  }
  // Shapes no plan has are refused before the YAML parser sees them: it is slow on them, and the core waits.
  const lineCount = text.split('\n').length;
  if (lineCount > MAX_LINES) {
    r.problem({ line: MAX_LINES + 1, column: 1 }, `the file has ${lineCount} lines; a plan is at most ${MAX_LINES}`);
    return result(null);
  }
  const tooDeep = flowDepthOver(text, MAX_FLOW_DEPTH);
  if (tooDeep) {
    const before = text.slice(0, tooDeep);
    const pos = { line: before.split('\n').length, column: tooDeep - before.lastIndexOf('\n') };
    r.problem(pos, `brackets nested more than ${MAX_FLOW_DEPTH} deep: a plan is never that deep`);
    return result(null);
  }
  // Duplicate keys are found by Reader.map with a Set: the YAML library's own check is quadratic in the keys of a map.
  const doc = parseDocument(text, { lineCounter: r.lineCounter, prettyErrors: false, uniqueKeys: false });
  for (const e of doc.errors) r.problem(r.clampedPos(e.pos[0]), `YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  if (doc.errors.length) return result(null);
  r.positions.set('', { line: 1, column: 1 });
  if (isMap(doc.contents)) {
    const closureNode = doc.contents.get('closure', true);
    r.listIds.set('steps', idsOf(doc.contents.get('steps', true)));
    r.listIds.set('units', idsOf(doc.contents.get('units', true)));
    r.listIds.set('closure.checkpoints', isMap(closureNode) ? idsOf(closureNode.get('checkpoints', true)) : []);
  }

  const top = r.map((doc.contents ?? null) as Node | null, '', 'plan', { line: 1, column: 1 });
  if (!top) return result(null);
  const v = (key: string) => r.valueAt(top, key);

  const format = r.integer(v('skyfence-plan'), 'skyfence-plan', 1, 1000);
  if (format !== undefined && format !== PLAN_FORMAT) r.problem(r.posOf('skyfence-plan'), `skyfence-plan ${format} is not known: this console reads format ${PLAN_FORMAT}`);
  const id = r.string(v('id'), 'id', PLAN_ID, 'is not a plan id: lower-case letters, digits and "-", at most 64');
  const version = r.integer(v('version'), 'version', 1, 1_000_000);
  const title = r.text(v('title'), 'title');
  const type = r.oneOf(v('type'), 'type', PLAN_TYPES);
  const kind = r.oneOf(v('kind'), 'kind', DRILL_KINDS);
  Object.assign(head, { id, version, title, type, kind });
  const eventType = r.string(v('event-type'), 'event-type');
  if (eventType !== undefined) r.refs.push({ kind: 'event-type', value: eventType, path: 'event-type' });
  const place = r.text(v('place'), 'place');
  const position = r.position(v('position'), 'position');
  const date = readDate(r, v('date'));
  const seed = top.has('seed') ? r.integer(v('seed'), 'seed', 0, 2 ** 31 - 1) : 1;
  const procedures = r.text(v('procedures'), 'procedures');
  const siteSetup = r.text(v('site-setup'), 'site-setup');
  const simulatedConditions = r.text(v('simulated-conditions'), 'simulated-conditions');
  const assembly = readAssembly(r, v('assembly'));
  const announceMap = r.map(v('announce'), 'announce', 'announce', r.posOf('announce'));
  const announce = announceMap && { end: r.text(r.valueAt(announceMap, 'end'), 'announce.end'), abort: r.text(r.valueAt(announceMap, 'abort'), 'announce.abort') };
  const units = readUnits(r, v('units'));
  const unitIds = new Set((units ?? []).map((u) => u.id));

  const closure = top.has('closure') ? readClosure(r, v('closure'), unitIds, siteCheckpoints) : undefined;
  if (type === 'closure' && !top.has('closure')) r.problem(r.posOf(''), 'the plan: missing key `closure` (type: closure names the circle and its checkpoints)');
  if (type === 'drill' && top.has('closure')) r.problem(r.posOf('closure'), '`closure` is for a plan of type: closure only');

  const steps = readSteps(r, v('steps'), unitIds, closure?.steps ?? [], type);
  head.steps = steps.length;
  head.injects = steps.filter((s) => s.inject).length;

  if (r.problems.length) return result(null);
  const plan: Plan = {
    format: PLAN_FORMAT, id: id!, version: version!, title: title!, type: type!, kind: kind!, eventType: eventType!, place: place!,
    position: position!, date: date!, units: units!, procedures: procedures!, siteSetup: siteSetup!, simulatedConditions: simulatedConditions!,
    assembly: assembly!, announce: announce as Plan['announce'], seed: seed!, steps,
    ...(closure ? { closure: closure.closure } : {}),
  };
  return result(plan);
}

function sortProblems(problems: PlanProblem[]): PlanProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

function readDate(r: Reader, node: Node | null | undefined): string | undefined {
  const s = r.string(node, 'date');
  if (s === undefined) return undefined;
  const m = DATE.exec(s);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return r.problem(r.posOf('date'), `date "${s}" is not a day: write YYYY-MM-DD`);
  return s;
}

function readAssembly(r: Reader, node: Node | null | undefined): Plan['assembly'] | undefined {
  const e = r.map(node, 'assembly', 'assembly', r.posOf('assembly'));
  if (!e) return undefined;
  const points = (r.seq(r.valueAt(e, 'points'), 'assembly.points', 'assembly points') ?? []).map((p, i) => {
    const path = `assembly.points[${i}]`;
    const pe = r.map(p, path, 'point', r.posOf(path));
    const name = r.text(r.valueAt(pe, 'name'), `${path}.name`);
    const position = pe && r.position(r.valueAt(pe, 'position'), `${path}.position`);
    return name && position ? { name, position } : undefined;
  });
  const routes = (r.seq(r.valueAt(e, 'routes'), 'assembly.routes', 'routes') ?? []).map((n, i) => r.text(n, `assembly.routes[${i}]`));
  if (points.some((p) => !p) || routes.some((t) => !t)) return undefined;
  return { points: points as Plan['assembly']['points'], routes: routes as LocalText[] };
}

function readUnits(r: Reader, node: Node | null | undefined): PlanUnit[] | undefined {
  const items = r.seq(node, 'units', 'units ({ id } of units.json, or { id, name })');
  if (!items) return undefined;
  if (items.length === 0) r.problem(r.posOf('units'), 'units: a plan names at least one participating unit');
  const seen = new Set<string>();
  const units: PlanUnit[] = [];
  items.forEach((item, i) => {
    const path = `units[${i}]`;
    const e = r.map(item, path, 'unit', r.posOf(path));
    if (!e) return;
    const id = r.string(r.valueAt(e, 'id'), `${path}.id`, NAME_ID, 'is not a unit id: letters, digits, "-", "_", "."');
    const name = e.has('name') ? r.text(r.valueAt(e, 'name'), `${path}.name`) : undefined;
    if (id === undefined) return;
    if (seen.has(id)) r.problem(r.posOf(`${path}.id`), `unit ${id} is listed twice`);
    seen.add(id);
    // A unit without a name is one of units.json: plan-check gives its name from there (or reports it unknown).
    if (!e.has('name')) r.refs.push({ kind: 'site-unit', value: id, path: `${path}.id` });
    units.push({ id, name: name ?? { zh: id, en: id }, site: !e.has('name') });
  });
  return units;
}

interface ClosureRead {
  closure: NonNullable<Plan['closure']>;
  steps: PlanStep[];
}

function readClosure(r: Reader, node: Node | null | undefined, unitIds: Set<string>, siteCheckpoints: Set<string>): ClosureRead | undefined {
  const e = r.map(node, 'closure', 'closure', r.posOf('closure'));
  if (!e) return undefined;
  const zone = r.string(r.valueAt(e, 'zone'), 'closure.zone');
  if (zone !== undefined) r.refs.push({ kind: 'zone', value: zone, path: 'closure.zone' });
  const respondS = r.duration(r.valueAt(e, 'respond'), 'closure.respond');
  const closeS = r.duration(r.valueAt(e, 'close'), 'closure.close');
  if (respondS !== undefined && closeS !== undefined && respondS > closeS) {
    r.problem(r.posOf('closure.respond'), `closure.respond ${formatDuration(respondS)} is later than closure.close ${formatDuration(closeS)}: the network responds before the circle is closed`);
  }
  const seen = new Set<string>();
  const checkpoints: ClosureCheckpoint[] = [];
  const items = r.seq(r.valueAt(e, 'checkpoints'), 'closure.checkpoints', 'checkpoints') ?? [];
  if (isSeq(r.valueAt(e, 'checkpoints')) && items.length === 0) r.problem(r.posOf('closure.checkpoints'), 'closure.checkpoints: a closure plan closes at least one checkpoint');
  items.forEach((item, i) => {
    const path = `closure.checkpoints[${i}]`;
    const ce = r.map(item, path, 'checkpoint', r.posOf(path));
    if (!ce) return;
    const id = r.string(r.valueAt(ce, 'id'), `${path}.id`, NAME_ID, 'is not a checkpoint id: letters, digits, "-", "_", "."');
    const unit = r.string(r.valueAt(ce, 'unit'), `${path}.unit`);
    const targetS = r.duration(r.valueAt(ce, 'within'), `${path}.within`);
    const own = ce.has('name') || ce.has('position');
    if (own && !(ce.has('name') && ce.has('position'))) r.problem(r.posOf(path), `${r.label(path)}: a checkpoint that is not the site's needs both \`name\` and \`position\``);
    const name = ce.has('name') ? r.text(r.valueAt(ce, 'name'), `${path}.name`) : undefined;
    const position = ce.has('position') ? r.position(r.valueAt(ce, 'position'), `${path}.position`) : undefined;
    if (unit !== undefined && !unitIds.has(unit)) r.problem(r.posOf(`${path}.unit`), `unit ${unit} does not take part in this plan${hint(unit, [...unitIds])}`);
    if (targetS !== undefined && closeS !== undefined && targetS > closeS) {
      r.problem(r.posOf(`${path}.within`), `${r.label(`${path}.within`)} ${formatDuration(targetS)} is later than closure.close ${formatDuration(closeS)}`);
    }
    if (id === undefined || unit === undefined || targetS === undefined) return;
    if (seen.has(id)) r.problem(r.posOf(`${path}.id`), `checkpoint ${id} is listed twice`);
    seen.add(id);
    if (!own) {
      siteCheckpoints.add(id);
      r.refs.push({ kind: 'checkpoint', value: id, path: `${path}.id` });
    }
    // A site checkpoint's name and position are filled in by plan-check from the site's features.
    checkpoints.push({ id, unit, targetS, name: name ?? { zh: id, en: id }, position: position ?? { lon: 0, lat: 0 } });
  });
  if (zone === undefined || respondS === undefined || closeS === undefined) return undefined;
  const steps = checkpoints.map((c, i): PlanStep => ({
    id: `close-${c.id}`, atS: 0, unit: c.unit,
    action: { zh: `${c.name.zh}封控到位`, en: `${c.name.en} closed` },
    expect: { action: 'unit-arrived', of: `close-${c.id}`, targetS: c.targetS },
    place: { ...c.position, radiusM: CHECKPOINT_RADIUS_M },
    line: r.posOf(`closure.checkpoints[${i}]`).line,
  }));
  return { closure: { zone, respondS, closeS, checkpoints }, steps };
}

/** Injects that raise a drill alarm: their step can be the `of` of an alarm action. */
const ALARM_INJECTS = new Set<PlanInject['kind']>(['drone-scenario', 'camera-event', 'camera-outage', 'zone-crossing', 'alarm']);
const ALARM_ACTIONS = new Set<ExpectedAction>(['acknowledged', 'dispatched', 'on-scene', 'resolved', 'closed', 'incident-opened', 'atc-notified']);

function readSteps(r: Reader, node: Node | null | undefined, unitIds: Set<string>, closureSteps: PlanStep[], type: PlanType | undefined): PlanStep[] {
  const items = r.seq(node, 'steps', 'steps') ?? [];
  if (isSeq(node) && items.length === 0 && type !== 'closure') r.problem(r.posOf('steps'), 'steps: a drill plan has at least one step');
  const steps: PlanStep[] = [];
  const refs: Array<{ path: string; cond: StepCondition; self: string }> = [];
  const ids = new Map<string, string>(closureSteps.map((s) => [s.id, 'closure.checkpoints']));
  let prev: { id: string; atS: number } | undefined;

  items.forEach((item, i) => {
    const path = `steps[${i}]`;
    const e = r.map(item, path, 'step', r.posOf(path));
    if (!e) return;
    const id = r.string(r.valueAt(e, 'id'), `${path}.id`, NAME_ID, 'is not a step id: letters, digits, "-", "_", "." (at most 64)');
    const atNode = r.valueAt(e, 'at');
    const at = atNode === undefined ? undefined : parseStepTime(isScalar(atNode) ? atNode.value : '(a list or map)');
    const atS = at === undefined ? undefined : 'error' in at ? r.problem(r.posOf(`${path}.at`), at.error) : at.seconds;
    const unit = r.string(r.valueAt(e, 'unit'), `${path}.unit`);
    const action = r.text(r.valueAt(e, 'action'), `${path}.action`);
    if (unit !== undefined && !unitIds.has(unit)) {
      r.problem(r.posOf(`${path}.unit`), `unknown unit ${unit}: a step's unit is one of the plan's units${hint(unit, [...unitIds])}`);
    }
    if (id !== undefined) {
      const first = ids.get(id);
      if (first !== undefined) r.problem(r.posOf(`${path}.id`), `duplicate step id ${id} (also ${first === 'closure.checkpoints' ? 'a closure checkpoint step' : `at line ${first}`})`);
      else ids.set(id, String(r.posOf(`${path}.id`).line));
    }
    if (atS !== undefined && id !== undefined) {
      if (prev && atS < prev.atS) {
        r.problem(r.posOf(`${path}.at`), `step ${id} (${fmt(atS)}) is listed after step ${prev.id} (${fmt(prev.atS)}): list steps in time order`);
      }
      prev = { id, atS };
    }

    const expectRead = e.has('expect') ? readCondition(r, r.valueAt(e, 'expect'), `${path}.expect`, 'expect') : undefined;
    const expect = expectRead?.cond;
    let targetS: number | undefined;
    if (expect) {
      const within = expectRead.entries.get('within')?.value;
      if (within !== undefined) targetS = r.duration(within, `${path}.expect.within`);
      else if (DEFAULT_WITHIN_S[expect.action] !== undefined) targetS = DEFAULT_WITHIN_S[expect.action];
      else r.problem(r.posOf(`${path}.expect`), `${r.label(`${path}.expect`)}: missing key \`within\` (only acknowledged, dispatched and on-scene have a 1-3-5 default)`);
    }
    const when = e.has('when') ? readCondition(r, r.valueAt(e, 'when'), `${path}.when`, 'condition')?.cond : undefined;
    const ifNot = e.has('if-not') ? readCondition(r, r.valueAt(e, 'if-not'), `${path}.if-not`, 'condition')?.cond : undefined;
    if (e.has('when') && e.has('if-not')) r.problem(r.posOf(`${path}.if-not`), `${r.label(path)}: a step has \`when\` or \`if-not\`, not both`);
    const inject = e.has('inject') ? readInject(r, r.valueAt(e, 'inject'), `${path}.inject`, unitIds) : undefined;

    if (id !== undefined) {
      if (expect) refs.push({ path: `${path}.expect.of`, cond: expect, self: id });
      if (when) refs.push({ path: `${path}.when.of`, cond: when, self: id });
      if (ifNot) refs.push({ path: `${path}.if-not.of`, cond: ifNot, self: id });
    }
    if (id === undefined || atS === undefined || unit === undefined || !action) return;
    steps.push({
      id, atS, unit, action,
      ...(expect && targetS !== undefined ? { expect: { ...expect, targetS } } : {}),
      ...(inject ? { inject } : {}),
      ...(when ? { when } : {}),
      ...(ifNot ? { ifNot } : {}),
      line: r.posOf(path).line,
    });
  });

  const all = [...steps, ...closureSteps];
  const byId = new Map(all.map((s) => [s.id, s]));
  for (const { path, cond, self } of refs) {
    const target = byId.get(cond.of);
    if (!target) {
      if (ids.has(cond.of)) continue; // the step is broken itself, and said so
      r.problem(r.posOf(path), `\`of: ${cond.of}\` names no step of this plan${hint(cond.of, [...ids.keys()])}`);
      continue;
    }
    if (ALARM_ACTIONS.has(cond.action) && !(target.inject && ALARM_INJECTS.has(target.inject.kind))) {
      r.problem(r.posOf(path), `\`${cond.action}\` of ${cond.of}: step ${cond.of} has no inject that raises an alarm${cond.of === self ? ' (it names itself)' : ''}`);
    }
  }
  // Closure checkpoint steps all start at T+0: they go after the written steps of T+0, in the checkpoints' order.
  return all.map((s, i) => ({ s, i })).sort((a, b) => a.s.atS - b.s.atS || a.i - b.i).map(({ s }) => s);
}

const fmt = (s: number) => `T+${formatDuration(s)}`;

function readCondition(r: Reader, node: Node | null | undefined, path: string, shape: 'expect' | 'condition'): { cond: StepCondition; entries: Map<string, Entry> } | undefined {
  const e = r.map(node, path, shape, r.posOf(path));
  if (!e) return undefined;
  const action = r.oneOf(r.valueAt(e, 'action'), `${path}.action`, EXPECTED_ACTIONS);
  const of = r.string(r.valueAt(e, 'of'), `${path}.of`);
  return action && of ? { cond: { action, of }, entries: e } : undefined;
}

function readInject(r: Reader, node: Node | null | undefined, path: string, unitIds: Set<string>): PlanInject | undefined {
  const e = r.map(node, path, 'inject', r.posOf(path));
  if (!e) return undefined;
  const kinds = [...e.keys()];
  if (kinds.length !== 1) {
    return r.problem(r.posOf(path), `${r.label(path)} has exactly one of ${PLAN_KEYS.inject.optional.join(', ')}${kinds.length ? `, not ${kinds.join(' and ')}` : ''}`);
  }
  const kind = kinds[0] as PlanInject['kind'];
  const p = `${path}.${kind}`;
  const value = r.valueAt(e, kind);
  switch (kind) {
    case 'drone-scenario': {
      const scenario = r.string(value, p);
      if (scenario !== undefined) r.refs.push({ kind: 'scenario', value: scenario, path: p });
      return scenario === undefined ? undefined : { kind, scenario };
    }
    case 'camera-event': {
      const m = r.map(value, p, kind, r.posOf(p));
      if (!m) return undefined;
      const camera = r.string(r.valueAt(m, 'camera'), `${p}.camera`);
      const event = r.string(r.valueAt(m, 'event'), `${p}.event`);
      if (camera !== undefined) r.refs.push({ kind: 'camera', value: camera, path: `${p}.camera` });
      if (event !== undefined) r.refs.push({ kind: 'analytic', value: event, path: `${p}.event` });
      const note = m.has('note') ? r.text(r.valueAt(m, 'note'), `${p}.note`) : undefined;
      return camera && event && (note || !m.has('note')) ? { kind, camera, event, ...(note ? { note } : {}) } : undefined;
    }
    case 'camera-outage': {
      const m = r.map(value, p, kind, r.posOf(p));
      if (!m) return undefined;
      const camera = r.string(r.valueAt(m, 'camera'), `${p}.camera`);
      const durationS = r.duration(r.valueAt(m, 'duration'), `${p}.duration`);
      if (camera !== undefined) r.refs.push({ kind: 'camera', value: camera, path: `${p}.camera` });
      return camera && durationS !== undefined ? { kind, camera, durationS } : undefined;
    }
    case 'unit-report': {
      const m = r.map(value, p, kind, r.posOf(p));
      if (!m) return undefined;
      const unit = r.string(r.valueAt(m, 'unit'), `${p}.unit`);
      const report = r.oneOf(r.valueAt(m, 'report'), `${p}.report`, UNIT_REPORTS);
      if (unit !== undefined) r.refs.push({ kind: 'report-unit', value: unit, path: `${p}.unit` });
      if (unit !== undefined && !unitIds.has(unit)) r.problem(r.posOf(`${p}.unit`), `unit ${unit} reports but does not take part in this plan: add it to \`units\`${hint(unit, [...unitIds])}`);
      const position = m.has('position') ? r.position(r.valueAt(m, 'position'), `${p}.position`) : undefined;
      if (report === 'position' && !m.has('position')) r.problem(r.posOf(p), `${r.label(p)}: a position report needs \`position\``);
      if (!unit || !report || (m.has('position') && !position) || (report === 'position' && !position)) return undefined;
      return { kind, unit, report, ...(position ? { position } : {}) };
    }
    case 'zone-crossing': {
      const m = r.map(value, p, kind, r.posOf(p));
      if (!m) return undefined;
      const zone = r.string(r.valueAt(m, 'zone'), `${p}.zone`);
      const position = r.position(r.valueAt(m, 'position'), `${p}.position`);
      if (zone !== undefined) r.refs.push({ kind: 'zone', value: zone, path: `${p}.zone`, position, positionPath: `${p}.position` });
      return zone && position ? { kind, zone, position } : undefined;
    }
    case 'alarm': {
      const m = r.map(value, p, kind, r.posOf(p));
      if (!m) return undefined;
      const severity = r.integer(r.valueAt(m, 'severity'), `${p}.severity`, 1, 4);
      const note = r.text(r.valueAt(m, 'note'), `${p}.note`);
      const position = r.position(r.valueAt(m, 'position'), `${p}.position`);
      return severity !== undefined && note && position ? { kind, severity: severity as 1 | 2 | 3 | 4, note, position } : undefined;
    }
  }
}
