// The shift handover (交接班): the outgoing operator's summary of what is open (alarms by severity, overdue
// stages, the most urgent alarms, incidents with pending steps, open orders, units on duty) with their note,
// submitted and then signed off at the same seat by the incoming operator with their own credentials. Each
// step is on the record, in the transaction of the change it records.
import { randomUUID } from 'node:crypto';
import { RESPONDER_ROLES, type Person, type User } from '../../../shared/domain.ts';
import type { Handover, HandoverSummary } from '../../../shared/response.ts';
import type { AlarmService } from '../alarms/alarm-service.ts';
import type { Accounts } from '../auth/accounts.ts';
import type { SignInGuard } from '../auth/sign-in-guard.ts';
import { ApiError, type Session } from '../calls.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { Database } from '../store/database.ts';
import { HandoverRepository } from './handover-repository.ts';

export interface HandoverDeps {
  db: Database; clock: Clock; bus: EventBus; alarms: AlarmService; accounts: Accounts; signIns: SignInGuard;
  /** Open incidents and orders, units on duty: read at draft time (kept loose to avoid a cycle at start-up). */
  facts: () => Promise<Pick<HandoverSummary, 'incidents' | 'openOrders' | 'unitsOnDuty'>>;
}

/** The most urgent open alarms a summary names. */
export const HANDOVER_ALARMS = 50;

const sameUser = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export class Handovers {
  private readonly repo: HandoverRepository;

  constructor(private readonly deps: HandoverDeps) {
    this.repo = new HandoverRepository(deps.db);
  }

  /** What would be handed over now. Fails (ApiError 'unavailable') when the incidents or orders cannot be read. */
  async draft(): Promise<HandoverSummary> {
    let facts: Awaited<ReturnType<HandoverDeps['facts']>>;
    try {
      facts = await this.deps.facts();
    } catch (err) {
      // Never hand over "no incidents" when they could not be read.
      throw new ApiError('unavailable', `the open incidents, orders or units cannot be read: ${(err as Error).message}`, { reason: 'handover-facts-unavailable' });
    }
    const alarms = await this.repo.openAlarmFacts(HANDOVER_ALARMS);
    return { ...alarms, ...facts };
  }

  /** Stores the handover as pending: one pending handover per outgoing operator. */
  async submit(note: string, by: Person): Promise<Handover> {
    const summary = await this.draft();
    const handover: Handover = {
      id: randomUUID(), createdAt: this.deps.clock.now(), from: { username: by.username, displayName: by.displayName },
      note, summary, state: 'pending', to: null, acceptedAt: null,
    };
    await this.deps.db.transaction(async (tx) => {
      if (await this.repo.pendingOf(tx, by.username)) {
        throw new ApiError('conflict', 'you have a handover waiting already: cancel it first', { reason: 'handover-pending' });
      }
      await this.repo.insert(tx, handover);
      await appendAudit(tx, [{
        at: handover.createdAt, actor: by.username, action: 'handover.submit', subject: handover.id,
        details: { openAlarms: summary.openAlarms, overdue: summary.overdue, incidents: summary.incidents.length, openOrders: summary.openOrders, note },
      }]);
    });
    this.deps.bus.publish('handover.changed', handover);
    return handover;
  }

  /**
   * The incoming operator signs off at the outgoing operator's seat with their own credentials, checked
   * through the sign-in throttle like a sign-in. Refused: the outgoing operator themself, a wrong password, a
   * disabled account, a role that does not work alarms. On the record as the incoming operator's act.
   */
  async accept(id: string, credentials: { username: string; password: string }, session: Session, by: Person): Promise<Handover> {
    const pending = await this.repo.get(id);
    if (!pending) throw new ApiError('not-found', `no handover ${id}`);
    if (pending.state !== 'pending') throw new ApiError('conflict', `the handover is ${pending.state} already`, { reason: 'handover-not-pending' });
    if (!sameUser(pending.from.username, by.username)) {
      throw new ApiError('forbidden', 'a handover is accepted at the seat of the operator who submitted it', { reason: 'handover-other-seat' });
    }
    if (sameUser(credentials.username, pending.from.username)) {
      throw new ApiError('bad-request', 'the incoming operator must be someone else', { reason: 'handover-same-user' });
    }
    const attempt = this.deps.signIns.begin(session, credentials.username);
    let account: Awaited<ReturnType<Accounts['verify']>>;
    try {
      account = await this.deps.accounts.verify(credentials.username, credentials.password);
    } catch (err) {
      attempt.finish('cancelled'); // the hasher was busy: not a failed attempt
      throw err;
    }
    attempt.finish(account ? 'success' : 'failure');
    const at = this.deps.clock.now();
    const refuse = async (error: ApiError, why: string) => {
      await this.deps.db.transaction((tx) =>
        appendAudit(tx, [{ at, actor: by.username, action: 'handover.accept-refused', subject: id, details: { incoming: credentials.username, why, origin: session.origin } }]),
      );
      throw error;
    };
    if (!account) return refuse(new ApiError('unauthenticated', 'wrong username or password', { reason: 'wrong-credentials' }), 'wrong-credentials');
    if (account.disabled) return refuse(new ApiError('forbidden', 'this account is disabled', { reason: 'account-disabled' }), 'account-disabled');
    // Answered like a wrong password: the seat must not confirm another role's password (the record says why).
    if (!(RESPONDER_ROLES as readonly string[]).includes(account.role)) {
      return refuse(new ApiError('unauthenticated', 'wrong username or password', { reason: 'wrong-credentials' }), 'role');
    }
    const to: Person = { username: account.username, displayName: account.displayName };
    const accepted = await this.deps.db.transaction(async (tx) => {
      if (!(await this.repo.accept(tx, id, to, at))) throw new ApiError('conflict', 'the handover is no longer pending', { reason: 'handover-not-pending' });
      await appendAudit(tx, [{ at, actor: to.username, action: 'handover.accept', subject: id, details: { from: pending.from.username, origin: session.origin } }]);
      return { ...pending, state: 'accepted' as const, to, acceptedAt: at };
    });
    this.deps.bus.publish('handover.changed', accepted);
    return accepted;
  }

  /** Withdrawn by the outgoing operator (or a commander or administrator) while pending. */
  async cancel(id: string, by: User): Promise<Handover> {
    const pending = await this.repo.get(id);
    if (!pending) throw new ApiError('not-found', `no handover ${id}`);
    if (!sameUser(pending.from.username, by.username) && by.role !== 'commander' && by.role !== 'admin') {
      throw new ApiError('forbidden', 'only the operator who submitted a handover cancels it', { reason: 'handover-not-yours' });
    }
    const at = this.deps.clock.now();
    const cancelled = await this.deps.db.transaction(async (tx) => {
      if (!(await this.repo.cancel(tx, id))) throw new ApiError('conflict', 'the handover is no longer pending', { reason: 'handover-not-pending' });
      await appendAudit(tx, [{ at, actor: by.username, action: 'handover.cancel', subject: id, details: { from: pending.from.username } }]);
      return { ...pending, state: 'cancelled' as const };
    });
    this.deps.bus.publish('handover.changed', cancelled);
    return cancelled;
  }

  /** The newest first. */
  list(limit: number): Promise<Handover[]> {
    return this.repo.list(limit);
  }
}
