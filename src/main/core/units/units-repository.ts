// The units' SQL: their state (status, order, last position: unit_state), their position history
// (unit_positions), the orders (dispatch_orders) and the terminals' report ids (terminal_reports). Statements
// that belong to a larger change take the caller's transaction, so that an order, the unit it sends and the
// alarm it moves commit together.
import type { DispatchOrder, OrderState, UnitStatus } from '../../../shared/response.ts';
import type { Database, Tx } from '../store/database.ts';

export const OPEN_ORDER_STATES: readonly OrderState[] = ['sent', 'acknowledged', 'on-scene'];
const OPEN_SQL = "('sent', 'acknowledged', 'on-scene')";

export interface UnitStateRow {
  unit_id: string;
  status: UnitStatus;
  order_id: string | null;
  lon: number | null;
  lat: number | null;
  alt_m: number | null;
  position_at: number | null;
  position_source: 'gps' | 'terminal' | 'home' | null;
  updated_at: number;
}

export interface FixRow {
  unitId: string;
  at: number;
  lon: number;
  lat: number;
  altM: number | null;
  /** unit_positions.source: the GPS source's id, or 'terminal'. */
  source: string;
  /** unit_state.position_source. */
  kind: 'gps' | 'terminal';
}

export const unitStates = (db: Database) => db.all<UnitStateRow>('SELECT * FROM unit_state');

/** A state row for each unit that has none yet: available, at home. */
export async function insertMissingStates(db: Database, rows: Array<{ unitId: string; lon: number; lat: number }>, at: number): Promise<void> {
  if (!rows.length) return;
  await db.run(
    `INSERT OR IGNORE INTO unit_state (unit_id, status, lon, lat, position_source, updated_at)
     SELECT value->>'unitId', 'available', value->>'lon', value->>'lat', 'home', ? FROM json_each(?)`,
    [at, JSON.stringify(rows)],
  );
}

/** A unit on an order that is no longer open (an interrupted write, a hand edit) is free again. */
export async function freeUnitsWithoutOpenOrder(db: Database, at: number): Promise<number> {
  const r = await db.run(
    `UPDATE unit_state SET status = 'available', order_id = NULL, updated_at = ?
     WHERE status IN ('dispatched', 'on-scene') AND (order_id IS NULL OR order_id NOT IN (SELECT id FROM dispatch_orders WHERE state IN ${OPEN_SQL}))`,
    [at],
  );
  return r.changes;
}

/** Appends the fixes to the history and moves each unit to its newest one (given: the newest per unit). */
export async function writeFixes(tx: Tx, all: FixRow[], newest: FixRow[]): Promise<void> {
  if (!all.length) return;
  await tx.run(
    `INSERT INTO unit_positions (unit_id, at, lon, lat, source)
     SELECT value->>'unitId', value->>'at', value->>'lon', value->>'lat', value->>'source' FROM json_each(?)`,
    [JSON.stringify(all)],
  );
  await tx.run(
    `UPDATE unit_state SET lon = f.value->>'lon', lat = f.value->>'lat', alt_m = f.value->>'altM', position_at = f.value->>'at',
       position_source = f.value->>'kind', updated_at = f.value->>'at'
     FROM json_each(?) AS f WHERE unit_state.unit_id = f.value->>'unitId'
       AND (unit_state.position_at IS NULL OR unit_state.position_source = 'home' OR unit_state.position_at < f.value->>'at')`,
    [JSON.stringify(newest)],
  );
}

/** Deletes positions older than `before`, a batch at a time (a long delete would hold the writer); returns how many. */
export async function prunePositions(db: Database, before: number, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await db.run('DELETE FROM unit_positions WHERE rowid IN (SELECT rowid FROM unit_positions WHERE at < ? LIMIT ?)', [before, batch]);
    total += r.changes;
    if (r.changes < batch) return total;
  }
}

/** Sets a unit's status and order; with `onlyIfFree`, only while it has no order (returns whether it changed). */
export async function setUnitStatus(tx: Tx, unitId: string, status: UnitStatus, orderId: string | null, at: number, onlyIfFree = false): Promise<boolean> {
  const r = await tx.run(
    `UPDATE unit_state SET status = ?, order_id = ?, updated_at = ? WHERE unit_id = ?${onlyIfFree ? ' AND order_id IS NULL' : ''}`,
    [status, orderId, at, unitId],
  );
  return r.changes === 1;
}

export const statesIn = (tx: Tx, unitIds: string[]) =>
  tx.all<UnitStateRow>('SELECT * FROM unit_state WHERE unit_id IN (SELECT value FROM json_each(?))', [JSON.stringify(unitIds)]);

// ── Orders ────────────────────────────────────────────────────────────────────────────────────────────────────

interface OrderRow {
  id: string; alarm_id: string; incident_id: string | null; unit_id: string; call_sign: string; state: OrderState; guidance: string;
  lon: number | null; lat: number | null; eta_s: number | null;
  sent_at: number; sent_by: string; sent_by_name: string;
  acknowledged_at: number | null; on_scene_at: number | null; done_at: number | null; cancelled_at: number | null;
  note: string | null; drill: number;
}

