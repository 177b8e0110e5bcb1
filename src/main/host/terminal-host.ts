// The unit terminals' listener (一键推送警情): the same built page and the same contract's /api, on an address of
// the police network, for patrols' phones and tablets. It has no launch token (a phone cannot be handed one
// per launch): instead, a connection here may sign in only as a unit account (role `unit`), which may call
// only session.* and terminal.* (the contract's roles) and hears only its own unit's events. A console account
// that signs in here is refused, and the attempt goes on the record. The same caps as the console's listener
// apply (connections, frames, calls in flight, heartbeat, slow readers, sign-in deadline and throttle).
// No media and no live pictures here: a unit never gets a media ticket, so there is nothing to serve.
//
// ON A REAL NETWORK THIS GOES BEHIND TLS (a reverse proxy such as nginx terminating HTTPS and WSS, with
// `host.terminal.origin` set to its https:// origin): this listener speaks plain HTTP, so without TLS anyone
// on the network path reads the unit's password at sign-in, its resume token and its orders (positions of
// incidents and of officers), and can inject or alter frames. Loopback (the console's listener) does not leave
// the machine; the police network does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { contentSecurityPolicy } from '../../shared/csp.ts';
import type { TerminalListenerConfig } from '../core/config.ts';
import type { Core } from '../core/core.ts';
import { ApiSockets, DEFAULT_HOST_LIMITS, type HostLimits } from './api-sockets.ts';
import { oncePer } from './once-per.ts';
import { serveStatic } from './static-files.ts';

export interface TerminalHost {
  /** What to open on a unit's phone: http://<address>:<port>/#/terminal. */
  url: string;
  port: number;
  /** Origins whose pages may open /api here. */
  origins: string[];
  close(): Promise<void>;
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

export async function startTerminalHost(
  core: Core,
  opts: TerminalListenerConfig & { rendererDir: string; log?: (l: string) => void; limits?: Partial<HostLimits> },
): Promise<TerminalHost> {
  const log = opts.log ?? ((l) => console.log(l));
  const limits = { ...DEFAULT_HOST_LIMITS, ...opts.limits };
  const note = oncePer(10_000, log);
  const csp = contentSecurityPolicy({ imageryOrigin: core.imagery && new URL(core.imagery.url).origin });
  const api = new ApiSockets(core, {
    limits, log, note, name: 'terminal host', originPrefix: 'terminal',
    signInRule: { roles: ['unit'], transport: 'terminal listener' },
  });

  const server: Server = createServer((req, res) => {
    res.on('error', (err) => note('response', `terminal host: a response failed: ${err.message}`));
    serveStatic(req, res, opts.rendererDir, csp);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.maxConnections = limits.maxConnections * 2;

  let origins: string[] = [];
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy()); // a client that resets mid-handshake
    const reject = (status: string, why: string) => {
      note(`refused ${status}`, `terminal host: refused a connection from ${req.socket.remoteAddress}: ${why}`);
      socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${why}\n`);
    };
    const url = new URL(req.url ?? '/', 'http://terminal.invalid');
    if (url.pathname !== '/api') return reject('404 Not Found', 'no such endpoint');
    // Its own page only: another site open in the unit's browser must not drive the unit's session.
    // (Non-browser clients send no Origin; they still have to sign in as a unit.)
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.includes(origin)) return reject('403 Forbidden', `origin ${origin} is not allowed`);
    api.accept(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => note('server', `terminal host: server error: ${err.message}`));
  const port = (server.address() as AddressInfo).port;
  origins = ownOrigins(opts.address, port, opts.origin);
  return {
    url: `${opts.origin ?? `http://${hostPart(reachableAddress(opts.address))}:${port}`}/#/terminal`,
    port,
    origins,
    async close() {
      await api.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The origins this listener's page is served from: its address (each local one for a wildcard), or the proxy's. */
export function ownOrigins(address: string, port: number, proxyOrigin?: string): string[] {
  const addresses = WILDCARDS.has(address)
    ? Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address))
    : [address];
  const own = addresses.map((a) => `http://${hostPart(a)}:${port}`);
  return proxyOrigin ? [proxyOrigin, ...own] : own;
}

/** For a wildcard, an address a phone can actually use: this machine's first external IPv4 address. */
function reachableAddress(address: string): string {
  if (!WILDCARDS.has(address)) return address;
  const external = Object.values(networkInterfaces()).flatMap((list) => list ?? []).find((i) => i.family === 'IPv4' && !i.internal);
  return external?.address ?? '127.0.0.1';
}

const hostPart = (address: string) => (address.includes(':') ? `[${address}]` : address);
