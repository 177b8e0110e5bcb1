// Who receives which event: console sessions get the broadcast events, a unit's terminal gets only the events
// about its own unit (UNIT_EVENTS whose payload's `unit.id` is the session's unitId), and nobody else gets
// those. Shared by both transports, so that the rule is written once and tested once.
import { BROADCAST_EVENTS, UNIT_EVENTS, type EventName } from '../../shared/contract/index.ts';

export interface BusEvent {
  event: EventName;
  payload: unknown;
}

const broadcast: ReadonlySet<string> = new Set(BROADCAST_EVENTS);
const perUnit: ReadonlySet<string> = new Set(UNIT_EVENTS);

/** One moment's events, sorted by audience: every console session, or one unit's terminals. */
export interface RoutedEvents {
  console: BusEvent[];
  units: Map<string, BusEvent[]>;
}

export function routeEvents(batch: readonly BusEvent[]): RoutedEvents {
  const routed: RoutedEvents = { console: [], units: new Map() };
  for (const e of batch) {
    if (broadcast.has(e.event)) routed.console.push(e);
    else if (perUnit.has(e.event)) {
      const unitId = unitOf(e.payload);
      // A unit event without a unit goes to nobody: better lost than shown to the wrong patrol.
      if (!unitId) continue;
      const list = routed.units.get(unitId) ?? [];
      list.push(e);
      routed.units.set(unitId, list);
    }
  }
  return routed;
}

/** Whether an event of this name is delivered by a transport at all (session.ended goes its own way). */
export function isDelivered(event: EventName): boolean {
  return broadcast.has(event) || perUnit.has(event);
}

function unitOf(payload: unknown): string | null {
  const unit = (payload as { unit?: { id?: unknown } } | null)?.unit;
  return typeof unit?.id === 'string' ? unit.id : null;
}
