// Shifts (班次) for the patrol records: day 08:00–20:00 and night 20:00–08:00 (next morning), or the whole day;
// local time, as the schedule is written.
export const SHIFTS = ['day', 'night', 'whole'] as const;
export type Shift = (typeof SHIFTS)[number];

export interface Period {
  /** Local midnight of the date the shift starts on. */
  date: Date;
  shift: Shift;
}

const at = (date: Date, dayOffset: number, hour: number) =>
  new Date(date.getFullYear(), date.getMonth(), date.getDate() + dayOffset, hour).getTime();

/** The shift on duty at `now`: before 08:00 it is still the night shift that began yesterday. */
export function currentPeriod(now = new Date()): Period {
  const h = now.getHours();
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  if (h >= 8 && h < 20) return { date: today, shift: 'day' };
  if (h >= 20) return { date: today, shift: 'night' };
  return { date: new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1), shift: 'night' };
}

/** [from, to) in ms. */
export function periodRange(p: Period): { from: number; to: number } {
  switch (p.shift) {
    case 'day':
      return { from: at(p.date, 0, 8), to: at(p.date, 0, 20) };
    case 'night':
      return { from: at(p.date, 0, 20), to: at(p.date, 1, 8) };
    default:
      return { from: at(p.date, 0, 0), to: at(p.date, 1, 0) };
  }
}

/** A file name for the period's report: 巡检报告-20250314-day.csv */
export function reportFileName(prefix: string, p: Period, ext: string): string {
  const d = p.date;
  const ymd = `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
  return `${prefix}-${ymd}-${p.shift}.${ext}`;
}
