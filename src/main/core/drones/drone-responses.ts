// The response to a drone alarm, step by step (空管 and 净空办 notified and acknowledging, a runway suspended and
// resumed, a unit sent to the pilot, the outcome). Each step is checked against the steps before it and stored
// with its audit row in one transaction; only after the commit are the runway board told and the change
// published. The first step a seat records acknowledges a new alarm: whoever responds has seen it.
import type { z } from 'zod';
import type { droneResponseInput } from '../../../shared/contract/drones.ts';
import type { Alarm, GeoPoint, Person, ResolutionCategory } from '../../../shared/domain.ts';
import type { DroneOutcome, DroneResponse, DroneResponseStep } from '../../../shared/drones.ts';
import { AlarmError, type AlarmService } from '../alarms/alarm-service.ts';
import type { AuditEntry } from '../alarms/alarm-repository.ts';
import { ApiError } from '../calls.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { AuditTrail } from '../store/audit-log.ts';
import type { Database } from '../store/database.ts';
import { SqliteDroneResponseRepository, type DroneResponseRepository, type StepContext } from './drone-response-repository.ts';

export type RecordStep = z.output<typeof droneResponseInput>;
type DroneAlarm = Extract<Alarm, { type: 'drone-threat' | 'drone-swarm' }>;

/** The part of the runway board a response needs: suspending and resuming a runway, held by the alarm's id. */
export interface RunwaySuspender {
  setSuspended(runwayId: string, suspended: boolean, holder: string): void;
}

/** How each outcome closes the alarm: a drone was there (属实) or it was not (误报). */
export const OUTCOME_CATEGORY: Record<DroneOutcome, ResolutionCategory> = {
  'pilot-found': 'confirmed',
  'drone-left': 'confirmed',
  'false-alarm': 'false-alarm',
};

/** Steps of one kind a response may hold: enough for any real response, a bound on a looping client. */
export const MAX_STEPS_OF_A_KIND = 20;

/** The step each acknowledgement answers. */
const ANSWERS: Partial<Record<RecordStep['step'], RecordStep['step']>> = {
  'atc-acknowledged': 'atc-notified',
  'clearance-office-acknowledged': 'clearance-office-notified',
};

export class DroneResponses {
  private readonly repo: DroneResponseRepository;

  constructor(
    private readonly deps: {
      db: Database; clock: Clock; bus: EventBus; audit: AuditTrail; alarms: AlarmService; runways: RunwaySuspender; site: SiteModel;
      repo?: DroneResponseRepository;
    },
  ) {
    this.repo = deps.repo ?? new SqliteDroneResponseRepository(deps.db);
  }

  async get(alarmId: string): Promise<DroneResponse> {
    const alarm = await this.droneAlarm(alarmId);
    return respond(alarm, await this.repo.steps(alarmId));
  }

  async record(input: RecordStep, by: Person): Promise<DroneResponse> {
    const alarm = await this.droneAlarm(input.alarmId);
    const runway = input.runway === undefined ? undefined : this.runwayId(input.runway);
    const target = input.step === 'unit-dispatched' ? (input.target ?? pilotOf(alarm)) : input.target;
    const steps = await this.repo.append(alarm.id, (ctx) => {
      checkOrder(input, runway, ctx);
      const step: DroneResponseStep = {
        step: input.step, at: this.deps.clock.now(), by, note: input.note,
        ...(input.message !== undefined && { message: input.message }),
        ...(input.counterpart !== undefined && { counterpart: input.counterpart }),
        ...(runway !== undefined && { runway }),
        ...(input.unit !== undefined && { unit: input.unit }),
        ...(target && { target }),
      };
      return { step, audit: auditOf(alarm.id, step) };
    });
    if (alarm.state === 'new') await this.acknowledge(alarm.id, by);
    try {
      if (input.step === 'runway-suspended' || input.step === 'runway-resumed') this.deps.runways.setSuspended(runway!, input.step === 'runway-suspended', alarm.id);
    } finally {
      this.deps.bus.publish('droneResponse.changed', respond(alarm, steps));
    }
    return respond(alarm, steps);
  }

