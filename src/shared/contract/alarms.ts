// The alarm queue and its workflow: list, raise by hand, acknowledge, assign, escalate, resolve, close with a
// category (误报/重复 with a reason). Dispatch and arrival move it on through units.ts.
import { z } from 'zod';
import { geoPoint, RESOLUTION_CATEGORIES, RESPONDER_ROLES, type Alarm, type ResponseStage } from '../domain.ts';
import { call } from './define.ts';

const id = z.string().min(1).max(100);
const RESPONDERS = RESPONDER_ROLES;
/** The most alarms one list call returns: the queue stays fluid with 10,000 open (virtualised). */
export const ALARM_LIST_MAX = 10000;

/** The queue as the core holds it: `alarms` is at most `limit` long; `openCount` is the true number open. */
export interface AlarmList {
  alarms: Alarm[];
  openCount: number;
  limit: number;
}

export const alarmCalls = {
  'alarms.list': call(
    z.object({ includeClosed: z.boolean().optional(), limit: z.number().int().min(1).max(ALARM_LIST_MAX).optional() }).strict(),
    ['operator', 'coordinator', 'commander', 'admin'],
  ).returns<AlarmList>(),
  'alarms.raiseManual': call(
    z.object({ position: geoPoint, severity: z.number().int().min(1).max(4), note: z.string().trim().max(500) }).strict(),
    RESPONDERS,
  ).returns<Alarm>(),
  'alarms.acknowledge': call(z.object({ id }).strict(), RESPONDERS).returns<Alarm>(),
  /** 指派: to an operator (by username), or back to nobody. */
  'alarms.assign': call(z.object({ id, username: z.string().min(1).max(64).nullable() }).strict(), RESPONDERS).returns<Alarm>(),
  /** 上报指挥员: asks the commander to look at it now (an overdue stage does this by itself). */
  'alarms.escalate': call(z.object({ id, note: z.string().trim().max(500) }).strict(), RESPONDERS).returns<Alarm>(),
  /** 处置完毕: the cause is dealt with; it stays open until closed with a category. */
  'alarms.resolve': call(z.object({ id, note: z.string().trim().max(500) }).strict(), RESPONDERS).returns<Alarm>(),
  /** From any open state. 误报 (false alarm), 重复 (duplicate) and 其他 (other) need a reason. */
  'alarms.close': call(
    z.object({ id, category: z.enum(RESOLUTION_CATEGORIES), note: z.string().trim().max(500), duplicateOf: id.optional() }).strict()
      .refine((r) => !['other', 'false-alarm', 'duplicate'].includes(r.category) || r.note.length > 0 || r.duplicateOf !== undefined, {
        message: 'say why (a false alarm, a duplicate, or "other" needs a reason)', path: ['note'],
      }),
    RESPONDERS,
  ).returns<Alarm>(),
};

export interface AlarmEvents {
  'alarm.changed': Alarm;
  /** A stage went overdue (or an operator escalated): for the commander's attention. */
  'alarm.escalated': { alarm: Alarm; stage: ResponseStage | 'manual'; at: number; by: string };
}
