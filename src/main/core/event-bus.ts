// The core's event bus: every state change the renderer must see is published here once, after it is stored,
// and each transport (IPC, WebSocket) forwards it to its clients.
import type { EventName, EventPayloads } from '../../shared/contract/index.ts';

type Listener = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

export class EventBus {
  private readonly listeners = new Set<Listener>();

  publish<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch (err) {
        console.error(`event listener failed on ${event}:`, (err as Error).message);
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
