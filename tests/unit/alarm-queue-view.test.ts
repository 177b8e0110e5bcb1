// The renderer's alarm queue logic without a browser: the order kept by binary search must equal a full sort
// after any mix of raises, moves and closes; the 1-3-5 clock shows the stage being timed, amber in its last
// fifth and red once overdue; grouping by source and zone.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLOCK_TARGETS, type Alarm, type Severity } from '../../src/shared/domain.ts';
import { mergeIntoQueue, queueOrder, type QueueChange } from '../../src/renderer/src/components/alarms/queue-order.ts';
import { clockText, clockView } from '../../src/renderer/src/components/alarms/clock-view.ts';
import { queueRows } from '../../src/renderer/src/components/alarms/alarm-groups.ts';

const T0 = 1_700_000_000_000;
function alarm(id: string, over: Partial<Alarm> = {}): Alarm {
  return {
    id, source: 'manual', type: 'manual', severity: 2, position: null, circleId: null, circleRing: null, gridCellId: null,
    raisedAt: T0, updatedAt: T0, updates: 1, state: 'new', drill: false, acknowledgedAt: null, acknowledgedBy: null,
    assignedTo: null, dispatchedAt: null, onSceneAt: null, resolvedAt: null, resolvedBy: null, escalatedAt: null,
    clock: { targets: { ...DEFAULT_CLOCK_TARGETS }, overdue: [] }, incidentId: null, closedAt: null, closedBy: null, resolution: null,
    details: { note: '' }, ...over,
  } as Alarm;
}