  async close(alarmId: string, outcome: DroneOutcome, note: string, by: Person): Promise<DroneResponse> {
    const alarm = await this.droneAlarm(alarmId);
    const steps = await this.repo.append(alarm.id, (ctx) => {
      refuseWhenClosed(ctx);
      const held = suspendedRunways(ctx.steps);
      if (held.length) {
        throw new ApiError('conflict', `runway ${held.join(', ')} is still suspended by this response: resume it before closing`, { reason: 'runway-suspended' });
      }
      const step: DroneResponseStep = { step: 'closed', at: this.deps.clock.now(), by, note, outcome };
      return { step, audit: auditOf(alarm.id, step) };
    });
    try {
      await this.deps.alarms.close(alarm.id, by, { category: OUTCOME_CATEGORY[outcome], note });
    } catch (err) {
      // Closed a moment ago through the plain close (关闭): the response is closed all the same.
      if (!(err instanceof AlarmError && err.code === 'conflict')) throw err;
    }
    const response = respond(alarm, steps);
    this.deps.bus.publish('droneResponse.changed', response);
    return response;
  }

  /** The runways a response to this alarm has suspended and not resumed (none for any other alarm). */
  async heldRunways(alarmId: string): Promise<string[]> {
    return suspendedRunways(await this.repo.steps(alarmId));
  }

  /**
   * After a restart: the runway board is in memory, the steps are not. Suspends again every runway an open
   * response suspended and did not resume. Returns them.
   */
  async restoreSuspensions(): Promise<string[]> {
    const restored: string[] = [];
    for (const alarmId of await this.repo.openWith(['runway-suspended'])) {
      for (const runway of suspendedRunways(await this.repo.steps(alarmId))) {
        this.deps.runways.setSuspended(runway, true, alarmId);
        if (!restored.includes(runway)) restored.push(runway);
      }
    }
    return restored;
  }

  private async droneAlarm(alarmId: string): Promise<DroneAlarm> {
    const alarm = await this.deps.alarms.get(alarmId);
    if (!alarm) throw new ApiError('not-found', `no alarm ${alarmId}`, { reason: 'no-such-alarm' });
    if (alarm.type !== 'drone-threat' && alarm.type !== 'drone-swarm') {
      throw new ApiError('bad-request', `alarm ${alarmId} is a ${alarm.type} alarm, not a drone alarm`, { reason: 'not-drone-alarm' });
    }
    return alarm;
  }

  /** A runway of the site, by its id ('02L/20R') or one of its end designators ('02L'). */
  private runwayId(given: string): string {
    const wanted = given.trim().toUpperCase();
    const runway = this.deps.site.pack.runways.find((r) => r.id.toUpperCase() === wanted || r.ends.some((e) => e.designator.toUpperCase() === wanted));
    if (!runway) {
      const known = this.deps.site.pack.runways.map((r) => r.id).join(', ');
      throw new ApiError('bad-request', `the site has no runway "${given}" (it has ${known})`, {
        reason: 'unknown-runway', fields: [{ path: 'runway', problem: `not a runway of the site (${known})` }],
      });
    }
    return runway.id;
  }

  private async acknowledge(alarmId: string, by: Person): Promise<void> {
    try {
      await this.deps.alarms.acknowledge(alarmId, by);
    } catch (err) {
      // Acknowledged (or closed) by another seat in the meantime: that is what we wanted, or the next step says so.
      if (!(err instanceof AlarmError && err.code === 'conflict')) throw err;
    }
  }
}

