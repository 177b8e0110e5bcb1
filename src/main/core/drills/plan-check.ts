// A parsed plan checked against what it names outside itself: the site (perception circles, checkpoints, its
// area), the site's units.json and sops.json, the drone simulator's scenarios, the video sources' cameras and
// their analytic events. Every problem at once, at the line and column the file names it; a plan that passes is
// completed from the site (the names of its site units, the places of its closure checkpoints).
import { readFile } from 'node:fs/promises';
import type { LocalText } from '../../../shared/domain.ts';
import type { Plan, PlanProblem } from '../../../shared/drills.ts';
import { SCENARIO_NAMES } from '../../../shared/drone-scenarios.ts';
import { ANALYTIC_KINDS } from '../../../shared/video.ts';
import { geodesicInverse } from '../geo/local-frame.ts';
import { loadSopFile, sopFilePath } from '../incidents/sop-file.ts';
import type { SiteModel } from '../site/site-model.ts';
import { loadUnitsFile } from '../units/units-file.ts';
import { hint, nearest, parsePlan, type ParsedPlan, type SiteRef } from './plan-parse.ts';

/** A camera as the video sources report it: its console id (`source/camera`) and the source's own id. */
export interface KnownCamera {
  id: string;
  cameraId: string;
}

export interface PlanSiteContext {
  site: SiteModel;
  /** The site's units (units.json). */
  units: Array<{ id: string; name: LocalText }>;
  /** The incident types of sops.json. */
  eventTypes: string[];
  /** The drone simulator's scenarios. */
  scenarios: readonly string[];
  /** The cameras the video sources report; null while none is known (camera names are then not checked). */
  cameras: KnownCamera[] | null;
}

/** Beyond this distance from the aerodrome a site without circles has no place for a plan (units.json's rule). */
const FALLBACK_AREA_M = 30_000;

/** The context for a site folder: its units.json and sops.json read as the core reads them. */
export async function loadPlanContext(site: SiteModel, siteDir: string, cameras: KnownCamera[] | null): Promise<PlanSiteContext> {
  const units = (await loadUnitsFile(siteDir, site))?.units ?? [];
  const types = (await loadSopFile(sopFilePath(siteDir))) ?? [];
  return {
    site,
    units: units.map((u) => ({ id: u.id, name: u.name })),
    eventTypes: types.map((t) => t.id),
    scenarios: SCENARIO_NAMES,
    cameras,
  };
}

export interface CheckedPlan {
  /** The plan, completed from the site, when there is no problem at all. */
  plan: Plan | null;
  parsed: ParsedPlan;
  problems: PlanProblem[];
}

/** Parses and checks a plan's text against a site: the one entry point of the library and the CLI. */
export function checkPlanText(file: string, text: string, ctx: PlanSiteContext): CheckedPlan {
  const parsed = parsePlan(file, text);
  const problems = [...parsed.problems, ...checkRefs(parsed, ctx)].sort((a, b) => a.line - b.line || a.column - b.column);
  const plan = parsed.plan && problems.length === 0 ? complete(parsed.plan, ctx, parsed.siteCheckpoints) : null;
  return { plan, parsed, problems };
}

/** The problems of the names and places the plan takes from the site. */
export function checkRefs(parsed: ParsedPlan, ctx: PlanSiteContext): PlanProblem[] {
  const out: PlanProblem[] = [];
  const at = (path: string, message: string) => {
    const p = parsed.where(path);
    out.push({ file: parsed.file, line: p.line, column: p.column, message });
  };
  const circles = ctx.site.pack.perceptionCircles;
  const circleIds = circles.map((c) => c.id);
  const checkpoints = siteCheckpoints(ctx.site);
  const siteUnits = ctx.units.map((u) => u.id);
  const cameraIds = ctx.cameras?.map((c) => c.cameraId) ?? [];
  const knownCamera = (name: string) => ctx.cameras?.some((c) => c.id === name || c.cameraId === name) ?? true;

  for (const ref of parsed.refs) {
    switch (ref.kind) {
      case 'event-type':
        if (!ctx.eventTypes.includes(ref.value)) at(ref.path, `unknown event-type ${ref.value}: not an incident type of sops.json${hint(ref.value, ctx.eventTypes)}`);
        break;
      case 'site-unit':
        if (!siteUnits.includes(ref.value)) {
          at(ref.path, `unknown unit ${ref.value}: not in units.json${hint(ref.value, siteUnits)}; a unit from outside the site needs a \`name\``);
        }
        break;
      case 'report-unit':
        if (!siteUnits.includes(ref.value)) at(ref.path, `unknown unit ${ref.value}: only a unit of units.json reports from a terminal${hint(ref.value, siteUnits)}`);
        break;
      case 'scenario':
        if (!ctx.scenarios.includes(ref.value)) at(ref.path, `unknown drone scenario ${ref.value}: the drone simulator has ${ctx.scenarios.join(', ')}${nearNote(ref.value, ctx.scenarios)}`);
        break;
      case 'camera':
        if (!knownCamera(ref.value)) {
          at(ref.path, `unknown camera ${ref.value}: the video sources report ${cameraIds.length} cameras${cameraIds.length ? hint(ref.value, cameraIds, 6) : ' (none yet)'}`);
        }
        break;
      case 'analytic':
        if (!(ANALYTIC_KINDS as readonly string[]).includes(ref.value)) at(ref.path, `unknown camera event ${ref.value}: a camera reports ${ANALYTIC_KINDS.join(', ')}${nearNote(ref.value, ANALYTIC_KINDS)}`);
        break;
      case 'checkpoint':
        if (!checkpoints.has(ref.value)) at(ref.path, `unknown checkpoint ${ref.value}: the site has ${[...checkpoints.keys()].join(', ') || 'none'}${nearNote(ref.value, [...checkpoints.keys()])}; another place needs \`name\` and \`position\``);
        break;
      case 'zone': {
        const circle = circles.find((c) => c.id === ref.value);
        if (!circle) {
          at(ref.path, `unknown zone ${ref.value}: the site's perception circles are ${circleIds.join(', ')}${nearNote(ref.value, circleIds)}`);
        } else if (ref.position && ref.positionPath && !ctx.site.circlesAt(ref.position.lon, ref.position.lat).some((c) => c.id === circle.id)) {
          at(ref.positionPath, `[${ref.position.lon}, ${ref.position.lat}] is not inside zone ${circle.id} (${circle.name.zh}): a crossing happens inside the circle`);
        }
        break;
      }
      case 'position':
        outsideArea(ctx.site, ref, at);
        break;
    }
  }
  return out;
}

