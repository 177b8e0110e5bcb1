// The GPS simulator's HTTP server, as a vendor's GPS/PDT positioning platform would serve it: the latest fix
// of every device (GET /api/v1/positions), and the controls a test or drill scripts (POST /sim/control, GET
// /sim/state). Loopback only, X-Api-Key on every request, control bodies capped (../drone-detection/http-api.ts).
import type { Server } from 'node:http';
import { geodesicInverse, type LocalFrame } from '../../main/core/geo/local-frame.ts';
import { apiServer, closeServer, listen, readJsonBody } from '../drone-detection/http-api.ts';
import { GPS_CONTROL_EXAMPLES, parseGpsControl, type GpsFault } from './control.ts';
import { Fleet, UnknownUnitError } from './fleet.ts';
import type { SimUnit } from './units-pack.ts';

/** A goto farther than this from the site is a mistake (swapped coordinates), not an order. */
export const MAX_GOTO_KM = 50;
export const DEFAULT_SLOW_MS = 5_000;

export interface GpsSimOptions {
  frame: LocalFrame;
  units: SimUnit[];
  apiKey: string;
  seed: number;
  /** Simulated seconds per real second. */
  speed: number;
  /** 0 (or absent): any free port. */
  port?: number;
  /** Test seam: patrols without their pauses at route points. */
  pauses?: boolean;
}

export interface GpsSim {
  url: string;
  fleet: Fleet;
  close(): Promise<void>;
}

export async function startGpsSim(opts: GpsSimOptions): Promise<GpsSim> {
  const startMs = Date.now();
  const fleet = new Fleet(opts.frame, opts.units, { seed: opts.seed, pauses: opts.pauses });
  const simS = (wall: number) => ((wall - startMs) / 1000) * opts.speed;
  const wallMs = (s: number) => startMs + (s * 1000) / opts.speed;
  let fault: GpsFault | null = null;
  let delayMs = DEFAULT_SLOW_MS;

  const positions = () => {
    const now = Date.now();
    return { timestamp: new Date(now).toISOString(), fixes: fleet.fixes(simS(now), wallMs) };
  };
  const stateOf = () => {
    const now = Date.now();
    const t = simS(now);
    return { seed: opts.seed, speed: opts.speed, simulatedS: Math.round(t * 10) / 10, fault, delayMs, units: fleet.state(t) };
  };

  const server: Server = apiServer(opts.apiKey, (req, res, url, json) => {
    if (req.method === 'GET' && url.pathname === '/api/v1/positions') {
      if (fault === 'http-500') return json(500, { error: 'internal error' });
      if (fault === 'garbage') return json(200, { timestamp: new Date().toISOString(), fixes: 'GPS gateway busy, try later' });
      if (fault === 'slow') {
        const timer = setTimeout(() => !res.destroyed && json(200, positions()), delayMs);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      return json(200, positions());
    }
    if (req.method === 'POST' && url.pathname === '/sim/control') {
      return readJsonBody(req, res, json, { route: 'POST /sim/control', like: '{"unitId":"T2-P1","resume":true}', send: GPS_CONTROL_EXAMPLES }, (body) => {
        const parsed = parseGpsControl(body);
        if (!parsed.ok) return json(400, { error: parsed.error });
        const c = parsed.command;
        const t = simS(Date.now());
        try {
          if ('fault' in c) {
            fault = c.fault;
            delayMs = c.delayMs ?? DEFAULT_SLOW_MS;
          } else if ('goto' in c) {
            const km = geodesicInverse(opts.frame.origin, [c.goto.lon, c.goto.lat]).distanceM / 1000;
            if (km > MAX_GOTO_KM) {
              return json(400, { error: `goto: ${Math.round(km).toLocaleString('en-US')} km from the site, farther than ${MAX_GOTO_KM} km: are lon and lat swapped?` });
            }
            fleet.goto(c.unitId, opts.frame.toLocal([c.goto.lon, c.goto.lat]), t);
          } else if ('resume' in c) fleet.resume(c.unitId, t);
          else if ('silent' in c) fleet.setSilent(c.unitId, c.silent);
          else fleet.setBadFix(c.unitId, c.badFix);
        } catch (err) {
          if (err instanceof UnknownUnitError) return json(404, { error: err.message });
          throw err;
        }
        json(200, stateOf());
      });
    }
    if (req.method === 'GET' && url.pathname === '/sim/state') return json(200, stateOf());
    if (req.method === 'GET' && url.pathname === '/api/v1/health') return json(200, { status: 'ok', uptimeS: Math.round((Date.now() - startMs) / 1000) });
    json(404, { error: `no such endpoint: ${req.method} ${url.pathname}` });
  });

  const port = await listen(server, opts.port ?? 0);
  return { url: `http://127.0.0.1:${port}`, fleet, close: () => closeServer(server) };
}