/** A small seeded generator, so that a failure can be replayed. */
function random(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('queue order by binary search', () => {
  const open = (a: Alarm) => a.state !== 'closed';

  it('equals a full sort after raises, severity changes, closes and re-raises, one at a time and in bursts', () => {
    const rnd = random(7);
    const byId = new Map<string, Alarm>();
    let queue: Alarm[] = [];
    for (let round = 0; round < 60; round++) {
      // Bursts of 1 to 300 changes: small ones move alarms one by one, big ones take the one-sort path.
      const size = round % 10 === 0 ? 300 : 1 + Math.floor(rnd() * 20);
      const pending = new Map<string, Alarm>();
      for (let k = 0; k < size; k++) {
        const id = `A${Math.floor(rnd() * 400)}`;
        const known = pending.get(id) ?? byId.get(id);
        const severity = (1 + Math.floor(rnd() * 4)) as Severity;
        // Same raisedAt for many alarms: the id must break the tie.
        const next = known
          ? { ...known, severity, state: rnd() < 0.2 ? 'closed' : known.state, updatedAt: known.updatedAt + 1 }
          : alarm(id, { severity, raisedAt: T0 + Math.floor(rnd() * 50) * 1000 });
        pending.set(id, next as Alarm);
      }
      const changes: QueueChange[] = [...pending.values()].map((after) => ({ before: byId.get(after.id), after }));
      queue = mergeIntoQueue(queue, changes, open);
      for (const a of pending.values()) byId.set(a.id, a);
      const expected = [...byId.values()].filter(open).sort(queueOrder);
      expect(queue.map((a) => a.id)).toEqual(expected.map((a) => a.id));
    }
  });

  it('leaves the queue it was given unchanged (the store swaps the array)', () => {
    const a = alarm('a');
    const queue = [a];
    const next = mergeIntoQueue(queue, [{ before: a, after: { ...a, state: 'closed' } as Alarm }], open);
    expect(queue).toEqual([a]);
    expect(next).toEqual([]);
  });

  it('puts the most severe first, then the newest', () => {
    const changes = [alarm('old4', { severity: 4, raisedAt: T0 }), alarm('new4', { severity: 4, raisedAt: T0 + 5 }), alarm('new1', { severity: 1, raisedAt: T0 + 9 })]
      .map((after) => ({ before: undefined, after }));
    expect(mergeIntoQueue([], changes, open).map((a) => a.id)).toEqual(['new4', 'old4', 'new1']);
  });
});

describe('1-3-5 clock view', () => {
  it('counts down to acknowledgement, amber in the last 12 s of its minute, red once overdue', () => {
    const a = alarm('a');
    expect(clockView(a, T0 + 10_000).current).toMatchObject({ stage: 'acknowledge', remainingMs: 50_000, level: 'ok' });
    expect(clockText(50_000)).toBe('0:50');
    expect(clockView(a, T0 + 48_500).current).toMatchObject({ level: 'warn' });
    expect(clockView(a, T0 + 47_000).current).toMatchObject({ level: 'ok' });
    const late = clockView(a, T0 + 75_000).current!;
    expect(late).toMatchObject({ stage: 'acknowledge', level: 'overdue' });
    expect(clockText(late.remainingMs)).toBe('0:15');
  });

  it('moves on to dispatch once acknowledged, and keeps the reached stage with its time and lateness', () => {
    const a = alarm('a', { state: 'acknowledged', acknowledgedAt: T0 + 70_000 });
    const v = clockView(a, T0 + 100_000);
    expect(v.current).toMatchObject({ stage: 'dispatch', remainingMs: 80_000, level: 'ok' });
    expect(v.stages[0]).toMatchObject({ stage: 'acknowledge', reachedAt: T0 + 70_000, late: true });
    expect(v.stages[1]).toMatchObject({ stage: 'dispatch', reachedAt: null, late: false });
  });

  it('is red when the core marked the stage overdue, even if this clock is behind', () => {
    const a = alarm('a', { clock: { targets: { ...DEFAULT_CLOCK_TARGETS }, overdue: [{ stage: 'acknowledge', at: T0 + 60_000 }] } });
    expect(clockView(a, T0 + 59_000).current?.level).toBe('overdue');
  });

  it('stops once resolved, and once every stage is reached', () => {
    expect(clockView(alarm('a', { state: 'resolved', acknowledgedAt: T0 + 1 }), T0 + 1000).current).toBeNull();
    const done = alarm('b', { state: 'on-scene', acknowledgedAt: T0 + 1, dispatchedAt: T0 + 2, onSceneAt: T0 + 3 });
    expect(clockView(done, T0 + 400_000).current).toBeNull();
    expect(clockView(done, T0 + 400_000).stages.every((s) => !s.late)).toBe(true);
  });

  it('follows the alarm\'s own targets (a drill or a zone may set shorter ones)', () => {
    const a = alarm('a', { clock: { targets: { acknowledgeS: 10, dispatchS: 30, onSceneS: 50 }, overdue: [] } });
    expect(clockView(a, T0 + 4000).current).toMatchObject({ remainingMs: 6000, level: 'ok' });
    expect(clockView(a, T0 + 8500).current?.level).toBe('warn');
    expect(clockText(3_725_000)).toBe('1:02:05');
  });
});

describe('grouping by source and zone', () => {
  it('groups by source and grid cell (else ring), with counts and the worst severity, and hides collapsed groups', () => {
    const queue = [
      alarm('a', { severity: 4, source: 'video', gridCellId: 'G1' }),
      alarm('b', { severity: 3, source: 'manual', gridCellId: 'G1' }),
      alarm('c', { severity: 2, source: 'video', gridCellId: 'G1' }),
      alarm('d', { severity: 1, source: 'video', circleRing: 'outer' }),
    ].sort(queueOrder);
    const rows = queueRows(queue, true, new Set());
    expect(rows.map((r) => r.key)).toEqual(['group:video|G1', 'a', 'c', 'group:manual|G1', 'b', 'group:video|ring:outer', 'd']);
    const first = rows[0];
    expect(first.kind === 'group' && [first.group.alarms.length, first.group.worst]).toEqual([2, 4]);
    expect(queueRows(queue, true, new Set(['video|G1'])).map((r) => r.key)).toEqual(['group:video|G1', 'group:manual|G1', 'b', 'group:video|ring:outer', 'd']);
    expect(queueRows(queue, false, new Set()).map((r) => r.key)).toEqual(['a', 'b', 'c', 'd']);
  });
});