const nearNote = (name: string, candidates: readonly string[]) => {
  const near = nearest(name, candidates);
  return near ? `; did you mean ${near}?` : '';
};

function outsideArea(site: SiteModel, ref: Extract<SiteRef, { kind: 'position' }>, at: (path: string, message: string) => void): void {
  const { lon, lat } = ref.value;
  const inside = (x: number, y: number) =>
    site.pack.perceptionCircles.length ? site.circlesAt(x, y).length > 0 : geodesicInverse(site.pack.aerodrome.referencePoint, [x, y]).distanceM <= FALLBACK_AREA_M;
  if (inside(lon, lat)) return;
  const km = (geodesicInverse(site.pack.aerodrome.referencePoint, [lon, lat]).distanceM / 1000).toFixed(1);
  const swapped = Math.abs(lat) <= 180 && Math.abs(lon) <= 90 && inside(lat, lon) ? '; are longitude and latitude swapped?' : '';
  at(ref.path, `[${lon}, ${lat}] is outside the site (${km} km from the aerodrome, beyond its outermost circle)${swapped}`);
}

/** The site's checkpoints (卡口): feature id → name and place. */
export function siteCheckpoints(site: SiteModel): Map<string, { name: LocalText; position: { lon: number; lat: number } }> {
  const out = new Map<string, { name: LocalText; position: { lon: number; lat: number } }>();
  for (const f of site.pack.features.features) {
    if (f.properties.kind !== 'checkpoint' || f.geometry.type !== 'Point') continue;
    const [lon, lat] = f.geometry.coordinates;
    out.set(String(f.id), { name: f.properties.name, position: { lon, lat } });
  }
  return out;
}

/** The plan with what the site knows filled in: its units' names, its checkpoints' names and places. */
function complete(plan: Plan, ctx: PlanSiteContext, fromSite: Set<string>): Plan {
  const names = new Map(ctx.units.map((u) => [u.id, u.name]));
  const units = plan.units.map((u) => (u.site ? { ...u, name: names.get(u.id) ?? u.name } : u));
  if (!plan.closure) return { ...plan, units };
  const cps = siteCheckpoints(ctx.site);
  const checkpoints = plan.closure.checkpoints.map((c) => {
    const site = cps.get(c.id);
    return site && fromSite.has(c.id) ? { ...c, name: site.name, position: site.position } : c;
  });
  const byStep = new Map(checkpoints.map((c) => [`close-${c.id}`, c]));
  const steps = plan.steps.map((s) => {
    const c = byStep.get(s.id);
    if (!c || !s.place) return s;
    return { ...s, action: { zh: `${c.name.zh}封控到位`, en: `${c.name.en} closed` }, place: { ...s.place, lon: c.position.lon, lat: c.position.lat } };
  });
  return { ...plan, units, steps, closure: { ...plan.closure, checkpoints } };
}

/** Reads a plan file from disk and checks it (the CLI's path). */
export async function checkPlanFile(file: string, ctx: PlanSiteContext): Promise<CheckedPlan> {
  return checkPlanText(file, await readFile(file, 'utf8'), ctx);
}

const KIND_ZH: Record<Plan['kind'], string> = { 'full-scale': '综合演练', 'single-unit': '单项演练', tabletop: '桌面演练' };

/** `drone-intrusion-approach v3: 综合演练, 14 steps, 5 injects, 6 timed actions — OK`. */
export function planSummaryLine(plan: Plan): string {
  const kind = `${KIND_ZH[plan.kind]}${plan.type === 'closure' ? `（圈层封控，${plan.closure?.checkpoints.length ?? 0} 个卡口）` : ''}`;
  const injects = plan.steps.filter((s) => s.inject).length;
  const timed = plan.steps.filter((s) => s.expect).length;
  return `${plan.id} v${plan.version}: ${kind}, ${plan.steps.length} steps, ${injects} injects, ${timed} timed actions — OK`;
}

/** `file:line:column: message`, the form editors and CI jump to. */
export const formatProblem = (p: PlanProblem): string => `${p.file}:${p.line}:${p.column}: ${p.message}`;
