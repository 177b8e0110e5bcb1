// The record: the hash-chained audit log (read, verify) and the shift handover (交接班).
import { z } from 'zod';
import { RESPONDER_ROLES } from '../domain.ts';
import type { AuditRecord, AuditVerdict, Handover, HandoverSummary } from '../response.ts';
import { call } from './define.ts';

const id = z.string().min(1).max(100);

export const recordCalls = {
  /**
   * The newest entries first; `before` pages back by entry id; `subject` narrows to one alarm, order, incident …;
   * `actor` to one user; `action` to one action ('alarm.acknowledge') or a family ('alarm').
   */
  'audit.list': call(
    z.object({
      limit: z.number().int().min(1).max(1000).default(200), before: z.number().int().min(1).optional(), subject: id.optional(),
      actor: z.string().trim().min(1).max(64).optional(), action: z.string().trim().min(1).max(100).regex(/^[a-z0-9.-]+$/i).optional(),
    }).strict(),
    ['commander', 'admin'],
  ).returns<AuditRecord[]>(),
  'audit.verify': call(z.object({}).strict(), ['admin']).returns<AuditVerdict>(),

  /** What the outgoing operator would hand over now. */
  'handover.draft': call(z.object({}).strict(), RESPONDER_ROLES).returns<HandoverSummary>(),
  'handover.submit': call(z.object({ note: z.string().trim().max(2000) }).strict(), RESPONDER_ROLES).returns<Handover>(),
  /** The incoming operator signs off with their own credentials (at the same seat). */
  'handover.accept': call(
    z.object({ id, username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict(),
    RESPONDER_ROLES,
  ).returns<Handover>(),
  'handover.cancel': call(z.object({ id }).strict(), RESPONDER_ROLES).returns<Handover>(),
  'handover.list': call(z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict(), RESPONDER_ROLES).returns<Handover[]>(),
};

export interface RecordEvents {
  'handover.changed': Handover;
}
