// Units and dispatch (派警): the units and their positions, the nearest available for an alarm, orders sent in
// one action; and the unit terminal's calls (role `unit`: only its own orders).
import { z } from 'zod';
import { geoPoint, RESPONDER_ROLES } from '../domain.ts';
import type { DispatchOrder, TerminalState, Unit, UnitCandidate } from '../response.ts';
import { TERMINAL_REPORTS } from '../response.ts';
import { ANY_ROLE, call } from './define.ts';

const id = z.string().min(1).max(100);
const text = (max: number) => z.string().trim().max(max);

export const unitCalls = {
  'units.list': call(z.object({}).strict(), ANY_ROLE).returns<Unit[]>(),
  /** The nearest available units to an alarm, by estimated arrival. */
  'units.nearest': call(z.object({ alarmId: id, limit: z.number().int().min(1).max(20).default(5) }).strict(), ANY_ROLE).returns<UnitCandidate[]>(),
  /** On or off duty (a dispatched unit is freed by its order ending, not by this). */
  'units.setStatus': call(z.object({ unitId: id, status: z.enum(['available', 'off-duty']) }).strict(), RESPONDER_ROLES).returns<Unit>(),
  /** 一键派警: one order per unit, each pushed to the unit's terminal. The alarm becomes 已派警. */
  'dispatch.send': call(
    z.object({ alarmId: id, unitIds: z.array(id).min(1).max(10), guidance: text(500).default('') }).strict(),
    RESPONDER_ROLES,
  ).returns<DispatchOrder[]>(),
  'dispatch.cancel': call(z.object({ orderId: id, reason: text(500).min(1) }).strict(), RESPONDER_ROLES).returns<DispatchOrder>(),
  /** Orders of an alarm, of an incident, or all open ones. */
  'dispatch.list': call(
    z.object({ alarmId: id.optional(), incidentId: id.optional(), openOnly: z.boolean().default(true) }).strict(),
    ANY_ROLE,
  ).returns<DispatchOrder[]>(),

  /** The terminal's unit and its open orders. */
  'terminal.state': call(z.object({}).strict(), ['unit']).returns<TerminalState>(),
  /** A report from the unit: acknowledged, arrived, done, status, position. A repeated reportId is not applied twice. */
  'terminal.report': call(
    z.object({
      reportId: z.string().min(8).max(64),
      kind: z.enum(TERMINAL_REPORTS),
      orderId: id.optional(),
      status: z.enum(['available', 'off-duty']).optional(),
      position: geoPoint.optional(),
      note: text(500).optional(),
      at: z.number().int().min(0),
    }).strict()
      .refine((r) => !['acknowledge', 'arrive', 'done'].includes(r.kind) || r.orderId, { message: 'which order?', path: ['orderId'] })
      .refine((r) => r.kind !== 'position' || r.position, { message: 'a position report needs a position', path: ['position'] })
      .refine((r) => r.kind !== 'status' || r.status, { message: 'a status report needs a status', path: ['status'] }),
    ['unit'],
  ).returns<{ applied: boolean; state: TerminalState }>(),
};

export interface UnitEvents {
  /** Units whose status or position changed (only those). */
  'units.changed': { units: Unit[] };
  'dispatch.changed': DispatchOrder;
  /** To the terminals of one unit only: its state changed (a new order, a cancel). */
  'terminal.changed': TerminalState;
}
