// The site's duty file (`<site folder>/response/duty.json`): the shifts in the airport's time zone, the
// mandatory patrol points (必巡点位) and lines (必巡线路), and the default roster per shift (who covers what when
// nobody has set a roster). Every problem is reported at once as `duty.json: json-path: what is wrong`.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { DutyPlan, DutyShift, PatrolLine, PatrolPoint } from '../../../shared/response.ts';
import { geodesicInverse } from '../geo/local-frame.ts';
import { jsonPath } from '../site/load-site.ts';
import type { SiteModel } from '../site/site-model.ts';
import { isTimeZone, shiftCoverageProblems } from './shift-times.ts';

/** Everything of a site must lie within this distance of the aerodrome reference point (as in the site pack). */
const MAX_DISTANCE_FROM_ARP_M = 30000;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ and -; at most 32');
const text = z.object({ zh: z.string().min(1).max(60), en: z.string().min(1).max(80) }).strict();
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time as HH:MM (00:00–23:59)');
const swapped = '(are longitude and latitude swapped?)';
const position = z.tuple([
  z.number().min(-180, `a longitude is at least -180° ${swapped}`).max(180, `a longitude is at most 180° ${swapped}`),
  z.number().min(-90, `a latitude is at least -90° ${swapped}`).max(90, `a latitude is at most 90° ${swapped}`),
]);

const assignment = z.object({ unitId: id, pointIds: z.array(id).max(200).default([]), lineIds: z.array(id).max(50).default([]) }).strict();

export const dutyFileSchema = z.object({
  format: z.literal('skyfence-duty'),
  version: z.literal(1),
  notice: z.object({ zh: z.string().min(1).max(200), en: z.string().min(1).max(300) }).strict().optional(),
  /** The airport's time zone (IANA): shift times are wall-clock times there. */
  timeZone: z.string().min(1).refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai'),
  shifts: z.array(z.object({ id, name: text, start: hhmm, end: hhmm }).strict()).min(1).max(6),
  points: z.array(z.object({ id, name: text, position, radiusM: z.number().min(5).max(500) }).strict()).min(1).max(500),
  lines: z.array(z.object({ id, name: text, pointIds: z.array(id).min(2).max(50) }).strict()).max(100),
  /** Who covers what in a shift nobody has set a roster for. */
  defaultRosters: z.array(z.object({ shiftId: id, assignments: z.array(assignment).max(200) }).strict()).max(6).default([]),
}).strict();

export type DutyFile = z.infer<typeof dutyFileSchema>;
export type DutyAssignment = z.infer<typeof assignment>;

export class DutyFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'DutyFileError';
  }
}

export interface LoadedDuty {
  timeZone: string;
  plan: DutyPlan;
  /** The default assignments per shift id. */
  defaults: Map<string, DutyAssignment[]>;
}

export async function loadDutyFile(file: string, site: SiteModel, name = 'duty.json'): Promise<LoadedDuty> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (err) {
    throw new DutyFileError([`${name}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseDutyFile(raw, site, name);
}

export function parseDutyFile(raw: string, site: SiteModel, name = 'duty.json'): LoadedDuty {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new DutyFileError([`${name}: $: not valid JSON (${(err as Error).message})`]);
  }
  const parsed = dutyFileSchema.safeParse(json);
  if (!parsed.success) throw new DutyFileError(parsed.error.issues.map((i) => `${name}: ${jsonPath(i.path)}: ${i.message}`));
  const file = parsed.data;
  const problems = semanticProblems(file, site).map((p) => `${name}: ${p}`);
  if (problems.length) throw new DutyFileError(problems);

  const shifts: DutyShift[] = file.shifts.map((s) => ({ id: s.id, name: s.name, start: s.start, end: s.end }));
  const points: PatrolPoint[] = file.points.map((p) => ({
    id: p.id, name: p.name, position: p.position, radiusM: p.radiusM, gridCellId: site.gridCellAt(p.position[0], p.position[1])?.id ?? null,
  }));
  const lines: PatrolLine[] = file.lines.map((l) => ({ id: l.id, name: l.name, pointIds: l.pointIds }));
  return { timeZone: file.timeZone, plan: { shifts, points, lines }, defaults: new Map(file.defaultRosters.map((r) => [r.shiftId, r.assignments])) };
}

function semanticProblems(file: DutyFile, site: SiteModel): string[] {
  const problems: string[] = [];
  const duplicates = (list: Array<{ id: string }>, where: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.id)) problems.push(`$.${where}[${i}].id: ${x.id} is used twice`);
      seen.add(x.id);
    });
  };
  duplicates(file.shifts, 'shifts');
  duplicates(file.points, 'points');
  duplicates(file.lines, 'lines');
  problems.push(...shiftCoverageProblems(file.shifts));

  const arp = site.pack.aerodrome.referencePoint;
  file.points.forEach((p, i) => {
    const d = geodesicInverse(arp, p.position).distanceM;
    if (d > MAX_DISTANCE_FROM_ARP_M) {
      problems.push(
        `$.points[${i}].position: [${p.position.join(', ')}] is ${(d / 1000).toFixed(1)} km from the aerodrome reference point ` +
          `(at most ${MAX_DISTANCE_FROM_ARP_M / 1000} km; are longitude and latitude swapped?)`,
      );
    }
  });

  const points = new Set(file.points.map((p) => p.id));
  const lines = new Set(file.lines.map((l) => l.id));
  const shifts = new Set(file.shifts.map((s) => s.id));
  file.lines.forEach((l, i) =>
    l.pointIds.forEach((p, k) => {
      if (!points.has(p)) problems.push(`$.lines[${i}].pointIds[${k}]: there is no point ${p}`);
    }),
  );
  file.defaultRosters.forEach((r, i) => {
    if (!shifts.has(r.shiftId)) problems.push(`$.defaultRosters[${i}].shiftId: there is no shift ${r.shiftId}`);
    r.assignments.forEach((a, j) => {
      a.pointIds.forEach((p, k) => {
        if (!points.has(p)) problems.push(`$.defaultRosters[${i}].assignments[${j}].pointIds[${k}]: there is no point ${p}`);
      });
      a.lineIds.forEach((l, k) => {
        if (!lines.has(l)) problems.push(`$.defaultRosters[${i}].assignments[${j}].lineIds[${k}]: there is no line ${l}`);
      });
    });
  });
  return problems;
}