/** The order rules of one step, against the steps before it (inside the writer's transaction). */
function checkOrder(input: RecordStep, runway: string | undefined, ctx: StepContext): void {
  // A suspension can always be lifted: resuming a runway this response holds is allowed even once the alarm or
  // the response is closed (the plain close may commit between a suspension and the check that guards it).
  const lifting = input.step === 'runway-resumed' && runway !== undefined && suspendedRunways(ctx.steps).includes(runway);
  if (!lifting) refuseWhenClosed(ctx);
  if (!lifting && ctx.steps.filter((s) => s.step === input.step).length >= MAX_STEPS_OF_A_KIND) {
    throw new ApiError('conflict', `this response already has ${MAX_STEPS_OF_A_KIND} ${input.step} steps, the most it keeps`, { reason: 'too-many-steps' });
  }
  const done = (name: string) => ctx.steps.some((s) => s.step === name);
  const answered = ANSWERS[input.step];
  if (answered && !done(answered)) {
    throw new ApiError('conflict', `${input.step} needs ${answered} first`, { reason: `${answered}-missing` });
  }
  if ((input.step === 'atc-notified' || input.step === 'clearance-office-notified') && !input.message) {
    throw new ApiError('bad-request', `${input.step} needs the message as it was sent`, { reason: 'message-required', fields: [{ path: 'message', problem: 'required for a notification' }] });
  }
  if (answered && !input.counterpart) {
    throw new ApiError('bad-request', `${input.step} needs who acknowledged (counterpart)`, { reason: 'counterpart-required', fields: [{ path: 'counterpart', problem: 'required for an acknowledgement' }] });
  }
  if (input.step === 'runway-suspended' || input.step === 'runway-resumed') {
    if (!runway) throw new ApiError('bad-request', `${input.step} needs the runway`, { reason: 'runway-required', fields: [{ path: 'runway', problem: 'required' }] });
    const suspended = suspendedRunways(ctx.steps).includes(runway);
    if (input.step === 'runway-suspended' && suspended) {
      throw new ApiError('conflict', `runway ${runway} is already suspended by this response`, { reason: 'runway-already-suspended' });
    }
    if (input.step === 'runway-resumed' && !suspended) {
      throw new ApiError('conflict', `runway ${runway} is not suspended by this response`, { reason: 'runway-not-suspended' });
    }
  }
  if (input.step === 'unit-dispatched' && !input.unit) {
    throw new ApiError('bad-request', 'unit-dispatched needs the unit (call sign)', { reason: 'unit-required', fields: [{ path: 'unit', problem: 'required' }] });
  }
}

function refuseWhenClosed(ctx: StepContext): void {
  if (ctx.steps.some((s) => s.step === 'closed')) throw new ApiError('conflict', 'this response is closed', { reason: 'response-closed' });
  if (ctx.alarmState === 'closed') throw new ApiError('conflict', 'the alarm is closed', { reason: 'already-closed' });
}

/** Runways suspended by these steps and not resumed since, in the order they were suspended. */
export function suspendedRunways(steps: readonly DroneResponseStep[]): string[] {
  const held = new Set<string>();
  for (const s of steps) {
    if (s.step === 'runway-suspended' && s.runway) held.add(s.runway);
    if (s.step === 'runway-resumed' && s.runway) held.delete(s.runway);
  }
  return [...held];
}

/** The audit row of a step: what was done, never the text of a message (only that one was sent, and its length). */
function auditOf(alarmId: string, s: DroneResponseStep): AuditEntry {
  const details: Record<string, unknown> = {};
  if (s.message !== undefined) details.messageLength = s.message.length;
  if (s.counterpart !== undefined) details.counterpart = s.counterpart;
  if (s.runway !== undefined) details.runway = s.runway;
  if (s.unit !== undefined) details.unit = s.unit;
  if (s.outcome !== undefined) details.outcome = s.outcome;
  return { at: s.at, actor: s.by.username, action: `drone-response.${s.step}`, subject: alarmId, details };
}

function pilotOf(alarm: DroneAlarm): GeoPoint | undefined {
  return alarm.type === 'drone-threat' ? (alarm.details.pilot ?? undefined) : undefined;
}

function respond(alarm: DroneAlarm, steps: DroneResponseStep[]): DroneResponse {
  const closed = steps.find((s) => s.step === 'closed');
  return {
    alarmId: alarm.id,
    trackId: alarm.type === 'drone-threat' ? alarm.details.trackId : null,
    raisedAt: alarm.raisedAt,
    steps,
    outcome: closed?.outcome ?? null,
    closedAt: closed?.at ?? null,
  };
}
