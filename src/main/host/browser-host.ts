// The browser host: the same core and contract over a WebSocket on 127.0.0.1, guarded by a token made at
// launch, and the built renderer as static files. The end-to-end tests drive it; a second screen follows it.
// The connections themselves (caps, heartbeat, backpressure, event routing) are api-sockets.ts, shared with
// the terminals' listener (terminal-host.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentSecurityPolicy } from '../../shared/csp.ts';
import type { Core } from '../core/core.ts';
import { MEDIA_PATH_PREFIX } from '../core/video/media-server.ts';
import { serveMedia } from '../core/video/video-core.ts';
import { ApiSockets, DEFAULT_HOST_LIMITS, type HostLimits } from './api-sockets.ts';
import { LaunchCodes } from './launch-codes.ts';
import { LiveMediaSockets, statusLine, type LiveSocketStats } from './live-media-socket.ts';
import { oncePer } from './once-per.ts';
import { serveStatic } from './static-files.ts';

export { DEFAULT_HOST_LIMITS, type HostLimits };

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
  const api = new ApiSockets(core, { limits, log, note, name: 'browser host', originPrefix: 'ws' });
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
    api.accept(req, socket, head);
  });

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
      await live.close();
      await api.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
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
