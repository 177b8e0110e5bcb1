// The contract over Electron IPC. Written against a small IpcMain-like interface (types only, no runtime
// electron import), so that it is unit-tested in plain Node and the shell stays a thin wrapper. One session per
// window; events go out batched (an array per turn of the event loop) to windows signed in.
import { BROADCAST_EVENTS, type ApiErrorBody, type EventName, type EventPayloads } from '../shared/contract/index.ts';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/events.ts';
import { ApiError, dispatch, type Session } from './core/api.ts';
import type { Core } from './core/core.ts';

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
      return { ok: true, value: await dispatch(core, sessions.get(id)!, name, input) };
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('internal', 'internal error');
      return { ok: false, error: e.toBody() };
    }
  });

  // Everything published within one turn of the event loop goes to each window as one message.
  let batch: Array<{ event: EventName; payload: unknown }> = [];
  const flush = () => {
    const events = batch;
    batch = [];
    for (const [id, sender] of senders) {
      const session = sessions.get(id);
      if (session && core.sessions.receivesEvents(session) && !sender.isDestroyed()) sender.send(EVENT_CHANNEL, events);
    }
  };
  const unsubscribe = core.bus.subscribe((event, payload) => {
    if (!(BROADCAST_EVENTS as readonly EventName[]).includes(event)) return;
    if (batch.length === 0) setImmediate(flush);
    batch.push({ event, payload });
  });

  return () => {
    unsubscribe();
    ipc.removeHandler(CALL_CHANNEL);
  };
}
