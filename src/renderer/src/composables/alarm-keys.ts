// Keyboard-first operation of the alarm queue: one key per action (J/K or ↓/↑, A, D, L, R, C, E, I, G, M, ?).
// Keys do nothing while the operator types in a field, with a modifier held (the browser's own shortcuts), or
// while a dialog is open (its own keys apply there: Enter, Esc).
import { onBeforeUnmount, onMounted } from 'vue';

export const ALARM_KEYS = [
  { action: 'next', keys: ['J', '↓'] },
  { action: 'previous', keys: ['K', '↑'] },
  { action: 'acknowledge', keys: ['A'] },
  { action: 'dispatch', keys: ['D'] },
  { action: 'locate', keys: ['L'] },
  { action: 'resolve', keys: ['R'] },
  { action: 'close', keys: ['C'] },
  { action: 'escalate', keys: ['E'] },
  { action: 'incident', keys: ['I'] },
  { action: 'group', keys: ['G'] },
  { action: 'silence', keys: ['M'] },
  { action: 'help', keys: ['?'] },
] as const;
export type AlarmKeyAction = (typeof ALARM_KEYS)[number]['action'];

const BY_KEY: Record<string, AlarmKeyAction> = {
  j: 'next', ArrowDown: 'next', k: 'previous', ArrowUp: 'previous', a: 'acknowledge', d: 'dispatch', l: 'locate',
  r: 'resolve', c: 'close', e: 'escalate', i: 'incident', g: 'group', m: 'silence', '?': 'help',
};

/** True when the key press belongs to a field being typed in. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  // A field left focused inside a dialog that has closed (hidden) is not being typed in.
  if (!el.isConnected || el.getClientRects().length === 0) return false;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.isContentEditable;
}

/** The action of a key press, or null when the queue should leave it alone. */
export function alarmKeyAction(e: KeyboardEvent): AlarmKeyAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing || isTyping(e.target)) return null;
  return BY_KEY[e.key.length === 1 ? e.key.toLowerCase() : e.key] ?? (e.key === '?' ? 'help' : null);
}

/** Listens on the window while the component is mounted; `blocked()` says when a dialog has the keys. */
export function useAlarmKeys(run: (action: AlarmKeyAction) => void, blocked: () => boolean): void {
  const onKey = (e: KeyboardEvent) => {
    if (blocked()) return;
    const action = alarmKeyAction(e);
    if (!action) return;
    e.preventDefault();
    run(action);
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
