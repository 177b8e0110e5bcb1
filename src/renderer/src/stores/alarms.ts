// The alarm queue as the core holds it: at most `limit` alarms (most urgent first), the true number open
// (`openTotal`, which may be larger when the queue is capped), kept current by 'alarm.changed' events.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import { compareAlarms, type Alarm, type GeoPoint, type ResolutionCategory } from '../../../shared/domain.ts';
import { api } from '../api/instance.ts';
import { playAlarmTone } from '../composables/alarm-sound.ts';

/** An alarm the core has just raised (not one already open beyond the queue's cap that changed). */
const justRaised = (a: Alarm) => a.state === 'new' && a.updates === 1 && a.raisedAt === a.updatedAt;

export const useAlarmStore = defineStore('alarms', () => {
  // A shallow ref: hundreds of alarms are replaced whole on each change, never edited in place.
  const byId = shallowRef(new Map<string, Alarm>());
  const showClosed = ref(false);
  /** The true number of open alarms, from the core (alarms.list) and kept by the events since. */
  const openTotal = ref(0);
  /** How many alarms the core sends at most. */
  const limit = ref(500);
  /** Why the queue could not be read (a damaged database, a lost core): shown instead of "no alarms". */
  const loadError = shallowRef<unknown>(null);
  let subscribed = false;

  const queue = computed(() =>
    [...byId.value.values()].filter((a) => showClosed.value || a.state !== 'closed').sort(compareAlarms),
  );
  const openShown = computed(() => {
    let n = 0;
    for (const a of byId.value.values()) if (a.state !== 'closed') n++;
    return n;
  });
  const openCount = computed(() => Math.max(openTotal.value, openShown.value));
  /** The core has more open alarms than the queue holds. */
  const capped = computed(() => openTotal.value > openShown.value);

  function upsert(alarm: Alarm): void {
    const known = byId.value.get(alarm.id);
    if (!known) {
      if (justRaised(alarm)) {
        openTotal.value++;
        playAlarmTone(alarm.severity);
      } else if (alarm.state === 'closed') {
        // Closed by someone while beyond our cap: it was open until now.
        openTotal.value = Math.max(0, openTotal.value - 1);
      }
    } else {
      if (known.state !== 'closed' && alarm.state === 'closed') openTotal.value = Math.max(0, openTotal.value - 1);
      // A target going deeper raises the severity: a new call for attention.
      if (alarm.state === 'new' && alarm.severity > known.severity) playAlarmTone(alarm.severity);
    }
    byId.value.set(alarm.id, alarm);
    trim();
    triggerRef(byId);
  }
  /** Keeps the queue near the core's cap: the least urgent alarms beyond it go (they are still in the core). */
  function trim(): void {
    if (byId.value.size <= limit.value * 1.2) return;
    const keep = [...byId.value.values()].sort(compareAlarms).slice(0, limit.value);
    byId.value = new Map(keep.map((a) => [a.id, a]));
  }
  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      api.on('alarm.changed', upsert);
    }
    let list;
    try {
      list = await api.call('alarms.list', { includeClosed: showClosed.value });
    } catch (err) {
      loadError.value = err;
      throw err;
    }
    loadError.value = null;
    byId.value = new Map(list.alarms.map((a) => [a.id, a]));
    openTotal.value = list.openCount;
    limit.value = list.limit;
  }
  async function raiseManual(position: GeoPoint, severity: number, note: string): Promise<Alarm> {
    const a = await api.call('alarms.raiseManual', { position, severity, note });
    upsert(a);
    return a;
  }
  async function acknowledge(id: string): Promise<void> {
    upsert(await api.call('alarms.acknowledge', { id }));
  }
  async function close(id: string, category: ResolutionCategory, note: string): Promise<Alarm> {
    const a = await api.call('alarms.close', { id, category, note });
    upsert(a);
    return a;
  }
  return { byId, queue, openCount, openShown, openTotal, capped, limit, showClosed, loadError, load, raiseManual, acknowledge, close };
});
