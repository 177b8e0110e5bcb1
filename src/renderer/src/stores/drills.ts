// Drills in the console: the plans (with their problems), the drill running now (kept by 'drill.changed'), the
// past drills and their after-action reports, and the coordinator's calls. The core runs the drill and refuses
// anyone but the coordinator; this store only holds what the panel, the watermark and the report show. The drill
// clock is not ticked here: components run T+ on from drillMs/asOf/speed (drill-time.ts).
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AfterActionReport, DrillObservation, DrillState, Plan, PlanProblem, PlanSummary } from '../../../shared/drills.ts';
import { api } from '../api/instance.ts';
import { useSessionStore } from './session.ts';
import { useStatusStore } from './status.ts';

export type DrillAction = 'pause' | 'resume' | 'skip' | 'end' | 'abort';
export type ExportFormat = 'pdf' | 'html';

/** A drill still on the clock (running or paused). */
export const isLive = (d: DrillState | null | undefined): boolean => !!d && (d.status === 'running' || d.status === 'paused');

/** Follows a media link the core issued (a download held behind a short-lived ticket). */
export function followLink(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

export const useDrillStore = defineStore('drills', () => {
  const session = useSessionStore();
  const status = useStatusStore();
  const plans = shallowRef<PlanSummary[]>([]);
  const plansError = shallowRef<unknown>(null);
  /** Plans read whole, by id (the detail view). */
  const planById = shallowRef(new Map<string, Plan>());
  /** The drill on the clock now, or the one that just ended (until the panel is closed or another starts). */
  const drill = shallowRef<DrillState | null>(null);
  const past = shallowRef<DrillState[]>([]);
  const reports = shallowRef(new Map<string, AfterActionReport>());
  /** The panel (drawer) and the after-action report shown, by drill id. */
  const panelOpen = ref(false);
  const reportId = ref<string | null>(null);
  let subscribed = false;

  const current = computed<DrillState | null>(() => (isLive(drill.value) ? drill.value : null));
  /** A drill runs: from the drill itself, or from the console's mode (a screen that has not read it yet). */
  const running = computed(() => current.value !== null || status.status?.mode === 'drill');
  const isCoordinator = computed(() => session.user?.role === 'coordinator');
  /** Who may read the past drills and their reports (the contract's REVIEWERS). */
  const canReview = computed(() => ['coordinator', 'commander', 'admin'].includes(session.user?.role ?? ''));

  function onChanged(d: DrillState): void {
    const before = drill.value;
    // An older drill's late event never replaces the one shown.
    if (before && before.id !== d.id && isLive(before) && !isLive(d)) return;
    drill.value = d;
    if (!isLive(d)) {
      past.value = [d, ...past.value.filter((x) => x.id !== d.id)];
      // The coordinator who steered it gets the report as soon as it is over.
      if (before?.id === d.id && isLive(before) && isCoordinator.value && panelOpen.value) reportId.value = d.id;
    }
  }
  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    api.on('drill.changed', onChanged);
  }

  /** Every screen reads the running drill (for the watermark) and follows it. */
  async function loadCurrent(): Promise<void> {
    subscribe();
    const d = await api.call('drill.current', {});
    if (d) drill.value = d;
    else if (isLive(drill.value)) drill.value = null;
  }
  async function loadPlans(): Promise<void> {
    try {
      plans.value = await api.call('plans.list', {});
      plansError.value = null;
    } catch (e) {
      plansError.value = e;
      throw e;
    }
  }
  async function plan(id: string, reload = false): Promise<Plan> {
    const known = planById.value.get(id);
    if (known && !reload) return known;
    const p = await api.call('plans.get', { id });
    planById.value = new Map(planById.value).set(id, p);
    return p;
  }
  async function loadPast(): Promise<void> {
    if (!canReview.value) return;
    past.value = (await api.call('drill.list', { limit: 50 })).filter((d) => !isLive(d));
  }
  async function open(): Promise<void> {
    panelOpen.value = true;
    await Promise.all([loadPlans().catch(() => undefined), loadCurrent().catch(() => undefined), loadPast().catch(() => undefined)]);
  }

  // ── The coordinator's calls: each answer is applied at once (the event follows) ──
  async function start(planId: string, speed: number, seed?: number): Promise<DrillState> {
    subscribe();
    const d = await api.call('drill.start', { planId, speed, ...(seed !== undefined ? { seed } : {}) });
    drill.value = d;
    reportId.value = null;
    return d;
  }
  async function control(action: DrillAction, reason?: string): Promise<DrillState> {
    const d = drill.value;
    if (!d) throw new Error('no drill to control');
    const next = await api.call('drill.control', { id: d.id, action, ...(reason ? { reason } : {}) });
    onChanged(next);
    return next;
  }
  async function setSpeed(speed: number): Promise<DrillState> {
    const d = drill.value;
    if (!d) throw new Error('no drill to control');
    const next = await api.call('drill.speed', { id: d.id, speed });
    onChanged(next);
    return next;
  }
  async function confirm(stepId: string): Promise<DrillState> {
    const d = drill.value;
    if (!d) throw new Error('no drill to control');
    const next = await api.call('drill.confirm', { id: d.id, stepId });
    onChanged(next);
    return next;
  }
  async function observe(text: string, stepId?: string): Promise<DrillObservation> {
    const d = drill.value;
    if (!d) throw new Error('no drill to observe');
    const o = await api.call('drill.observe', { id: d.id, text, ...(stepId ? { stepId } : {}) });
    // The event brings the whole state; until then the list shows it already.
    if (drill.value?.id === d.id && !drill.value.observations.some((x) => x.id === o.id)) {
      drill.value = { ...drill.value, observations: [...drill.value.observations, o] };
    }
    return o;
  }

  // ── After-action ──
  async function report(id: string, reload = false): Promise<AfterActionReport> {
    const known = reports.value.get(id);
    if (known && !reload) return known;
    const r = await api.call('drill.report', { id });
    reports.value = new Map(reports.value).set(id, r);
    return r;
  }
  function showReport(id: string | null): void {
    reportId.value = id;
  }
  async function exportReport(id: string, format: ExportFormat, lang: 'zh-CN' | 'en', fileName: string): Promise<void> {
    const link = await api.call('drill.exportReport', { id, format, lang });
    followLink(link.url, fileName);
  }
  async function exportCap(id: string, fileName: string): Promise<void> {
    const link = await api.call('drill.exportCap', { id });
    followLink(link.url, fileName);
  }

  // ── Plans in and out (MSEL sheets, YAML) ──
  async function exportMsel(id: string, format: 'csv' | 'xlsx', fileName: string): Promise<void> {
    const link = await api.call('plans.exportMsel', { id, format });
    followLink(link.url, fileName);
  }
  async function importMsel(id: string, format: 'csv' | 'xlsx', dataBase64: string): Promise<{ text: string; problems: PlanProblem[] }> {
    return api.call('plans.importMsel', { id, format, dataBase64 });
  }
  async function validate(file: string, text: string): Promise<{ plan: PlanSummary | null; problems: PlanProblem[] }> {
    return api.call('plans.validate', { file, text });
  }
  async function importPlan(file: string, text: string): Promise<{ plan: PlanSummary | null; problems: PlanProblem[] }> {
    const result = await api.call('plans.import', { file, text });
    if (result.plan && !result.problems.length) {
      planById.value = new Map([...planById.value].filter(([k]) => k !== result.plan!.id));
      await loadPlans().catch(() => undefined);
    }
    return result;
  }

  return {
    plans, plansError, planById, drill, current, running, past, reports, panelOpen, reportId, isCoordinator, canReview,
    loadCurrent, loadPlans, plan, loadPast, open, start, control, setSpeed, confirm, observe,
    report, showReport, exportReport, exportCap, exportMsel, importMsel, validate, importPlan,
  };
});
