// What the incidents service needs from storage: each change in one transaction with its audit entries, its
// checks made inside that transaction (an alarm linked twice at once, a step ticked twice at once: one wins).
import type { Alarm, AlarmState, GeoPoint, Person } from '../../../shared/domain.ts';
import type { Incident, IncidentNote, IncidentStepState, TimelineEntry } from '../../../shared/response.ts';
import type { AuditEntry } from '../alarms/alarm-repository.ts';

/** What the service checks of an alarm before it joins an incident. */
export interface AlarmLinkFacts {
  id: string;
  state: AlarmState;
  incidentId: string | null;
  /** The number of the incident it is in already, if any. */
  incidentNumber: string | null;
  position: GeoPoint | null;
  drill: boolean;
}

export interface NewIncident {
  id: string;
  number: string;
  typeId: string;
  title: string;
  position: GeoPoint | null;
  openedAt: number;
  openedBy: Person;
  drill: boolean;
  /** The SOP's steps, in order: all pending. */
  stepIds: string[];
}

/** Why a change to an incident did not happen. */
export type IncidentRefusal =
  | { refused: 'missing' }
  | { refused: 'closed'; incident: Incident }
  | { refused: 'no-step' }
  | { refused: 'step-taken'; step: IncidentStepState }
  | { refused: 'too-many-notes'; limit: number };

export type IncidentChange = { ok: Incident } | IncidentRefusal;

export interface IncidentRepository {
  /**
   * Creates an incident from alarms: `build` sees the alarms' facts (in the order asked; unknown ids absent) and
   * the next free number of the day, and either throws (nothing is written) or says what to store.
   */
  create(
    alarmIds: string[],
    numberPrefix: string,
    build: (facts: AlarmLinkFacts[], number: string) => { incident: NewIncident; audit: AuditEntry[] },
  ): Promise<{ incident: Incident; alarms: Alarm[] }>;

  /** Links more alarms: `build` sees the incident and the alarms' facts, and says which to link (or throws). */
  addAlarms(
    id: string,
    alarmIds: string[],
    build: (incident: Incident, facts: AlarmLinkFacts[]) => { link: string[]; position: GeoPoint | null; audit: AuditEntry[] },
  ): Promise<{ incident: Incident; alarms: Alarm[] } | IncidentRefusal>;

  /** Ticks a pending step of an open incident; a step already ticked is refused with who ticked it. */
  tickStep(id: string, stepId: string, change: { state: 'done' | 'skipped'; at: number; by: Person; reason: string | null }, audit: AuditEntry): Promise<IncidentChange>;

  addNote(id: string, note: IncidentNote, audit: AuditEntry): Promise<IncidentChange>;

  /** Closes an open incident; `audit` sees it as it was, so that the entry can list the steps left pending. */
  close(id: string, change: { at: number; by: Person; summary: string }, audit: (open: Incident) => AuditEntry): Promise<IncidentChange>;

  get(id: string): Promise<Incident | null>;

  /** The newest first, at most `limit`. */
  list(opts: { openOnly: boolean; limit: number }): Promise<Incident[]>;

  /** The record's entries about these subjects, oldest first: the newest `limit`, and how many older ones were left out. */
  timeline(subjects: string[], limit: number): Promise<{ entries: TimelineEntry[]; omitted: number }>;
}
