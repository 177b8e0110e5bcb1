// Dispatch (派警) from the queue: the nearest available units for an alarm (units.nearest, by estimated
// arrival), one order per chosen unit in one action (dispatch.send), and the open orders of each alarm kept
// current by 'dispatch.changed', so that the queue shows who is on the way.
import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import type { DispatchOrder, UnitCandidate } from '../../../shared/response.ts';
import { api } from '../api/instance.ts';

const OPEN: ReadonlySet<DispatchOrder['state']> = new Set(['sent', 'acknowledged', 'on-scene']);

export const useDispatchStore = defineStore('dispatch', () => {
  /** Open orders by alarm id. */
  const byAlarm = shallowRef(new Map<string, DispatchOrder[]>());
  let subscribed = false;

  function apply(order: DispatchOrder): void {
    const list = (byAlarm.value.get(order.alarmId) ?? []).filter((o) => o.id !== order.id);
    if (OPEN.has(order.state)) list.push(order);
    if (list.length) byAlarm.value.set(order.alarmId, list);
    else byAlarm.value.delete(order.alarmId);
    triggerRef(byAlarm);
  }
  /** The open orders of every alarm; without the dispatch service the queue simply shows none. */
  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      api.on('dispatch.changed', apply);
    }
    try {
      const orders = await api.call('dispatch.list', { openOnly: true });
      const next = new Map<string, DispatchOrder[]>();
      for (const o of orders) next.set(o.alarmId, [...(next.get(o.alarmId) ?? []), o]);
      byAlarm.value = next;
    } catch {
      /* not available yet: the alarm's state still says 已派警 */
    }
  }
  function nearest(alarmId: string, limit = 5): Promise<UnitCandidate[]> {
    return api.call('units.nearest', { alarmId, limit });
  }
  async function send(alarmId: string, unitIds: string[], guidance: string): Promise<DispatchOrder[]> {
    const orders = await api.call('dispatch.send', { alarmId, unitIds, guidance });
    orders.forEach(apply);
    return orders;
  }
  return { byAlarm, load, nearest, send };
});
