// skyfence plan validate <file>… [--site F] [--vms-cameras N] [--vms-seed S] [--cameras F]: checks plan files
// (docs/plans.md) against a site as the console would load them. Cameras are checked against the VMS simulator's
// inventory for the site (its default seed and count, or the given ones), or against a camera list (--cameras:
// a JSON array of ids or of { id }, e.g. a VMS's /api/cameras; a console id `source/camera` counts as `camera`). Exit 0 with one summary line per good plan,
// 1 with every problem as `file:line:column: message`, 2 on bad usage or an unreadable site. Never a stack.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags } from '../shared/flags.ts';
import { loadSiteFile } from '../main/core/site/load-site.ts';
import { SiteModel } from '../main/core/site/site-model.ts';
import { checkPlanText, formatProblem, loadPlanContext, planSummaryLine, type KnownCamera } from '../main/core/drills/plan-check.ts';
import { PLAN_TEXT_MAX } from '../main/core/drills/plan-parse.ts';

export const PLAN_USAGE =
  '  skyfence plan validate <file>… [--site F] [--vms-cameras N] [--vms-seed S] [--cameras F]\n' +
  '                                  (exit 0 valid, 1 with every problem as file:line:column: message, 2 usage)';

const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEFAULT_SITE = join(APP_ROOT, 'resources', 'sites', 'zuck', 'site.json');
/** The VMS simulator's defaults (src/sim/vms/main.ts): the inventory the demo console sees. */
const VMS_DEFAULT_SEED = 20261124;
const VMS_DEFAULT_CAMERAS = 300;
const FLAGS = ['site', 'vms-cameras', 'vms-seed', 'cameras'];

interface Writer {
  write(text: string): unknown;
}

class UsageError extends Error {}

export async function runPlan(args: string[], out: Writer, err: Writer): Promise<number> {
  const [command, ...rest] = args;
  const flags = parseFlags(rest);
  const files = positional(rest);
  const unknown = Object.keys(flags).filter((f) => !FLAGS.includes(f));
  if (command !== 'validate' || files.length === 0 || unknown.length || Object.values(flags).includes(true)) {
    err.write(`${unknown.length ? `unknown option --${unknown[0]}\n` : ''}usage:\n${PLAN_USAGE}\n`);
    return 2;
  }
  let ctx;
  try {
    const sitePath = typeof flags.site === 'string' ? flags.site : DEFAULT_SITE;
    const site = new SiteModel(await loadSiteFile(sitePath));
    const cameras = await knownCameras(site, flags);
    ctx = await loadPlanContext(site, dirname(sitePath), cameras);
  } catch (e) {
    const problems = (e as { problems?: string[] }).problems;
    err.write(`${problems ? problems.join('\n') : (e as Error).message}\n`);
    return 2;
  }
  let bad = false;
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      err.write(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
      bad = true;
      continue;
    }
    if (text.length > PLAN_TEXT_MAX) text = text.slice(0, PLAN_TEXT_MAX + 1); // parsePlan refuses it with its size
    const checked = checkPlanText(file, text, ctx);
    if (checked.plan) out.write(`${planSummaryLine(checked.plan)}\n`);
    else {
      bad = true;
      err.write(`${checked.problems.map(formatProblem).join('\n')}\n`);
    }
  }
  return bad ? 1 : 0;
}

/** Arguments that are not flags or their values. */
function positional(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('--')) {
      if (!args[i].includes('=') && args[i + 1] !== undefined && !args[i + 1].startsWith('--')) i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

async function knownCameras(site: SiteModel, flags: Record<string, string | true>): Promise<KnownCamera[]> {
  if (typeof flags.cameras === 'string') {
    let list: unknown;
    try {
      list = JSON.parse(await readFile(flags.cameras, 'utf8'));
    } catch (e) {
      throw new UsageError(`--cameras ${flags.cameras}: not a readable JSON file (${(e as Error).message})`);
    }
    const items = Array.isArray(list) ? list : (list as { cameras?: unknown })?.cameras;
    if (!Array.isArray(items)) throw new UsageError(`--cameras ${flags.cameras}: expected a JSON array of camera ids or of { id }`);
    return items.map((c) => (typeof c === 'string' ? c : String((c as { id?: unknown }).id ?? ''))).filter(Boolean).map((id) => ({ id, cameraId: id.slice(id.indexOf('/') + 1) }));
  }
  const seed = whole(flags['vms-seed'], '--vms-seed', VMS_DEFAULT_SEED, 0, 2 ** 31 - 1);
  const count = whole(flags['vms-cameras'], '--vms-cameras', VMS_DEFAULT_CAMERAS, 1, 20_000);
  // The simulator's layout is a pure function of (site, seed, count): the cameras a demo console would see.
  const { buildLayout } = await import('../sim/vms/layout.ts');
  return buildLayout(site.pack, { seed, cameras: count }).map((c) => ({ id: c.id, cameraId: c.id }));
}

function whole(v: string | true | undefined, name: string, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number ${min}–${max}, not "${v}"`);
  return n;
}
