// The ONVIF camera adapter (kind `onvif`, push): one camera reached through its device service with the `onvif`
// client. ONVIF knows nothing of the map, so the site configures where the camera stands and looks. Once
// connected (device information, the media profile, snapshot and stream URIs, presets of a PTZ camera) the
// camera goes to the video intake with its media; a heartbeat (GetSystemDateAndTime) every `intervalMs` reports
// it online or offline and keeps the source healthy, and after a failure the adapter reconnects with backoff.
// Events come from a PullPoint subscription pulled in a loop (long poll), renewed before it terminates and
// recreated when the camera lost it: motion and tamper rising edges become video events. Live video is the
// stream URI when the camera serves MJPEG over HTTP; an RTSP stream is left to the site's media gateway.
// Credentials come from environment variables and appear in no log line or problem.
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { CAMERA_KINDS, type Camera, type CameraKind } from '../../../shared/video.ts';
import type { LocalText, SourceProblem } from '../../../shared/domain.ts';
import { sleep, type Timer } from '../clock.ts';
import { commonSourceFields, type PushAdapter, type PushKind, type SourceDeps, type SourceEntry } from '../sources/adapter-kind.ts';
import { Backoff } from '../sources/backoff.ts';
import { HttpError } from '../sources/http-json.ts';
import { call, openSession, type OnvifSession, type OnvifTarget } from './onvif-client.ts';
import { PropertyEdges, readNotifications } from './onvif-events.ts';
import { fetchSnapshot, openMjpeg } from './onvif-media.ts';
import type { VideoEventInput, VideoIntake } from './video-intake.ts';
import type { VideoSourceMedia } from './video-source.ts';

const localName = z.union([
  z.string().trim().min(1).max(60),
  z.object({ zh: z.string().trim().min(1).max(60), en: z.string().trim().min(1).max(60) }).strict(),
]);
const envName = (example: string) => z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, `the name of an environment variable, e.g. ${example}`);

const deviceUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && !u.username && !u.password;
  } catch {
    return false;
  }
}, 'must be the http(s) URL of the device service without credentials, e.g. http://10.20.0.31/onvif/device_service');

const onvifCameraConfig = z
  .object({
    /** The camera's id within this source (the console's id is `<source id>/<this>`). */
    id: z.string().regex(/^[A-Za-z0-9][\w.-]{0,39}$/, '1–40 letters, digits, "_", "." and "-"').optional(),
    name: localName,
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    /** The ground it stands on, metres above mean sea level. */
    groundAltM: z.number().min(-500).max(9000),
    mountHeightM: z.number().min(0).max(500),
    headingDeg: z.number().min(0).max(360),
    tiltDeg: z.number().min(-90).max(90),
    fovDeg: z.number().gt(0).max(360),
    rangeM: z.number().gt(0).max(50_000),
    /** Default: ptz when the camera has a PTZ service, else fixed. */
    kind: z.enum(CAMERA_KINDS).optional(),
    group: z.string().trim().min(1).max(60).optional(),
    area: localName.optional(),
    /** For PTZ presets: the map heading of pan position 0 (the generic space's x = 0), degrees from north. */
    panZeroHeadingDeg: z.number().min(0).max(360).optional(),
  })
  .strict();

const onvifConfig = z
  .object({
    ...commonSourceFields,
    kind: z.literal('onvif'),
    url: deviceUrl,
    usernameEnv: envName('GATE_CAM_USER'),
    passwordEnv: envName('GATE_CAM_PASSWORD'),
    camera: onvifCameraConfig,
    /**
     * The camera's live picture as MJPEG from the site's media gateway, for a camera that streams RTSP only:
     * e.g. go2rtc's http://gw.example:1984/api/stream.mjpeg?src=gate-cam. The console plays what the gateway
     * serves and never re-implements one; the camera's credentials are not sent there.
     */
    liveUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of an MJPEG stream, e.g. http://gw.example:1984/api/stream.mjpeg?src=gate-cam' }).optional(),
    /** The heartbeat's period. */
    intervalMs: z.number().int().min(200).max(600_000).optional(),
    /** Per request. */
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
    /** The longest wait between reconnects after failures in a row. */
    backoffMaxMs: z.number().int().min(200).max(3_600_000).optional(),
  })
  .strict();
export type OnvifSourceConfig = z.output<typeof onvifConfig>;

/** What the console sends a media gateway: nothing of the camera's. */
const NO_CREDENTIALS = { username: '', password: '' };

export const onvifKind: PushKind<OnvifSourceConfig> = {
  kind: 'onvif',
  mode: 'push',
  defaultName: { zh: 'ONVIF 摄像机', en: 'ONVIF camera' },
  defaultSilentAfterMs: 30_000,
  configSchema: onvifConfig,
  create(config, deps) {
    return new OnvifSource(config, deps, credentialsFromEnv(config, process.env));
  },
};

