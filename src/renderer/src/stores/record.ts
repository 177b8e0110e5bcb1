// The record in the console: the shift handover (the draft summary, this seat's pending handover, the history)
// and the audit log viewer's pages and filters. The core keeps and checks everything; this store only holds
// what the dialogs show, and follows 'handover.changed'.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AuditRecord, AuditVerdict, Handover, HandoverSummary } from '../../../shared/response.ts';
import { api } from '../api/instance.ts';
import { useSessionStore } from './session.ts';

export const AUDIT_PAGE = 100;

export interface AuditQuery {
  subject: string;
  actor: string;
  /** An action family ('alarm') or one action ('alarm.close'); '' for all. */
  action: string;
}

export const useRecordStore = defineStore('record', () => {
  const session = useSessionStore();

  // ── Handover ──
  const draft = shallowRef<HandoverSummary | null>(null);
  const draftAt = ref<number | null>(null);
  const handovers = ref<Handover[]>([]);
  /** This seat's handover waiting for the incoming operator. */
  const pending = computed(() => handovers.value.find((h) => h.state === 'pending' && h.from.username === session.user?.username) ?? null);

  api.on('handover.changed', (h) => {
    const i = handovers.value.findIndex((x) => x.id === h.id);
    if (i >= 0) handovers.value.splice(i, 1, h);
    else handovers.value.unshift(h);
  });

  async function loadDraft(): Promise<void> {
    draft.value = await api.call('handover.draft', {});
    draftAt.value = Date.now();
  }
  async function loadHandovers(): Promise<void> {
    handovers.value = await api.call('handover.list', { limit: 20 });
  }
  async function submit(note: string): Promise<Handover> {
    const h = await api.call('handover.submit', { note });
    await loadHandovers();
    return h;
  }
  async function cancel(id: string): Promise<void> {
    await api.call('handover.cancel', { id });
    await loadHandovers();
  }
  /**
   * The incoming operator signs off; then this seat is signed in as them with the same credentials. Returns
   * whether that sign-in went through (a first password to change, or a slowed sign-in, leaves it to them).
   */
  async function accept(id: string, username: string, password: string): Promise<{ handover: Handover; signedIn: boolean }> {
    const handover = await api.call('handover.accept', { id, username, password });
    try {
      await session.login(username, password);
      return { handover, signedIn: true };
    } catch {
      await session.logout().catch(() => undefined);
      return { handover, signedIn: false };
    }
  }

  // ── Audit log ──
  const entries = ref<AuditRecord[]>([]);
  const reachedEnd = ref(false);
  const verdict = shallowRef<AuditVerdict | null>(null);
  let query: AuditQuery = { subject: '', actor: '', action: '' };
  const filterOf = (q: AuditQuery) => ({
    ...(q.subject.trim() ? { subject: q.subject.trim() } : {}),
    ...(q.actor.trim() ? { actor: q.actor.trim() } : {}),
    ...(q.action ? { action: q.action } : {}),
  });

  async function search(q: AuditQuery): Promise<void> {
    query = { ...q };
    const page = await api.call('audit.list', { limit: AUDIT_PAGE, ...filterOf(query) });
    entries.value = page;
    reachedEnd.value = page.length < AUDIT_PAGE;
  }
  async function older(): Promise<void> {
    const last = entries.value.at(-1);
    if (!last || reachedEnd.value) return;
    const page = await api.call('audit.list', { limit: AUDIT_PAGE, before: last.id, ...filterOf(query) });
    entries.value = [...entries.value, ...page];
    reachedEnd.value = page.length < AUDIT_PAGE;
  }
  async function verify(): Promise<AuditVerdict> {
    verdict.value = await api.call('audit.verify', {});
    return verdict.value;
  }

  return { draft, draftAt, handovers, pending, loadDraft, loadHandovers, submit, cancel, accept, entries, reachedEnd, verdict, search, older, verify };
});
