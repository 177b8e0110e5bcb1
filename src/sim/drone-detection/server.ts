// The drone simulator: one seeded sky, and the four systems an airport would have looking at it, each its own
// endpoint on its own loopback port as they are separate systems in real life:
//   - the drone-detection system's track API (GET /api/v1/tracks), with the simulator's control endpoints;
//   - a Remote ID receiver (GET /api/drones, by ./remote-id-receiver.ts);
//   - a SAPIENT radar node over TCP (by ./sapient-node.ts);
//   - the airport operations system's runway feed (GET /ops/v1/runways).
// Every HTTP endpoint requires the API key. Faults the console must survive are injected per sensor.
import type { Server } from 'node:http';
import type { SitePack } from '../../shared/site.ts';
import { CONTROL_EXAMPLES, HTTP_FAULTS, parseControl, type HttpFault, type HttpSensor, type SapientFaultName } from './control.ts';
import { apiServer, closeServer, holdSilently, listen, readJsonBody, type Json } from './http-api.ts';
import { remoteIdReceiver } from './remote-id-receiver.ts';
import { RunwayPlan } from './runway-plan.ts';
import { startSapientNode } from './sapient-node.ts';
import type { ScenarioName } from './scenarios.ts';
import { detectionClass, seenByDetection, seenByRemoteId, seenBySapient, Sky } from './sky.ts';

export { MAX_BODY_BYTES } from './http-api.ts';
export type FaultMode = HttpFault;

/** How far the simulated Remote ID receiver hears broadcasts. */
export const REMOTE_ID_RANGE_M = 5000;

export interface SkySimOptions {
  site: SitePack;
  apiKey: string;
  seed: number;
  /** How many random-traffic targets. */
  targets: number;
  /** Simulated seconds per real second. */
  speed: number;
  /** Started by hand at once (repeating until stopped). */
  scenarios: ScenarioName[];
  /** Run the demo schedule (every scenario once per 10-minute cycle, the Remote ID receiver silent a minute). */
  demoSchedule: boolean;
  /** 0 (or absent): any free port. */
  ports?: { detection?: number; remoteId?: number; sapient?: number; ops?: number };
}

export interface SkySim {
  detectionUrl: string;
  remoteIdUrl: string;
  opsUrl: string;
  sapientPort: number;
  sky: Sky;
  close(): Promise<void>;
}

/** A listen that failed, with the endpoint it was for. */
export class EndpointError extends Error {
  constructor(readonly endpoint: string, readonly port: number, override readonly cause: NodeJS.ErrnoException) {
    super(`cannot listen on 127.0.0.1:${port} for the ${endpoint}: ${cause.code === 'EADDRINUSE' ? 'another program is using that port' : cause.message}`);
  }
}

