// Orders to units (派警) and the unit terminal's reports. An order, the unit it sends and the alarm it moves
// change in one transaction with their audit entries, and are published after the commit: 'dispatch.changed'
// per order, 'units.changed', 'alarm.changed', and 'terminal.changed' to the unit's own terminals. The database
// keeps one open order per unit (a unique index): of two seats sending the same unit at once, one wins.
import { randomUUID } from 'node:crypto';
import type { Alarm, Person } from '../../../shared/domain.ts';
import type { DispatchOrder, OrderState, TerminalReport, TerminalState, Unit, UnitStatus } from '../../../shared/response.ts';
import { advanceAlarmInTx } from '../alarms/sqlite-alarm-repository.ts';
import { ApiError } from '../calls.ts';
import { geodesicInverse } from '../geo/local-frame.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { AuditEntry } from '../alarms/alarm-repository.ts';
import type { Database, Tx } from '../store/database.ts';
import { every } from '../clock.ts';
import type { UnitRegistry } from './unit-registry.ts';
import type { UnitsDeps } from './units-core.ts';
import {
  claimReport, getOrder, insertOrders, isOneOpenOrderViolation, listOrders, moveOrder, OPEN_ORDER_STATES, openOrdersOfAlarm,
  openOrdersOfClosedAlarms, orderIn, setUnitStatus, statesIn,
} from './units-repository.ts';

/** A unit on an order whose position comes this close to the order's target is on scene by itself. */
export const AUTO_ARRIVAL_M = 50;
/** A terminal's positions are taken at most this often per unit (unit_positions keeps the track). */
export const TERMINAL_POSITION_EVERY_MS = 1000;
/** A report id is remembered this long: a terminal resends within minutes of coming back. */
export const REPORT_IDS_KEPT_MS = 24 * 3600_000;
const PRUNE_REPORTS_EVERY_MS = 3600_000;
const SYSTEM = 'system';

/** What one committed change leaves to publish. */
interface Outcome {
  orders: DispatchOrder[];
  units: Array<{ unitId: string; status: UnitStatus; orderId: string | null }>;
  alarm: Alarm | null;
}

export class Dispatch {
  private readonly unsubscribe: Array<() => void> = [];
  /** Orders being marked on scene by position now: a burst of fixes tries once. */
  private readonly arriving = new Set<string>();
  /** The core's time of each unit's last position taken from its terminal. */
  private readonly terminalPositionAt = new Map<string, number>();

  constructor(private readonly deps: UnitsDeps & { units: UnitRegistry }) {}

  /** Listens for closed alarms and for positions near targets; ends the orders of alarms closed while down. */
  async start(): Promise<void> {
    this.unsubscribe.push(this.deps.bus.subscribe((event, payload) => {
      if (event === 'alarm.changed' && (payload as Alarm).state === 'closed') {
        void this.endOrdersOfAlarm((payload as Alarm).id).catch((err: Error) => this.deps.log(`Dispatch: ending the orders of a closed alarm failed: ${err.message}`));
      }
    }));
    this.unsubscribe.push(this.deps.units.onPosition((unit) => {
      void this.arriveByPosition(unit).catch((err: Error) => this.deps.log(`Dispatch: marking ${unit.callSign} on scene failed: ${err.message}`));
    }));
    for (const alarmId of await openOrdersOfClosedAlarms(this.deps.db)) await this.endOrdersOfAlarm(alarmId);
    await this.pruneReports();
    const timer = every(this.deps.clock, PRUNE_REPORTS_EVERY_MS, () => void this.pruneReports().catch((err: Error) => this.deps.log(`Dispatch: pruning old terminal report ids failed: ${err.message}`)));
    this.unsubscribe.push(() => timer.cancel());
  }

  /** Forgets report ids older than a day (the table would grow with every report for ever); returns how many. */
  pruneReports(): Promise<number> {
    return pruneTerminalReports(this.deps.db, this.deps.clock.now() - REPORT_IDS_KEPT_MS);
  }

