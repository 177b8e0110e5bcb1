// Video patrol inspection (视频巡检): the routes, the scheduled runs that are due or missed (polled once a minute
// for the top bar's reminder), the run in progress, and the shift records. The core keeps every run and
// check; this store only holds what the dialog shows.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PatrolDue } from '../../../shared/contract/video.ts';
import type { Camera, PatrolRoute, PatrolRun, PatrolVerdict } from '../../../shared/video.ts';
import { api } from '../api/instance.ts';

const DUE_POLL_MS = 60_000;

export const usePatrolStore = defineStore('patrol', () => {
  const routes = ref<PatrolRoute[]>([]);
  const due = ref<PatrolDue[]>([]);
  const cameras = shallowRef(new Map<string, Camera>());
  /** The run this window is doing, from patrol.start until the operator leaves its report. */
  const run = shallowRef<PatrolRun | null>(null);
  let poll: number | undefined;

  const routeOf = (id: string) => routes.value.find((r) => r.id === id) ?? null;
  /** How many scheduled runs wait for an operator: the top bar's badge. */
  const dueCount = computed(() => due.value.length);

  async function loadRoutes(): Promise<void> {
    routes.value = await api.call('patrol.routes', {});
  }
  async function loadCameras(): Promise<void> {
    const list = await api.call('video.cameras', {});
    cameras.value = new Map(list.cameras.map((c) => [c.id, c]));
  }
  async function loadDue(): Promise<void> {
    due.value = await api.call('patrol.due', {});
  }
  /** The reminder follows the schedule: read at once, then every minute (a failed read keeps the last one). */
  function startDuePoll(): void {
    if (poll !== undefined) return;
    void loadDue().catch(() => undefined);
    poll = window.setInterval(() => void loadDue().catch(() => undefined), DUE_POLL_MS);
  }
  function stopDuePoll(): void {
    clearInterval(poll);
    poll = undefined;
  }

  async function start(routeId: string): Promise<PatrolRun> {
    run.value = await api.call('patrol.start', { routeId });
    // Starting a scheduled route clears its reminder.
    void loadDue().catch(() => undefined);
    return run.value;
  }
  async function check(cameraId: string, verdict: PatrolVerdict, note: string): Promise<PatrolRun> {
    if (!run.value) throw new Error('no patrol run in progress');
    run.value = await api.call('patrol.check', { runId: run.value.id, cameraId, verdict, note });
    return run.value;
  }
  async function finish(): Promise<PatrolRun> {
    if (!run.value) throw new Error('no patrol run in progress');
    run.value = await api.call('patrol.finish', { runId: run.value.id });
    return run.value;
  }
  function leaveRun(): void {
    run.value = null;
  }

  async function saveRoute(route: Omit<PatrolRoute, 'id'> & { id?: string }): Promise<PatrolRoute> {
    const saved = await api.call('patrol.saveRoute', route);
    await loadRoutes();
    return saved;
  }

  return {
    routes, due, dueCount, cameras, run, routeOf,
    loadRoutes, loadCameras, loadDue, startDuePoll, stopDuePoll, start, check, finish, leaveRun, saveRoute,
  };
});
