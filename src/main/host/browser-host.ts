// The browser host: the same core and contract over a WebSocket on 127.0.0.1, guarded by a token made at
// launch, and the built renderer as static files. The end-to-end tests drive it; a second screen follows it.
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
import { LaunchCodes } from './launch-codes.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.wasm': 'application/wasm',
  '.glb': 'model/gltf-binary', '.gltf': 'model/gltf+json', '.xml': 'application/xml', '.ktx2': 'image/ktx2', '.woff2': 'font/woff2',
};
const MAX_FRAME_BYTES = 256 * 1024;

export interface BrowserHost {
  /** The URL to open: the token rides in the fragment, which browsers never send to a server. */
  url: string;
  port: number;
  token: string;
  /** A one-time URL that opens the console once (for a browser's command line, which other users can read). */
  launchUrl(): string;
  close(): Promise<void>;
}

export async function startBrowserHost(core: Core, opts: { port: number; rendererDir: string; log?: (l: string) => void }): Promise<BrowserHost> {
  const log = opts.log ?? ((l) => console.log(l));
  const token = randomBytes(24).toString('base64url');
  const csp = contentSecurityPolicy({ imageryOrigin: core.imagery && new URL(core.imagery.url).origin });

  const launch = new LaunchCodes(token);
  const server: Server = createServer((req, res) => launch.serve(req, res) || serveStatic(req, res, opts.rendererDir, csp));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const ownOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const reject = (status: string, why: string) => {
      log(`browser host: refused a connection from ${req.socket.remoteAddress}: ${why}`);
      socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${why}\n`);
    };
    if (url.pathname !== '/api') return reject('404 Not Found', 'no such endpoint');
    if (!sameToken(url.searchParams.get('token') ?? '', token)) return reject('401 Unauthorized', 'wrong or missing token');
    // Pages of other origins must not ride on a token they somehow learned; non-browser feeds send no Origin.
    if (origin !== undefined && origin !== ownOrigin) return reject('403 Forbidden', `origin ${origin} is not allowed`);
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(core, ws, `ws:${req.socket.remoteAddress}`));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    launchUrl: () => launch.url(port),
    async close() {
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

function serveConnection(core: Core, ws: WebSocket, origin: string): void {
  const session: Session = { user: null, origin };
  const send = (frame: ServerFrame) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(frame));
  // Events go to logged-in clients only.
  const unsubscribe = core.bus.subscribe((event, payload) => {
    if (session.user && (BROADCAST_EVENTS as readonly EventName[]).includes(event)) send({ kind: 'events', events: [{ event, payload }] });
  });
  ws.on('close', unsubscribe);
  ws.on('message', async (data) => {
    let frame: ClientFrame;
    try {
      frame = JSON.parse(String(data)) as ClientFrame;
      if (frame?.kind !== 'call' || typeof frame.id !== 'number' || typeof frame.name !== 'string') throw new Error('not a call frame');
    } catch (err) {
      send({ kind: 'error', id: -1, error: { code: 'bad-request', message: `unreadable frame: ${(err as Error).message}` } });
      return;
    }
    try {
      send({ kind: 'result', id: frame.id, result: await dispatch(core, session, frame.name, frame.input) });
    } catch (err) {
      const body = err instanceof ApiError ? err.toBody() : { code: 'internal' as const, message: 'internal error' };
      send({ kind: 'error', id: frame.id, error: body });
    }
  });
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
