// The VMS simulator's HTTP server: the API of src/main/core/video/vms-api.ts over a seeded camera layout, with
// the faults the console must survive (cameras offline or frozen, a switch dying, a VMS that is slow, silent,
// failing or garbled) scripted through /sim/control. Loopback only; X-Api-Key on every request.
import { timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VmsCameraList, VmsEvent, VmsStatusList } from '../../main/core/video/vms-api.ts';
import { API_MODES, DEFAULT_SLOW_MS, MAX_CONTROL_BODY, parseControl, type ApiMode, type ControlCommand } from './control.ts';
import { CursorError, DEFAULT_PAGE, EventGenerator, EventLog, MAX_PAGE, PLATE_PROVINCES } from './events.ts';
import { CameraHealth, startDemoFaults } from './faults.ts';
import { BusyError, runningFfmpeg, spawnedFfmpeg } from './ffmpeg.ts';
import { JpegRenderer } from './snapshot-renderer.ts';
import { toApiCamera, type SimCamera } from './layout.ts';
import { LiveStreams } from './live.ts';
import { CameraSnapshots, EVENT_WORDS, EventSnapshots, OfflineError } from './snapshots.ts';

export interface VmsSimOptions {
  port: number;
  apiKey: string;
  seed: number;
  cameras: SimCamera[];
  /** `demo`: occasional seeded faults (a camera offline for a minute, rarely a frozen one). */
  faults: 'none' | 'demo';
  /** Cameras also served over ONVIF: their motion and tamper events go to `onvifEvents` too. */
  onvifCameras?: ReadonlySet<string>;
}

/** What the ONVIF server hears: motion and tamper on its cameras. */
export interface OnvifEvent {
  cameraId: string;
  type: 'motion' | 'tamper';
  at: Date;
}

export interface VmsSim {
  url: string;
  server: Server;
  health: CameraHealth;
  events: EventLog;
  /** Emits 'event' (OnvifEvent) for the ONVIF cameras. */
  onvifEvents: EventEmitter;
  /** The picture now, or null when the camera is offline or unknown. */
  snapshot(id: string): Promise<Buffer | null>;
  /** Serves a live MJPEG stream to any HTTP response (the ONVIF server's stream URL uses it too). */
  pipeLive(id: string, req: IncomingMessage, res: ServerResponse): void;
  gotoPreset(id: string, presetId: string): boolean;
  close(): Promise<void>;
}

