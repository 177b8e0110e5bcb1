// The preload exposes the contract and nothing more: `window.skyfence.call(name, input)` and
// `window.skyfence.on(event, listener)`. It runs sandboxed, so it is bundled as CommonJS, and imports only
// the channel names at runtime (the contract's types are erased).
import { contextBridge, ipcRenderer } from 'electron';
import type { SkyfenceApi } from '../shared/contract/index.ts';
import { IPC_CALL_CHANNEL as CALL_CHANNEL, IPC_EVENT_CHANNEL as EVENT_CHANNEL } from '../shared/events.ts';

type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

// Events arrive batched: every event of a moment in one message.
ipcRenderer.on(EVENT_CHANNEL, (_e, batch: Array<{ event: string; payload: unknown }>) => {
  if (!Array.isArray(batch)) return;
  for (const { event, payload } of batch) listeners.get(event)?.forEach((l) => l(payload));
});

const api: SkyfenceApi = {
  async call(name, input) {
    const reply = (await ipcRenderer.invoke(CALL_CHANNEL, name, input)) as Reply;
    if (reply.ok) return reply.value as never;
    throw Object.assign(new Error(reply.error.message), reply.error);
  },
  on(event, listener) {
    if (typeof event !== 'string' || !/^[a-z]+\.[a-zA-Z]+$/.test(event)) throw new Error(`unknown event ${String(event)}`);
    const set = listeners.get(event) ?? new Set<Listener>();
    set.add(listener as Listener);
    listeners.set(event, set);
    return () => set.delete(listener as Listener);
  },
};

contextBridge.exposeInMainWorld('skyfence', api);
