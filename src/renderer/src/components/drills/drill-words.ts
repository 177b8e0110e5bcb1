// Words for a drill's facts: a step's inject and conditions, a failed drill call. Plain functions over the global
// i18n instance, like i18n/words.ts, so that the panel, the step list and the report word them the same way.
import type { ExpectedAction, PlanInject, PlanStep, PlanUnit, StepCondition } from '../../../../shared/drills.ts';
import { i18n, localText } from '../../i18n/index.ts';
import { errorText } from '../../i18n/words.ts';
import { mmss } from './drill-time.ts';

const t = (key: string, values?: Record<string, unknown>): string => (values ? i18n.global.t(key, values) : i18n.global.t(key));

export const actionText = (a: ExpectedAction): string => t(`drills.action.${a}`);

export function injectText(i: PlanInject): string {
  switch (i.kind) {
    case 'drone-scenario':
      return t('drills.inject.drone-scenario', { scenario: i.scenario });
    case 'camera-event':
      return t('drills.inject.camera-event', { event: i.event, camera: i.camera });
    case 'camera-outage':
      return t('drills.inject.camera-outage', { camera: i.camera, s: i.durationS });
    case 'unit-report':
      return t('drills.inject.unit-report', { unit: i.unit, report: t(`drills.unitReport.${i.report}`) });
    case 'zone-crossing':
      return t('drills.inject.zone-crossing', { zone: i.zone });
    case 'alarm':
      return t('drills.inject.alarm', { severity: i.severity, note: localText(i.note) });
  }
}

const cond = (key: string, c: StepCondition) => t(key, { action: actionText(c.action), of: c.of });

/** The step's condition and expectation in words (empty parts left out). */
export function stepConditions(step: Pick<PlanStep, 'when' | 'ifNot' | 'expect'>): string[] {
  const out: string[] = [];
  if (step.when) out.push(cond('drills.detail.when', step.when));
  if (step.ifNot) out.push(cond('drills.detail.ifNot', step.ifNot));
  if (step.expect) out.push(t('drills.detail.within', { action: actionText(step.expect.action), of: step.expect.of, t: mmss(step.expect.targetS) }));
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
