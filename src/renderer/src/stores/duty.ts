// Patrol duty (勤务) in the renderer: the plan (shifts, mandatory points and lines), the current shift's status
// kept by the 'duty.changed' events (read whole again on reconnect), the units' names for the roster, and which
// point is selected (from the list or the map). The scene's duty layer and the duty panel both read it.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { DutyPlan, DutyRoster, DutyStatus, PatrolPointState, Unit } from '../../../shared/response.ts';
import { api } from '../api/instance.ts';
import { useSessionStore } from './session.ts';

export const ROSTER_EDITORS = ['commander', 'admin'] as const;

export const useDutyStore = defineStore('duty', () => {
  const plan = shallowRef<DutyPlan | null>(null);
  const status = shallowRef<DutyStatus | null>(null);
  const units = shallowRef<Unit[]>([]);
  const loadError = shallowRef<unknown>(null);
  const panelOpen = ref(false);
  const selectedPointId = ref<string | null>(null);
  let unsubscribe: (() => void) | null = null;
  let following = false;

  const pointById = computed(() => new Map((plan.value?.points ?? []).map((p) => [p.id, p])));
  const statusById = computed(() => new Map((status.value?.points ?? []).map((p) => [p.pointId, p])));
  const unitById = computed(() => new Map(units.value.map((u) => [u.id, u])));
  const stateOf = (pointId: string): PatrolPointState => statusById.value.get(pointId)?.state ?? 'unassigned';
  /** The shift's progress over the points someone must patrol (unassigned points are not counted). */
  const progress = computed(() => {
    const points = status.value?.points ?? [];
    const required = points.filter((p) => p.state !== 'unassigned').length;
    const done = points.filter((p) => p.state === 'done').length;
    const missed = points.filter((p) => p.state === 'missed').length;
    return { required, done, missed, percent: required ? Math.round((100 * done) / required) : 0 };
  });
  const callSign = (unitId: string) => unitById.value.get(unitId)?.callSign ?? unitId;
  const canEditRoster = computed(() => (ROSTER_EDITORS as readonly string[]).includes(useSessionStore().user?.role ?? ''));

  /** Reads the plan, the status and the units; then keeps the status by the events, and reads again on reconnect. */
  async function load(): Promise<void> {
    unsubscribe ??= api.on('duty.changed', (s) => (status.value = s));
    if (!following) {
      following = true;
      watch(() => useSessionStore().connected, (up) => up && void load().catch(() => undefined));
    }
    try {
      const [p, s] = await Promise.all([api.call('duty.plan', {}), api.call('duty.status', {})]);
      plan.value = p;
      status.value = s;
      loadError.value = null;
    } catch (err) {
      loadError.value = err;
      throw err;
    } finally {
      // The units only name things: without them the roster shows their ids.
      void api.call('units.list', {}).then((list) => (units.value = list), () => undefined);
    }
  }

  function roster(date: string, shiftId: string): Promise<DutyRoster> {
    return api.call('duty.roster', { date, shiftId });
  }
  async function saveRoster(input: Pick<DutyRoster, 'date' | 'shiftId' | 'assignments'>): Promise<DutyRoster> {
    const saved = await api.call('duty.setRoster', input);
    // The event follows for the current shift; read it now so that the panel does not wait for it.
    if (status.value?.shift.date === input.date && status.value.shift.id === input.shiftId) status.value = await api.call('duty.status', {});
    return saved;
  }

  /** A point picked on the map or in the list: the panel opens on it. */
  function selectPoint(pointId: string | null): void {
    selectedPointId.value = pointId;
    if (pointId) panelOpen.value = true;
  }

  return {
    plan, status, units, loadError, panelOpen, selectedPointId, pointById, statusById, unitById, progress, canEditRoster,
    stateOf, callSign, load, roster, saveRoster, selectPoint,
  };
});
