// Watching the console for what a drill times: the drill alarm each inject caused (the first drill alarm of the
// matching kind raised after the inject fired, or the one the inject raised itself), and then, from the core's
// events, the operators' actions on it — acknowledged, dispatched, on scene, resolved, closed, an incident opened
// with it, ATC notified in its drone response — each reported once to the engine, which times it in drill time.
// Closure checkpoints: a unit whose position comes within a step's place is 'unit-arrived' for that step.
import type { Alarm } from '../../../shared/domain.ts';
import type { DroneResponse } from '../../../shared/drones.ts';
import type { ExpectedAction, Plan, PlanStep } from '../../../shared/drills.ts';
import type { Unit } from '../../../shared/response.ts';
import type { EventBus } from '../event-bus.ts';
import { geodesicInverse } from '../geo/local-frame.ts';

export type AlarmMatcher = (alarm: Alarm) => boolean;

/** The actions an alarm shows it has reached, in workflow order. */
export function actionsOf(alarm: Alarm): ExpectedAction[] {
  const out: ExpectedAction[] = [];
  if (alarm.acknowledgedAt !== null || alarm.dispatchedAt !== null) out.push('acknowledged');
  if (alarm.dispatchedAt !== null) out.push('dispatched');
  if (alarm.onSceneAt !== null) out.push('on-scene');
  if (alarm.resolvedAt !== null) out.push('resolved');
  // Closed by the system (an outage lifted, the drill's own clean-up) is nobody's response.
  if (alarm.state === 'closed' && alarm.closedBy?.username !== 'system') out.push('closed');
  if (alarm.incidentId !== null) out.push('incident-opened');
  return out;
}

export interface DrillWatchDeps {
  bus: EventBus;
  plan: Plan;
  /** Every accepted unit position. */
  onPosition(listener: (unit: Unit) => void): () => void;
  /** The engine hears it (never throws back: a drill over ignores it). */
  observe(action: ExpectedAction, of: string): void;
  /** A step's alarm became known, raised at `raisedAt` (the core's clock): its actions are timed from then. */
  linked(stepId: string, alarmId: string, raisedAt: number): void;
}

export class DrillWatch {
  private readonly expected: Array<{ stepId: string; match: AlarmMatcher; since: number }> = [];
  private readonly alarmOfStep = new Map<string, string>();
  private readonly stepsOfAlarm = new Map<string, string>();
  /** `${alarmId}|${action}` already reported. */
  private readonly reported = new Set<string>();
  private readonly arrived = new Set<string>();
  private readonly places: PlanStep[];
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly deps: DrillWatchDeps, private readonly now: () => number) {
    this.places = deps.plan.steps.filter((s) => s.place && s.expect?.action === 'unit-arrived');
    this.unsubscribe.push(deps.bus.subscribe((event, payload) => {
      if (event === 'alarm.changed') this.onAlarm(payload as Alarm);
      else if (event === 'droneResponse.changed') this.onDroneResponse(payload as DroneResponse);
    }));
    if (this.places.length) this.unsubscribe.push(deps.onPosition((unit) => this.onUnit(unit)));
  }

  /** The step's inject is about to fire: the first drill alarm matching, raised from now on, is its alarm. */
  expect(stepId: string, match: AlarmMatcher): void {
    if (this.alarmOfStep.has(stepId)) return;
    this.expected.push({ stepId, match, since: this.now() });
  }

  /** The step's inject raised this alarm itself (just now, unless `raisedAt` says when). */
  link(stepId: string, alarmId: string, raisedAt: number = this.now()): void {
    if (this.alarmOfStep.has(stepId)) return;
    const i = this.expected.findIndex((e) => e.stepId === stepId);
    if (i >= 0) this.expected.splice(i, 1);
    this.alarmOfStep.set(stepId, alarmId);
    this.stepsOfAlarm.set(alarmId, stepId);
    this.deps.linked(stepId, alarmId, raisedAt);
  }

  alarmOf(stepId: string): string | undefined {
    return this.alarmOfStep.get(stepId);
  }

  stop(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  private onAlarm(alarm: Alarm): void {
    if (!alarm.drill) return;
    if (!this.stepsOfAlarm.has(alarm.id)) {
      const i = this.expected.findIndex((e) => alarm.raisedAt >= e.since && e.match(alarm));
      if (i < 0) return;
      this.link(this.expected[i].stepId, alarm.id, alarm.raisedAt);
    }
    const stepId = this.stepsOfAlarm.get(alarm.id)!;
    for (const action of actionsOf(alarm)) this.report(alarm.id, action, stepId);
  }

  private onDroneResponse(response: DroneResponse): void {
    const stepId = this.stepsOfAlarm.get(response.alarmId);
    if (stepId && response.steps.some((s) => s.step === 'atc-notified')) this.report(response.alarmId, 'atc-notified', stepId);
  }

  private onUnit(unit: Unit): void {
    if (!unit.position) return;
    for (const step of this.places) {
      if (this.arrived.has(step.id)) continue;
      const siteUnit = this.deps.plan.units.find((u) => u.id === step.unit)?.site ?? false;
      if (siteUnit && unit.id !== step.unit) continue;
      const place = step.place!;
      if (geodesicInverse([unit.position.lon, unit.position.lat], [place.lon, place.lat]).distanceM > place.radiusM) continue;
      this.arrived.add(step.id);
      this.deps.observe('unit-arrived', step.expect!.of);
    }
  }

  private report(alarmId: string, action: ExpectedAction, stepId: string): void {
    const key = `${alarmId}|${action}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.deps.observe(action, stepId);
  }
}
