// The alarm queue as the core holds it: up to ALARM_LIST_MAX (10,000) alarms, most urgent first, the true number
// open (`openTotal`, larger when the queue is capped), kept current by 'alarm.changed' events. Events are
// gathered and applied once per animation frame, each moving its alarm by binary search (queue-order.ts), never
// a sort of the whole queue per event. Also: the keyboard cursor (`currentId`), grouping by source and zone,
// the escalations for the commander, and the workflow calls (acknowledge, assign, escalate, resolve, close).
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef, watch } from 'vue';
import { ALARM_LIST_MAX, type AlarmEvents } from '../../../shared/contract/alarms.ts';
import type { Alarm, GeoPoint, ResolutionCategory } from '../../../shared/domain.ts';
import { api } from '../api/instance.ts';
import { announceAlarm, setCriticalWaiting } from '../composables/alarm-sound.ts';
import { mergeIntoQueue, queueOrder, type QueueChange } from '../components/alarms/queue-order.ts';
import { queueRows } from '../components/alarms/alarm-groups.ts';

/** An alarm the core has just raised (not one already open beyond the queue's cap that changed). */
const justRaised = (a: Alarm) => a.state === 'new' && a.updates === 1 && a.raisedAt === a.updatedAt;
const GROUPED_KEY = 'skyfence.alarmsGrouped';
/** Escalations kept for the commander's banner. */
const MAX_ESCALATIONS = 20;

export type Escalation = AlarmEvents['alarm.escalated'];

