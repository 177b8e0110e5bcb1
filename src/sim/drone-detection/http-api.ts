// What every HTTP endpoint of the simulator shares: loopback only, the API key required, a request that is not
// HTTP answered 400 and closed, a client hanging up never the simulator's problem, bodies capped.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The largest body a control endpoint reads. */
export const MAX_BODY_BYTES = 4096;
/** A "silent" endpoint holds a request this long before dropping it, so that hung requests cannot pile up. */
export const SILENT_HOLD_MS = 60_000;

export type Json = (status: number, body: unknown) => void;
export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, json: Json) => void;

export function apiServer(apiKey: string, handle: Handler): Server {
  const expected = Buffer.from(apiKey);
  const server = createServer((req, res) => {
    req.on('error', () => res.destroy());
    res.on('error', () => res.destroy());
    const json: Json = (status, body) => void res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    const given = Buffer.from(String(req.headers['x-api-key'] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return json(401, { error: 'missing or wrong X-Api-Key' });
    try {
      handle(req, res, new URL(req.url ?? '/', 'http://127.0.0.1'), json);
    } catch (err) {
      if (!res.headersSent) json(500, { error: `simulator: ${(err as Error).message}` });
      else res.destroy();
    }
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nnot an HTTP request\n');
    else socket.destroy();
  });
  return server;
}

/** Holds the request as a dead system would, then drops it. */
export function holdSilently(res: ServerResponse): void {
  const timer = setTimeout(() => res.destroy(), SILENT_HOLD_MS);
  timer.unref();
  res.on('close', () => clearTimeout(timer));
}

/**
 * Reads a JSON body of at most MAX_BODY_BYTES and hands it on; answers 413 (too big) or 400 (not JSON) itself,
 * saying what to send.
 */
export function readJsonBody(
  req: IncomingMessage, res: ServerResponse, json: Json, what: { route: string; like: string; send: string }, then: (body: unknown) => void,
): void {
  const tooBig = () => {
    res.setHeader('Connection', 'close'); // the rest of the body is not read
    json(413, { error: `the body of ${what.route} must be at most ${MAX_BODY_BYTES} bytes of JSON, like ${what.like}` });
  };
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return tooBig();
  let body = '';
  req.on('data', (d: Buffer) => {
    if (res.headersSent) return;
    body += d;
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) tooBig();
  });
  req.on('end', () => {
    if (res.headersSent) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body || '{}');
    } catch (err) {
      return json(400, { error: `the body of ${what.route} is not JSON (${(err as Error).message}); send ${what.send}` });
    }
    then(parsed);
  });
}

/** Listens on 127.0.0.1; rejects with the listen error (EADDRINUSE …). */
export async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined); // after listening, errors belong to connections, which handle their own
  return (server.address() as AddressInfo).port;
}

export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
}
