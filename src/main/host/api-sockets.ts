// The contract over WebSocket connections (/api): one session per connection, calls dispatched to the core,
// events batched per turn of the event loop and routed by audience (see event-routing.ts). Shared by the
// console's loopback listener and the terminals' listener, which differ only in how a connection gets in
// (token, origin) and which roles may sign in on it.
// No client can take a listener down or starve the others: bad frames close that connection only (or are
// answered with an error), calls in flight are capped (and a unit terminal's call rate), slow readers are
// dropped, silent ones cut off.
// (Its timers are wall-clock timers, not the core's clock: they watch sockets, not the airport.)
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientFrame, EventName, ServerFrame } from '../../shared/contract/index.ts';
import { ApiError, dispatch, type Session } from '../core/api.ts';
import type { Core } from '../core/core.ts';
import { isDelivered, routeEvents, type BusEvent } from './event-routing.ts';
import type { NoteOnce } from './once-per.ts';
import { CallRate } from './call-rate.ts';
import { enforceSignInRule, type SignInRule } from './role-gate.ts';

export const MAX_FRAME_BYTES = 256 * 1024;

/** What one client may cost a listener. Defaults for a console; tests shorten the timers. */
export interface HostLimits {
  /** Concurrent API WebSocket connections (/api); beyond, a new one is closed with 1013. */
  maxConnections: number;
  /** Concurrent live-picture WebSockets (/media/<ticket>), a separate pool; beyond, refused with 503. */
  maxLiveSockets: number;
  /** Unsent bytes of one live-picture socket beyond which its frames are dropped (the socket stays). */
  maxLiveBufferedBytes: number;
  /** Unsent bytes queued for one client; beyond, it is dropped as too slow (4008) and reconnects. */
  maxBufferedBytes: number;
  /** Calls of one client being served at once; beyond, refused at once ('rate-limited'). */
  maxCallsInFlight: number;
  /** Calls a unit terminal's connection may make per second, sustained; beyond, refused ('rate-limited', 'call-rate'). */
  unitCallsPerSecond: number;
  /** ...and at once after a quiet spell (an outbox flushed after the network came back). */
  unitCallBurst: number;
  /** A ping this often; a client that misses two pongs is cut off. */
  pingIntervalMs: number;
  /** A connection that is not signed in this long after connecting (or after signing out) is closed (4001). */
  signInTimeoutMs: number;
}

export const DEFAULT_HOST_LIMITS: HostLimits = {
  maxConnections: 64,
  maxLiveSockets: 64,
  maxLiveBufferedBytes: 2 ** 20,
  // A whole queue of 10,000 open alarms is one reply of about 6 MB: room for it and the events behind it.
  maxBufferedBytes: 16 * 1024 * 1024,
  maxCallsInFlight: 32,
  unitCallsPerSecond: 20,
  unitCallBurst: 40,
  pingIntervalMs: 15_000,
  signInTimeoutMs: 30_000,
};

export interface ApiSocketsOptions {
  limits: HostLimits;
  log: (line: string) => void;
  note: NoteOnce;
  /** In log lines: 'browser host', 'terminal host'. */
  name: string;
  /** Prefix of each session's origin (for the record and the sign-in throttle): 'ws', 'terminal'. */
  originPrefix: string;
  /** Only these roles may sign in here; absent: any role the contract knows. */
  signInRule?: SignInRule;
}

interface Client {
  ws: WebSocket;
  session: Session;
  inFlight: number;
  missedPongs: number;
  dropped: boolean;
  signInTimer?: NodeJS.Timeout;
  /** Metered once signed in as a unit. */
  rate: CallRate;
}

