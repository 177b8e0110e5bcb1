// The drone-detection simulator: the HTTP API a vendor's detection system (radar + RF + Remote ID fusion)
// would offer, over a seeded scenario. Separate process, loopback only, API key required, and a control
// endpoint to inject the faults the console must survive (malformed answers, silence, server errors).
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildScenario, positionAt, scenarioPeriodS } from './scenario.ts';

export type FaultMode = 'none' | 'malformed' | 'silent' | 'error500';
const FAULT_MODES: readonly FaultMode[] = ['none', 'malformed', 'silent', 'error500'];
/** The largest body the control endpoint reads. */
export const MAX_BODY_BYTES = 4096;

export interface DroneSimOptions {
  port: number;
  apiKey: string;
  seed: number;
  targets: number;
  /** Scenario seconds per real second. */
  speed: number;
  origin: { lat: number; lon: number; elevationM: number };
}

export async function startDroneSim(opts: DroneSimOptions): Promise<{ url: string; server: Server }> {
  const scenario = buildScenario(opts.seed, opts.targets);
  const period = scenarioPeriodS(scenario);
  const startedAt = Date.now();
  let fault: FaultMode = 'none';
  const authorised = (req: IncomingMessage) => {
    const given = Buffer.from(String(req.headers['x-api-key'] ?? ''));
    const expected = Buffer.from(opts.apiKey);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const server = createServer((req, res) => {
    // A client that hangs up mid-request is its own problem, never the simulator's.
    req.on('error', () => res.destroy());
    const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (!authorised(req)) return json(401, { error: 'missing or wrong X-Api-Key' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/sim/fault') {
      const tooBig = () => {
        res.setHeader('Connection', 'close'); // the rest of the body is not read
        json(413, { error: `the body of POST /sim/fault must be at most ${MAX_BODY_BYTES} bytes of JSON, like {"mode":"silent"}` });
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
        let mode: unknown;
        try {
          mode = (JSON.parse(body || '{}') as { mode?: unknown } | null)?.mode;
        } catch (err) {
          return json(400, { error: `the body of POST /sim/fault is not JSON (${(err as Error).message}); send {"mode":"none|malformed|silent|error500"}` });
        }
        if (typeof mode !== 'string' || !FAULT_MODES.includes(mode as FaultMode)) return json(400, { error: 'mode must be none, malformed, silent or error500' });
        fault = mode as FaultMode;
        json(200, { mode });
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/health') return json(200, { status: 'ok', uptimeS: Math.round((Date.now() - startedAt) / 1000) });
    if (req.method === 'GET' && url.pathname === '/api/v1/tracks') {
      if (fault === 'silent') return; // the request hangs, as a dead system's would
      if (fault === 'error500') return json(500, { error: 'internal error' });
      // The scenario repeats so that a demo never runs out of sky; each round's tracks are new tracks.
      const elapsedS = ((Date.now() - startedAt) / 1000) * opts.speed;
      const round = Math.floor(elapsedS / period);
      const tS = elapsedS - round * period;
      const now = new Date().toISOString();
      const tracks = scenario.flatMap((target) => {
        const p = positionAt(target, tS, opts.origin);
        if (!p) return [];
        return [{
          trackId: round === 0 ? target.trackId : `${target.trackId}-R${round + 1}`,
          classification: target.classification,
          confidence: target.classification === 'unknown' ? 0.55 : 0.9,
          position: { lat: Number(p.lat.toFixed(7)), lon: Number(p.lon.toFixed(7)), altMsl: Number(p.altMsl.toFixed(1)) },
          velocity: { speed: Number(p.speed.toFixed(1)), heading: Number(p.heading.toFixed(1)) },
          remoteId: target.remoteId,
          updated: now,
        }];
      });
      if (fault === 'malformed') {
        return json(200, { serverTime: now, tracks: tracks.map((t) => ({ ...t, position: { ...t.position, lat: 'N29.7' } })) });
      }
      return json(200, { serverTime: now, tracks });
    }
    json(404, { error: 'no such endpoint' });
  });
  // A request that is not HTTP gets a 400 and the connection is closed; the server runs on.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nnot an HTTP request\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
