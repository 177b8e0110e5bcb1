// Incidents (案事件): one or more open alarms promoted to an incident of a type, which brings its SOP checklist
// (处置流程); steps ticked once with time and person (a skip says why); notes with evidence snapshots; closed
// by a commander with a summary; the timeline read back from the record; the report as PDF. Every change is
// stored with its audit entry in one transaction, and published after it committed.
//
// Closing with steps still pending is allowed (a commander may end an incident whose remaining steps no longer
// apply, or were overtaken): the record lists them in the close entry and the report marks them 未完成.
import { randomUUID } from 'node:crypto';
import type { Alarm, Person } from '../../../shared/domain.ts';
import type { DispatchOrder, Incident, IncidentType, IncidentView, TimelineEntry } from '../../../shared/response.ts';
import type { AlarmService } from '../alarms/alarm-service.ts';
import { ApiError } from '../calls.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { AuditTrail } from '../store/audit-log.ts';
import type { Database } from '../store/database.ts';
import type { Dispatch } from '../units/dispatch.ts';
import { EvidenceStore } from '../video/evidence.ts';
import { localTime } from '../video/patrol-report.ts';
import { localUtcOffset, type UtcOffset } from '../video/patrol-schedule.ts';
import type { AlarmLinkFacts, IncidentChange, IncidentRepository } from './incident-repository.ts';
import { incidentReportPdf } from './incident-report.ts';
import type { ReportLanguage } from './incident-report-text.ts';
import { GENERAL_INCIDENT_TYPE, loadSopFile, sopFilePath } from './sop-file.ts';
import { SqliteIncidentRepository } from './sqlite-incident-repository.ts';

/** Record entries a view's timeline shows at most (the newest); older ones are counted in one line. */
export const TIMELINE_LIMIT = 2000;
/** Incidents one list returns at most (the newest). */
export const LIST_LIMIT = 1000;
const MAX_NOTE_CHARS = 2000;
/** Notes an 'incident.changed' event carries at most (the newest): every console gets every event. */
export const EVENT_NOTES = 50;
/** Snapshots a report embeds at most (the first noted): a report is for reading, not an evidence export. */
export const REPORT_SNAPSHOTS = 60;
const MAX_REASON_CHARS = 500;
const MAX_SUMMARY_CHARS = 2000;

export interface IncidentDeps {
  db: Database; clock: Clock; bus: EventBus; site: SiteModel; audit: AuditTrail; alarms: AlarmService;
  /** The orders of an incident and of its alarms. */
  dispatch: Pick<Dispatch, 'list'>;
  /** The site file's folder: its `response/sops.json` holds the incident types and their SOPs. */
  siteDir: string;
  log: (line: string) => void;
  /** Where note snapshots are kept (the core's evidence store); by default read from the same database. */
  evidence?: Pick<EvidenceStore, 'get'>;
  /** The console's time zone, for the numbers' day and the report's times. */
  utcOffset?: UtcOffset;
  repository?: IncidentRepository;
}

export class Incidents {
  private typeList: IncidentType[] = [GENERAL_INCIDENT_TYPE];
  private readonly repo: IncidentRepository;
  private readonly evidence: Pick<EvidenceStore, 'get'>;
  private readonly offset: UtcOffset;

  constructor(private readonly deps: IncidentDeps) {
    this.repo = deps.repository ?? new SqliteIncidentRepository(deps.db);
    // Reading a picture needs nothing of the store's bookkeeping: a second instance on the same table is safe.
    this.evidence = deps.evidence ?? new EvidenceStore(deps.db);
    this.offset = deps.utcOffset ?? localUtcOffset;
  }

  /** Reads the site's SOPs (a broken file stops the start with every problem named; a missing one leaves 其他). */
  async load(): Promise<void> {
    const file = sopFilePath(this.deps.siteDir);
    const types = await loadSopFile(file);
    if (types) this.typeList = types;
    else this.deps.log(`Incidents: no SOP file at ${file}; only the general type (其他) is offered.`);
  }

  types(): IncidentType[] {
    return this.typeList;
  }

  list(openOnly: boolean): Promise<Incident[]> {
    return this.repo.list({ openOnly, limit: LIST_LIMIT });
  }

  async get(id: string): Promise<Incident> {
    const incident = await this.repo.get(id);
    if (!incident) throw notFound(id);
    return incident;
  }