const fromRow = (r: OrderRow): DispatchOrder => ({
  id: r.id, alarmId: r.alarm_id, incidentId: r.incident_id, unitId: r.unit_id, callSign: r.call_sign, state: r.state, guidance: r.guidance,
  target: r.lon === null || r.lat === null ? null : { lon: r.lon, lat: r.lat }, etaS: r.eta_s,
  sentAt: r.sent_at, sentBy: { username: r.sent_by, displayName: r.sent_by_name },
  acknowledgedAt: r.acknowledged_at, onSceneAt: r.on_scene_at, doneAt: r.done_at, cancelledAt: r.cancelled_at,
  note: r.note, drill: r.drill === 1,
});

export async function insertOrders(tx: Tx, orders: DispatchOrder[]): Promise<void> {
  await tx.run(
    `INSERT INTO dispatch_orders (id, alarm_id, incident_id, unit_id, call_sign, state, guidance, lon, lat, eta_s, sent_at, sent_by, sent_by_name, drill)
     SELECT value->>'id', value->>'alarmId', value->>'incidentId', value->>'unitId', value->>'callSign', value->>'state', value->>'guidance',
       value->>'lon', value->>'lat', value->>'etaS', value->>'sentAt', value->>'sentBy', value->>'sentByName', value->>'drill'
     FROM json_each(?)`,
    [JSON.stringify(orders.map((o) => ({
      ...o, lon: o.target?.lon ?? null, lat: o.target?.lat ?? null, sentBy: o.sentBy.username, sentByName: o.sentBy.displayName, drill: o.drill ? 1 : 0,
    })))],
  );
}

export async function orderIn(tx: Tx, id: string): Promise<DispatchOrder | null> {
  const [row] = await tx.all<OrderRow>('SELECT * FROM dispatch_orders WHERE id = ?', [id]);
  return row ? fromRow(row) : null;
}

export async function openOrdersOfAlarm(tx: Tx, alarmId: string): Promise<DispatchOrder[]> {
  return (await tx.all<OrderRow>(`SELECT * FROM dispatch_orders WHERE alarm_id = ? AND state IN ${OPEN_SQL}`, [alarmId])).map(fromRow);
}

/** Open orders whose alarm is closed (an alarm closed while the core was down, or mid-write). */
export async function openOrdersOfClosedAlarms(db: Database): Promise<string[]> {
  const rows = await db.all<{ alarm_id: string }>(
    `SELECT DISTINCT o.alarm_id FROM dispatch_orders o JOIN alarms a ON a.id = o.alarm_id WHERE o.state IN ${OPEN_SQL} AND a.state = 'closed'`,
  );
  return rows.map((r) => r.alarm_id);
}

/** Moves an order on; only from the given states. Returns the order after, or null when it was in none of them. */
export async function moveOrder(
  tx: Tx, id: string, from: readonly OrderState[],
  change: { state: OrderState; at: number; note?: string | null },
): Promise<DispatchOrder | null> {
  const column = { sent: null, acknowledged: 'acknowledged_at', 'on-scene': 'on_scene_at', done: 'done_at', cancelled: 'cancelled_at' }[change.state];
  // Arriving without acknowledging first acknowledges too: the stage is reached either way.
  const ack = change.state === 'on-scene' || change.state === 'done' ? ', acknowledged_at = COALESCE(acknowledged_at, ?)' : '';
  const r = await tx.run(
    `UPDATE dispatch_orders SET state = ?${column ? `, ${column} = COALESCE(${column}, ?)` : ''}${ack}, note = COALESCE(?, note)
     WHERE id = ? AND state IN (SELECT value FROM json_each(?))`,
    [change.state, ...(column ? [change.at] : []), ...(ack ? [change.at] : []), change.note ?? null, id, JSON.stringify(from)],
  );
  return r.changes === 1 ? orderIn(tx, id) : null;
}

export async function listOrders(db: Database, filter: { alarmId?: string; incidentId?: string; unitId?: string; openOnly: boolean }, limit = 1000): Promise<DispatchOrder[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.alarmId) {
    where.push('alarm_id = ?');
    params.push(filter.alarmId);
  }
  if (filter.incidentId) {
    // Orders sent before their alarm joined the incident count too.
    where.push('(incident_id = ? OR alarm_id IN (SELECT id FROM alarms WHERE incident_id = ?))');
    params.push(filter.incidentId, filter.incidentId);
  }
  if (filter.unitId) {
    where.push('unit_id = ?');
    params.push(filter.unitId);
  }
  if (filter.openOnly) where.push(`state IN ${OPEN_SQL}`);
  const rows = await db.all<OrderRow>(
    `SELECT * FROM dispatch_orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY sent_at DESC, id LIMIT ?`,
    [...params, limit],
  );
  return rows.map(fromRow);
}

export async function getOrder(db: Database, id: string): Promise<DispatchOrder | null> {
  const row = await db.get<OrderRow>('SELECT * FROM dispatch_orders WHERE id = ?', [id]);
  return row ? fromRow(row) : null;
}

/** Records a terminal's report id; false when it was recorded before (a repeat after a lost connection). */
export async function claimReport(tx: Tx, unitId: string, reportId: string, kind: string, at: number): Promise<boolean> {
  const r = await tx.run('INSERT OR IGNORE INTO terminal_reports (unit_id, report_id, kind, received_at) VALUES (?, ?, ?, ?)', [unitId, reportId, kind, at]);
  return r.changes === 1;
}

/** The unique index that keeps one open order per unit said no. */
export const isOneOpenOrderViolation = (err: unknown) =>
  err instanceof Error && /SQLITE_CONSTRAINT/.test(err.message) && /dispatch_orders\.unit_id|dispatch_orders_one_open/.test(err.message);
