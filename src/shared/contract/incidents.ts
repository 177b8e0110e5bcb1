// Incidents (案事件): promoted from alarms, worked through their SOP checklist, with notes, snapshots, a
// timeline from the record, and a PDF report.
import { z } from 'zod';
import { RESPONDER_ROLES } from '../domain.ts';
import type { Incident, IncidentType, IncidentView } from '../response.ts';
import { ANY_ROLE, call } from './define.ts';
import type { MediaLink } from './video.ts';

const id = z.string().min(1).max(100);
const text = (max: number) => z.string().trim().max(max);
/** Who closes an incident: the commander (or an administrator), never an operator alone. */
export const INCIDENT_CLOSE_ROLES = ['commander', 'admin'] as const;

export const incidentCalls = {
  'incidents.types': call(z.object({}).strict(), ANY_ROLE).returns<IncidentType[]>(),
  'incidents.list': call(z.object({ openOnly: z.boolean().default(true) }).strict(), ANY_ROLE).returns<Incident[]>(),
  'incidents.get': call(z.object({ id }).strict(), ANY_ROLE).returns<IncidentView>(),
  /** 升级为案事件: one or more open alarms become one incident of a type, which brings its SOP. */
  'incidents.open': call(
    z.object({ alarmIds: z.array(id).min(1).max(50), typeId: id, title: text(100).min(1) }).strict(),
    RESPONDER_ROLES,
  ).returns<Incident>(),
  'incidents.addAlarms': call(z.object({ id, alarmIds: z.array(id).min(1).max(50) }).strict(), RESPONDER_ROLES).returns<Incident>(),
  /** Ticks a step of the checklist; skipping one asks why. */
  'incidents.step': call(
    z.object({ id, stepId: id, action: z.enum(['done', 'skip']), reason: text(500).optional() }).strict()
      .refine((s) => s.action !== 'skip' || (s.reason ?? '').length > 0, { message: 'say why the step is skipped', path: ['reason'] }),
    RESPONDER_ROLES,
  ).returns<Incident>(),
  'incidents.note': call(z.object({ id, text: text(2000).min(1), snapshotId: id.optional() }).strict(), RESPONDER_ROLES).returns<Incident>(),
  'incidents.close': call(z.object({ id, summary: text(2000).min(1) }).strict(), INCIDENT_CLOSE_ROLES).returns<Incident>(),
  /** The incident report (PDF), as a short-lived link. */
  'incidents.report': call(z.object({ id, language: z.enum(['zh', 'en']).default('zh') }).strict(), ANY_ROLE).returns<MediaLink>(),
};

export interface IncidentEvents {
  'incident.changed': Incident;
}