  async open(input: { alarmIds: string[]; typeId: string; title: string }, by: Person): Promise<Incident> {
    const type = this.typeList.find((t) => t.id === input.typeId);
    if (!type) {
      throw new ApiError('bad-request', `no incident type "${input.typeId}" (known: ${this.typeList.map((t) => t.id).join(', ')})`, {
        fields: [{ path: 'typeId', problem: 'unknown incident type' }],
      });
    }
    const title = input.title.trim();
    if (!title) throw new ApiError('bad-request', 'an incident needs a title', { fields: [{ path: 'title', problem: 'empty' }] });
    const alarmIds = [...new Set(input.alarmIds)];
    if (!alarmIds.length) throw new ApiError('bad-request', 'an incident needs at least one alarm', { fields: [{ path: 'alarmIds', problem: 'empty' }] });
    const at = this.deps.clock.now();
    const id = randomUUID();
    const prefix = `AJ-${localTime(at, this.offset).slice(0, 10).replaceAll('-', '')}-`;
    const { incident, alarms } = await this.repo.create(alarmIds, prefix, (facts, number) => {
      checkLinkable(alarmIds, facts, id);
      return {
        incident: {
          id, number, typeId: type.id, title, openedAt: at, openedBy: by,
          position: facts.find((f) => f.position)?.position ?? null,
          drill: facts[0].drill,
          stepIds: type.steps.map((s) => s.id),
        },
        audit: [
          { at, actor: by.username, action: 'incident.open', subject: id, details: { number, typeId: type.id, title, alarmIds } },
          ...alarmIds.map((a) => ({ at, actor: by.username, action: 'alarm.incident', subject: a, details: { incidentId: id, number } })),
        ],
      };
    });
    this.publish(incident, alarms);
    return incident;
  }

  async addAlarms(id: string, alarmIds: string[], by: Person): Promise<Incident> {
    const at = this.deps.clock.now();
    const asked = [...new Set(alarmIds)];
    const result = await this.repo.addAlarms(id, asked, (incident, facts) => {
      // Those already in this incident are left as they are; the others must be linkable.
      const fresh = facts.filter((f) => f.incidentId !== id);
      checkLinkable(asked.filter((a) => !incident.alarmIds.includes(a)), fresh, id, incident.drill);
      const link = fresh.map((f) => f.id);
      return {
        link,
        position: fresh.find((f) => f.position)?.position ?? null,
        audit: link.length
          ? [
              { at, actor: by.username, action: 'incident.addAlarms', subject: id, details: { number: incident.number, alarmIds: link } },
              ...link.map((a) => ({ at, actor: by.username, action: 'alarm.incident', subject: a, details: { incidentId: id, number: incident.number } })),
            ]
          : [],
      };
    });
    if ('refused' in result) throw this.refusal(id, result);
    if (result.alarms.length) this.publish(result.incident, result.alarms);
    return result.incident;
  }

  async step(id: string, stepId: string, action: 'done' | 'skip', reason: string | undefined, by: Person): Promise<Incident> {
    const why = reason?.trim() ?? '';
    // The contract asks for it too; the core does not rely on the caller having been checked.
    if (action === 'skip' && !why) throw new ApiError('bad-request', `say why step "${stepId}" is skipped`, { fields: [{ path: 'reason', problem: 'required to skip a step' }] });
    if (why.length > MAX_REASON_CHARS) throw new ApiError('bad-request', `a reason is at most ${MAX_REASON_CHARS} characters`, { fields: [{ path: 'reason', problem: 'too long' }] });
    const at = this.deps.clock.now();
    const state = action === 'done' ? 'done' : 'skipped';
    const result = await this.repo.tickStep(
      id, stepId, { state, at, by, reason: why || null },
      { at, actor: by.username, action: 'incident.step', subject: id, details: { stepId, action: state, ...(why ? { reason: why } : {}) } },
    );
    return this.settled(id, result, stepId);
  }

