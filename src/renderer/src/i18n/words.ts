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

/** Reasons worded by a feature's own keys (the rest are under errors.reasons). */
const REASON_KEYS: Record<string, string> = {
  'wrong-credentials': 'login.failed', 'account-disabled': 'login.disabled', 'session-ended': 'login.sessionEnded',
  'wrong-current-password': 'password.wrongCurrent', 'same-password': 'password.same', 'must-change-password': 'password.mustChange',
  'username-taken': 'users.taken', 'last-admin': 'users.lastAdmin', 'own-account': 'users.ownAccount', 'no-such-user': 'users.noSuchUser',
};
/** Fields whose one possible mistake has its own sentence (the schemas allow one kind of mistake each). */
const FIELD_KEYS: Record<string, string> = {
  newPassword: 'password.tooShort', password: 'password.tooShort', username: 'users.badUsername', displayName: 'users.badDisplayName',
};

/** What a failed call means to the operator: from the error's code, reason, fields and retry time — never its message. */
export function errorText(e: unknown): string {
  const err = (e ?? {}) as Partial<Pick<ApiErrorBody, 'reason' | 'fields' | 'retryAfterS'>> & { code?: string };
  const code = err.code && has(`errors.${err.code}`) ? err.code : 'internal';
  if (code === 'rate-limited') {
    const s = Math.max(1, Math.ceil(err.retryAfterS ?? 30));
    return t(err.reason === 'busy' ? 'errors.busy' : 'errors.retryAfter', { s });
  }
  if (err.reason && REASON_KEYS[err.reason]) return t(REASON_KEYS[err.reason]);
  if (err.reason && has(`errors.reasons.${err.reason}`)) return t(`errors.reasons.${err.reason}`);
  if (code === 'bad-request' && err.fields?.length) {
    const own = err.fields.map((f) => FIELD_KEYS[f.path.split('.')[0]]).find(Boolean);
    if (own) return t(own);
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
