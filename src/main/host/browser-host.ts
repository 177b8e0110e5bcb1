// The browser host: the same core and contract over a WebSocket on 127.0.0.1, guarded by a token made at
// launch, and the built renderer as static files. The end-to-end tests drive it; a second screen follows it.
// No client can take it down or starve the others: bad frames close that connection only, connections and
// calls in flight are capped, slow readers are dropped, silent ones cut off, and events go out in batches.
// (Its timers are wall-clock timers, not the core's clock: they watch sockets, not the airport.)
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { BROADCAST_EVENTS, type ClientFrame, type EventName, type ServerFrame } from '../../shared/contract/index.ts';
import { contentSecurityPolicy } from '../../shared/csp.ts';
import { ApiError, dispatch, type Session } from '../core/api.ts';
import type { Core } from '../core/core.ts';
import { MEDIA_PATH_PREFIX } from '../core/video/media-server.ts';
import { serveMedia } from '../core/video/video-core.ts';
import { LaunchCodes } from './launch-codes.ts';
import { LiveMediaSockets, statusLine, type LiveSocketStats } from './live-media-socket.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.wasm': 'application/wasm',
  '.glb': 'model/gltf-binary', '.gltf': 'model/gltf+json', '.xml': 'application/xml', '.ktx2': 'image/ktx2', '.woff2': 'font/woff2',
};
const MAX_FRAME_BYTES = 256 * 1024;

/** What one client may cost the host. Defaults for a console; tests shorten the timers. */
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
  /** A ping this often; a client that misses two pongs is cut off. */
  pingIntervalMs: number;
  /** A connection that is not signed in this long after connecting (or after signing out) is closed (4001). */
  signInTimeoutMs: number;
}

export const DEFAULT_HOST_LIMITS: HostLimits = {
  maxConnections: 64,
  maxLiveSockets: 64,
  maxLiveBufferedBytes: 2 ** 20,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxCallsInFlight: 32,
  pingIntervalMs: 15_000,
  signInTimeoutMs: 30_000,
};

export interface BrowserHost {
  /** The URL to open: the token rides in the fragment, which browsers never send to a server. */
  url: string;
  port: number;
  token: string;
  /** A one-time URL that opens the console once (for a browser's command line, which other users can read). */
  launchUrl(): string;
  /** The live-picture sockets: how many are open, frames sent and dropped. */
  liveSocketStats(): LiveSocketStats;
  close(): Promise<void>;
}

interface Client {
  ws: WebSocket;
  session: Session;
  inFlight: number;
  missedPongs: number;
  dropped: boolean;
  signInTimer?: NodeJS.Timeout;
}

