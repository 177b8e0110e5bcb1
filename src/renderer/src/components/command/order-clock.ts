// An order's clocks against its alarm's 1-3-5 targets: sent (counted from the alarm being raised, against the
// dispatch target), acknowledged by the unit (counted from the order), on scene (from the alarm, against the
// on-scene target; counting down while the unit is on its way, red once past). All on the core's clock.
import { DEFAULT_CLOCK_TARGETS, type Alarm } from '../../../../shared/domain.ts';
import type { DispatchOrder } from '../../../../shared/response.ts';

export interface OrderClock {
  sent: { at: number; usedMs: number; targetMs: number; late: boolean };
  acknowledged: { at: number; usedMs: number } | null;
  onScene: { at: number | null; usedMs: number | null; dueAt: number; targetMs: number; remainingMs: number | null; late: boolean };
  /** The order is still being worked (sent, acknowledged or on scene). */
  open: boolean;
}

export function orderClock(o: DispatchOrder, alarm: Alarm | undefined, now: number): OrderClock {
  const raisedAt = alarm?.raisedAt ?? o.sentAt;
  const targets = alarm?.clock.targets ?? DEFAULT_CLOCK_TARGETS;
  const dispatchMs = targets.dispatchS * 1000;
  const onSceneMs = targets.onSceneS * 1000;
  const dueAt = raisedAt + onSceneMs;
  const open = o.state === 'sent' || o.state === 'acknowledged' || o.state === 'on-scene';
  const arrived = o.onSceneAt;
  // A cancelled or finished order that never arrived stops counting when it ended.
  const endedAt = arrived ?? (open ? now : o.cancelledAt ?? o.doneAt ?? now);
  return {
    sent: { at: o.sentAt, usedMs: o.sentAt - raisedAt, targetMs: dispatchMs, late: o.sentAt - raisedAt > dispatchMs },
    acknowledged: o.acknowledgedAt === null ? null : { at: o.acknowledgedAt, usedMs: o.acknowledgedAt - o.sentAt },
    onScene: {
      at: arrived, usedMs: arrived === null ? null : arrived - raisedAt, dueAt, targetMs: onSceneMs,
      remainingMs: arrived === null && open ? dueAt - now : null, late: endedAt > dueAt && (arrived !== null || open),
    },
    open,
  };
}