export const useAlarmStore = defineStore('alarms', () => {
  // Shallow: alarms are replaced whole on each change, never edited in place; the map is triggered once per frame.
  const byId = shallowRef(new Map<string, Alarm>());
  /** The shown alarms in queue order (a new array per change, so that watchers see it). */
  const queue = shallowRef<Alarm[]>([]);
  const showClosed = ref(false);
  /** The true number of open alarms, from the core (alarms.list) and kept by the events since. */
  const openTotal = ref(0);
  /** Open alarms held here. */
  const openShown = ref(0);
  /** Open drill alarms held here (a drill's few alarms are always among the held). */
  const drillOpenShown = ref(0);
  /** How many alarms the core sends at most. */
  const limit = ref(ALARM_LIST_MAX);
  /** Why the queue could not be read (a damaged database, a lost core): shown instead of "no alarms". */
  const loadError = shallowRef<unknown>(null);
  const grouped = ref(localStorage.getItem(GROUPED_KEY) === 'on');
  const collapsed = shallowRef(new Set<string>());
  const currentId = ref<string | null>(null);
  const escalations = shallowRef<Escalation[]>([]);
  let subscribed = false;
  const pending = new Map<string, Alarm>();
  let scheduled = false;

  const openCount = computed(() => Math.max(openTotal.value, openShown.value));
  /** Open live alarms: what the operator's counts show; drill alarms never enter them (the core's total holds both). */
  const liveOpenCount = computed(() => Math.max(0, openCount.value - drillOpenShown.value));
  /** Open drill alarms, counted apart (演练). */
  const drillOpenCount = computed(() => drillOpenShown.value);
  /** The core has more open alarms than the queue holds. */
  const capped = computed(() => openTotal.value > openShown.value);
  const rows = computed(() => queueRows(queue.value, grouped.value, collapsed.value));
  /** Row index by key (alarm id, or `group:` + group key). */
  const rowIndex = computed(() => new Map(rows.value.map((r, i) => [r.key, i])));
  const current = computed(() => (currentId.value ? byId.value.get(currentId.value) ?? null : null));
  const shows = (a: Alarm) => showClosed.value || a.state !== 'closed';

  /** An alarm from an event or a call's answer: counted now, applied with the others at the next frame. */
  function receive(alarm: Alarm): void {
    const known = pending.get(alarm.id) ?? byId.value.get(alarm.id);
    if (!known) {
      if (justRaised(alarm)) {
        openTotal.value++;
        announceAlarm(alarm);
      } else if (alarm.state === 'closed') {
        // Closed by someone while beyond our cap: it was open until now.
        openTotal.value = Math.max(0, openTotal.value - 1);
      }
    } else {
      if (known.state !== 'closed' && alarm.state === 'closed') openTotal.value = Math.max(0, openTotal.value - 1);
      // A target going deeper raises the severity: a new call for attention.
      if (alarm.state === 'new' && alarm.severity > known.severity) announceAlarm(alarm);
    }
    pending.set(alarm.id, alarm);
    schedule();
  }
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // The next frame; a hidden tab gets no frames, so a timer stands in.
    requestAnimationFrame(flush);
    setTimeout(flush, 250);
  }
  /** Applies what came in since the last frame: one new queue, one trigger. */
  function flush(): void {
    scheduled = false;
    if (!pending.size) return;
    const changes: QueueChange[] = [];
    for (const after of pending.values()) {
      const before = byId.value.get(after.id);
      changes.push({ before: before && shows(before) ? before : undefined, after });
      byId.value.set(after.id, after);
    }
    pending.clear();
    let next = mergeIntoQueue(queue.value, changes, shows);
    if (byId.value.size > limit.value * 1.2) next = trim();
    queue.value = next;
    recount();
    triggerRef(byId);
  }
  /** Keeps the queue near the core's cap: the least urgent alarms beyond it go (they are still in the core). */
  function trim(): Alarm[] {
    const keep = [...byId.value.values()].sort(queueOrder).slice(0, limit.value);
    byId.value = new Map(keep.map((a) => [a.id, a]));
    return keep.filter(shows);
  }
  function recount(): void {
    let open = 0;
    let drill = 0;
    const critical = new Set<string>();
    for (const a of byId.value.values()) {
      if (a.state === 'closed') continue;
      open++;
      if (a.drill) drill++;
      if (a.state === 'new' && a.severity >= 4) critical.add(a.id);
    }
    openShown.value = open;
    drillOpenShown.value = drill;
    setCriticalWaiting(critical);
  }
  function onEscalated(e: Escalation): void {
    receive(e.alarm);
    escalations.value = [e, ...escalations.value.filter((x) => x.alarm.id !== e.alarm.id)].slice(0, MAX_ESCALATIONS);
  }
  function dismissEscalation(alarmId: string): void {
    escalations.value = escalations.value.filter((e) => e.alarm.id !== alarmId);
  }

  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      api.on('alarm.changed', receive);
      api.on('alarm.escalated', onEscalated);
    }
    let list;
    try {
      list = await api.call('alarms.list', { includeClosed: showClosed.value, limit: ALARM_LIST_MAX });
    } catch (err) {
      loadError.value = err;
      throw err;
    }
    loadError.value = null;
    byId.value = new Map(list.alarms.map((a) => [a.id, a]));
    queue.value = list.alarms.filter(shows).sort(queueOrder);
    openTotal.value = list.openCount;
    limit.value = list.limit;
    recount();
    // Events that arrived while the list was on its way are applied on top of it.
    flush();
  }

  // ── The cursor (J/K) and grouping (G) ──
  /** Moves the cursor by `delta` alarms in the list as shown (skipping group headers). */
  function move(delta: 1 | -1): Alarm | null {
    const list = rows.value;
    if (!list.length) return null;
    let i = currentId.value ? rowIndex.value.get(currentId.value) ?? -1 : -1;
    const start = i;
    do {
      i = i < 0 ? (delta > 0 ? 0 : list.length - 1) : i + delta;
      if (i < 0 || i >= list.length) return current.value;
      const row = list[i];
      if (row.kind === 'alarm') {
        currentId.value = row.alarm.id;
        return row.alarm;
      }
    } while (i !== start);
    return null;
  }
  // The cursor's alarm left the list (closed, or its group collapsed): the cursor stays at the same place.
  let lastIndex = 0;
  watch(rows, (list) => {
    if (currentId.value && rowIndex.value.has(currentId.value)) {
      lastIndex = rowIndex.value.get(currentId.value)!;
      return;
    }
    if (!currentId.value) return;
    const near = list.slice(Math.min(lastIndex, list.length - 1)).find((r) => r.kind === 'alarm') ?? [...list].reverse().find((r) => r.kind === 'alarm');
    currentId.value = near?.kind === 'alarm' ? near.alarm.id : null;
  });
  function setCurrent(id: string | null): void {
    currentId.value = id;
    if (id && rowIndex.value.has(id)) lastIndex = rowIndex.value.get(id)!;
  }
  function setGrouped(on: boolean): void {
    grouped.value = on;
    localStorage.setItem(GROUPED_KEY, on ? 'on' : 'off');
  }
  function toggleGroup(key: string): void {
    const next = new Set(collapsed.value);
    if (!next.delete(key)) next.add(key);
    collapsed.value = next;
  }

  // ── The workflow: each call's answer is applied at once (not at the next frame) ──
  function applyNow(a: Alarm): Alarm {
    receive(a);
    flush();
    return a;
  }
  async function raiseManual(position: GeoPoint, severity: number, note: string): Promise<Alarm> {
    return applyNow(await api.call('alarms.raiseManual', { position, severity, note }));
  }
  async function acknowledge(id: string): Promise<Alarm> {
    return applyNow(await api.call('alarms.acknowledge', { id }));
  }
  async function assign(id: string, username: string | null): Promise<Alarm> {
    return applyNow(await api.call('alarms.assign', { id, username }));
  }
  async function escalate(id: string, note = ''): Promise<Alarm> {
    return applyNow(await api.call('alarms.escalate', { id, note }));
  }
  async function resolve(id: string, note = ''): Promise<Alarm> {
    return applyNow(await api.call('alarms.resolve', { id, note }));
  }
  async function close(id: string, category: ResolutionCategory, note: string, duplicateOf?: string): Promise<Alarm> {
    return applyNow(await api.call('alarms.close', { id, category, note, ...(duplicateOf ? { duplicateOf } : {}) }));
  }
  return {
    byId, queue, rows, rowIndex, openCount, liveOpenCount, drillOpenCount, openShown, openTotal, capped, limit, showClosed, loadError, grouped, collapsed,
    currentId, current, escalations,
    load, receive, flush, move, setCurrent, setGrouped, toggleGroup, dismissEscalation,
    raiseManual, acknowledge, assign, escalate, resolve, close,
  };
});