export async function startSkySim(opts: SkySimOptions): Promise<SkySim> {
  const startMs = Date.now();
  const sky = new Sky({ site: opts.site, seed: opts.seed, speed: opts.speed, targets: opts.targets, startMs });
  for (const name of opts.scenarios) sky.start(name, startMs);
  if (opts.demoSchedule) sky.startDemoSchedule(startMs);
  const plan = new RunwayPlan(opts.site, startMs);
  const [arpLon, arpLat] = opts.site.aerodrome.referencePoint;
  // The sensors stand at the aerodrome reference point.
  const sensorSite = { lat: arpLat, lon: arpLon };
  const faults: Record<HttpSensor, HttpFault> & { sapient: SapientFaultName } = { detection: 'none', 'remote-id': 'none', ops: 'none', sapient: 'none' };
  const remoteIdFault = (nowMs: number): HttpFault =>
    faults['remote-id'] !== 'none' ? faults['remote-id'] : sky.remoteIdSilentBySchedule(nowMs) ? 'silent' : 'none';

  /** Answers for a faulty sensor; false when the sensor is healthy and should answer itself. */
  const faulty = (fault: HttpFault, res: Parameters<typeof holdSilently>[0], json: Json, malformed: () => unknown): boolean => {
    if (fault === 'none') return false;
    if (fault === 'silent') holdSilently(res);
    else if (fault === 'error500') json(500, { error: 'internal error' });
    else json(200, malformed());
    return true;
  };

  const stateOf = (nowMs: number) => {
    const objects = sky.at(nowMs);
    return {
      seed: opts.seed,
      speed: sky.speed,
      paused: sky.paused,
      simulatedS: Math.round(sky.seconds(nowMs)),
      demoSchedule: sky.demoSchedule,
      scenarios: sky.state(nowMs),
      faults: { ...faults },
      scheduledFaults: { 'remote-id': sky.remoteIdSilentBySchedule(nowMs) ? 'silent' : null },
      objects: objects.length,
      seen: {
        detection: seenByDetection(objects, sensorSite).length,
        'remote-id': seenByRemoteId(objects, sensorSite, REMOTE_ID_RANGE_M).length,
        sapient: seenBySapient(objects, sensorSite).length,
      },
      runways: plan.at(nowMs, sky.demoCycle(nowMs)).runways,
    };
  };

  const servers: Server[] = [];
  let sapient: Awaited<ReturnType<typeof startSapientNode>> | undefined;
  const closeAll = async () => {
    await Promise.all(servers.map(closeServer));
    await sapient?.close();
  };

  const detection = apiServer(opts.apiKey, (req, res, url, json) => {
    const now = Date.now();
    if (req.method === 'POST' && url.pathname === '/sim/fault') {
      // The first simulator's fault endpoint, for the detection API alone.
      return readJsonBody(req, res, json, { route: 'POST /sim/fault', like: '{"mode":"silent"}', send: '{"mode":"none|malformed|silent|error500"}' }, (body) => {
        const mode = (body as { mode?: unknown } | null)?.mode;
        if (typeof mode !== 'string' || !HTTP_FAULTS.includes(mode as HttpFault)) return json(400, { error: 'mode must be none, malformed, silent or error500' });
        faults.detection = mode as HttpFault;
        json(200, { mode });
      });
    }
    if (req.method === 'POST' && url.pathname === '/sim/control') {
      return readJsonBody(req, res, json, { route: 'POST /sim/control', like: '{"scenario":"swarm","action":"start"}', send: CONTROL_EXAMPLES }, (body) => {
        const parsed = parseControl(body);
        if (!parsed.ok) return json(400, { error: parsed.error });
        const c = parsed.command;
        const at = Date.now();
        if ('speed' in c || 'paused' in c) {
          sky.setRate(at, c);
        } else if ('scenario' in c) {
          if (c.action === 'start') sky.start(c.scenario, at, { once: c.once });
          else sky.stop(c.scenario);
        } else if ('sensor' in c) {
          if (c.sensor === 'sapient') {
            faults.sapient = c.fault;
            sapient?.setFault(c.fault);
          } else faults[c.sensor] = c.fault;
        } else {
          try {
            plan.set(c.runway);
          } catch (err) {
            return json(400, { error: (err as Error).message });
          }
        }
        json(200, stateOf(at));
      });
    }
    if (req.method === 'GET' && url.pathname === '/sim/state') return json(200, stateOf(now));
    if (req.method === 'GET' && url.pathname === '/api/v1/health') return json(200, { status: 'ok', uptimeS: Math.round((now - startMs) / 1000) });
    if (req.method === 'GET' && url.pathname === '/api/v1/tracks') {
      const updated = new Date(now).toISOString();
      const tracks = seenByDetection(sky.at(now), sensorSite).map((o) => ({
        trackId: o.id,
        ...detectionClass(o, sensorSite),
        position: { lat: Number(o.lat.toFixed(7)), lon: Number(o.lon.toFixed(7)), altMsl: Number(o.altMsl.toFixed(1)) },
        velocity: { speed: Number(o.speed.toFixed(1)), heading: Number(o.heading.toFixed(1)) },
        remoteId: o.remoteId ? { serial: o.remoteId.serial, operator: o.remoteId.operatorId } : null,
        updated,
      }));
      const malformed = () => ({ serverTime: updated, tracks: tracks.map((t) => ({ ...t, position: { ...t.position, lat: 'N29.7' } })) });
      if (faulty(faults.detection, res, json, malformed)) return;
      return json(200, { serverTime: updated, tracks });
    }
    json(404, { error: 'no such endpoint' });
  });

  const receiver = remoteIdReceiver({ receiver: { id: 'rid-sim-1', ...sensorSite }, rangeM: REMOTE_ID_RANGE_M });
  const remoteId = apiServer(opts.apiKey, (req, res, url, json) => {
    const now = Date.now();
    if (url.pathname.startsWith('/api/')) {
      const malformed = () => ({ receiver: null, drones: [{ serial_number: 42, lat: 'N29.7' }], counts: 'many', timestamp: 'now' });
      if (faulty(remoteIdFault(now), res, json, malformed)) return;
    }
    if (!receiver.handle(req, res, url, sky.at(now), now)) json(404, { error: 'no such endpoint' });
  });

  const ops = apiServer(opts.apiKey, (req, res, url, json) => {
    const now = Date.now();
    if (req.method === 'GET' && url.pathname === '/ops/v1/runways') {
      const answer = plan.at(now, sky.demoCycle(now));
      const malformed = () => ({ ...answer, runways: answer.runways.map((r) => ({ ...r, status: 'sideways' })) });
      if (faulty(faults.ops, res, json, malformed)) return;
      return json(200, answer);
    }
    json(404, { error: 'no such endpoint' });
  });

  const open = async (server: Server, endpoint: string, port = 0) => {
    servers.push(server);
    try {
      return await listen(server, port);
    } catch (err) {
      await closeAll();
      throw new EndpointError(endpoint, port, err as NodeJS.ErrnoException);
    }
  };
  const p = opts.ports ?? {};
  const detectionPort = await open(detection, 'detection API', p.detection);
  const remoteIdPort = await open(remoteId, 'Remote ID receiver', p.remoteId);
  const opsPort = await open(ops, 'operations feed', p.ops);
  try {
    sapient = await startSapientNode({
      port: p.sapient ?? 0, host: '127.0.0.1', location: sensorSite, seed: opts.seed,
      sky: (nowMs) => seenBySapient(sky.at(nowMs), sensorSite),
    });
  } catch (err) {
    await closeAll();
    throw new EndpointError('SAPIENT node', p.sapient ?? 0, err as NodeJS.ErrnoException);
  }

  return {
    detectionUrl: `http://127.0.0.1:${detectionPort}`,
    remoteIdUrl: `http://127.0.0.1:${remoteIdPort}`,
    opsUrl: `http://127.0.0.1:${opsPort}`,
    sapientPort: sapient.port,
    sky,
    close: closeAll,
  };
}