export class ApiSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private batch: BusEvent[] = [];

  constructor(private readonly core: Core, private readonly opts: ApiSocketsOptions) {
    this.wss.on('error', (err) => opts.note('server', `${opts.name}: WebSocket server error: ${err.message}`));
    // Events: everything published within one turn of the event loop goes out as one frame per audience.
    this.unsubscribe = core.bus.subscribe((event, payload) => {
      if (!isDelivered(event)) return;
      if (this.batch.length === 0) setImmediate(() => this.flushEvents());
      this.batch.push({ event, payload });
    });
    // Heartbeat: a client that missed two pongs in a row is gone.
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) {
        if (c.ws.readyState !== c.ws.OPEN) continue;
        if (c.missedPongs >= 2) {
          c.ws.terminate();
          continue;
        }
        c.missedPongs++;
        c.ws.ping();
      }
    }, opts.limits.pingIntervalMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Completes the upgrade of a request already admitted (token, origin) and serves the connection. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { limits, note, name } = this.opts;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const from = `${this.opts.originPrefix}:${req.socket.remoteAddress}`;
      ws.on('error', (err) => note(`frame ${(err as { code?: string }).code}`, `${name}: closed a connection from ${from}: ${err.message}`));
      if (this.clients.size >= limits.maxConnections) {
        note('too-many', `${name}: refused a connection from ${from}: already ${this.clients.size} connections`);
        ws.close(1013, `too many connections (at most ${limits.maxConnections}): try again later`);
        return;
      }
      this.serve(ws, from);
    });
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }

  private flushEvents(): void {
    const routed = routeEvents(this.batch);
    this.batch = [];
    const frame = (events: BusEvent[]) => JSON.stringify({ kind: 'events', events } satisfies ServerFrame);
    // Serialised once per audience, not once per client.
    const consoleFrame = routed.console.length ? frame(routed.console) : null;
    const unitFrames = new Map([...routed.units].map(([unitId, events]) => [unitId, frame(events)]));
    for (const c of this.clients) {
      const user = c.session.user;
      if (!user || !this.core.sessions.receivesEvents(c.session)) continue;
      const text = user.role === 'unit' ? (user.unitId ? unitFrames.get(user.unitId) : undefined) : consoleFrame;
      if (text) this.send(c, text);
    }
  }

  /** Sends, unless the client has fallen too far behind: then it is dropped and told to reconnect. */
  private send(c: Client, text: string): void {
    if (c.dropped || c.ws.readyState !== c.ws.OPEN) return;
    if (c.ws.bufferedAmount > this.opts.limits.maxBufferedBytes) {
      c.dropped = true;
      this.opts.log(`${this.opts.name}: dropped a slow client (${c.session.origin}, ${(c.ws.bufferedAmount / 2 ** 20).toFixed(1)} MiB unsent)`);
      c.ws.close(4008, 'too slow: reconnect');
      setTimeout(() => c.ws.terminate(), 1000).unref(); // its close frame waits behind the backlog
      return;
    }
    c.ws.send(text);
  }

  private serve(ws: WebSocket, from: string): void {
    const { core } = this;
    const { limits, signInRule } = this.opts;
    const c: Client = {
      ws, session: { user: null, origin: from }, inFlight: 0, missedPongs: 0, dropped: false,
      rate: new CallRate(limits.unitCallsPerSecond, limits.unitCallBurst),
    };
    const reply = (frame: ServerFrame) => this.send(c, JSON.stringify(frame));
    // A connection must sign in soon after it opens, and again soon after its session ends.
    // One told to wait before its next sign-in attempt gets that wait on top: else a stranger's failures, which
    // slow the account to 30 s, would close every fresh connection before its one allowed attempt.
    const watchSignIn = (waitS = 0) => {
      if (c.session.user) {
        clearTimeout(c.signInTimer);
        c.signInTimer = undefined;
      } else {
        if (waitS > 0) {
          clearTimeout(c.signInTimer);
          c.signInTimer = undefined;
        }
        const ms = limits.signInTimeoutMs + waitS * 1000;
        c.signInTimer ??= setTimeout(() => {
          c.signInTimer = undefined;
          if (!c.session.user) ws.close(4001, `not signed in within ${Math.round(ms / 1000)} s`);
        }, ms);
      }
    };
    c.session.end = (reason) => {
      reply({ kind: 'events', events: [{ event: 'session.ended' satisfies EventName, payload: { reason } }] });
      watchSignIn();
    };
    this.clients.add(c);
    watchSignIn();
    ws.on('pong', () => (c.missedPongs = 0));
    ws.on('close', () => {
      this.clients.delete(c);
      clearTimeout(c.signInTimer);
      core.sessions.forget(c.session);
    });
    ws.on('message', async (data) => {
      let frame: ClientFrame;
      try {
        frame = JSON.parse(String(data)) as ClientFrame;
        if (frame === null || typeof frame !== 'object' || frame.kind !== 'call' || !Number.isSafeInteger(frame.id) || typeof frame.name !== 'string') {
          throw new Error('not a call frame');
        }
      } catch (err) {
        reply({ kind: 'error', id: -1, error: { code: 'bad-request', message: `unreadable frame: ${(err as Error).message}` } });
        return;
      }
      const waitS = c.session.user?.role === 'unit' ? c.rate.take() : 0;
      if (waitS > 0) {
        reply({ kind: 'error', id: frame.id, error: { code: 'rate-limited', message: `more than ${limits.unitCallsPerSecond} calls a second from this terminal`, retryAfterS: waitS, reason: 'call-rate' } });
        return;
      }
      if (c.inFlight >= limits.maxCallsInFlight) {
        reply({ kind: 'error', id: frame.id, error: { code: 'rate-limited', message: 'too many calls at once on this connection', retryAfterS: 1, reason: 'calls-in-flight' } });
        return;
      }
      c.inFlight++;
      let signInWaitS = 0;
      try {
        const result = await dispatch(core, c.session, frame.name, frame.input);
        if (signInRule) await enforceSignInRule(core, c.session, frame.name, signInRule);
        reply({ kind: 'result', id: frame.id, result });
      } catch (err) {
        const body = err instanceof ApiError ? err.toBody() : { code: 'internal' as const, message: 'internal error' };
        if (frame.name === 'session.login' && body.code === 'rate-limited') signInWaitS = body.retryAfterS ?? 0;
        reply({ kind: 'error', id: frame.id, error: body });
      } finally {
        c.inFlight--;
        watchSignIn(signInWaitS);
      }
    });
  }
}
