// The alarm queue: list, raise by hand, acknowledge, close with a category.
import { z } from 'zod';
import { geoPoint, RESOLUTION_CATEGORIES, type Alarm } from '../domain.ts';
import { call } from './define.ts';

const id = z.string().min(1).max(100);
const RESPONDERS = ['operator', 'commander', 'admin'] as const;

/** The queue as the core holds it: `alarms` is at most `limit` long; `openCount` is the true number open. */
export interface AlarmList {
  alarms: Alarm[];
  openCount: number;
  limit: number;
}

export const alarmCalls = {
  'alarms.list': call(
    z.object({ includeClosed: z.boolean().optional(), limit: z.number().int().min(1).max(2000).optional() }).strict(),
    ['operator', 'coordinator', 'commander', 'admin'],
  ).returns<AlarmList>(),
  'alarms.raiseManual': call(
    z.object({ position: geoPoint, severity: z.number().int().min(1).max(4), note: z.string().trim().max(500) }).strict(),
    RESPONDERS,
  ).returns<Alarm>(),
  'alarms.acknowledge': call(z.object({ id }).strict(), RESPONDERS).returns<Alarm>(),
  'alarms.close': call(
    z.object({ id, category: z.enum(RESOLUTION_CATEGORIES), note: z.string().trim().max(500) }).strict()
      .refine((r) => r.category !== 'other' || r.note.length > 0, { message: 'say what happened when the category is "other"', path: ['note'] }),
    RESPONDERS,
  ).returns<Alarm>(),
};

export interface AlarmEvents {
  'alarm.changed': Alarm;
}
