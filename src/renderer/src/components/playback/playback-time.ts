// How playback words an instant and moves between events: T+mm:ss from the start of a drill (drill time when
// the index carries the drill's clock, else time since the start), the clock time in Asia/Shanghai (the
// airport's zone, whatever the machine's) for a live period; the event before or after an instant.
import type { PlaybackIndex } from '../../../../shared/drills.ts';

export const PLAYBACK_ZONE = 'Asia/Shanghai';
/** China keeps one offset all year (no daylight saving). */
const SHANGHAI_OFFSET = '+08:00';

type Anchor = NonNullable<PlaybackIndex['drillClock']>[number];

/** Drill time (ms after T+0) at a recorded instant, from the drill's clock anchors; null without them. */
export function drillTimeAt(clock: readonly Anchor[] | undefined, at: number): number | null {
  if (!clock?.length) return null;
  let anchor = clock[0];
  for (const a of clock) {
    if (a.at > at) break;
    anchor = a;
  }
  return Math.max(0, anchor.drillMs + Math.max(0, at - anchor.at) * anchor.speed);
}

/** T+m:ss (T+h:mm:ss past an hour). */
export function tPlus(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `T+${h}:${String(m).padStart(2, '0')}:${ss}` : `T+${String(m).padStart(2, '0')}:${ss}`;
}

const clockFormat = new Intl.DateTimeFormat('en-GB', { timeZone: PLAYBACK_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: PLAYBACK_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** HH:mm:ss in Asia/Shanghai. */
export function clockTime(ms: number): string {
  return clockFormat.format(ms);
}

/** YYYY-MM-DD HH:mm:ss in Asia/Shanghai. */
export function clockDateTime(ms: number): string {
  return `${dateFormat.format(ms)} ${clockFormat.format(ms)}`;
}

/** A "YYYY-MM-DD HH:mm:ss" (or "YYYY-MM-DDTHH:mm") read as Asia/Shanghai time; NaN when it is not one. */
export function parseShanghai(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(text.trim());
  return m ? Date.parse(`${m[1]}T${m[2]}${m[3] ?? ':00'}${SHANGHAI_OFFSET}`) : Number.NaN;
}

/** The label of an instant of a period. */
export function instantLabel(index: Pick<PlaybackIndex, 'from' | 'drillId' | 'drillClock'>, at: number): string {
  if (!index.drillId) return clockTime(at);
  return tPlus(drillTimeAt(index.drillClock, at) ?? at - index.from);
}

/** Index of the last event at or before `at` (-1: none). Events are in time order. */
export function currentEventIndex(events: PlaybackIndex['events'], at: number): number {
  let lo = 0;
  let hi = events.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].at <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The instant of the previous event: the last one before `at` by more than `slackMs` (so that a second press,
 * standing on an event, goes on to the one before it); null when there is none.
 */
export function previousEventAt(events: PlaybackIndex['events'], at: number, slackMs = 500): number | null {
  const i = currentEventIndex(events, at - slackMs - 1);
  return i >= 0 ? events[i].at : null;
}

/** The instant of the next event strictly after `at`; null when there is none. */
export function nextEventAt(events: PlaybackIndex['events'], at: number): number | null {
  const i = currentEventIndex(events, at);
  return i + 1 < events.length ? events[i + 1].at : null;
}
