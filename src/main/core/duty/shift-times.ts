// Shift boundaries in the airport's own time zone (the file's `timeZone`, e.g. Asia/Shanghai), computed with Intl
// and never with the machine's zone: a console in another zone, or a server on UTC, still starts the night shift
// at 20:00 airport time. A shift belongs to the local date it starts on (夜班 of 11-24 runs 20:00 → 08:00 on 11-25).
import type { DutyShift } from '../../../shared/response.ts';

const DAY_MIN = 24 * 60;

export interface ShiftWindow {
  id: string;
  /** The local date the shift starts on, YYYY-MM-DD. */
  date: string;
  startAt: number;
  endAt: number;
}

/** `HH:MM` → minutes after local midnight. */
export function minuteOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

interface WallTime { year: number; month: number; day: number; hour: number; minute: number; second: number }

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone (an IANA name such as Asia/Shanghai). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at an instant. */
export function wallTime(at: number, timeZone: string): WallTime {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour % 24, minute: +parts.minute, second: +parts.second };
}

/** The instant at which the wall clock in `timeZone` shows `date` at `minute` after midnight. */
export function instantOf(date: string, minute: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d, 0, minute);
  // The zone's offset at a guess, corrected once more in case the guess fell on the other side of a change.
  let at = wall;
  for (let i = 0; i < 2; i++) at = wall - offsetMs(at, timeZone);
  return at;
}

function offsetMs(at: number, timeZone: string): number {
  const w = wallTime(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/** A calendar date `days` after `date` (both YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The shift running at an instant, with its local date and its start and end instants. */
export function shiftAt(at: number, shifts: readonly DutyShift[], timeZone: string): ShiftWindow {
  const w = wallTime(at, timeZone);
  const today = `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
  const now = w.hour * 60 + w.minute;
  for (const s of shifts) {
    const start = minuteOfDay(s.start);
    const end = minuteOfDay(s.end);
    const overnight = end <= start;
    if (!overnight && now >= start && now < end) return windowOf(s, today, timeZone);
    if (overnight && now >= start) return windowOf(s, today, timeZone);
    if (overnight && now < end) return windowOf(s, addDays(today, -1), timeZone);
  }
  throw new Error(`no shift covers ${today} ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')} (${timeZone})`);
}

/** The shift `shiftId` of the local date `date`. */
export function windowOf(shift: DutyShift, date: string, timeZone: string): ShiftWindow {
  const start = minuteOfDay(shift.start);
  const end = minuteOfDay(shift.end);
  return {
    id: shift.id, date,
    startAt: instantOf(date, start, timeZone),
    endAt: instantOf(end <= start ? addDays(date, 1) : date, end, timeZone),
  };
}

/**
 * Problems with a day's shifts: together they must cover all 24 hours exactly once, so that every instant has
 * one current shift. Each problem names the shift.
 */
export function shiftCoverageProblems(shifts: readonly DutyShift[]): string[] {
  const owner: Array<string | undefined> = new Array(DAY_MIN);
  const problems: string[] = [];
  shifts.forEach((s, i) => {
    const start = minuteOfDay(s.start);
    const end = minuteOfDay(s.end);
    const length = (end - start + DAY_MIN) % DAY_MIN || DAY_MIN;
    for (let k = 0; k < length; k++) {
      const m = (start + k) % DAY_MIN;
      if (owner[m] !== undefined) {
        problems.push(`$.shifts[${i}]: ${s.id} (${s.start}–${s.end}) overlaps ${owner[m]}`);
        return;
      }
      owner[m] = s.id;
    }
  });
  const gap = owner.findIndex((o) => o === undefined);
  if (!problems.length && gap >= 0) {
    const hhmm = `${String(Math.floor(gap / 60)).padStart(2, '0')}:${String(gap % 60).padStart(2, '0')}`;
    problems.push(`$.shifts: no shift covers ${hhmm}; the shifts must cover the whole day`);
  }
  return problems;
}
