import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { User } from '../../../shared/domain.ts';
import { api, connection } from '../api/instance.ts';

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null);
  const connected = ref(false);
  let retry: number | undefined;
  connection.onConnectionChange((c) => {
    connected.value = c;
    if (c) return;
    // The core keeps the login per connection: a lost connection means signing in again, once it is back.
    user.value = null;
    // Each failed attempt closes again and lands here, so this retries every few seconds until it succeeds.
    clearTimeout(retry);
    retry = window.setTimeout(() => void connection.reconnect().catch(() => undefined), 3000);
  });

  async function restore(): Promise<void> {
    try {
      user.value = await api.call('session.current', {});
    } catch {
      user.value = null;
    }
  }
  async function login(username: string, password: string): Promise<void> {
    user.value = await api.call('session.login', { username, password });
  }
  async function logout(): Promise<void> {
    await api.call('session.logout', {});
    user.value = null;
  }
  return { user, connected, restore, login, logout };
});
