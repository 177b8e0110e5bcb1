// Incidents (案事件) as the core holds them: the types with their SOPs, the open incidents (kept by
// 'incident.changed'), and the one incident this window is working on (its view: alarms, orders, timeline),
// kept live by the incident's, its alarms' and its orders' events. The timeline comes from the record, which
// has no event of its own: the view is read again shortly after anything of the incident changed.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Alarm } from '../../../shared/domain.ts';
import type { DispatchOrder, Incident, IncidentType, IncidentView } from '../../../shared/response.ts';
import { api } from '../api/instance.ts';

/** The view is read again this long after the last change (a burst of events costs one read). */
const REFRESH_DELAY_MS = 250;

export const pendingSteps = (i: Incident): number => i.steps.filter((s) => s.state === 'pending').length;

export const useIncidentStore = defineStore('incidents', () => {
  const types = shallowRef<IncidentType[]>([]);
  /** Open incidents, newest first. */
  const openList = shallowRef<Incident[]>([]);
  const focusId = ref<string | null>(null);
  const view = shallowRef<IncidentView | null>(null);
  /** Why the focused incident could not be read (unknown id, lost core). */
  const viewError = shallowRef<unknown>(null);
  const listError = shallowRef<unknown>(null);
  /** The console's incident drawer: shown or not, and on which incident (null: the list). */
  const drawer = ref<{ open: boolean; incidentId: string | null }>({ open: false, incidentId: null });
  let subscribed = false;
  let refreshTimer: number | undefined;

  const typeById = computed(() => new Map(types.value.map((t) => [t.id, t])));

  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    api.on('incident.changed', onIncident);
    api.on('alarm.changed', onAlarm);
    api.on('dispatch.changed', onOrder);
  }
  function onIncident(incident: Incident): void {
    const rest = openList.value.filter((i) => i.id !== incident.id);
    openList.value = incident.state === 'open' ? [incident, ...rest].sort((a, b) => b.openedAt - a.openedAt) : rest;
    if (view.value && incident.id === focusId.value) {
      view.value = { ...view.value, incident };
      scheduleRefresh();
    }
  }
  function onAlarm(alarm: Alarm): void {
    const v = view.value;
    if (!v || (alarm.incidentId !== v.incident.id && !v.incident.alarmIds.includes(alarm.id))) return;
    view.value = { ...v, alarms: v.alarms.some((a) => a.id === alarm.id) ? v.alarms.map((a) => (a.id === alarm.id ? alarm : a)) : [...v.alarms, alarm] };
    scheduleRefresh();
  }
  function onOrder(order: DispatchOrder): void {
    const v = view.value;
    if (!v || (order.incidentId !== v.incident.id && !v.incident.alarmIds.includes(order.alarmId))) return;
    const known = v.orders.some((o) => o.id === order.id);
    view.value = { ...v, orders: known ? v.orders.map((o) => (o.id === order.id ? order : o)) : [...v.orders, order] };
    scheduleRefresh();
  }
  function scheduleRefresh(): void {
    clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(() => void refreshView().catch(() => undefined), REFRESH_DELAY_MS);
  }

  async function load(): Promise<void> {
    subscribe();
    try {
      const [t, list] = await Promise.all([api.call('incidents.types', {}), api.call('incidents.list', { openOnly: true })]);
      types.value = t;
      openList.value = [...list].sort((a, b) => b.openedAt - a.openedAt);
      listError.value = null;
    } catch (err) {
      listError.value = err;
      throw err;
    }
  }
  /** Works on one incident (null: none): its view is read now and kept live. */
  async function focus(id: string | null): Promise<void> {
    subscribe();
    focusId.value = id;
    if (id === null || view.value?.incident.id !== id) view.value = null;
    viewError.value = null;
    if (id !== null) await refreshView();
  }
  async function refreshView(): Promise<void> {
    const id = focusId.value;
    if (!id) return;
    try {
      const v = await api.call('incidents.get', { id });
      if (focusId.value === id) {
        view.value = v;
        viewError.value = null;
      }
    } catch (err) {
      if (focusId.value === id) viewError.value = err;
      throw err;
    }
  }

  async function openIncident(alarmIds: string[], typeId: string, title: string): Promise<Incident> {
    const incident = await api.call('incidents.open', { alarmIds, typeId, title });
    onIncident(incident);
    return incident;
  }
  async function addAlarms(id: string, alarmIds: string[]): Promise<Incident> {
    const incident = await api.call('incidents.addAlarms', { id, alarmIds });
    onIncident(incident);
    return incident;
  }
  async function step(id: string, stepId: string, action: 'done' | 'skip', reason?: string): Promise<Incident> {
    const incident = await api.call('incidents.step', reason === undefined ? { id, stepId, action } : { id, stepId, action, reason });
    onIncident(incident);
    return incident;
  }
  async function note(id: string, text: string, snapshotId?: string): Promise<Incident> {
    const incident = await api.call('incidents.note', snapshotId ? { id, text, snapshotId } : { id, text });
    onIncident(incident);
    return incident;
  }
  async function close(id: string, summary: string): Promise<Incident> {
    const incident = await api.call('incidents.close', { id, summary });
    onIncident(incident);
    return incident;
  }
  /** Downloads the incident's PDF report in the UI language. */
  async function downloadReport(incident: Incident, language: 'zh' | 'en', fileWord: string): Promise<void> {
    const link = await api.call('incidents.report', { id: incident.id, language });
    const a = document.createElement('a');
    a.href = link.url;
    a.download = `${fileWord}-${incident.number}.pdf`;
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
  }
  /** Opens the console's incident drawer on an incident, or on the list of open ones. */
  function show(incidentId: string | null): void {
    drawer.value = { open: true, incidentId };
  }
  return {
    drawer, show,
    types, typeById, openList, focusId, view, viewError, listError,
    load, focus, refreshView, openIncident, addAlarms, step, note, close, downloadReport,
  };
});
