import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { compareAlarms, type Alarm, type GeoPoint } from '../../../shared/domain.ts';
import { api } from '../api/instance.ts';
import { playAlarmTone } from '../composables/alarm-sound.ts';

export const useAlarmStore = defineStore('alarms', () => {
  const byId = ref(new Map<string, Alarm>());
  const showClosed = ref(false);
  let subscribed = false;

  const queue = computed(() =>
    [...byId.value.values()].filter((a) => showClosed.value || a.state !== 'closed').sort(compareAlarms),
  );
  const openCount = computed(() => [...byId.value.values()].filter((a) => a.state !== 'closed').length);

  function upsert(alarm: Alarm): void {
    if (!byId.value.has(alarm.id) && alarm.state === 'new') playAlarmTone(alarm.severity);
    byId.value.set(alarm.id, alarm);
  }
  async function load(): Promise<void> {
    const list = await api.call('alarms.list', { includeClosed: showClosed.value });
    byId.value = new Map(list.map((a) => [a.id, a]));
    if (!subscribed) {
      subscribed = true;
      api.on('alarm.changed', upsert);
    }
  }
  async function raiseManual(position: GeoPoint, severity: number, note: string): Promise<Alarm> {
    const a = await api.call('alarms.raiseManual', { position, severity, note });
    upsert(a);
    return a;
  }
  async function acknowledge(id: string): Promise<void> {
    upsert(await api.call('alarms.acknowledge', { id }));
  }
  async function close(id: string, resolution: string): Promise<void> {
    upsert(await api.call('alarms.close', { id, resolution }));
  }
  return { byId, queue, openCount, showClosed, load, raiseManual, acknowledge, close };
});
