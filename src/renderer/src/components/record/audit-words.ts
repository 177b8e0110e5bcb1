// The record in words: an entry's action ('alarm.close' → 关闭报警) and its details worded where a phrase helps
// (category, note, origin, who); the rest shown as key: value, so that nothing on the record is hidden.
import type { AuditRecord, AuditVerdict } from '../../../../shared/response.ts';
import { i18n } from '../../i18n/index.ts';

const t = (key: string, values?: Record<string, unknown>): string => (values ? i18n.global.t(key, values) : i18n.global.t(key));
const has = (key: string): boolean => i18n.global.te(key);

export const AUDIT_FAMILIES = ['session', 'alarm', 'dispatch', 'unit', 'terminal', 'duty', 'incident', 'handover', 'users', 'patrol', 'video', 'wall',
  'watchlist', 'permit', 'drone-response', 'drill', 'config', 'audit'] as const;

export function familyText(family: string): string {
  return has(`record.families.${family}`) ? t(`record.families.${family}`) : family;
}

/** 关闭报警 for 'alarm.close'; an action without words is shown as its family and its code. */
export function actionText(action: string): string {
  const dot = action.indexOf('.');
  const family = dot > 0 ? action.slice(0, dot) : action;
  const verb = dot > 0 ? action.slice(dot + 1) : '';
  const key = `record.actions.${family}.${verb}`;
  if (verb && !verb.includes('.') && has(key)) return t(key);
  return has(`record.families.${family}`) ? `${familyText(family)} · ${verb || action}` : action;
}

const WHY: Record<string, string> = { 'wrong-credentials': 'wrongCredentials', 'account-disabled': 'accountDisabled', role: 'role' };

const scalar = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** An entry's details as short phrases. */
export function detailText(e: AuditRecord): string {
  const d = { ...e.details };
  const parts: string[] = [];
  const take = (key: string, word: (v: unknown) => string) => {
    if (d[key] === undefined || d[key] === null || d[key] === '') return;
    parts.push(word(d[key]));
    delete d[key];
  };
  if (e.action === 'handover.submit') {
    parts.push(t('record.detail.summary', { alarms: d.openAlarms ?? 0, overdue: d.overdue ?? 0, incidents: d.incidents ?? 0, orders: d.openOrders ?? 0 }));
    for (const k of ['openAlarms', 'overdue', 'incidents', 'openOrders']) delete d[k];
  }
  take('type', (v) => t('record.detail.type', { type: has(`alarms.type.${v}`) ? t(`alarms.type.${v}`) : scalar(v) }));
  take('severity', (v) => t('record.detail.severity', { severity: has(`alarms.severity.${v}`) ? t(`alarms.severity.${v}`) : scalar(v) }));
  take('category', (v) => t('record.detail.category', { category: has(`alarms.category.${v}`) ? t(`alarms.category.${v}`) : scalar(v) }));
  take('note', (v) => t('record.detail.note', { note: scalar(v) }));
  take('reason', (v) => t('record.detail.reason', { reason: WHY[String(v)] ? t(`record.detail.${WHY[String(v)]}`) : scalar(v) }));
  take('why', (v) => t('record.detail.why', { why: WHY[String(v)] ? t(`record.detail.${WHY[String(v)]}`) : scalar(v) }));
  take('incoming', (v) => t('record.detail.incoming', { who: scalar(v) }));
  take('from', (v) => t('record.detail.from', { who: scalar(v) }));
  if (e.action === 'audit.verify') {
    const broken = d.firstBroken as AuditVerdict['firstBroken'];
    parts.push(t('record.detail.ok', { ok: broken ? t('record.detail.brokenAt', { id: broken.id }) : t('record.detail.intact') }));
    take('entries', (v) => t('record.detail.entries', { n: v }));
    delete d.ok;
    delete d.firstBroken;
  }
  take('origin', (v) => t('record.detail.origin', { origin: scalar(v) }));
  for (const [k, v] of Object.entries(d)) parts.push(`${k}: ${scalar(v)}`);
  return parts.join(i18n.global.locale.value === 'en' ? '; ' : '；');
}

/** The verdict of a check, in a sentence. */
export function verdictText(v: AuditVerdict, when: (at: number) => string): string {
  if (v.ok) return t('record.audit.intact', { n: v.entries, hash: (v.headHash ?? '').slice(0, 16) });
  const b = v.firstBroken!;
  const problem = t(`record.audit.problems.${b.problem}`);
  if (b.at === null) return t('record.audit.brokenUnknown', { id: b.id, problem });
  return t('record.audit.broken', { id: b.id, when: when(b.at), actor: b.actor, action: actionText(b.action ?? ''), problem });
}