/** The camera's credentials from the variables the entry names; a clear error when one is unset or unusable. */
export function credentialsFromEnv(config: Pick<OnvifSourceConfig, 'id' | 'usernameEnv' | 'passwordEnv'>, env: NodeJS.ProcessEnv): { username: string; password: string } {
  const read = (field: 'usernameEnv' | 'passwordEnv') => {
    const name = config[field];
    const value = env[name];
    if (!value) throw new Error(`source ${config.id}: ${field}: the environment variable ${name} is not set`);
    // The client puts them in the SOAP header unescaped and hashes the password as ASCII.
    if (!/^[\x20-\x7e]+$/.test(value) || /[<>&]/.test(value)) throw new Error(`source ${config.id}: ${field}: the value of ${name} must be printable ASCII without < > &`);
    return value;
  };
  return { username: read('usernameEnv'), password: read('passwordEnv') };
}

/** Renew when less than this is left: a pull waits up to a minute (the client asks PT1M). */
const RENEW_MARGIN_MS = 75_000;
/** Events kept for a retry when they could not be stored. */
const MAX_PENDING_EVENTS = 500;

export class OnvifSource implements PushAdapter {
  private readonly cameraId: string;
  private readonly target: OnvifTarget;
  private readonly where: string;
  private readonly intake: VideoIntake;
  private readonly backoff: Backoff;
  private readonly media: VideoSourceMedia;
  private session: OnvifSession | null = null;
  private online: boolean | null = null;
  private timer: Timer | null = null;
  private running: Promise<void> = Promise.resolve();
  /** The event loops still running: the current session's, and an old one's until its last pull ends. */
  private readonly eventLoops = new Set<Promise<void>>();
  private pendingEvents: VideoEventInput[] = [];
  private stopped = false;

