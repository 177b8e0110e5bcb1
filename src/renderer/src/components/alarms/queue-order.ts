// The queue's order kept by binary search: a change moves one alarm (remove at its old place, insert at its
// new one) instead of sorting 10,000 alarms on every event. The id breaks ties so that every alarm has exactly
// one place, and its old place can be found again from its old value.
import { compareAlarms, type Alarm } from '../../../../shared/domain.ts';

/** Queue order (open first, most severe, newest), then id: a total order. */
export function queueOrder(a: Alarm, b: Alarm): number {
  return compareAlarms(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The first index whose alarm does not come before `alarm`. */
export function lowerBound(sorted: readonly Alarm[], alarm: Alarm): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (queueOrder(sorted[mid], alarm) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where `alarm` (as it was when placed) sits in `sorted`, or -1. */
export function placeOf(sorted: readonly Alarm[], alarm: Alarm): number {
  const i = lowerBound(sorted, alarm);
  if (sorted[i]?.id === alarm.id) return i;
  // Not where its value says: it was placed under another value (should not happen); look it up by id.
  return sorted.findIndex((a) => a.id === alarm.id);
}

export interface QueueChange {
  /** The alarm as the queue holds it now (undefined when new to it). */
  before: Alarm | undefined;
  after: Alarm;
}

/** Above this share of the queue changing at once, one sort is cheaper than moving each. */
const RESORT_SHARE = 1 / 16;

/**
 * A new sorted queue with `changes` applied (one per alarm id); `shows` says whether an alarm belongs in it
 * (e.g. closed alarms are left out unless asked for). `queue` itself is not changed.
 */
export function mergeIntoQueue(queue: readonly Alarm[], changes: readonly QueueChange[], shows: (a: Alarm) => boolean): Alarm[] {
  if (changes.length > Math.max(64, queue.length * RESORT_SHARE)) {
    const changed = new Set(changes.map((c) => c.after.id));
    const next = queue.filter((a) => !changed.has(a.id));
    for (const c of changes) if (shows(c.after)) next.push(c.after);
    return next.sort(queueOrder);
  }
  const next = queue.slice();
  for (const { before, after } of changes) {
    if (before) {
      const i = placeOf(next, before);
      if (i >= 0) next.splice(i, 1);
    }
    if (shows(after)) next.splice(lowerBound(next, after), 0, after);
  }
  return next;
}
