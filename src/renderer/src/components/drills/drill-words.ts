// Words for a drill's facts: a step's inject and conditions, a failed drill call. Plain functions over the global
// i18n instance, like i18n/words.ts, so that the panel, the step list and the report word them the same way.
import type { ExpectedAction, PlanInject, PlanStep, PlanUnit, StepCondition } from '../../../../shared/drills.ts';
import type { SitePack } from '../../../../shared/site.ts';
import type { LocalText } from '../../../../shared/domain.ts';
import { i18n, localText } from '../../i18n/index.ts';
import { errorText } from '../../i18n/words.ts';
import { analyticText } from '../../composables/alarm-text.ts';
import { mmss } from './drill-time.ts';

const t = (key: string, values?: Record<string, unknown>): string => (values ? i18n.global.t(key, values) : i18n.global.t(key));

export const actionText = (a: ExpectedAction): string => t(`drills.action.${a}`);

/** What a plan's words can be looked up in: its steps (a condition names a step by id), the site (circle names). */
export interface DrillWordsContext {
  steps?: readonly Pick<PlanStep, 'id' | 'action'>[];
  site?: Pick<SitePack, 'perceptionCircles'> | null;
}

/** A drone-simulator scenario by its name (进近航道盘旋 for approach-loiter); an unknown one as sent. */
export function scenarioText(name: string): string {
  const key = `drills.scenario.${name}`;
  return i18n.global.te(key) ? t(key) : name;
}

/** A zone of a zone-crossing or closure: the site's circle of that id (or ring) by name. */
export function zoneText(zone: string, site: DrillWordsContext['site']): string {
  const circles = site?.perceptionCircles ?? [];
  const circle = circles.find((c) => c.id === zone) ?? circles.find((c) => c.ring === zone);
  if (circle) return localText(circle.name);
  return i18n.global.te(`rings.${zone}`) ? t(`rings.${zone}`) : zone;
}

/** A step named by id, as its action text (the id when the step is not in the plan). */
export function stepText(id: string, steps: DrillWordsContext['steps']): string {
  const step = steps?.find((s) => s.id === id);
  return step ? localText(step.action) : id;
}

/** An incident type by its name (无人机入侵 for drone-intrusion), from the incidents store's types. */
export function incidentTypeText(id: string, types: readonly { id: string; name: LocalText }[] | undefined): string {
  const type = types?.find((x) => x.id === id);
  return type ? localText(type.name) : id;
}

export function injectText(i: PlanInject, ctx: DrillWordsContext = {}): string {
  switch (i.kind) {
    case 'drone-scenario':
      return t('drills.inject.drone-scenario', { scenario: scenarioText(i.scenario) });
    case 'camera-event':
      return t('drills.inject.camera-event', { event: analyticText(i.event), camera: i.camera });
    case 'camera-outage':
      return t('drills.inject.camera-outage', { camera: i.camera, s: i.durationS });
    case 'unit-report':
      return t('drills.inject.unit-report', { unit: i.unit, report: t(`drills.unitReport.${i.report}`) });
    case 'zone-crossing':
      return t('drills.inject.zone-crossing', { zone: zoneText(i.zone, ctx.site) });
    case 'alarm':
      return t('drills.inject.alarm', { severity: i.severity, note: localText(i.note) });
  }
}

/** The step's condition and expectation in words (empty parts left out); the step they concern by its action. */
export function stepConditions(step: Pick<PlanStep, 'when' | 'ifNot' | 'expect'>, ctx: DrillWordsContext = {}): string[] {
  const cond = (key: string, c: StepCondition) => t(key, { action: actionText(c.action), of: stepText(c.of, ctx.steps) });
  const out: string[] = [];
  if (step.when) out.push(cond('drills.detail.when', step.when));
  if (step.ifNot) out.push(cond('drills.detail.ifNot', step.ifNot));
  if (step.expect) out.push(t('drills.detail.within', { action: actionText(step.expect.action), of: stepText(step.expect.of, ctx.steps), t: mmss(step.expect.targetS) }));
  return out;
}

/** A drill call refused: the drill's own reasons first, then the console's. */
export function drillErrorText(e: unknown): string {
  const reason = (e as { reason?: string } | null)?.reason;
  if (reason && i18n.global.te(`drills.errors.${reason}`)) return t(`drills.errors.${reason}`);
  return errorText(e);
}

/** A step's responsible unit by its name in the plan (the id when the plan is not at hand). */
export function unitName(units: readonly PlanUnit[] | undefined, id: string): string {
  const u = units?.find((x) => x.id === id);
  return u ? localText(u.name) : id;
}

/**
 * The speeds a drill ran at, in order ("10× → 1×"): its start speed (when the state carries it) and each speed
 * change of the report's controls; without any change, the drill's speed.
 */
export function speedsText(controls: readonly { kind: string; detail?: string | number }[] | undefined, speed: number, startSpeed?: number): string {
  const changes = (controls ?? []).filter((c) => c.kind === 'speed').map((c) => Number(c.detail)).filter((s) => Number.isFinite(s) && s > 0);
  const speeds = startSpeed !== undefined ? [startSpeed, ...changes] : changes.length ? changes : [speed];
  return speeds.filter((s, i) => i === 0 || s !== speeds[i - 1]).map((s) => `${s}×`).join(' → ');
}
