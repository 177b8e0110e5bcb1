// PLACEHOLDER (replaced by the Remote ID helper): the Remote ID receiver's HTTP API, shaped like the Sparrow
// DroneID API. This minimal version answers GET /api/drones with no drones, so that the simulator process and
// its endpoint lines can be built and tested before the real receiver lands.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SkyObject } from './sky-types.ts';

export function remoteIdReceiver(opts: { receiver: { id: string; lat: number; lon: number }; rangeM?: number }): {
  handle(req: IncomingMessage, res: ServerResponse, url: URL, sky: SkyObject[], nowMs: number): boolean;
} {
  return {
    handle(req, res, url, _sky, nowMs) {
      if (req.method !== 'GET' || url.pathname !== '/api/drones') return false;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({
        receiver: opts.receiver, drones: [], counts: { active: 0, aging: 0, stale: 0 }, timestamp: new Date(nowMs).toISOString(),
      }));
      return true;
    },
  };
}
