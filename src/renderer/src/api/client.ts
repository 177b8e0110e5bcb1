// The renderer's one way to the core. Inside Electron the preload exposes `window.skyfence`; in a browser
// the same contract runs over the browser host's WebSocket, authorised by the token in the URL fragment.
import type { ApiErrorBody, CallName, EventName, EventPayloads, ServerFrame, SkyfenceApi } from '../../../shared/contract/index.ts';

declare global {
  interface Window {
    skyfence?: SkyfenceApi;
  }
}

/**
 * A failed call: the core's error body (code, and the facts to word it: reason, fields, retryAfterS), or
 * `network` when the core could not be reached. `message` is English for the log; the UI words `code` instead.
 */
export class CallError extends Error {
  readonly code: ApiErrorBody['code'] | 'network';
  readonly reason?: string;
  readonly fields?: ApiErrorBody['fields'];
  readonly retryAfterS?: number;
  constructor(body: Omit<ApiErrorBody, 'code'> & { code: ApiErrorBody['code'] | 'network' }) {
    super(body.message);
    this.code = body.code;
    this.reason = body.reason;
    this.fields = body.fields;
    this.retryAfterS = body.retryAfterS;
  }
}

type Listener = (payload: unknown) => void;

/** The WebSocket transport, with reconnection; calls made while disconnected fail at once. */
class WebSocketApi implements SkyfenceApi {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private opened: Promise<void> | null = null;
  /** `closeCode`: why the host closed it (4001: not signed in in time; 4008: too slow), when it did. */
  onConnectionChange: (connected: boolean, closeCode?: number) => void = () => undefined;

  constructor(private readonly url: string) {}

  connect(): Promise<void> {
    this.opened ??= new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(this.url);
      ws.onopen = () => {
        this.ws = ws;
        this.onConnectionChange(true);
        resolve();
      };
      ws.onerror = () => reject(new CallError({ code: 'network', message: 'cannot reach the console core' }));
      ws.onclose = (e) => {
        this.ws = null;
        this.opened = null;
        for (const p of this.pending.values()) p.reject(new CallError({ code: 'network', message: 'connection closed' }));
        this.pending.clear();
        this.onConnectionChange(false, e.code);
      };
      ws.onmessage = (msg) => this.receive(JSON.parse(String(msg.data)) as ServerFrame);
    });
    return this.opened;
  }

  async call<N extends CallName>(name: N, input: unknown): Promise<never> {
    await this.connect();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws!.send(JSON.stringify({ kind: 'call', id, name, input }));
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as Listener);
    this.listeners.set(event, set);
    return () => set.delete(listener as Listener);
  }

  private receive(frame: ServerFrame): void {
    if (frame.kind === 'events') {
      // One frame carries every event of a moment, in order; a failing listener does not stop the others.
      for (const { event, payload } of frame.events) {
        this.listeners.get(event)?.forEach((l) => {
          try {
            l(payload);
          } catch (err) {
            console.error(`listener of ${event} failed:`, err);
          }
        });
      }
      return;
    }
    const p = this.pending.get(frame.id);
    if (!p) return;
    this.pending.delete(frame.id);
    if (frame.kind === 'result') p.resolve(frame.result);
    else p.reject(new CallError(frame.error));
  }
}

/** The token arrives in the URL fragment once; it is kept for this tab only and removed from the address bar. */
function takeToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('skyfence.token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('skyfence.token') ?? '';
}

export interface ApiConnection {
  api: SkyfenceApi;
  onConnectionChange(listener: (connected: boolean, closeCode?: number) => void): void;
  reconnect(): Promise<void>;
}

export function connectApi(): ApiConnection {
  if (window.skyfence) {
    return { api: window.skyfence, onConnectionChange: (l) => l(true), reconnect: async () => undefined };
  }
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(takeToken())}`;
  const ws = new WebSocketApi(url);
  return {
    api: ws,
    onConnectionChange: (l) => (ws.onConnectionChange = l),
    reconnect: () => ws.connect(),
  };
}
