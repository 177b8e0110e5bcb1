// PLACEHOLDER: incidents (案事件) with SOP checklists, notes, timeline, PDF report. Replaced by the incidents helper.
import type { Person } from '../../../shared/domain.ts';
import type { Incident, IncidentType, IncidentView } from '../../../shared/response.ts';
import type { AlarmService } from '../alarms/alarm-service.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { AuditTrail } from '../store/audit-log.ts';
import type { Database } from '../store/database.ts';
import type { Dispatch } from '../units/dispatch.ts';

export interface IncidentDeps {
  db: Database; clock: Clock; bus: EventBus; site: SiteModel; audit: AuditTrail; alarms: AlarmService; dispatch: Dispatch;
  /** The site file's folder: its `response/sops.json` holds the incident types and their SOPs. */
  siteDir: string;
  log: (line: string) => void;
}

export class Incidents {
  constructor(private readonly deps: IncidentDeps) {}
  async load(): Promise<void> {}
  types(): IncidentType[] { return []; }
  list(_openOnly: boolean): Promise<Incident[]> { throw new Error('not built yet'); }
  view(_id: string): Promise<IncidentView> { throw new Error('not built yet'); }
  open(_input: { alarmIds: string[]; typeId: string; title: string }, _by: Person): Promise<Incident> { throw new Error('not built yet'); }
  addAlarms(_id: string, _alarmIds: string[], _by: Person): Promise<Incident> { throw new Error('not built yet'); }
  step(_id: string, _stepId: string, _action: 'done' | 'skip', _reason: string | undefined, _by: Person): Promise<Incident> { throw new Error('not built yet'); }
  note(_id: string, _text: string, _snapshotId: string | undefined, _by: Person): Promise<Incident> { throw new Error('not built yet'); }
  close(_id: string, _summary: string, _by: Person): Promise<Incident> { throw new Error('not built yet'); }
  /** The incident report as a PDF (Chinese text rendered with the CJK font). */
  reportPdf(_id: string, _language: 'zh' | 'en'): Promise<Buffer> { throw new Error('not built yet'); }
}
