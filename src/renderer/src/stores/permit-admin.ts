// Flight permits (授权飞行) as the permit dialog shows them: the list (active only, or with the expired and
// revoked), kept current by 'permits.changed', and the calls that create and revoke (commander/admin; the core
// enforces the role, the dialog only hides the buttons).
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { PermitInput } from '../../../shared/contract/drones.ts';
import type { Permit } from '../../../shared/drones.ts';
import { api } from '../api/instance.ts';

export const usePermitAdminStore = defineStore('permit-admin', () => {
  const permits = shallowRef<Permit[]>([]);
  const includeInactive = ref(false);
  let unsubscribe: (() => void) | null = null;

  async function load(): Promise<void> {
    // Read the list again on a change: the event's list may not match the filter shown (active only or all).
    unsubscribe ??= api.on('permits.changed', () => void load().catch(() => undefined));
    permits.value = await api.call('permits.list', { includeInactive: includeInactive.value });
  }
  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }
  async function create(input: PermitInput): Promise<Permit> {
    const p = await api.call('permits.create', input);
    await load();
    return p;
  }
  async function revoke(id: string, reason: string): Promise<Permit> {
    const p = await api.call('permits.revoke', { id, reason });
    await load();
    return p;
  }
  return { permits, includeInactive, load, stop, create, revoke };
});
