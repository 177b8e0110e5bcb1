// Patrol duty (勤务): the plan (shifts, mandatory points and lines), the roster per shift, the current shift's status.
import { z } from 'zod';
import type { DutyPlan, DutyRoster, DutyStatus } from '../response.ts';
import { ANY_ROLE, call } from './define.ts';

const id = z.string().min(1).max(100);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
/** Who sets the roster (排班): a commander or an administrator. */
export const ROSTER_ROLES = ['commander', 'admin'] as const;

export const dutyCalls = {
  'duty.plan': call(z.object({}).strict(), ANY_ROLE).returns<DutyPlan>(),
  'duty.roster': call(z.object({ date, shiftId: id }).strict(), ANY_ROLE).returns<DutyRoster>(),
  'duty.setRoster': call(
    z.object({
      date, shiftId: id,
      assignments: z.array(z.object({ unitId: id, pointIds: z.array(id).max(200), lineIds: z.array(id).max(50) }).strict()).max(200),
    }).strict(),
    ROSTER_ROLES,
  ).returns<DutyRoster>(),
  'duty.status': call(z.object({}).strict(), ANY_ROLE).returns<DutyStatus>(),
};

export interface DutyEvents {
  'duty.changed': DutyStatus;
}