  async note(id: string, text: string, snapshotId: string | undefined, by: Person): Promise<Incident> {
    const body = text.trim();
    if (!body) throw new ApiError('bad-request', 'a note needs text', { fields: [{ path: 'text', problem: 'empty' }] });
    if (body.length > MAX_NOTE_CHARS) throw new ApiError('bad-request', `a note is at most ${MAX_NOTE_CHARS} characters`, { fields: [{ path: 'text', problem: 'too long' }] });
    if (snapshotId !== undefined && !(await this.evidence.get(snapshotId))) {
      throw new ApiError('not-found', `no snapshot ${snapshotId} in the evidence store`, { fields: [{ path: 'snapshotId', problem: 'unknown snapshot' }] });
    }
    const at = this.deps.clock.now();
    const noteId = randomUUID();
    const result = await this.repo.addNote(
      id, { id: noteId, at, by, text: body, snapshotId: snapshotId ?? null },
      { at, actor: by.username, action: 'incident.note', subject: id, details: { noteId, text: body, ...(snapshotId ? { snapshotId } : {}) } },
    );
    return this.settled(id, result);
  }

  async close(id: string, summary: string, by: Person): Promise<Incident> {
    const text = summary.trim();
    if (!text) throw new ApiError('bad-request', 'closing an incident needs a summary', { fields: [{ path: 'summary', problem: 'empty' }] });
    if (text.length > MAX_SUMMARY_CHARS) throw new ApiError('bad-request', `a summary is at most ${MAX_SUMMARY_CHARS} characters`, { fields: [{ path: 'summary', problem: 'too long' }] });
    const at = this.deps.clock.now();
    const result = await this.repo.close(id, { at, by, summary: text }, (open) => ({
      at, actor: by.username, action: 'incident.close', subject: id,
      details: { number: open.number, summary: text, pendingSteps: open.steps.filter((s) => s.state === 'pending').map((s) => s.stepId) },
    }));
    return this.settled(id, result);
  }

  /** The incident with its alarms, its orders and its timeline (the record of it, its alarms and its orders). */
  async view(id: string): Promise<IncidentView> {
    const incident = await this.get(id);
    const alarms = (await Promise.all(incident.alarmIds.map((a) => this.deps.alarms.get(a)))).filter((a): a is Alarm => a !== null);
    const orders = await this.ordersOf(incident);
    const { entries, omitted } = await this.repo.timeline([incident.id, ...incident.alarmIds, ...orders.map((o) => o.id)], TIMELINE_LIMIT);
    return { incident, alarms, orders, timeline: withRaises(entries, omitted, incident, alarms) };
  }

  /** The incident report as a PDF (Chinese text rendered with the CJK font). */
  async reportPdf(id: string, language: ReportLanguage, by: Person = { username: 'system', displayName: 'system' }): Promise<Buffer> {
    const view = await this.view(id);
    const snapshots = new Map<string, Buffer>();
    for (const n of view.incident.notes) {
      if (snapshots.size >= REPORT_SNAPSHOTS) break;
      if (!n.snapshotId || snapshots.has(n.snapshotId)) continue;
      const e = await this.evidence.get(n.snapshotId);
      if (e && /jpe?g|png/.test(e.contentType)) snapshots.set(n.snapshotId, e.data);
    }
    return incidentReportPdf({
      view, type: this.typeList.find((t) => t.id === view.incident.typeId), language,
      generatedAt: this.deps.clock.now(), generatedBy: by, snapshots, utcOffset: this.offset,
    });
  }

  /** Orders given for the incident and for each of its alarms (those sent before it was opened included). */
  private async ordersOf(incident: Incident): Promise<DispatchOrder[]> {
    const lists = await Promise.all([
      this.deps.dispatch.list({ incidentId: incident.id, openOnly: false }),
      ...incident.alarmIds.map((alarmId) => this.deps.dispatch.list({ alarmId, openOnly: false })),
    ]);
    const byId = new Map(lists.flat().map((o) => [o.id, o]));
    return [...byId.values()].sort((a, b) => a.sentAt - b.sentAt || a.id.localeCompare(b.id));
  }

  private publish(incident: Incident, alarms: Alarm[]): void {
    this.deps.bus.publish('incident.changed', forEvent(incident));
    for (const a of alarms) this.deps.bus.publish('alarm.changed', a);
  }

  private settled(id: string, result: IncidentChange, stepId?: string): Incident {
    if ('refused' in result) throw this.refusal(id, result, stepId);
    this.deps.bus.publish('incident.changed', forEvent(result.ok));
    return result.ok;
  }

