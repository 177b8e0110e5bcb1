// PLACEHOLDER: patrol duty (勤务): the plan, rosters, check-ins from unit positions. Replaced by the duty helper.
import type { Person } from '../../../shared/domain.ts';
import type { DutyPlan, DutyRoster, DutyStatus, Unit } from '../../../shared/response.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { AuditTrail } from '../store/audit-log.ts';
import type { Database } from '../store/database.ts';

export interface DutyDeps {
  db: Database; clock: Clock; bus: EventBus; site: SiteModel; audit: AuditTrail;
  /** The site file's folder: its `response/duty.json` holds the shifts, points and lines. */
  siteDir: string;
  /** The units' ids (a roster naming another is refused). */
  unitIds: () => string[];
  log: (line: string) => void;
}

export class Duty {
  constructor(private readonly deps: DutyDeps) {}
  async load(): Promise<void> {}
  plan(): DutyPlan { return { shifts: [], points: [], lines: [] }; }
  roster(_date: string, _shiftId: string): Promise<DutyRoster> { throw new Error('not built yet'); }
  setRoster(_input: Pick<DutyRoster, 'date' | 'shiftId' | 'assignments'>, _by: Person): Promise<DutyRoster> { throw new Error('not built yet'); }
  status(): Promise<DutyStatus> { throw new Error('not built yet'); }
  /** A unit's accepted position: a check-in when it is at one of its points. */
  async onPosition(_unit: Unit): Promise<void> {}
  stop(): void {}
}
