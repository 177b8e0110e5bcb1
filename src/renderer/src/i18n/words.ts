// Words for typed facts the core sends (people, source problems, API errors), in the current UI language.
// Plain functions over the global i18n instance, so that stores and the scene can use them as well as components;
// templates that call them re-render when the language changes (they read the locale).
import type { ApiErrorBody } from '../../../shared/contract/index.ts';
import type { Person, SourceProblem } from '../../../shared/domain.ts';
import { i18n } from './index.ts';

const t = (key: string, values?: Record<string, unknown>): string => (values ? i18n.global.t(key, values) : i18n.global.t(key));
const has = (key: string): boolean => i18n.global.te(key);

/** A person as the operator knows them: the display name; the core itself is 系统 / System. */
export function personName(p: Person | null | undefined): string {
  if (!p) return '';
  if (p.username === 'system') return t('people.system');
  return p.displayName || p.username;
}

/** Why a source gives nothing usable, worded from its code and facts (never the core's English message). */
export function problemText(p: SourceProblem | null | undefined): string {
  if (!p) return '';
  const target = p.target ?? t('problems.here');
  switch (p.code) {
    case 'http-status':
      return t('problems.http-status', { target, status: p.status ?? '?' });
    case 'malformed':
      return p.more ? t('problems.malformedMore', { path: p.path ?? '—', n: p.more }) : t('problems.malformed', { path: p.path ?? '—' });
    default:
      return has(`problems.${p.code}`) ? t(`problems.${p.code}`, { target }) : t('problems.failed');
  }
}

/** What a failed call means to the operator: from the error's code, reason, fields and retry time — never its message. */
export function errorText(e: unknown): string {
  const err = (e ?? {}) as Partial<Pick<ApiErrorBody, 'reason' | 'fields' | 'retryAfterS'>> & { code?: string };
  const code = err.code && has(`errors.${err.code}`) ? err.code : 'internal';
  if (err.reason && has(`errors.reasons.${err.reason}`)) return t(`errors.reasons.${err.reason}`);
  if (code === 'rate-limited' && err.retryAfterS) return t('errors.retryAfter', { s: Math.ceil(err.retryAfterS) });
  if (code === 'bad-request' && err.fields?.length) {
    const names = [...new Set(err.fields.map((f) => f.path.split('.')[0]).filter((f) => has(`errors.fields.${f}`)).map((f) => t(`errors.fields.${f}`)))];
    if (names.length) return t('errors.badFields', { fields: names.join(i18n.global.locale.value === 'en' ? ', ' : '、') });
  }
  return t(`errors.${code}`);
}

/** A time of day on the core's clock, in the UI language's format. */
export function timeOfDay(ms: number): string {
  return new Date(ms).toLocaleTimeString(i18n.global.locale.value === 'en' ? 'en-GB' : 'zh-CN', { hour12: false });
}

export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString(i18n.global.locale.value === 'en' ? 'en-GB' : 'zh-CN', { hour12: false });
}
