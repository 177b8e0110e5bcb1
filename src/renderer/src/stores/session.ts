import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { User } from '../../../shared/domain.ts';
import { api, connection } from '../api/instance.ts';

// The resume token lets this tab come back signed in after a reload or a lost connection; it lives as long
// as the tab (sessionStorage) and is revoked by the core at sign-out.
const TOKEN_KEY = 'skyfence.resume';

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null);
  const connected = ref(false);
  let retry: number | undefined;
  let everConnected = false;
  connection.onConnectionChange((c) => {
    connected.value = c;
    if (c) {
      // Back after a drop: take the session up again (the console stays on screen meanwhile).
      if (everConnected) void restore();
      everConnected = true;
      return;
    }
    // Each failed attempt closes again and lands here, so this retries every few seconds until it succeeds.
    clearTimeout(retry);
    retry = window.setTimeout(() => void connection.reconnect().catch(() => undefined), 3000);
  });

  async function restore(): Promise<void> {
    try {
      const current = await api.call('session.current', {});
      const token = sessionStorage.getItem(TOKEN_KEY);
      user.value = current ?? (token ? await api.call('session.resume', { token }) : null);
    } catch {
      sessionStorage.removeItem(TOKEN_KEY);
      user.value = null;
    }
  }
  async function login(username: string, password: string): Promise<void> {
    const { resumeToken, ...signedIn } = await api.call('session.login', { username, password });
    sessionStorage.setItem(TOKEN_KEY, resumeToken);
    user.value = signedIn;
  }
  async function logout(): Promise<void> {
    await api.call('session.logout', {});
    sessionStorage.removeItem(TOKEN_KEY);
    user.value = null;
  }
  /** After a password change the core issues a new token (the old ones are revoked). */
  function replaceToken(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
  }
  return { user, connected, restore, login, logout, replaceToken };
});