  private refusal(id: string, r: Exclude<IncidentChange, { ok: Incident }>, stepId = ''): ApiError {
    switch (r.refused) {
      case 'missing':
        return notFound(id);
      case 'closed':
        return new ApiError('conflict', `incident ${r.incident.number} is closed`, { reason: 'already-closed' });
      case 'no-step':
        return new ApiError('not-found', `incident ${id} has no step "${stepId}"`, { fields: [{ path: 'stepId', problem: 'not a step of this incident' }] });
      case 'too-many-notes':
        return new ApiError('conflict', `an incident holds at most ${r.limit} notes`, { reason: 'too-many-notes', fields: [{ path: 'text', problem: `at most ${r.limit} notes` }] });
      case 'step-taken': {
        const s = r.step;
        const what = s.state === 'done' ? 'done' : 'skipped';
        return new ApiError('conflict', `step "${s.stepId}" was already ${what} by ${s.by?.displayName ?? '?'} (${s.by?.username ?? '?'}) at ${localTime(s.at, this.offset)}`, {
          reason: `already-${what}`,
        });
      }
    }
  }
}

/** The incident as an event carries it: its newest notes only, with how many there are. */
function forEvent(incident: Incident): Incident {
  if (incident.notes.length <= EVENT_NOTES) return incident;
  return { ...incident, notes: incident.notes.slice(-EVENT_NOTES), notesTotal: incident.notesTotal ?? incident.notes.length };
}

const notFound = (id: string) => new ApiError('not-found', `no incident ${id}`, { fields: [{ path: 'id', problem: 'unknown incident' }] });

/**
 * Refuses, naming them: alarms that do not exist, closed ones, ones in another incident, and a mix of drill and
 * live alarms (a drill's incident must not become part of the live record, nor the other way round).
 */
function checkLinkable(asked: string[], facts: AlarmLinkFacts[], incidentId: string, drill?: boolean): void {
  const known = new Set(facts.map((f) => f.id));
  const unknown = asked.filter((a) => !known.has(a));
  if (unknown.length) {
    throw new ApiError('not-found', `no alarm ${unknown.join(', ')}`, { fields: unknown.map((a) => ({ path: `alarmIds[${asked.indexOf(a)}]`, problem: 'unknown alarm' })) });
  }
  const closed = facts.filter((f) => f.state === 'closed');
  if (closed.length) {
    throw new ApiError('conflict', `alarm ${closed.map((f) => f.id).join(', ')} is closed`, {
      reason: 'alarm-closed', fields: closed.map((f) => ({ path: `alarmIds[${asked.indexOf(f.id)}]`, problem: 'closed' })),
    });
  }
  const elsewhere = facts.filter((f) => f.incidentId !== null && f.incidentId !== incidentId);
  if (elsewhere.length) {
    throw new ApiError('conflict', elsewhere.map((f) => `alarm ${f.id} is already in incident ${f.incidentNumber ?? f.incidentId}`).join('; '), {
      reason: 'alarm-in-another-incident', fields: elsewhere.map((f) => ({ path: `alarmIds[${asked.indexOf(f.id)}]`, problem: `in incident ${f.incidentNumber ?? f.incidentId}` })),
    });
  }
  const kinds = new Set([...facts.map((f) => f.drill), ...(drill === undefined ? [] : [drill])]);
  if (kinds.size > 1) throw new ApiError('bad-request', 'drill and live alarms cannot be in one incident', { reason: 'drill-mix' });
}

/**
 * The timeline as the record has it, with each alarm's raising added where the record does not hold it (an
 * alarm older than the record, or its entry among the omitted), and a line saying how many older entries were
 * left out.
 */
function withRaises(entries: TimelineEntry[], omitted: number, incident: Incident, alarms: Alarm[]): TimelineEntry[] {
  const raised = new Set(entries.filter((e) => e.action === 'alarm.raise').map((e) => e.subject));
  const added: TimelineEntry[] = alarms
    .filter((a) => !raised.has(a.id))
    .map((a) => ({ at: a.raisedAt, actor: 'system', action: 'alarm.raise', subject: a.id, details: { type: a.type, severity: a.severity } }));
  if (omitted > 0) {
    added.push({ at: entries[0]?.at ?? incident.openedAt, actor: 'system', action: 'timeline.omitted', subject: incident.id, details: { omitted } });
  }
  // Stable: entries at the same time keep the record's order, added ones first.
  return [...added, ...entries].sort((a, b) => a.at - b.at);
}