  constructor(
    private readonly config: OnvifSourceConfig & SourceEntry,
    private readonly deps: SourceDeps,
    private readonly creds: { username: string; password: string },
  ) {
    this.intake = deps.video;
    this.cameraId = config.camera.id ?? 'main';
    const url = new URL(config.url);
    this.where = `${url.origin}${url.pathname}`;
    this.target = { url, ...creds, timeoutMs: config.timeoutMs ?? 5_000 };
    this.backoff = new Backoff(Math.min(1_000, this.intervalMs), Math.max(Math.min(1_000, this.intervalMs), config.backoffMaxMs ?? 30_000), deps.random);
    this.media = {
      snapshot: async (cameraId, { timeoutMs }) => {
        const s = this.require(cameraId);
        if (!s.snapshotUri) throw new Error(`camera ${this.config.id}/${cameraId} gives no snapshot URI`);
        return fetchSnapshot(s.snapshotUri, this.creds, timeoutMs).catch((err) => Promise.reject(this.scrubbed(err)));
      },
      live: async (cameraId) => {
        const s = this.require(cameraId);
        if (this.config.liveUrl) return openMjpeg(this.config.liveUrl, NO_CREDENTIALS, this.target.timeoutMs);
        // RTSP (and anything not HTTP) is played through the site's media gateway (liveUrl), not here.
        if (!s.streamUri || !/^https?:\/\//i.test(s.streamUri)) return null;
        return openMjpeg(s.streamUri, this.creds, this.target.timeoutMs).catch((err) => Promise.reject(this.scrubbed(err)));
      },
      gotoPreset: async (cameraId, presetId) => {
        const s = this.require(cameraId);
        if (!s.ptz) throw new Error(`camera ${this.config.id}/${cameraId} is not a PTZ camera`);
        if (!s.presets.some((p) => p.token === presetId)) throw new Error(`camera ${this.config.id}/${cameraId} has no preset ${JSON.stringify(presetId)}`);
        await call(this.target.timeoutMs, 'GotoPreset', (cb) => s.cam.gotoPreset({ profileToken: s.profileToken, preset: presetId }, cb)).catch((err) => Promise.reject(this.scrubbed(err)));
      },
    };
    // Known from the start (offline until it answers), so that the operator sees it rather than nothing.
    this.intake.setCameras(config.id, [this.cameraEntry(null)], this.media);
    this.schedule(0);
  }

  private get intervalMs(): number {
    return this.config.intervalMs ?? 5_000;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.running;
    const s = this.session;
    this.session = null;
    if (s?.cam.events.subscription) {
      await call(this.target.timeoutMs, 'Unsubscribe', (cb) => s.cam.unsubscribe(cb)).catch(() => undefined);
    }
    // A camera answers a pull it is still holding once unsubscribed; one that does not is not waited for (a
    // bound in real time: the pull is network I/O, whatever the core's clock does).
    await Promise.race([Promise.all(this.eventLoops), delay(this.target.timeoutMs, undefined, { ref: false })]);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      this.running = this.tick().catch((err) => this.deps.log(`onvif ${this.config.id}: ${this.scrub((err as Error).message)}`));
    }, ms);
  }

  /** Connects when not connected, else checks the camera is there; then schedules the next tick. */
  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.session) await this.connect();
      else await call(this.target.timeoutMs, 'GetSystemDateAndTime', (cb) => this.session!.cam.getSystemDateAndTime(cb));
    } catch (err) {
      if (this.stopped) return;
      const problem = this.problemOf(err);
      const wasConnected = this.session !== null;
      this.session = null; // the event loop of that session ends on its next turn
      await this.setOnline(false);
      const delay = this.backoff.next();
      if (wasConnected || this.backoff.count === 1) this.deps.log(`onvif ${this.config.id}: ${problem.message}; retrying in ${(delay / 1000).toFixed(1)} s`);
      await this.deps.sources.failed(this.config.id, problem);
      this.schedule(delay);
      return;
    }
    if (this.stopped) return;
    this.backoff.reset();
    this.deps.sources.ok(this.config.id, { cameras: 1 });
    this.schedule(this.intervalMs);
  }

  private async connect(): Promise<void> {
    const s = await openSession(this.target);
    if (this.stopped) return;
    this.session = s;
    this.intake.setCameras(this.config.id, [this.cameraEntry(s)], this.media);
    await this.setOnline(true);
    this.deps.log(`onvif ${this.config.id}: connected to ${this.where} (${s.model || 'camera'} ${s.serial})`);
    const loop = this.pullEvents(s).catch((err) => this.deps.log(`onvif ${this.config.id}: events: ${this.scrub((err as Error).message)}`));
    this.eventLoops.add(loop);
    void loop.finally(() => this.eventLoops.delete(loop));
  }

  private async setOnline(online: boolean): Promise<void> {
    if (this.online === online) return;
    this.online = online;
    await this.intake.reportHealth(this.config.id, [{ cameraId: this.cameraId, online }]).catch((err) => {
      this.online = null; // told again next time
      this.deps.log(`onvif ${this.config.id}: could not report the camera ${online ? 'online' : 'offline'}: ${(err as Error).message}`);
    });
  }

  /** Pulls the camera's events for as long as this session is the current one. */
  private async pullEvents(s: OnvifSession): Promise<void> {
    const edges = new PropertyEdges();
    const ms = this.target.timeoutMs;
    let terminationAt = 0;
    let failures = 0;
    const live = () => !this.stopped && this.session === s;
    while (live()) {
      try {
        if (!s.cam.events.subscription) {
          const created = await call<{ currentTime: Date; terminationTime: Date }>(ms, 'CreatePullPointSubscription', (cb) => s.cam.createPullPointSubscription(cb));
          terminationAt = localTermination(created);
          edges.reset();
          if (this.stopped) {
            // Stopped while subscribing: stop() found nothing to end, so end it here.
            await call(ms, 'Unsubscribe', (cb) => s.cam.unsubscribe(cb)).catch(() => undefined);
            break;
          }
        }
        // The client asks the camera to hold the pull up to a minute (PT1M) and waits 80 s for it.
        const pulled = await call<{ currentTime?: Date; terminationTime?: Date; notificationMessage?: unknown }>(90_000, 'PullMessages', (cb) => s.cam.pullMessages({ messageLimit: 50 }, cb));
        if (!live()) break;
        if (pulled?.currentTime instanceof Date && pulled.terminationTime instanceof Date) terminationAt = localTermination(pulled as { currentTime: Date; terminationTime: Date });
        const rising = edges.rising(readNotifications(pulled?.notificationMessage, new Date()));
        await this.deliver(rising.map((c) => this.eventInput(s, c.kind, c.topic, c.at)));
        if (terminationAt - Date.now() < RENEW_MARGIN_MS) {
          const renewed = await call<{ currentTime?: Date; terminationTime?: Date }>(ms, 'Renew', (cb) => s.cam.renew({}, cb));
          if (renewed?.currentTime instanceof Date && renewed.terminationTime instanceof Date) terminationAt = localTermination(renewed as { currentTime: Date; terminationTime: Date });
        }
        failures = 0;
      } catch (err) {
        if (!live()) break;
        // The camera lost the subscription (ended, expired, rebooted) or did not answer: start a new one.
        delete s.cam.events.subscription;
        failures++;
        if (failures === 1) this.deps.log(`onvif ${this.config.id}: events: ${this.scrub((err as Error).message)}; subscribing again`);
        await sleep(this.deps.clock, Math.min(30_000, 500 * 2 ** Math.min(failures - 1, 6)));
      }
    }
  }

  /** Hands events on; those that could not be stored go again with the next ones (their ids keep them single). */
  private async deliver(events: VideoEventInput[]): Promise<void> {
    this.pendingEvents.push(...events);
    if (this.pendingEvents.length > MAX_PENDING_EVENTS) this.pendingEvents.splice(0, this.pendingEvents.length - MAX_PENDING_EVENTS);
    if (!this.pendingEvents.length) return;
    const batch = this.pendingEvents;
    try {
      await this.intake.reportEvents(this.config.id, batch);
      this.pendingEvents = this.pendingEvents.filter((e) => !batch.includes(e));
    } catch (err) {
      this.deps.log(`onvif ${this.config.id}: ${batch.length} event(s) could not be stored (${(err as Error).message}); trying again with the next pull`);
    }
  }

  private eventInput(s: OnvifSession, type: 'motion' | 'tamper', topic: string, at: Date): VideoEventInput {
    return {
      eventId: `${s.serial}/${topic}/${at.toISOString()}`,
      cameraId: this.cameraId,
      at: at.getTime(),
      type,
      snapshot: () => this.media.snapshot(this.cameraId, { timeoutMs: this.target.timeoutMs }).catch(() => null),
    };
  }

  private cameraEntry(s: OnvifSession | null): Camera {
    const c = this.config.camera;
    const text = (v: string | LocalText): LocalText => (typeof v === 'string' ? { zh: v, en: v } : v);
    const kind: CameraKind = c.kind ?? (s?.ptz ? 'ptz' : 'fixed');
    const panZero = c.panZeroHeadingDeg ?? 0;
    return {
      id: `${this.config.id}/${this.cameraId}`,
      sourceId: this.config.id,
      cameraId: this.cameraId,
      name: text(c.name),
      kind,
      position: { lon: c.lon, lat: c.lat, altM: c.groundAltM + c.mountHeightM },
      mountHeightM: c.mountHeightM,
      headingDeg: c.headingDeg,
      tiltDeg: c.tiltDeg,
      fovDeg: c.fovDeg,
      rangeM: c.rangeM,
      // Generic space: pan −1…1 is −180°…180° from pan zero, tilt −1…1 is 90° down…90° up.
      presets: (s?.presets ?? []).map((p) => ({
        id: p.token,
        name: p.name,
        headingDeg: p.pan === null ? c.headingDeg : round((((panZero + p.pan * 180) % 360) + 360) % 360),
        tiltDeg: p.tilt === null ? c.tiltDeg : round(-p.tilt * 90),
      })),
      group: c.group ?? null,
      area: c.area ? text(c.area) : null,
      gridCellId: null,
      checkpointId: null,
    };
  }

  private require(cameraId: string): OnvifSession {
    if (cameraId !== this.cameraId) throw new Error(`source ${this.config.id} has no camera ${JSON.stringify(cameraId)}`);
    if (!this.session) throw new Error(`camera ${this.config.id}/${cameraId} is not connected`);
    return this.session;
  }

  private problemOf(err: unknown): SourceProblem {
    if (err instanceof HttpError) return { ...err.problem, message: this.scrub(err.problem.message ?? err.problem.code) };
    const e = err as NodeJS.ErrnoException;
    const text = this.scrub(e?.message ?? String(err));
    if (e?.code === 'ETIMEDOUT' || /timeout/i.test(text)) return { code: 'timeout', target: this.where, message: `no answer from ${this.where} within ${this.target.timeoutMs / 1000} s` };
    if (e?.code && /^E[A-Z]+$/.test(e.code) || /socket hang up/i.test(text)) return { code: 'unreachable', target: this.where, message: `cannot reach ${this.where} (${e.code ?? text})` };
    if (/not ?authori[sz]ed/i.test(text)) {
      return { code: 'failed', target: this.where, message: `${this.where} refused the credentials from ${this.config.usernameEnv}/${this.config.passwordEnv} (${text})` };
    }
    return { code: 'failed', target: this.where, message: `${this.where}: ${text}` };
  }

  /** Never a credential in a message, whatever a library put there. */
  private scrub(text: string): string {
    let out = text;
    for (const secret of [this.creds.password, this.creds.username]) if (secret.length >= 3) out = out.split(secret).join('***');
    return out;
  }

  private scrubbed(err: unknown): Error {
    if (err instanceof HttpError) return new HttpError({ ...err.problem, message: this.scrub(err.problem.message ?? err.problem.code) });
    return new Error(this.scrub((err as Error)?.message ?? String(err)));
  }
}

/** The subscription's end on this machine's clock, from the camera's current and termination times. */
function localTermination(r: { currentTime: Date; terminationTime: Date }): number {
  return Date.now() + (r.terminationTime.getTime() - r.currentTime.getTime());
}

function round(n: number): number {
  return Math.round(n * 100) / 100 + 0; // never -0
}