export async function startBrowserHost(
  core: Core,
  opts: { port: number; rendererDir: string; log?: (l: string) => void; limits?: Partial<HostLimits> },
): Promise<BrowserHost> {
  const log = opts.log ?? ((l) => console.log(l));
  const limits = { ...DEFAULT_HOST_LIMITS, ...opts.limits };
  const token = randomBytes(24).toString('base64url');
  const csp = contentSecurityPolicy({ imageryOrigin: core.imagery && new URL(core.imagery.url).origin });
  const note = oncePer(10_000, log);

  const launch = new LaunchCodes(token);
  const server: Server = createServer(
    (req, res) => launch.serve(req, res) || serveMediaRoute(core, req, res, note) || serveStatic(req, res, opts.rendererDir, csp),
  );
  // Slow or half-open HTTP requests (slowloris) must not pile up: headers within 10 s, a request within 30 s, and
  // at most 256 sockets in all (the WebSocket caps of 64 API and 64 live-picture sockets are inside this).
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.maxConnections = 256;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  wss.on('error', (err) => note('server', `browser host: WebSocket server error: ${err.message}`));
  const clients = new Set<Client>();
  const live = new LiveMediaSockets(core, { maxSockets: limits.maxLiveSockets, maxBufferedBytes: limits.maxLiveBufferedBytes, pingIntervalMs: limits.pingIntervalMs }, note);

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy()); // a client that resets mid-handshake
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const ownOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const reject = (status: string, why: string) => {
      log(`browser host: refused a connection from ${req.socket.remoteAddress}: ${why}`);
      socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${why}\n`);
    };
    // Live pictures: the ticket in the path is the authorisation (as for GET /media/<ticket>), not the token.
    if (LiveMediaSockets.handles(url.pathname)) {
      if (origin !== undefined && origin !== ownOrigin) return reject('403 Forbidden', `origin ${origin} is not allowed`);
      // Refusals are noted at most once per kind every 10 s: a wall of offline cameras retries them all the time.
      const refuse = (status: number, why: string) => {
        note(`live-refused ${status}`, `browser host: refused a live picture socket from ${req.socket.remoteAddress}: ${status} ${why}`);
        socket.end(`HTTP/1.1 ${statusLine(status)}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${why}\n`);
      };
      live.upgrade(req, socket, head, refuse).catch((err: Error) => {
        note('live-upgrade', `browser host: a live picture upgrade failed: ${err.message}`);
        socket.destroy();
      });
      return;
    }
    if (url.pathname !== '/api') return reject('404 Not Found', 'no such endpoint');
    if (!sameToken(url.searchParams.get('token') ?? '', token)) return reject('401 Unauthorized', 'wrong or missing token');
    // Pages of other origins must not ride on a token they somehow learned; non-browser feeds send no Origin.
    if (origin !== undefined && origin !== ownOrigin) return reject('403 Forbidden', `origin ${origin} is not allowed`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const from = `ws:${req.socket.remoteAddress}`;
      ws.on('error', (err) => note(`frame ${(err as { code?: string }).code}`, `browser host: closed a connection from ${from}: ${err.message}`));
      if (clients.size >= limits.maxConnections) {
        note('too-many', `browser host: refused a connection from ${from}: already ${clients.size} connections`);
        ws.close(1013, `too many connections (at most ${limits.maxConnections}): try again later`);
        return;
      }
      serveConnection(ws, from);
    });
  });

  // Events: everything published within one turn of the event loop goes out as one frame, serialised once.
  let batch: Array<{ event: EventName; payload: unknown }> = [];
  const unsubscribe = core.bus.subscribe((event, payload) => {
    if (!(BROADCAST_EVENTS as readonly EventName[]).includes(event)) return;
    if (batch.length === 0) setImmediate(flushEvents);
    batch.push({ event, payload });
  });
  function flushEvents(): void {
    const frame = JSON.stringify({ kind: 'events', events: batch } satisfies ServerFrame);
    batch = [];
    for (const c of clients) if (core.sessions.receivesEvents(c.session)) send(c, frame);
  }

  /** Sends, unless the client has fallen too far behind: then it is dropped and told to reconnect. */
  function send(c: Client, text: string): void {
    if (c.dropped || c.ws.readyState !== c.ws.OPEN) return;
    if (c.ws.bufferedAmount > limits.maxBufferedBytes) {
      c.dropped = true;
      log(`browser host: dropped a slow client (${c.session.origin}, ${(c.ws.bufferedAmount / 2 ** 20).toFixed(1)} MiB unsent)`);
      c.ws.close(4008, 'too slow: reconnect');
      setTimeout(() => c.ws.terminate(), 1000).unref(); // its close frame waits behind the backlog
      return;
    }
    c.ws.send(text);
  }

  // Heartbeat: a client that missed two pongs in a row is gone.
  const heartbeat = setInterval(() => {
    for (const c of clients) {
      if (c.ws.readyState !== c.ws.OPEN) continue;
      if (c.missedPongs >= 2) {
        c.ws.terminate();
        continue;
      }
      c.missedPongs++;
      c.ws.ping();
    }
  }, limits.pingIntervalMs);
  heartbeat.unref();

  function serveConnection(ws: WebSocket, from: string): void {
    const c: Client = { ws, session: { user: null, origin: from }, inFlight: 0, missedPongs: 0, dropped: false };
    const reply = (frame: ServerFrame) => send(c, JSON.stringify(frame));
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
      reply({ kind: 'events', events: [{ event: 'session.ended', payload: { reason } }] });
      watchSignIn();
    };
    clients.add(c);
    watchSignIn();
    ws.on('pong', () => (c.missedPongs = 0));
    ws.on('close', () => {
      clients.delete(c);
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
      if (c.inFlight >= limits.maxCallsInFlight) {
        reply({ kind: 'error', id: frame.id, error: { code: 'rate-limited', message: 'too many calls at once on this connection', retryAfterS: 1, reason: 'calls-in-flight' } });
        return;
      }
      c.inFlight++;
      let waitS = 0;
      try {
        reply({ kind: 'result', id: frame.id, result: await dispatch(core, c.session, frame.name, frame.input) });
      } catch (err) {
        const body = err instanceof ApiError ? err.toBody() : { code: 'internal' as const, message: 'internal error' };
        if (frame.name === 'session.login' && body.code === 'rate-limited') waitS = body.retryAfterS ?? 0;
        reply({ kind: 'error', id: frame.id, error: body });
      } finally {
        c.inFlight--;
        watchSignIn(waitS);
      }
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => note('server', `browser host: server error: ${err.message}`));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    launchUrl: () => launch.url(port),
    liveSocketStats: () => live.stats(),
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      await live.close();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A log that says each kind of thing at most once per `ms`, counting what it left out. */
function oncePer(ms: number, log: (line: string) => void): (kind: string, line: string) => void {
  const last = new Map<string, { at: number; skipped: number }>();
  return (kind, line) => {
    const now = Date.now();
    const seen = last.get(kind);
    if (seen && now - seen.at < ms) {
      seen.skipped++;
      return;
    }
    log(seen?.skipped ? `${line} (and ${seen.skipped} more like it)` : line);
    last.set(kind, { at: now, skipped: 0 });
  };
}

/** GET /media/<ticket>: snapshots, live pictures, evidence, reports. The ticket is the authorisation. */
function serveMediaRoute(core: Core, req: IncomingMessage, res: ServerResponse, note: (kind: string, line: string) => void): boolean {
  const pathname = (req.url ?? '/').split('?')[0];
  if (!pathname.startsWith(MEDIA_PATH_PREFIX)) return false;
  res.on('error', (err) => note('media', `browser host: media response failed: ${err.message}`));
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return true;
  }
  serveMedia(core, pathname).then(
    (m) => {
      res.once('close', () => m.close?.()); // the viewer went away: release the upstream
      if (res.destroyed) return m.close?.();
      res.writeHead(m.status, m.headers);
      if (Buffer.isBuffer(m.body) || req.method === 'HEAD') {
        res.end(req.method === 'HEAD' ? undefined : m.body);
        if (!Buffer.isBuffer(m.body)) m.close?.();
        return;
      }
      m.body.on('error', (err) => {
        note('media', `browser host: media stream failed: ${err.message}`);
        res.destroy();
      });
      // A stream cut off (not ended: the source hung up, or it stopped being MJPEG) cuts the viewer off too.
      m.body.once('close', () => {
        if (!res.writableEnded) res.destroy();
      });
      m.body.pipe(res);
    },
    (err: Error) => {
      note('media', `browser host: media request failed: ${err.message}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('media failed\n');
    },
  );
  return true;
}

function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, csp: string): void {
  const headers = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    res.writeHead(400, { ...headers, 'Content-Type': 'text/plain' }).end('malformed path');
    return;
  }
  const rel = normalize(pathname === '/' ? '/index.html' : pathname);
  const file = join(root, rel);
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) {
    res.writeHead(403, headers).end();
    return;
  }
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': size,
    'Cache-Control': rel.startsWith(`${sep}cesium${sep}`) ? 'max-age=86400' : 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
