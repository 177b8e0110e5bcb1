// The operator's one selection (a feature, a track, an alarm, a map point), shared by the scene, its detail
// card and the alarm queue; and what it highlights: a selected alarm and its target, or a selected target and
// its open alarms.
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { alarmTrackId, alarmDroneIds } from '../composables/alarm-text.ts';
import type { Selection } from '../scene/selection.ts';
import { useAlarmStore } from './alarms.ts';

export const useSelectionStore = defineStore('selection', () => {
  const selection = shallowRef<Selection | null>(null);
  const alarms = useAlarmStore();

  const selectedAlarm = computed(() => (selection.value?.kind === 'alarm' ? alarms.byId.get(selection.value.alarmId) ?? null : null));
  /** The target to highlight: the selected track, or the target of the selected alarm. */
  const highlightedTrackId = computed(() => {
    const s = selection.value;
    if (s?.kind === 'track') return s.trackId;
    return selectedAlarm.value ? alarmTrackId(selectedAlarm.value) : null;
  });
  /** The alarms to highlight: the selected one, or the open alarms of the selected target. */
  const highlightedAlarmIds = computed(() => {
    const s = selection.value;
    if (s?.kind === 'alarm') return new Set([s.alarmId]);
    if (s?.kind === 'track') {
      return new Set([...alarms.byId.values()].filter((a) => a.state !== 'closed' && alarmTrackId(a) === s.trackId).map((a) => a.id));
    }
    // A drone's own alarm, and the alarm of the swarm it flies in.
    if (s?.kind === 'drone') {
      return new Set([...alarms.byId.values()].filter((a) => a.state !== 'closed' && alarmDroneIds(a).includes(s.trackId)).map((a) => a.id));
    }
    return new Set<string>();
  });

  function select(s: Selection | null): void {
    selection.value = s;
  }
  return { selection, selectedAlarm, highlightedTrackId, highlightedAlarmIds, select };
});
