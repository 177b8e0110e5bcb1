// Grouping of the queue by source and zone (grid cell, else perception ring): the rows the list shows, a
// header per group with its count and worst severity, its alarms below unless collapsed. Groups come in the
// order of their most urgent alarm (the queue is already in that order).
import type { Alarm, AlarmSource, Severity } from '../../../../shared/domain.ts';
import type { CircleRing } from '../../../../shared/site.ts';

export interface AlarmGroup {
  key: string;
  source: AlarmSource;
  gridCellId: string | null;
  circleRing: CircleRing | null;
  alarms: Alarm[];
  worst: Severity;
}

export type QueueRow =
  | { kind: 'alarm'; key: string; alarm: Alarm }
  | { kind: 'group'; key: string; group: AlarmGroup; collapsed: boolean };

export function groupKey(a: Alarm): string {
  return `${a.source}|${a.gridCellId ?? (a.circleRing ? `ring:${a.circleRing}` : '-')}`;
}

export function groupAlarms(queue: readonly Alarm[]): AlarmGroup[] {
  const groups = new Map<string, AlarmGroup>();
  for (const a of queue) {
    const key = groupKey(a);
    let g = groups.get(key);
    if (!g) {
      g = { key, source: a.source, gridCellId: a.gridCellId, circleRing: a.circleRing, alarms: [], worst: a.severity };
      groups.set(key, g);
    }
    g.alarms.push(a);
    if (a.severity > g.worst) g.worst = a.severity;
  }
  return [...groups.values()];
}

/** The list's rows: every alarm, or group headers each followed by its alarms unless collapsed. */
export function queueRows(queue: readonly Alarm[], grouped: boolean, collapsed: ReadonlySet<string>): QueueRow[] {
  if (!grouped) return queue.map((alarm) => ({ kind: 'alarm', key: alarm.id, alarm }));
  const rows: QueueRow[] = [];
  for (const group of groupAlarms(queue)) {
    const isCollapsed = collapsed.has(group.key);
    rows.push({ kind: 'group', key: `group:${group.key}`, group, collapsed: isCollapsed });
    if (!isCollapsed) for (const alarm of group.alarms) rows.push({ kind: 'alarm', key: alarm.id, alarm });
  }
  return rows;
}
