// The units and the open orders as the map and the commander's screen need them: every unit (units.list, then
// 'units.changed', which carries only the units that changed) and every open order (dispatch.list, then
// 'dispatch.changed'). Listeners get each change as it comes, for the scene's unit layer. A core without the
// units service leaves both empty and says so in `loadError`.
import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import type { DispatchOrder, Unit } from '../../../shared/response.ts';
import { api } from '../api/instance.ts';

export const OPEN_ORDER_STATES: ReadonlySet<DispatchOrder['state']> = new Set(['sent', 'acknowledged', 'on-scene']);

export interface UnitMapChange {
  units: Unit[];
  /** The whole list was read again: units not in it are gone. */
  reset?: boolean;
}

export const useUnitMapStore = defineStore('units-map', () => {
  const units = shallowRef(new Map<string, Unit>());
  /** Open orders by id. */
  const orders = shallowRef(new Map<string, DispatchOrder>());
  const loadError = shallowRef<unknown>(null);
  const unitListeners = new Set<(change: UnitMapChange) => void>();
  const orderListeners = new Set<() => void>();
  let subscribed = false;

  const emit = <T>(set: Set<(x: T) => void>, x: T) => {
    for (const l of set) {
      try {
        l(x);
      } catch (err) {
        console.error('units listener failed:', err);
      }
    }
  };
  function applyUnits({ units: changed }: { units: Unit[] }): void {
    for (const u of changed) units.value.set(u.id, u);
    triggerRef(units);
    emit(unitListeners, { units: changed });
  }
  function applyOrder(order: DispatchOrder): void {
    if (OPEN_ORDER_STATES.has(order.state)) orders.value.set(order.id, order);
    else orders.value.delete(order.id);
    triggerRef(orders);
    emit(orderListeners, undefined);
  }
  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      api.on('units.changed', applyUnits);
      api.on('dispatch.changed', applyOrder);
    }
    // Each on its own: units without their orders are still worth drawing.
    const [list, open] = await Promise.allSettled([api.call('units.list', {}), api.call('dispatch.list', { openOnly: true })]);
    if (list.status === 'fulfilled') {
      units.value = new Map(list.value.map((u) => [u.id, u]));
      emit(unitListeners, { units: list.value, reset: true });
    }
    if (open.status === 'fulfilled') {
      orders.value = new Map(open.value.map((o) => [o.id, o]));
      emit(orderListeners, undefined);
    }
    loadError.value = list.status === 'rejected' ? list.reason : open.status === 'rejected' ? open.reason : null;
  }
  function onUnits(listener: (change: UnitMapChange) => void): () => void {
    unitListeners.add(listener);
    return () => unitListeners.delete(listener);
  }
  function onOrders(listener: () => void): () => void {
    orderListeners.add(listener);
    return () => orderListeners.delete(listener);
  }
  return { units, orders, loadError, load, applyOrder, onUnits, onOrders };
});
