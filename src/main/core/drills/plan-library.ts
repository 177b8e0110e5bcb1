// The plans the console knows: the shipped ones (resources/plans) and those a coordinator imported (data folder
// plans/), each parsed and checked against the site; a plan that does not validate is listed with its problems
// and cannot be started. An import is checked first, written atomically (tmp + rename) as <id>.yaml, and goes
// on the record; a newer version of an id replaces the older, an older or equal one is refused.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Plan, PlanProblem, PlanSummary } from '../../../shared/drills.ts';
import type { Person } from '../../../shared/domain.ts';
import type { SiteModel } from '../site/site-model.ts';
import { ApiError } from '../calls.ts';
import { checkPlanText, checkRefs, formatProblem, loadPlanContext, type CheckedPlan, type KnownCamera, type PlanSiteContext } from './plan-check.ts';
import { PLAN_TEXT_MAX } from './plan-parse.ts';
import { SCENARIO_NAMES } from '../../../shared/drone-scenarios.ts';

export interface PlanLibraryDeps {
  site: SiteModel;
  /** resources/plans of the app. */
  shippedDir: string;
  /** <dataDir>/plans: imported plans. */
  importedDir: string;
  /** The site file's folder (its response/units.json and response/sops.json). */
  siteDir: string;
  log: (line: string) => void;
  /** The record (core.audit.record): an import goes on it. */
  audit?: (actor: string, action: string, subject: string | null, details: Record<string, unknown>) => Promise<void>;
  /** The cameras the video sources report now; camera names are checked against them when there are any. */
  cameras?: () => KnownCamera[];
}

interface Entry {
  /** The file name under its folder. */
  file: string;
  path: string;
  imported: boolean;
  checked: CheckedPlan;
}

const PLAN_FILE = /\.ya?ml$/i;