  stop(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  /** 一键派警: one order per unit; the alarm becomes 已派警. */
  async send(alarmId: string, unitIds: string[], guidance: string, by: Person): Promise<DispatchOrder[]> {
    const ids = [...new Set(unitIds)];
    const alarm = await this.deps.alarms.get(alarmId);
    if (!alarm) throw new ApiError('not-found', `there is no alarm ${alarmId}`, { reason: 'no-such-alarm' });
    if (alarm.state === 'closed') throw new ApiError('conflict', `alarm ${alarmId} is closed`, { reason: 'alarm-closed' });
    const units = ids.map((id) => this.deps.units.require(id));
    for (const u of units) refuseUnavailable(u.callSign, u.status);
    const target = alarm.position ? { lon: alarm.position.lon, lat: alarm.position.lat } : null;
    const etas = new Map(target ? this.deps.units.estimate([target.lon, target.lat], units).map((c) => [c.unit.id, c.etaS]) : []);
    const at = this.deps.clock.now();
    const orders: DispatchOrder[] = units.map((u) => ({
      id: randomUUID(), alarmId, incidentId: alarm.incidentId, unitId: u.id, callSign: u.callSign, state: 'sent', guidance,
      target, etaS: etas.get(u.id) ?? null, sentAt: at, sentBy: { username: by.username, displayName: by.displayName },
      acknowledgedAt: null, onSceneAt: null, doneAt: null, cancelledAt: null, note: null, drill: alarm.drill,
    }));
    let outcome: Outcome;
    try {
      outcome = await this.deps.db.transaction(async (tx) => {
        // The status in the database, not the one in memory, decides: another seat may have just sent the unit.
        for (const s of await statesIn(tx, ids)) refuseUnavailable(units.find((u) => u.id === s.unit_id)!.callSign, s.status);
        await insertOrders(tx, orders);
        for (const o of orders) await setUnitStatus(tx, o.unitId, 'dispatched', o.id, at);
        const advanced = await advanceAlarmInTx(tx, alarmId, { stage: 'dispatched', at });
        if (!advanced) throw new ApiError('conflict', `alarm ${alarmId} is closed`, { reason: 'alarm-closed' });
        await appendAudit(tx, orders.map((o) => ({
          at, actor: by.username, action: 'dispatch.send', subject: o.id,
          details: { alarm: alarmId, unit: o.unitId, callSign: o.callSign, etaS: o.etaS, guidanceLength: guidance.length },
        })));
        return { orders, units: orders.map((o) => ({ unitId: o.unitId, status: 'dispatched' as const, orderId: o.id })), alarm: advanced };
      });
    } catch (err) {
      if (isOneOpenOrderViolation(err)) throw new ApiError('conflict', 'one of these units was just sent on another order', { reason: 'unit-busy' });
      throw err;
    }
    await this.publish(outcome);
    return outcome.orders;
  }

  /** Withdraws an open order; its unit is available again. The alarm keeps its stage. */
  async cancel(orderId: string, reason: string, by: Person): Promise<DispatchOrder> {
    const at = this.deps.clock.now();
    const outcome = await this.deps.db.transaction(async (tx) => {
      const order = await this.openOrder(tx, orderId);
      const cancelled = (await moveOrder(tx, orderId, OPEN_ORDER_STATES, { state: 'cancelled', at, note: reason }))!;
      await setUnitStatus(tx, order.unitId, 'available', null, at);
      await appendAudit(tx, [{ at, actor: by.username, action: 'dispatch.cancel', subject: orderId, details: { alarm: order.alarmId, unit: order.unitId, callSign: order.callSign, reason } }]);
      return { orders: [cancelled], units: [{ unitId: order.unitId, status: 'available' as const, orderId: null }], alarm: null };
    });
    await this.publish(outcome);
    return outcome.orders[0];
  }

  list(filter: { alarmId?: string; incidentId?: string; openOnly: boolean }): Promise<DispatchOrder[]> {
    return listOrders(this.deps.db, filter);
  }

  /** An alarm closed: its open orders are done (note 'alarm closed') and their units available, atomically. */
  async endOrdersOfAlarm(alarmId: string): Promise<DispatchOrder[]> {
    // Most closed alarms had no order: a read spares them a write transaction.
    if (!(await listOrders(this.deps.db, { alarmId, openOnly: true }, 1)).length) return [];
    const at = this.deps.clock.now();
    const outcome = await this.deps.db.transaction(async (tx) => {
      const open = await openOrdersOfAlarm(tx, alarmId);
      const ended: DispatchOrder[] = [];
      for (const o of open) {
        const done = await moveOrder(tx, o.id, OPEN_ORDER_STATES, { state: 'done', at, note: 'alarm closed' });
        if (done) ended.push(done);
        await setUnitStatus(tx, o.unitId, 'available', null, at);
      }
      await appendAudit(tx, ended.map((o) => ({ at, actor: SYSTEM, action: 'dispatch.end', subject: o.id, details: { alarm: alarmId, unit: o.unitId, callSign: o.callSign, reason: 'alarm closed' } })));
      return { orders: ended, units: ended.map((o) => ({ unitId: o.unitId, status: 'available' as const, orderId: null })), alarm: null };
    });
    await this.publish(outcome);
    return outcome.orders;
  }

  /** What a unit's terminal shows: the unit and its open orders, each with its alarm. */
  async terminalState(unitId: string): Promise<TerminalState> {
    const unit = this.deps.units.require(unitId);
    const orders = await listOrders(this.deps.db, { unitId, openOnly: true });
    const withAlarms = await Promise.all(orders.map(async (order) => ({ order, alarm: await this.deps.alarms.get(order.alarmId) })));
    return { unit, orders: withAlarms.flatMap((o) => (o.alarm ? [{ order: o.order, alarm: o.alarm }] : [])) };
  }

  /**
   * A report from a unit's terminal, applied once per reportId: a repeat (sent again after a lost connection)
   * changes nothing and returns applied:false with the current state. Times are the core's (the drill clock
   * may run fast); the terminal's own time is kept in the record as `reportedAt`. A position is no act to
   * record: it claims no report id and writes no audit entry (unit_positions keeps the track), and is taken at
   * most once a second per unit.
   */
  async terminalReport(unitId: string, report: TerminalReport, by: Person): Promise<{ applied: boolean; state: TerminalState }> {
    const unit = this.deps.units.require(unitId);
    const at = this.deps.clock.now();
    if (report.kind === 'position') return this.terminalPosition(unit, report, at);
    const outcome = await this.deps.db.transaction(async (tx): Promise<Outcome | null> => {
      if (!(await claimReport(tx, unitId, report.reportId, report.kind, at))) return null;
      const audit = (action: string, subject: string | null, details: Record<string, unknown>): AuditEntry =>
        ({ at, actor: by.username, action, subject, details: { unit: unitId, callSign: unit.callSign, reportId: report.reportId, reportedAt: report.at, ...details } });
      switch (report.kind) {
        case 'acknowledge':
        case 'arrive':
        case 'done': {
          const order = await this.ownOpenOrder(tx, unitId, report.orderId!);
          const result = await this.moveByReport(tx, order, report.kind, at, report.note ?? null);
          await appendAudit(tx, [audit(`terminal.${report.kind}`, order.id, { alarm: order.alarmId, ...(report.note ? { noteLength: report.note.length } : {}) })]);
          return result;
        }
        case 'status': {
          if (!(await setUnitStatus(tx, unitId, report.status!, null, at, true))) {
            throw new ApiError('conflict', `${unit.callSign} is on an order: report it done first`, { reason: 'unit-busy' });
          }
          await appendAudit(tx, [audit('terminal.status', unitId, { from: unit.status, to: report.status })]);
          return { orders: [], units: [{ unitId, status: report.status!, orderId: null }], alarm: null };
        }
        case 'position':
          throw new Error('a position report is taken by terminalPosition');
      }
    });
    if (!outcome) return { applied: false, state: await this.terminalState(unitId) };
    await this.publish(outcome, false);
    const state = await this.terminalState(unitId);
    this.deps.bus.publish('terminal.changed', state);
    return { applied: true, state };
  }

  /** A terminal's position: taken if newer, not too soon after the last, and possible (see writePositions). */
  private async terminalPosition(unit: Unit, report: TerminalReport, at: number): Promise<{ applied: boolean; state: TerminalState }> {
    const last = this.terminalPositionAt.get(unit.id);
    if (last !== undefined && at - last < TERMINAL_POSITION_EVERY_MS && at >= last) return { applied: false, state: await this.terminalState(unit.id) };
    this.terminalPositionAt.set(unit.id, at);
    const { moved } = await this.deps.db.transaction((tx) => this.deps.units.writePositions(tx, [{ unitId: unit.id, position: report.position!, at }], 'terminal', 'terminal'));
    this.deps.units.afterPositions(moved);
    const state = await this.terminalState(unit.id);
    if (!moved.length) return { applied: false, state };
    this.deps.bus.publish('terminal.changed', state);
    return { applied: true, state };
  }

  /** A unit on an order whose position reaches the order's target: on scene, recorded as the system's doing. */
  private async arriveByPosition(unit: Unit): Promise<void> {
    if (unit.status !== 'dispatched' || !unit.orderId || !unit.position || this.arriving.has(unit.orderId)) return;
    const orderId = unit.orderId;
    const order = await getOrder(this.deps.db, orderId);
    if (!order?.target || !['sent', 'acknowledged'].includes(order.state)) return;
    if (geodesicInverse([unit.position.lon, unit.position.lat], [order.target.lon, order.target.lat]).distanceM > AUTO_ARRIVAL_M) return;
    this.arriving.add(orderId);
    try {
      const at = this.deps.clock.now();
      const outcome = await this.deps.db.transaction(async (tx) => {
        const current = await orderIn(tx, orderId);
        if (!current || !['sent', 'acknowledged'].includes(current.state)) return null;
        const result = await this.moveByReport(tx, current, 'arrive', at, null);
        await appendAudit(tx, [{ at, actor: SYSTEM, action: 'dispatch.arrive', subject: orderId, details: { by: 'gps', alarm: current.alarmId, unit: current.unitId, callSign: current.callSign } }]);
        return result;
      });
      if (outcome) await this.publish(outcome);
    } finally {
      this.arriving.delete(orderId);
    }
  }

  /** acknowledge: from sent; arrive: order and unit on scene, the alarm 已到场; done: the unit is free (the alarm stays open). */
  private async moveByReport(tx: Tx, order: DispatchOrder, kind: 'acknowledge' | 'arrive' | 'done', at: number, note: string | null): Promise<Outcome> {
    const rule: Record<typeof kind, { from: OrderState[]; to: OrderState; unit: UnitStatus }> = {
      acknowledge: { from: ['sent'], to: 'acknowledged', unit: 'dispatched' },
      arrive: { from: ['sent', 'acknowledged'], to: 'on-scene', unit: 'on-scene' },
      done: { from: ['sent', 'acknowledged', 'on-scene'], to: 'done', unit: 'available' },
    };
    const { from, to, unit } = rule[kind];
    const moved = await moveOrder(tx, order.id, from, { state: to, at, note: kind === 'done' ? note : null });
    if (!moved) throw new ApiError('conflict', `order ${order.id} is already ${order.state}`, { reason: `order-${order.state}` });
    const orderId = unit === 'available' ? null : order.id;
    if (kind !== 'acknowledge') await setUnitStatus(tx, order.unitId, unit, orderId, at);
    const alarm = kind === 'arrive' ? await advanceAlarmInTx(tx, order.alarmId, { stage: 'on-scene', at }) : null;
    return { orders: [moved], units: kind === 'acknowledge' ? [] : [{ unitId: order.unitId, status: unit, orderId }], alarm };
  }

  private async openOrder(tx: Tx, orderId: string): Promise<DispatchOrder> {
    const order = await orderIn(tx, orderId);
    if (!order) throw new ApiError('not-found', `there is no order ${orderId}`, { reason: 'no-such-order' });
    if (!OPEN_ORDER_STATES.includes(order.state)) throw new ApiError('conflict', `order ${orderId} is already ${order.state}`, { reason: `order-${order.state}` });
    return order;
  }

  /** The order, if it is this unit's: a terminal speaks for its own unit only. */
  private async ownOpenOrder(tx: Tx, unitId: string, orderId: string): Promise<DispatchOrder> {
    const order = await orderIn(tx, orderId);
    if (!order) throw new ApiError('not-found', `there is no order ${orderId}`, { reason: 'no-such-order' });
    if (order.unitId !== unitId) throw new ApiError('forbidden', `order ${orderId} is not for this unit`, { reason: 'not-your-order' });
    if (!OPEN_ORDER_STATES.includes(order.state)) throw new ApiError('conflict', `order ${orderId} is already ${order.state}`, { reason: `order-${order.state}` });
    return order;
  }

  /** After a commit: memory, then the events (terminal.changed per unit touched, unless the caller sends it). */
  private async publish(outcome: Outcome, terminals = true): Promise<void> {
    const { bus, units } = this.deps;
    units.applyStatus(outcome.units);
    for (const o of outcome.orders) bus.publish('dispatch.changed', o);
    if (outcome.alarm) bus.publish('alarm.changed', outcome.alarm);
    if (!terminals) return;
    const touched = new Set([...outcome.orders.map((o) => o.unitId), ...outcome.units.map((u) => u.unitId)]);
    for (const unitId of touched) bus.publish('terminal.changed', await this.terminalState(unitId));
  }
}

function refuseUnavailable(callSign: string, status: UnitStatus): void {
  if (status === 'off-duty') throw new ApiError('conflict', `${callSign} is off duty`, { reason: 'unit-off-duty' });
  if (status !== 'available') throw new ApiError('conflict', `${callSign} is already on an order`, { reason: 'unit-busy' });
}

async function pruneTerminalReports(db: Database, before: number): Promise<number> {
  const { changes } = await db.run('DELETE FROM terminal_reports WHERE received_at < ?', [before]);
  return changes;
}
