// The contract over Electron IPC. Written against a small IpcMain-like interface (types only, no runtime
// electron import), so that it is unit-tested in plain Node and the shell stays a thin wrapper. One session per
// window; events go out batched (an array per turn of the event loop) to windows signed in.
// Electron's windows are consoles: a unit account (a patrol's terminal) is refused here, and no window ever
// receives a unit's events; terminals are served by the browser host's terminal listener.
import type { ApiErrorBody, EventName, EventPayloads } from '../shared/contract/index.ts';
import { CONSOLE_ROLES } from '../shared/domain.ts';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/events.ts';
import { ApiError, dispatch, type Session } from './core/api.ts';
import type { Core } from './core/core.ts';
import { isDelivered, routeEvents, type BusEvent } from './host/event-routing.ts';
import { enforceSignInRule, type SignInRule } from './host/role-gate.ts';

export const CALL_CHANNEL = IPC_CALL_CHANNEL;
export const EVENT_CHANNEL = IPC_EVENT_CHANNEL;

export interface IpcSender {
  id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}
export interface IpcInvokeEventLike {
  sender: IpcSender;
  senderFrame: { url: string } | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Results cross IPC as { ok, value } or { ok: false, error } so that error codes survive serialisation. */
const CONSOLES_ONLY: SignInRule = { roles: CONSOLE_ROLES, transport: 'console window' };

export type IpcReply = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

export function registerIpc(ipc: IpcMainLike, core: Core, isTrustedUrl: (url: string) => boolean): () => void {
  const sessions = new Map<number, Session>();
  const senders = new Map<number, IpcSender>();

  ipc.handle(CALL_CHANNEL, async (event, name, input): Promise<IpcReply> => {
    const url = event.senderFrame?.url ?? '';
    if (!isTrustedUrl(url)) {
      console.warn(`ipc: refused a call from an untrusted frame (${url.split('?')[0] || 'unknown'})`);
      return { ok: false, error: { code: 'forbidden', message: 'untrusted sender' } };
    }
    const id = event.sender.id;
    if (!sessions.has(id)) {
      const sender = event.sender;
      const session: Session = {
        user: null,
        origin: `ipc:${id}`,
        end: (reason) => {
          const ended: Array<{ event: EventName; payload: EventPayloads['session.ended'] }> = [{ event: 'session.ended', payload: { reason } }];
          if (!sender.isDestroyed()) sender.send(EVENT_CHANNEL, ended);
        },
      };
      sessions.set(id, session);
      senders.set(id, sender);
      sender.once('destroyed', () => {
        core.sessions.forget(session);
        sessions.delete(id);
        senders.delete(id);
      });
    }
    try {
      if (typeof name !== 'string') throw new ApiError('bad-request', 'call name must be a string');
      const session = sessions.get(id)!;
      const value = await dispatch(core, session, name, input);
      await enforceSignInRule(core, session, name, CONSOLES_ONLY);
      return { ok: true, value };
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('internal', 'internal error');
      return { ok: false, error: e.toBody() };
    }
  });

  // Everything published within one turn of the event loop goes to each window as one message.
  // Only the console's events: a unit's are for its terminals, never for a window.
  let batch: BusEvent[] = [];
  const flush = () => {
    const events = routeEvents(batch).console;
    batch = [];
    if (events.length === 0) return;
    for (const [id, sender] of senders) {
      const session = sessions.get(id);
      const isConsole = session?.user && session.user.role !== 'unit';
      if (isConsole && core.sessions.receivesEvents(session) && !sender.isDestroyed()) sender.send(EVENT_CHANNEL, events);
    }
  };
  const unsubscribe = core.bus.subscribe((event, payload) => {
    if (!isDelivered(event)) return;
    if (batch.length === 0) setImmediate(flush);
    batch.push({ event, payload });
  });

  return () => {
    unsubscribe();
    ipc.removeHandler(CALL_CHANNEL);
  };
}