export class PlanLibrary {
  /** Valid plans by id, and broken files by their path. */
  private entries = new Map<string, Entry>();
  private ctx: PlanSiteContext;
  /** Imports one at a time: the version check and the rename must not interleave. */
  private importing: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: PlanLibraryDeps) {
    this.ctx = { site: deps.site, units: [], eventTypes: [], scenarios: SCENARIO_NAMES, cameras: null };
  }

  async load(): Promise<void> {
    try {
      this.ctx = await loadPlanContext(this.deps.site, this.deps.siteDir, this.cameras());
    } catch (err) {
      // The units and SOP files were checked when the core loaded them; a failure here leaves every plan unstartable.
      this.deps.log(`Plans: cannot read the site's units or SOPs (${(err as Error).message}); no plan validates.`);
    }
    const entries = new Map<string, Entry>();
    for (const [dir, imported] of [[this.deps.shippedDir, false], [this.deps.importedDir, true]] as const) {
      for (const file of await planFiles(dir, this.deps.log)) {
        const path = join(dir, file);
        let checked: CheckedPlan;
        try {
          const text = await readCapped(path);
          checked = text === null ? brokenFile(file, `the file is larger than ${PLAN_TEXT_MAX} bytes`) : checkPlanText(file, text, this.ctx);
        } catch (err) {
          checked = brokenFile(file, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
        }
        this.put(entries, { file, path, imported, checked });
      }
    }
    this.entries = entries;
    const broken = [...entries.values()].filter((e) => !e.checked.plan);
    this.deps.log(`Plans: ${entries.size - broken.length} valid${broken.length ? `, ${broken.length} with problems (${broken.map((e) => e.file).join(', ')})` : ''}.`);
    for (const e of broken) this.deps.log(`Plans: ${formatProblem(e.checked.problems[0])}`);
  }

  list(): PlanSummary[] {
    return [...this.entries.values()].map(summary).sort((a, b) => a.id.localeCompare(b.id) || a.file.localeCompare(b.file));
  }

  /** A plan that validates; not-found for an unknown id, conflict (reason plan-invalid) for one with problems. */
  get(id: string): Plan {
    const entry = this.entries.get(id) ?? [...this.entries.values()].find((e) => e.checked.parsed.head.id === id);
    if (!entry) throw new ApiError('not-found', `no plan ${id}`);
    const { plan, problems } = entry.checked;
    if (!plan) throw invalid(id, problems);
    // Cameras come and go with their video sources: a plan naming one that is not there now is refused now.
    const cameras = this.cameras();
    if (cameras && this.deps.cameras) {
      const now = checkRefs({ ...entry.checked.parsed, refs: entry.checked.parsed.refs.filter((r) => r.kind === 'camera') }, { ...this.ctx, cameras });
      if (now.length) throw invalid(id, now);
    } else if (this.deps.cameras && entry.checked.parsed.refs.some((r) => r.kind === 'camera')) {
      throw new ApiError('conflict', `plan ${id} names cameras, and no video source has reported its cameras yet`, { reason: 'plan-invalid' });
    }
    return plan;
  }

  validate(file: string, text: string): { plan: PlanSummary | null; problems: PlanProblem[] } {
    const name = fileName(file);
    const checked = checkPlanText(name, text, { ...this.ctx, cameras: this.cameras() });
    return { plan: checked.plan ? summary({ file: name, path: '', imported: true, checked }) : null, problems: checked.problems };
  }

  async import(file: string, text: string, by: Person): Promise<{ plan: PlanSummary | null; problems: PlanProblem[] }> {
    const run = this.importing.then(() => this.importNow(file, text, by));
    this.importing = run.catch(() => undefined);
    return run;
  }

  private async importNow(file: string, text: string, by: Person): Promise<{ plan: PlanSummary | null; problems: PlanProblem[] }> {
    const checked = checkPlanText(fileName(file), text, { ...this.ctx, cameras: this.cameras() });
    const plan = checked.plan;
    if (!plan) return { plan: null, problems: checked.problems };
    const before = this.entries.get(plan.id);
    const old = before?.checked.plan;
    if (old && old.version >= plan.version) {
      throw new ApiError('conflict', `plan ${plan.id} version ${old.version} is loaded: an import must raise \`version\` (this file has ${plan.version})`, {
        reason: 'plan-version',
      });
    }
    const target = `${plan.id}.yaml`;
    const path = join(this.deps.importedDir, target);
    await mkdir(this.deps.importedDir, { recursive: true });
    const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, text, { encoding: 'utf8', flag: 'wx' });
      await rename(tmp, path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw new ApiError('unavailable', `plan ${plan.id} could not be stored (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    // An older import of the same id under another file name would come back on the next load.
    if (before?.imported && before.path !== path) await unlink(before.path).catch(() => undefined);
    const entry: Entry = { file: target, path, imported: true, checked: { ...checked, parsed: { ...checked.parsed, file: target } } };
    this.entries.set(plan.id, entry);
    await this.deps.audit?.(by.username, 'plan.import', plan.id, { version: plan.version, replaced: old?.version ?? null, file: fileName(file), steps: plan.steps.length });
    this.deps.log(`Plans: ${by.username} imported ${plan.id} v${plan.version}${old ? ` (replacing v${old.version})` : ''}.`);
    return { plan: summary(entry), problems: [] };
  }

  /** The current camera inventory; null while no source has reported one (camera names are then unchecked). */
  private cameras(): KnownCamera[] | null {
    const list = this.deps.cameras?.() ?? [];
    return list.length ? list : null;
  }

  /** A valid plan under its id (the higher version wins); a broken file under its path. */
  private put(entries: Map<string, Entry>, e: Entry): void {
    const plan = e.checked.plan;
    if (!plan) {
      entries.set(`file:${e.path}`, e);
      return;
    }
    const other = entries.get(plan.id)?.checked.plan;
    if (other && other.version >= plan.version) {
      this.deps.log(`Plans: ${e.path} is ${plan.id} v${plan.version}; v${other.version} is loaded already, this one is ignored.`);
      return;
    }
    entries.set(plan.id, e);
  }
}

function invalid(id: string, problems: PlanProblem[]): ApiError {
  const first = problems[0];
  return new ApiError('conflict', `plan ${id} does not validate: ${first ? formatProblem(first) : 'unknown problem'}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, {
    reason: 'plan-invalid',
  });
}

function summary(e: Entry): PlanSummary {
  const { plan, parsed, problems } = e.checked;
  const head = parsed.head;
  const id = plan?.id ?? head.id ?? e.file.replace(PLAN_FILE, '');
  return {
    id,
    file: e.file,
    title: plan?.title ?? head.title ?? { zh: id, en: id },
    type: plan?.type ?? head.type ?? 'drill',
    kind: plan?.kind ?? head.kind ?? 'full-scale',
    version: plan?.version ?? head.version ?? 0,
    steps: plan?.steps.length ?? head.steps,
    injects: plan ? plan.steps.filter((s) => s.inject).length : head.injects,
    problems,
  };
}

/** A file name for messages: no folders, no control characters, at most 120 characters. */
function fileName(file: string): string {
  const name = basename(file.replace(/\\/g, '/')).replace(/[\u0000-\u001f]/g, '').slice(0, 120);
  return name || 'plan.yaml';
}

function brokenFile(file: string, message: string): CheckedPlan {
  const problems = [{ file, line: 1, column: 1, message }];
  return { plan: null, problems, parsed: { file, plan: null, problems, head: { steps: 0, injects: 0 }, where: () => ({ line: 1, column: 1 }), siteCheckpoints: new Set(), refs: [] } };
}

async function planFiles(dir: string, log: (line: string) => void): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => PLAN_FILE.test(f)).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') log(`Plans: cannot list ${dir} (${code ?? (err as Error).message}).`);
    return [];
  }
}

/** The file's text, or null when it is over the cap (it is not read then). */
async function readCapped(path: string): Promise<string | null> {
  if ((await stat(path)).size > PLAN_TEXT_MAX) return null;
  return readFile(path, 'utf8');
}
