// What every call handler gets, and the type that ties a feature's handlers to its calls in the contract:
// a handler's input is its schema's output type and its result must be the declared result type.
import type { ApiErrorBody, ApiErrorCode } from '../../shared/contract/index.ts';
import type { CallTable, InputOf, OutputOf } from '../../shared/contract/define.ts';
import type { User } from '../../shared/domain.ts';
import type { Core } from './core.ts';

type ErrorFacts = Omit<ApiErrorBody, 'code' | 'message'>;

/** An error a caller can act on: a stable code and the facts (fields, reason, wait) the UI words. */
export class ApiError extends Error implements ErrorFacts {
  fields?: ErrorFacts['fields'];
  retryAfterS?: number;
  reason?: string;

  constructor(readonly code: ApiErrorCode, message: string, private readonly facts: ErrorFacts = {}) {
    super(message);
    Object.assign(this, facts);
  }
  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, ...this.facts };
  }
}

/** One client connection's state: who is signed in. */
export interface Session {
  user: User | null;
  /** The resume token issued at sign-in, revoked at sign-out. */
  resumeToken?: string;
  /** Where the connection comes from, for the audit log and the per-connection throttle. */
  origin: string;
  /** Set by the transport: ends this session from the core's side (signed out elsewhere, password changed). */
  end?: (reason: 'signed-out' | 'password-changed' | 'account-changed') => void;
}

export interface CallContext {
  core: Core;
  session: Session;
  /** The signed-in user (calls with roles run only when there is one). */
  user: User;
}

export type Handlers<C extends CallTable> = {
  [K in keyof C]: (ctx: CallContext, input: InputOf<C[K]>) => Promise<OutputOf<C[K]>>;
};
