// Which scheduled patrol runs of today are still owed: a route's schedule lists shift start times (HH:MM,
// the console's local time); a run started within [time, time + 30 min) does it. Past that window the
// scheduled run is missed. Times to come are not listed yet. Pure: the clock's now and the local offset
// come in, so that tests and drills pick both.
import type { PatrolDue } from '../../../shared/contract/video.ts';
import type { PatrolRoute } from '../../../shared/video.ts';

export const PATROL_WINDOW_MS = 30 * 60_000;
const DAY_MS = 24 * 3600_000;

/** Minutes east of UTC of the console's local time at `at` (480 in China). */
export type UtcOffset = (at: number) => number;
export const localUtcOffset: UtcOffset = (at) => -new Date(at).getTimezoneOffset();

/** The start of the local day containing `now`, in ms since the epoch. */
export function localMidnight(now: number, offset: UtcOffset = localUtcOffset): number {
  const shift = offset(now) * 60_000;
  return Math.floor((now + shift) / DAY_MS) * DAY_MS - shift;
}

export function patrolDue(
  routes: readonly PatrolRoute[],
  runStarts: ReadonlyArray<{ routeId: string; startedAt: number }>,
  now: number,
  offset: UtcOffset = localUtcOffset,
): PatrolDue[] {
  const midnight = localMidnight(now, offset);
  const due: PatrolDue[] = [];
  for (const route of routes) {
    for (const hhmm of route.schedule) {
      const [h, m] = hhmm.split(':').map(Number);
      const at = midnight + (h * 60 + m) * 60_000;
      if (at > now) continue;
      const done = runStarts.some((r) => r.routeId === route.id && r.startedAt >= at && r.startedAt < at + PATROL_WINDOW_MS);
      if (!done) due.push({ routeId: route.id, dueAt: at, missed: now >= at + PATROL_WINDOW_MS });
    }
  }
  return due.sort((a, b) => a.dueAt - b.dueAt || a.routeId.localeCompare(b.routeId));
}
