// Times in a plan file: a step's `at` is T+mm:ss (minutes may run past 59: T+75:00), a target or a duration is
// mm:ss. Seconds are always two digits, 00–59, so that "T+3:75" is an error and not 4:15 by accident.

const STEP_TIME = /^T\+(\d{1,3}):(\d{2})$/;
const DURATION = /^(\d{1,3}):(\d{2})$/;

export type TimeResult = { seconds: number } | { error: string };

function minutesSeconds(m: RegExpExecArray, raw: string, example: string): TimeResult {
  const minutes = Number(m[1]);
  const seconds = Number(m[2]);
  if (seconds > 59) return { error: `bad time "${raw}": seconds are 00–59 (e.g. ${example})` };
  return { seconds: minutes * 60 + seconds };
}

/** `T+03:00` → 180. */
export function parseStepTime(raw: unknown): TimeResult {
  if (typeof raw !== 'string') return { error: `a step time is T+mm:ss (e.g. T+03:00), not ${JSON.stringify(raw)}` };
  const m = STEP_TIME.exec(raw.trim());
  if (!m) return { error: `bad time "${raw}": a step time is T+mm:ss (e.g. T+03:00)` };
  return minutesSeconds(m, raw, 'T+03:00');
}

/** `05:00` → 300; zero is refused (a target of no time cannot be met). */
export function parseDuration(raw: unknown): TimeResult {
  if (typeof raw !== 'string') return { error: `a duration is mm:ss (e.g. 05:00), not ${JSON.stringify(raw)}` };
  const m = DURATION.exec(raw.trim());
  if (!m) return { error: `bad duration "${raw}": a duration is mm:ss (e.g. 05:00)` };
  const r = minutesSeconds(m, raw, '05:00');
  if ('seconds' in r && r.seconds === 0) return { error: `bad duration "${raw}": it must be longer than 00:00` };
  return r;
}

const two = (n: number) => String(n).padStart(2, '0');

/** 180 → `T+03:00`. */
export const formatStepTime = (seconds: number): string => `T+${formatDuration(seconds)}`;

/** 300 → `05:00`; 4500 → `75:00`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${two(Math.floor(s / 60))}:${two(s % 60)}`;
}
