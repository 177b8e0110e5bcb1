// Slows password guessing (sign-in and change-password alike) without letting anyone lock a colleague out.
// Kept in memory: a restart clears it, which is acceptable for a console on a loopback or local network.
//
// The design, and why:
// - Per connection (a socket, a window), HARD: one attempt in flight at a time, further ones are refused at once;
//   after CONNECTION_FREE failures on that connection, whatever the account, each next attempt waits 1 s, 2 s,
//   4 s … up to 15 min. This is what stops a script on one connection, and firing attempts in parallel.
// - Per account, SOFT: failures are counted per account and per (account, origin), in a window that empties
//   after 15 quiet minutes. Past a free allowance, every connection must space its attempts on that account by
//   a delay that doubles with each further failure, capped at 30 s, counted from that connection's own previous
//   attempt on the account (or from when the guard first saw the connection). It never locks the account:
//   on the loopback host every connection has the same origin, so any hard per-account or per-(account, origin)
//   lock would let a stranger at the keyboard lock the duty operator out. Because the delay is counted per
//   connection, a stranger cannot take the colleague's turn either: the most a stranger can cost a colleague
//   is one wait of at most 30 s. What a guesser gains by opening many connections is bounded by the host's
//   connection cap (64 × one attempt per 30 s), by the scrypt gate, and by 10-character passwords.
// - Every attempt is reserved (and counted as a failure) synchronously, before the password is checked, and
//   refunded on success: attempts that arrive meanwhile already see it (no check-then-await race).
// Every refusal is ApiError('rate-limited') with `retryAfterS`.
import type { Clock } from '../clock.ts';
import { ApiError, type Session } from '../calls.ts';

export interface SignInLimits {
  connectionFree: number;
  connectionMaxDelayMs: number;
  accountFree: number;
  originFree: number;
  accountMaxDelayMs: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  connectionFree: 3,
  connectionMaxDelayMs: 15 * 60_000,
  accountFree: 10,
  originFree: 5,
  accountMaxDelayMs: 30_000,
  windowMs: 15 * 60_000,
};

interface ConnectionState {
  inFlight: boolean;
  failures: number;
  lastFailureAt: number;
  firstSeen: number;
  /** When this connection last tried each account. */
  lastTry: Map<string, number>;
}

interface Count {
  failures: number;
  lastAt: number;
}

export type AttemptOutcome = 'success' | 'failure' | 'cancelled';

/** A reserved attempt: call `finish` exactly once, whatever happens. */
export interface SignInAttempt {
  finish(outcome: AttemptOutcome): void;
}

const doubling = (excess: number, maxMs: number) => Math.min(maxMs, 1000 * 2 ** Math.min(30, excess - 1));
const limited = (ms: number, reason: string, what: string) => {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return new ApiError('rate-limited', `${what}; try again in ${s} s`, { retryAfterS: s, reason });
};

export class SignInGuard {
  private readonly connections = new WeakMap<Session, ConnectionState>();
  private readonly accounts = new Map<string, Count>();
  /** Keyed `account origin`. */
  private readonly origins = new Map<string, Count>();

  constructor(private readonly clock: Clock, private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS) {}

  /** Reserves an attempt on `username` from this connection, or throws 'rate-limited'. Synchronous by design. */
  begin(session: Session, username: string): SignInAttempt {
    const now = this.clock.now();
    const account = username.toLowerCase();
    let conn = this.connections.get(session);
    if (!conn) {
      conn = { inFlight: false, failures: 0, lastFailureAt: 0, firstSeen: now, lastTry: new Map() };
      this.connections.set(session, conn);
    }
    if (conn.inFlight) throw limited(1000, 'sign-in-pending', 'a sign-in is already under way on this connection');
    const { connectionFree, connectionMaxDelayMs } = this.limits;
    if (conn.failures >= connectionFree) {
      const wait = conn.lastFailureAt + doubling(conn.failures - connectionFree + 1, connectionMaxDelayMs) - now;
      if (wait > 0) throw limited(wait, 'too-many-failures', 'too many failed attempts on this connection');
    }
    const delay = this.accountDelayMs(account, session.origin, now);
    if (delay > 0) {
      const wait = (conn.lastTry.get(account) ?? conn.firstSeen) + delay - now;
      if (wait > 0) throw limited(wait, 'account-slowed', `too many failed sign-ins for ${account}`);
    }

    // Reserved: counted as a failure until it turns out otherwise.
    conn.inFlight = true;
    conn.lastTry.set(account, now);
    const accountCount = this.bump(this.accounts, account, now);
    const originCount = this.bump(this.origins, `${account} ${session.origin}`, now);
    const state = conn;
    let finished = false;
    return {
      finish: (outcome) => {
        if (finished) return;
        finished = true;
        state.inFlight = false;
        if (outcome === 'failure') {
          state.failures++;
          state.lastFailureAt = this.clock.now();
          return;
        }
        accountCount.failures = Math.max(0, accountCount.failures - 1);
        originCount.failures = Math.max(0, originCount.failures - 1);
        if (outcome === 'success') state.failures = 0;
        else state.lastTry.delete(account); // the attempt was not made (the server was busy)
      },
    };
  }

  /** For the administrator's list: recent failures and the current spacing of attempts, 0 when none. */
  status(username: string): { failedSignIns: number; signInDelayS: number } {
    const account = username.toLowerCase();
    const now = this.clock.now();
    return {
      failedSignIns: this.fresh(this.accounts.get(account), now)?.failures ?? 0,
      signInDelayS: Math.ceil(this.accountDelayMs(account, null, now) / 1000),
    };
  }

  /** The administrator's "unlock": forgets the account's failures, from every origin. */
  clear(username: string): void {
    const account = username.toLowerCase();
    this.accounts.delete(account);
    for (const key of this.origins.keys()) if (key.startsWith(`${account} `)) this.origins.delete(key);
  }

  /** The spacing every connection must keep between attempts on this account; `origin` null: the worst origin. */
  private accountDelayMs(account: string, origin: string | null, now: number): number {
    const { accountFree, originFree, accountMaxDelayMs } = this.limits;
    let originFailures = 0;
    if (origin !== null) originFailures = this.fresh(this.origins.get(`${account} ${origin}`), now)?.failures ?? 0;
    else for (const [key, c] of this.origins) if (key.startsWith(`${account} `)) originFailures = Math.max(originFailures, this.fresh(c, now)?.failures ?? 0);
    const excess = Math.max((this.fresh(this.accounts.get(account), now)?.failures ?? 0) - accountFree, originFailures - originFree);
    return excess > 0 ? doubling(excess, accountMaxDelayMs) : 0;
  }

  private fresh(c: Count | undefined, now: number): Count | undefined {
    if (c && now - c.lastAt > this.limits.windowMs) c.failures = 0;
    return c;
  }

  private bump(map: Map<string, Count>, key: string, now: number): Count {
    if (map.size > 10_000) for (const [k, c] of map) if (now - c.lastAt > this.limits.windowMs) map.delete(k);
    const c = this.fresh(map.get(key), now) ?? { failures: 0, lastAt: now };
    c.failures++;
    c.lastAt = now;
    map.set(key, c);
    return c;
  }
}
