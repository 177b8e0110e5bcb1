// A shift's duty status from its plan, roster and check-ins (pure: no clock, no storage).
//   done        a unit assigned to the point (directly, or through a line holding it) has checked in there;
//   missed      not done, and either the shift has ended, or an assigned unit of a line walked past it (checked in
//               at an earlier point of the line and then at a later one without this one between);
//   due         not done, not missed, and some unit is assigned;
//   unassigned  nobody is assigned to it in this shift's roster.
// Check-ins by units not assigned to a point are kept and listed, but do not make it done: the roster says whose
// duty it is (a unit passing by on another errand does not relieve the one that must patrol it).
import type { DutyCheckIn, DutyPlan, DutyRoster, DutyStatus, PatrolPointState } from '../../../shared/response.ts';
import type { ShiftWindow } from './shift-times.ts';

/** Every point's assigned units: directly or through the lines that hold it. */
export function assignedUnits(plan: DutyPlan, assignments: DutyRoster['assignments']): Map<string, Set<string>> {
  const lines = new Map(plan.lines.map((l) => [l.id, l.pointIds]));
  const byPoint = new Map<string, Set<string>>(plan.points.map((p) => [p.id, new Set<string>()]));
  for (const a of assignments) {
    const points = [...a.pointIds, ...a.lineIds.flatMap((l) => lines.get(l) ?? [])];
    for (const p of points) byPoint.get(p)?.add(a.unitId);
  }
  return byPoint;
}

export function computeStatus(
  plan: DutyPlan,
  shift: ShiftWindow,
  assignments: DutyRoster['assignments'],
  checkIns: readonly DutyCheckIn[],
  now: number,
): DutyStatus {
  const assigned = assignedUnits(plan, assignments);
  const ended = now >= shift.endAt;
  const checkInsAt = new Map<string, DutyCheckIn[]>();
  for (const c of checkIns) checkInsAt.set(c.pointId, [...(checkInsAt.get(c.pointId) ?? []), c]);
  const firstBy = (pointId: string, unitId: string) => checkInsAt.get(pointId)?.find((c) => c.unitId === unitId)?.at;
  const done = (pointId: string) => (checkInsAt.get(pointId) ?? []).some((c) => assigned.get(pointId)?.has(c.unitId));

  // Walked past: a unit of the line checked in before this point and after it on the line, in that order.
  const walkedPast = new Set<string>();
  const lineUnits = new Map<string, string[]>();
  for (const a of assignments) for (const l of a.lineIds) lineUnits.set(l, [...(lineUnits.get(l) ?? []), a.unitId]);
  for (const line of plan.lines) {
    for (const unitId of lineUnits.get(line.id) ?? []) {
      line.pointIds.forEach((pointId, i) => {
        if (firstBy(pointId, unitId) !== undefined) return;
        const before = line.pointIds.slice(0, i).map((p) => firstBy(p, unitId)).filter((t): t is number => t !== undefined);
        const after = line.pointIds.slice(i + 1).map((p) => firstBy(p, unitId)).filter((t): t is number => t !== undefined);
        if (before.length && after.length && Math.min(...before) < Math.max(...after)) walkedPast.add(pointId);
      });
    }
  }

  const points = plan.points.map((p) => {
    const unitIds = [...(assigned.get(p.id) ?? [])].sort();
    const state: PatrolPointState = done(p.id) ? 'done' : !unitIds.length ? 'unassigned' : ended || walkedPast.has(p.id) ? 'missed' : 'due';
    return { pointId: p.id, unitIds, state, checkIns: checkInsAt.get(p.id) ?? [] };
  });

  const cells = new Map<string, { gridCellId: string; required: number; done: number; missed: number }>();
  plan.points.forEach((p, i) => {
    if (!p.gridCellId) return;
    const cell = cells.get(p.gridCellId) ?? { gridCellId: p.gridCellId, required: 0, done: 0, missed: 0 };
    cell.required++;
    if (points[i].state === 'done') cell.done++;
    if (points[i].state === 'missed') cell.missed++;
    cells.set(p.gridCellId, cell);
  });

  return {
    shift: { id: shift.id, date: shift.date, startAt: shift.startAt, endAt: shift.endAt },
    points,
    cells: [...cells.values()].sort((a, b) => a.gridCellId.localeCompare(b.gridCellId)),
  };
}