export async function startVmsSim(opts: VmsSimOptions): Promise<VmsSim> {
  const cameras = opts.cameras;
  const byId = new Map(cameras.map((c) => [c.id, c]));
  const cameraList: VmsCameraList = { cameras: cameras.map(toApiCamera) };
  const health = new CameraHealth(cameras);
  const log = new EventLog();
  const onvifEvents = new EventEmitter();
  const onvifCameras = opts.onvifCameras ?? new Set<string>();
  const generator = new EventGenerator(cameras, {
    emit(e) {
      const event = log.append(e);
      if ((e.type === 'motion' || e.type === 'tamper') && onvifCameras.has(e.camera)) {
        onvifEvents.emit('event', { cameraId: e.camera, type: e.type, at: new Date(e.at) } satisfies OnvifEvent);
      }
      return event;
    },
  }, health.isOnline, opts.seed);
  generator.start();
  const stopDemoFaults = opts.faults === 'demo' ? startDemoFaults(cameras, health, opts.seed) : () => undefined;
  const renderer = new JpegRenderer(3, 24);
  // Every character the captions will show, so that the glyphs are drawn in the first ffmpeg run.
  renderer.preload([...cameras.map((c) => c.name.zh), ...Object.values(EVENT_WORDS), '进出车道', PLATE_PROVINCES].join(''));
  renderer.warm();
  const snapshots = new CameraSnapshots(byId, health, renderer);
  const eventSnapshots = new EventSnapshots(byId, renderer);
  const live = new LiveStreams(byId, health);
  const presetAt = new Map<string, string>();

  let apiMode: ApiMode = 'none';
  let delayMs = DEFAULT_SLOW_MS;
  /** Requests held while the API is silent; answered when the mode changes. */
  const parked = new Set<() => void>();

  const expectedKey = Buffer.from(opts.apiKey);
  const authorised = (req: IncomingMessage) => {
    const given = Buffer.from(String(req.headers['x-api-key'] ?? ''));
    return given.length === expectedKey.length && timingSafeEqual(given, expectedKey);
  };
  const json = (res: ServerResponse, status: number, body: unknown) => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
  };
  const jpeg = (res: ServerResponse, bytes: Buffer) => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': bytes.length, 'Cache-Control': 'no-store' }).end(bytes);
  };
  const pictureFailed = (res: ServerResponse, err: unknown) => {
    if (err instanceof OfflineError) return json(res, 503, { error: err.message });
    if (err instanceof BusyError) return json(res, 503, { error: err.message });
    json(res, 500, { error: `the picture could not be made: ${(err as Error).message}` });
  };

  const gotoPreset = (id: string, presetId: string): boolean => {
    const camera = byId.get(id);
    if (!camera || camera.kind !== 'ptz' || !camera.presets.some((p) => p.id === presetId) || health.status(id) === 'offline') return false;
    presetAt.set(id, presetId);
    return true;
  };

  /** The VMS API proper, as a healthy VMS answers it. */
  const answerApi = (req: IncomingMessage, res: ServerResponse, url: URL, parts: string[]) => {
    const method = req.method ?? 'GET';
    const only = (m: string) => {
      if (method === m) return true;
      res.setHeader('Allow', m);
      json(res, 405, { error: `${url.pathname} takes ${m}, not ${method}` });
      return false;
    };
    // /api/cameras, /api/cameras/status
    if (parts.length === 1 && parts[0] === 'cameras') return only('GET') && json(res, 200, cameraList);
    if (parts.length === 2 && parts[0] === 'cameras' && parts[1] === 'status') {
      if (!only('GET')) return;
      const now = Date.now();
      const body: VmsStatusList = {
        serverTime: new Date(now).toISOString(),
        cameras: cameras.map((c) => ({ id: c.id, online: health.status(c.id) !== 'offline', lastFrameAt: new Date(health.lastFrameAt(c.id, now)).toISOString() })),
      };
      return json(res, 200, body);
    }
    if (parts.length === 1 && parts[0] === 'events') {
      if (!only('GET')) return;
      const limitText = url.searchParams.get('limit');
      const limit = limitText === null || limitText === '' ? DEFAULT_PAGE : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) return json(res, 400, { error: `limit must be a whole number from 1 to ${MAX_PAGE}, not "${limitText}"` });
      try {
        return json(res, 200, log.page(url.searchParams.get('after') ?? '', limit));
      } catch (err) {
        if (err instanceof CursorError) return json(res, 400, { error: err.message });
        throw err;
      }
    }
    if (parts.length === 3 && parts[0] === 'events' && parts[2] === 'snapshot.jpg') {
      if (!only('GET')) return;
      const event = log.find(parts[1]);
      if (!event) return json(res, 404, { error: `no event "${parts[1]}" (it may be older than the ${log.cap} events the VMS keeps)` });
      if (!event.hasSnapshot) return json(res, 404, { error: `event ${event.id} has no snapshot` });
      eventSnapshots.snapshot(event).then((b) => jpeg(res, b), (err) => pictureFailed(res, err));
      return;
    }
    if (parts[0] === 'cameras' && parts.length >= 3) {
      const camera = byId.get(parts[1]);
      if (!camera) return json(res, 404, { error: `no camera "${parts[1]}"` });
      if (parts.length === 3 && parts[2] === 'snapshot.jpg') {
        if (!only('GET')) return;
        snapshots.snapshot(camera.id).then((b) => jpeg(res, b), (err) => pictureFailed(res, err));
        return;
      }
      if (parts.length === 3 && parts[2] === 'live.mjpeg') return only('GET') && live.serve(camera.id, req, res);
      if (parts.length === 5 && parts[2] === 'ptz' && parts[3] === 'presets') {
        if (!only('POST')) return;
        req.resume(); // any body is ignored
        if (camera.kind !== 'ptz') return json(res, 404, { error: `camera ${camera.id} has no PTZ` });
        if (!camera.presets.some((p) => p.id === parts[4])) return json(res, 404, { error: `camera ${camera.id} has no preset "${parts[4]}" (it has ${camera.presets.map((p) => p.id).join(', ')})` });
        if (!gotoPreset(camera.id, parts[4])) return json(res, 503, { error: `camera ${camera.id} is offline` });
        return json(res, 200, { ok: true, presetId: parts[4] });
      }
    }
    json(res, 404, { error: `no such endpoint: ${method} ${url.pathname}` });
  };

  /** The API as the current fault mode makes it. */
  const api = (req: IncomingMessage, res: ServerResponse, url: URL, parts: string[]) => {
    if (res.destroyed) return;
    switch (apiMode) {
      case 'none':
        return answerApi(req, res, url, parts);
      case 'slow': {
        const timer = setTimeout(() => answerApi(req, res, url, parts), delayMs);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'error500':
        return json(res, 500, { error: 'internal server error' });
      case 'malformed':
        if (url.pathname.endsWith('.jpg') || url.pathname.endsWith('.mjpeg')) {
          res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end('<html>502 Bad Gateway</html>');
        } else {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(`{"${parts[0] ?? 'data'}": [{"id": "`);
        }
        return;
      case 'silent': {
        const retry = () => {
          parked.delete(retry);
          api(req, res, url, parts);
        };
        parked.add(retry);
        res.on('close', () => parked.delete(retry));
        return;
      }
    }
  };

  const control = (cmd: ControlCommand, res: ServerResponse) => {
    switch (cmd.action) {
      case 'camera':
        if (!byId.has(cmd.id)) return json(res, 400, { error: `id: no camera "${cmd.id}"` });
        health.setCamera(cmd.id, cmd.state);
        return json(res, 200, { ok: true, id: cmd.id, status: health.status(cmd.id) });
      case 'group': {
        const members = health.groups.get(cmd.group);
        if (!members) return json(res, 400, { error: `group: no group "${cmd.group}" (groups are the cameras' "group" in /api/cameras)` });
        health.setGroup(cmd.group, cmd.state);
        return json(res, 200, { ok: true, group: cmd.group, state: cmd.state, cameras: members.length });
      }
      case 'api': {
        apiMode = cmd.mode;
        if (cmd.delayMs !== undefined) delayMs = cmd.delayMs;
        else if (cmd.mode === 'slow') delayMs = DEFAULT_SLOW_MS;
        json(res, 200, { ok: true, mode: apiMode, delayMs });
        // Requests held by a silent VMS are answered as the new mode says.
        if (apiMode !== 'silent') [...parked].forEach((retry) => retry());
        return;
      }
      case 'burst': {
        const made = generator.burst(cmd.count, cmd.type);
        return json(res, 200, { ok: true, count: made, eventSeq: log.lastSeq });
      }
      case 'event': {
        const camera = byId.get(cmd.camera);
        if (!camera) return json(res, 400, { error: `camera: no camera "${cmd.camera}"` });
        return json(res, 200, { ok: true, event: generator.analytic(camera, cmd.type, Date.now(), cmd.label) });
      }
      case 'plate': {
        const camera = byId.get(cmd.camera);
        if (!camera) return json(res, 400, { error: `camera: no camera "${cmd.camera}"` });
        if (camera.kind !== 'checkpoint') return json(res, 400, { error: `camera: ${cmd.camera} is not a checkpoint camera` });
        const lane = cmd.lane ?? camera.lane?.lane ?? 1;
        const event: VmsEvent = generator.plate(camera, cmd.plate, Date.now(), { direction: cmd.direction ?? camera.lane?.direction ?? 'in', lane });
        return json(res, 200, { ok: true, event });
      }
    }
  };

  const readControl = (req: IncomingMessage, res: ServerResponse) => {
    const tooBig = () => {
      res.setHeader('Connection', 'close'); // the rest of the body is not read
      json(res, 413, { error: `the body of POST /sim/control must be at most ${MAX_CONTROL_BODY} bytes of JSON` });
    };
    if (Number(req.headers['content-length'] ?? 0) > MAX_CONTROL_BODY) return tooBig();
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (d: Buffer) => {
      if (res.headersSent) return;
      bytes += d.length;
      if (bytes > MAX_CONTROL_BODY) tooBig();
      else chunks.push(d);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      const parsed = parseControl(Buffer.concat(chunks).toString('utf8'));
      if (!parsed.ok) return json(res, 400, { error: parsed.error });
      control(parsed.command, res);
    });
  };

  const server = createServer((req, res) => {
    // A client that hangs up mid-request is its own problem, never the simulator's.
    req.on('error', () => res.destroy());
    res.on('error', () => res.destroy());
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [root, ...rest] = url.pathname.split('/').filter(Boolean);
    if (root !== 'api' && root !== 'sim') return json(res, 404, { error: `no such endpoint: ${url.pathname}` });
    if (!authorised(req)) return json(res, 401, { error: 'missing or wrong X-Api-Key' });
    let parts: string[];
    try {
      parts = rest.map(decodeURIComponent);
    } catch {
      return json(res, 400, { error: `the path ${url.pathname} is not valid percent-encoding` });
    }
    try {
      if (root === 'api') return api(req, res, url, parts);
      if (parts.length === 1 && parts[0] === 'control') {
        if (req.method !== 'POST') return json(res, 405, { error: 'POST /sim/control takes a JSON body like {"action":"camera","id":"…","state":"offline"}' });
        return readControl(req, res);
      }
      if (parts.length === 1 && parts[0] === 'state' && req.method === 'GET') {
        const { cameras: faulty, offlineGroups } = health.faults();
        return json(res, 200, {
          api: { mode: apiMode, delayMs }, cameras: faulty, offlineGroups, eventSeq: log.lastSeq,
          liveStreams: live.count, ffmpeg: runningFfmpeg(), ffmpegStarted: spawnedFfmpeg(), presets: Object.fromEntries(presetAt),
        });
      }
      json(res, 404, { error: `no such endpoint: ${req.method} ${url.pathname}` });
    } catch (err) {
      json(res, 500, { error: `the simulator failed on this request: ${(err as Error).message}` });
    }
  });
  server.on('connection', (socket) => socket.on('error', () => socket.destroy()));
  // A request that is not HTTP gets a 400 and the connection is closed; the server runs on.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nnot an HTTP request\n');
    else socket.destroy();
  });
  server.maxConnections = 1024;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      server.on('error', () => undefined);
      resolve();
    });
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    health,
    events: log,
    onvifEvents,
    snapshot: (id) => snapshots.snapshot(id).catch(() => null),
    pipeLive: (id, req, res) => live.serve(id, req, res),
    gotoPreset,
    async close() {
      generator.stop();
      stopDemoFaults();
      live.closeAll();
      renderer.close();
      parked.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export { API_MODES };
