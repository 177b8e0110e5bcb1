// An incident's facts in words: the refusals the core gives for incidents, and the timeline's lines (the
// record's actions and their details), in the UI language.
import type { IncidentType, IncidentView, TimelineEntry } from '../../../../shared/response.ts';
import { alarmTitle } from '../../composables/alarm-text.ts';
import { i18n, localText } from '../../i18n/index.ts';
import { errorText } from '../../i18n/words.ts';

const t = (key: string, values?: Record<string, unknown>): string => (values ? i18n.global.t(key, values) : i18n.global.t(key));
const has = (key: string): boolean => i18n.global.te(key);

/** A failed incident call in words: the incidents' own refusals first, then the console's general ones. */
export function incidentErrorText(e: unknown): string {
  const reason = (e as { reason?: string } | null)?.reason;
  return reason && has(`incidents.errors.${reason}`) ? t(`incidents.errors.${reason}`) : errorText(e);
}

export function stepText(type: IncidentType | undefined, stepId: string): string {
  const step = type?.steps.find((s) => s.id === stepId);
  return step ? localText(step.text) : stepId;
}

/** Details worth a word, in this order; the rest of a record entry's details are the record's business. */
const SHOWN_DETAILS = ['title', 'text', 'summary', 'note', 'reason', 'callSign', 'guidance', 'category'];

/** One timeline line: what happened (the action worded) and to what, with the details an operator reads. */
export function timelineLine(e: TimelineEntry, view: IncidentView, type: IncidentType | undefined): { action: string; text: string } {
  const action = has(`incidents.actions.${e.action}`) ? t(`incidents.actions.${e.action}`) : e.action;
  const d = e.details;
  if (e.action === 'incident.step') {
    const step = stepText(type, String(d.stepId ?? ''));
    const state = String(d.action ?? '');
    return {
      action,
      text: state === 'skipped' ? t('incidents.timelineText.stepSkipped', { step, reason: String(d.reason ?? '') }) : t('incidents.timelineText.step', { step, state: t('incidents.stepState.done') }),
    };
  }
  if (e.action === 'timeline.omitted') return { action, text: t('incidents.timelineText.omitted', { n: Number(d.omitted ?? 0) }) };
  const parts: string[] = [];
  const alarm = view.alarms.find((a) => a.id === e.subject);
  const order = view.orders.find((o) => o.id === e.subject);
  if (alarm) parts.push(alarmTitle(alarm));
  if (order) parts.push(order.callSign);
  for (const k of SHOWN_DETAILS) {
    const v = d[k];
    // A system-ended order's reason is a code, not words for an operator.
    if (typeof v === 'string' && v && !(k === 'callSign' && order) && !(k === 'reason' && e.action === 'dispatch.end')) parts.push(v);
  }
  return { action, text: parts.join(' · ') };
}
