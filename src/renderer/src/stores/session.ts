// Who is signed in in this window. A sign-in whose password someone else chose (first run, a reset) waits in
// `pendingChange` until the password is changed: the console appears only then. The core may end the session
// (signed out elsewhere, password changed, account changed by an administrator): `endedReason` says why.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SessionEvents } from '../../../shared/contract/session.ts';
import type { User } from '../../../shared/domain.ts';
import { api, connection } from '../api/instance.ts';

// The resume token lets this tab come back signed in after a reload or a lost connection; it lives as long
// as the tab (sessionStorage) and is revoked by the core at sign-out.
const TOKEN_KEY = 'skyfence.resume';
/** The host closes a connection that stays signed out for a while; the next call simply opens a new one. */
const CLOSED_FOR_IDLING = 4001;

export type EndedReason = SessionEvents['session.ended']['reason'];

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null);
  const pendingChange = ref<User | null>(null);
  const endedReason = ref<EndedReason | null>(null);
  const connected = ref(false);
  /** Closed by the host for staying signed out: not a fault, and nothing to restore. */
  const idle = ref(false);
  let retry: number | undefined;
  let everConnected = false;
  connection.onConnectionChange((c, closeCode) => {
    if (c) {
      // Back after a drop (or after being dropped as too slow): take the session up again, and only then say
      // so, so that what reloads on `connected` (the alarm queue, the status) reads as the signed-in user.
      const resume = everConnected && !idle.value;
      everConnected = true;
      idle.value = false;
      if (resume) void restore().then(() => (connected.value = true));
      else connected.value = true;
      return;
    }
    connected.value = false;
    if (closeCode === CLOSED_FOR_IDLING) {
      idle.value = true;
      return;
    }
    // Each failed attempt closes again and lands here, so this retries every few seconds until it succeeds.
    clearTimeout(retry);
    retry = window.setTimeout(() => void connection.reconnect().catch(() => undefined), 3000);
  });
  api.on('session.ended', ({ reason }) => {
    sessionStorage.removeItem(TOKEN_KEY);
    user.value = null;
    pendingChange.value = null;
    endedReason.value = reason;
  });

  function signedIn(result: User & { resumeToken: string; mustChangePassword: boolean }): void {
    const { resumeToken, mustChangePassword, ...who } = result;
    sessionStorage.setItem(TOKEN_KEY, resumeToken);
    endedReason.value = null;
    if (mustChangePassword) {
      pendingChange.value = who;
      user.value = null;
    } else {
      pendingChange.value = null;
      user.value = who;
    }
  }

  async function restore(): Promise<void> {
    try {
      const current = await api.call('session.current', {});
      if (current) {
        if (!pendingChange.value) user.value = current;
        return;
      }
      const token = sessionStorage.getItem(TOKEN_KEY);
      if (token) signedIn(await api.call('session.resume', { token }));
      else user.value = pendingChange.value = null;
    } catch {
      sessionStorage.removeItem(TOKEN_KEY);
      user.value = pendingChange.value = null;
    }
  }
  async function login(username: string, password: string): Promise<void> {
    signedIn(await api.call('session.login', { username, password }));
  }
  async function logout(): Promise<void> {
    await api.call('session.logout', {});
    sessionStorage.removeItem(TOKEN_KEY);
    user.value = pendingChange.value = null;
    endedReason.value = null;
  }
  /** After a password change the core issues a new token (the old ones are revoked); a forced change lets the console in. */
  function passwordChanged(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
    if (pendingChange.value) {
      user.value = pendingChange.value;
      pendingChange.value = null;
    }
  }
  return { user, pendingChange, endedReason, connected, idle, restore, login, logout, passwordChanged };
});
