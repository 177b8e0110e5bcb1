// Words a refused call for the operator in the UI's language, from the error's code and facts (reason, the
// fields that were wrong, seconds to wait) — never from the core's English `message`, which is for logs.
import type { ApiErrorBody } from '../../../shared/contract/index.ts';

type Translate = (key: string, named?: Record<string, unknown>) => string;

interface Refusal {
  code?: ApiErrorBody['code'] | 'network';
  reason?: string;
  retryAfterS?: number;
  fields?: ApiErrorBody['fields'];
}

/** Reasons the core gives, and the text for each. */
const REASONS: Record<string, string> = {
  'wrong-credentials': 'login.failed',
  'account-disabled': 'login.disabled',
  'session-ended': 'login.sessionEnded',
  'wrong-current-password': 'password.wrongCurrent',
  'same-password': 'password.same',
  'must-change-password': 'password.mustChange',
  'username-taken': 'users.taken',
  'last-admin': 'users.lastAdmin',
  'own-account': 'users.ownAccount',
  'no-such-user': 'users.noSuchUser',
};

/** Input fields that can be wrong, and what to say (the schemas allow one kind of mistake each). */
const FIELDS: Record<string, string> = {
  newPassword: 'password.tooShort',
  password: 'password.tooShort',
  username: 'users.badUsername',
  displayName: 'users.badDisplayName',
};

const CODES = new Set(['bad-request', 'unauthenticated', 'forbidden', 'not-found', 'conflict', 'unavailable', 'internal', 'network']);

export function errorText(t: Translate, error: unknown): string {
  const e = (error ?? {}) as Refusal;
  if (e.code === 'rate-limited') {
    const s = Math.max(1, Math.ceil(e.retryAfterS ?? 30));
    return e.reason === 'busy' ? t('errors.busy', { s }) : t('errors.retryIn', { s });
  }
  if (e.reason && REASONS[e.reason]) return t(REASONS[e.reason]);
  const field = e.code === 'bad-request' ? e.fields?.map((f) => FIELDS[f.path.split('.')[0]]).find(Boolean) : undefined;
  if (field) return t(field);
  return t(`errors.${e.code && CODES.has(e.code) ? e.code : 'internal'}`);
}
