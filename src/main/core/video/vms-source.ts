// The VMS adapter (kind `vms`, polled): reads a VMS/NVR through the HTTP API of vms-api.ts and hands the
// camera registry its inventory (at start, then every few minutes), every camera's state (each poll) and its
// analytic events and plate reads, page by page after a cursor. The cursor is saved only after what a page
// raised committed, and read back at start: a restarted console resumes where it stopped. Every answer is
// validated; a malformed one is reported (what, where) and fails the poll, nothing moves on, and the next
// good poll catches up. Pictures, live streams and PTZ go through the media object, with the API key.
import { z } from 'zod';
import type { SourceProblem } from '../../../shared/domain.ts';
import type { Camera } from '../../../shared/video.ts';
import type { Clock } from '../clock.ts';
import { apiKeyFields, commonSourceFields, pollSourceFields, type PollKind } from '../sources/adapter-kind.ts';
import { HttpError, type HttpJsonClient } from '../sources/http-json.ts';
import type { SourceRegistry } from '../sources/source-registry.ts';
import type { EventCursors } from './event-cursors.ts';
import { fetchVideoClient, type VideoHttpClient } from './video-http.ts';
import type { VideoEventInput, VideoIntake, VideoSourceOptions } from './video-intake.ts';
import type { MediaStream, VideoSourceMedia } from './video-source.ts';
import { vmsCameraListSchema, vmsEventPageSchema, vmsStatusListSchema, type VmsCamera, type VmsEvent, type VmsEventPage } from './vms-api.ts';

/** Pages of events read per poll at most (the rest next poll): a backlog must not hold up the health report. */
export const MAX_EVENT_PAGES_PER_POLL = 20;
export const EVENT_PAGE_SIZE = 500;
/** A picture at most (a 4K JPEG is well under). */
export const MAX_SNAPSHOT_BYTES = 2 * 1024 * 1024;
/**
 * With no stored cursor (the console's first contact with this VMS), older events are read past without
 * raising anything: a VMS holding a week of events must not raise a week of alarms.
 */
export const FIRST_READ_MAX_AGE_MS = 15 * 60_000;

export interface VmsSourceConfig {
  sourceId: string;
  url: string;
  apiKey?: string;
  timeoutMs: number;
  inventoryEveryMs: number;
  watch: VideoSourceOptions;
}

export interface VmsSourceDeps {
  clock: Clock;
  http: HttpJsonClient;
  video: VideoHttpClient;
  intake: VideoIntake;
  sources: SourceRegistry;
  cursors: EventCursors;
  log: (line: string) => void;
}

class PollFailure extends Error {
  constructor(readonly problem: SourceProblem) {
    super(problem.message ?? problem.code);
  }
}

export class VmsSource {
  readonly media: VideoSourceMedia;
  private inventoryAt = Number.NEGATIVE_INFINITY;
  private cursor: string | null | undefined;
  /** The first contact's backlog is being read (no cursor was stored): old events raise nothing. */
  private firstContact = false;
  private events = 0;
  private motion = 0;

  constructor(private readonly config: VmsSourceConfig, private readonly deps: VmsSourceDeps) {
    this.media = new VmsMedia(config, deps.video);
  }

  /** One poll: true when the inventory (if due), the states and the events it read were all stored. */
  async pollOnce(): Promise<boolean> {
    const { sourceId } = this.config;
    try {
      if (this.deps.clock.now() - this.inventoryAt >= this.config.inventoryEveryMs) await this.readInventory();
      const status = await this.getJson('/api/cameras/status', vmsStatusListSchema);
      await this.stored('the camera states', () => this.deps.intake.reportHealth(sourceId, status.cameras.map((c) => ({ cameraId: c.id, online: c.online }))));
      await this.readEvents();
    } catch (err) {
      const problem = err instanceof PollFailure ? err.problem : { code: 'failed' as const, message: (err as Error).message };
      await this.deps.sources.failed(sourceId, problem);
      return false;
    }
    this.deps.sources.ok(sourceId, { ...this.deps.intake.counts(sourceId), events: this.events, motion: this.motion });
    return true;
  }

  private async readInventory(): Promise<void> {
    const { sourceId } = this.config;
    const list = await this.getJson('/api/cameras', vmsCameraListSchema);
    this.deps.intake.setCameras(sourceId, list.cameras.map((c) => toCamera(sourceId, c)), this.media, this.config.watch);
    this.inventoryAt = this.deps.clock.now();
  }

  private async readEvents(): Promise<void> {
    const { sourceId } = this.config;
    if (this.cursor === undefined) {
      this.cursor = await this.stored('(reading) the event cursor', () => this.deps.cursors.load(sourceId));
      this.firstContact = this.cursor === null;
    }
    for (let page = 0; page < MAX_EVENT_PAGES_PER_POLL; page++) {
      const query: URLSearchParams = new URLSearchParams({ after: this.cursor ?? '', limit: String(EVENT_PAGE_SIZE) });
      const answer: VmsEventPage = await this.getJson(`/api/events?${query}`, vmsEventPageSchema);
      this.events += answer.events.length;
      this.motion += answer.events.filter((e) => e.type === 'motion').length;
      const oldest = this.deps.clock.now() - FIRST_READ_MAX_AGE_MS;
      const events = answer.events
        .map((e) => this.toEvent(e))
        .filter((e) => !this.firstContact || e.at >= oldest);
      if (this.firstContact && events.length < answer.events.length) {
        this.deps.log(`vms ${sourceId}: first contact: ${answer.events.length - events.length} events older than ${FIRST_READ_MAX_AGE_MS / 60_000} min read past without alarms`);
      }
      await this.stored('the alarms of its events', () => this.deps.intake.reportEvents(sourceId, events));
      const after: string = this.cursor ?? '';
      // A cursor that stays put while events or `more` say otherwise would read the same page forever
      // (the registry's memory of event ids keeps the replays from counting; this stops the spin).
      if (answer.next === after && (answer.more || answer.events.length > 0)) throw this.stuckCursor(query, answer);
      if (answer.next !== this.cursor) {
        await this.stored('the event cursor', () => this.deps.cursors.save(sourceId, answer.next));
        this.cursor = answer.next;
      }
      if (!answer.more) {
        this.firstContact = false;
        break;
      }
    }
  }

  private stuckCursor(query: URLSearchParams, answer: VmsEventPage): PollFailure {
    const message = `the VMS's event cursor did not advance: /api/events?${query} answered next ${JSON.stringify(answer.next)} ` +
      `with ${answer.events.length} event(s) and more: ${answer.more}`;
    this.deps.log(`vms ${this.config.sourceId}: ${message}`);
    return new PollFailure({ code: 'malformed', target: new URL('/api/events', this.config.url).toString(), path: 'next', more: 0, message });
  }

  private toEvent(e: VmsEvent): VideoEventInput {
    return {
      eventId: e.id, cameraId: e.camera, at: Date.parse(e.at), type: e.type,
      ...(e.label ? { label: e.label } : {}),
      ...(e.plate ? { plate: e.plate } : {}),
      ...(e.hasSnapshot ? { snapshot: () => this.media.eventSnapshot!(e.id, { timeoutMs: this.config.timeoutMs }) } : {}),
    };
  }

  /** Runs a write of what the answer means; its failure is a storage problem (nothing moved on). */
  private async stored<T>(what: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      const message = `could not store ${what}: ${(err as Error).message}`;
      this.deps.log(`vms ${this.config.sourceId}: ${message}`);
      throw new PollFailure({ code: 'storage', message });
    }
  }

  private async getJson<S extends z.ZodType>(pathAndQuery: string, schema: S): Promise<z.output<S>> {
    const { sourceId, url, apiKey, timeoutMs } = this.config;
    const where = new URL(pathAndQuery, url);
    let body: unknown;
    try {
      body = await this.deps.http.getJson(where.toString(), { headers: apiKey ? { 'X-Api-Key': apiKey } : {}, timeoutMs });
    } catch (err) {
      throw new PollFailure(err instanceof HttpError ? err.problem : { code: 'failed', message: (err as Error).message });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const path = first.path.join('.') || 'body';
      const more = parsed.error.issues.length - 1;
      const target = `${where.origin}${where.pathname}`;
      const message = `malformed answer from ${where.pathname}: ${path}: ${first.message}` + (more ? ` (+${more} more)` : '');
      this.deps.log(`vms ${sourceId}: ${message}`);
      throw new PollFailure({ code: 'malformed', target, path, more, message });
    }
    return parsed.data;
  }
}

function toCamera(sourceId: string, c: VmsCamera): Camera {
  return {
    id: `${sourceId}/${c.id}`, sourceId, cameraId: c.id, name: c.name, kind: c.kind,
    position: { lon: c.lon, lat: c.lat, altM: c.groundAltM + c.mountHeightM },
    mountHeightM: c.mountHeightM, headingDeg: c.headingDeg, tiltDeg: c.tiltDeg, fovDeg: c.fovDeg, rangeM: c.rangeM,
    presets: c.presets, group: c.group, area: c.area, gridCellId: null, checkpointId: c.checkpoint,
  };
}

const ptzAnswerSchema = z.object({ ok: z.literal(true), presetId: z.string() });

/** Pictures, live streams and PTZ of one VMS, with its API key (which never leaves this object). */
class VmsMedia implements VideoSourceMedia {
  constructor(private readonly config: VmsSourceConfig, private readonly http: VideoHttpClient) {}

  async snapshot(cameraId: string, { timeoutMs }: { timeoutMs: number }): Promise<Buffer> {
    const answer = await this.http.getBytes(this.at(`/api/cameras/${encodeURIComponent(cameraId)}/snapshot.jpg`), { headers: this.headers(), timeoutMs, maxBytes: MAX_SNAPSHOT_BYTES });
    return jpegOf(answer!, `the snapshot of ${cameraId}`);
  }

  async live(cameraId: string): Promise<MediaStream | null> {
    const s = await this.http.openStream(this.at(`/api/cameras/${encodeURIComponent(cameraId)}/live.mjpeg`), { headers: this.headers(), timeoutMs: this.config.timeoutMs });
    return { contentType: s.contentType, body: s.body, close: () => s.close() };
  }

  async eventSnapshot(eventId: string, { timeoutMs }: { timeoutMs: number }): Promise<Buffer | null> {
    const answer = await this.http.getBytes(this.at(`/api/events/${encodeURIComponent(eventId)}/snapshot.jpg`), { headers: this.headers(), timeoutMs, maxBytes: MAX_SNAPSHOT_BYTES, notFound: 'null' });
    return answer ? jpegOf(answer, `the picture of event ${eventId}`) : null;
  }

  async gotoPreset(cameraId: string, presetId: string): Promise<void> {
    const answer = await this.http.post(this.at(`/api/cameras/${encodeURIComponent(cameraId)}/ptz/presets/${encodeURIComponent(presetId)}`), { headers: this.headers(), timeoutMs: this.config.timeoutMs });
    if (!ptzAnswerSchema.safeParse(answer).success) throw new Error(`the VMS did not confirm preset ${presetId} of ${cameraId}`);
  }

  private at(path: string): string {
    return new URL(path, this.config.url).toString();
  }

  private headers(): Record<string, string> {
    return this.config.apiKey ? { 'X-Api-Key': this.config.apiKey } : {};
  }
}

/** A JPEG by its type and its first bytes: anything else is not kept as a picture. */
function jpegOf(answer: { contentType: string; data: Buffer }, what: string): Buffer {
  const isJpeg = answer.contentType.split(';')[0].trim().toLowerCase() === 'image/jpeg' && answer.data[0] === 0xff && answer.data[1] === 0xd8;
  if (!isJpeg) throw new Error(`${what} is not a JPEG (${answer.contentType}, ${answer.data.length} bytes)`);
  return answer.data;
}

const vmsConfig = z
  .object({
    ...commonSourceFields,
    ...apiKeyFields,
    ...pollSourceFields,
    kind: z.literal('vms'),
    /** The VMS's base URL (or its integration service's); the API of vms-api.ts is under it. */
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://vms.example' }),
    /** How often the camera list is read again (default 5 min). */
    inventoryEveryMs: z.number().int().min(10_000).max(86_400_000).optional(),
    /** Frozen-feed detection: snapshots per second and identical ones in a row; false: none. */
    frozen: z.union([
      z.literal(false),
      z.object({ checksPerS: z.number().min(0.1).max(50).optional(), unchangedChecks: z.number().int().min(2).max(100).optional() }).strict(),
    ]).optional(),
    /** Reports in a row that must say offline before a camera counts as offline (default 2). */
    offlineAfterReports: z.number().int().min(1).max(20).optional(),
  })
  .strict();

export type VmsConfig = z.output<typeof vmsConfig>;

export const vmsKind: PollKind<VmsConfig> = {
  kind: 'vms',
  mode: 'poll',
  defaultName: { zh: '视频监控平台', en: 'Video management system' },
  defaultSilentAfterMs: 15_000,
  defaultApiKeyEnv: 'SKYFENCE_VMS_API_KEY',
  configSchema: vmsConfig,
  create(config, deps) {
    const source = new VmsSource(
      {
        sourceId: config.id, url: config.url, apiKey: config.apiKey, timeoutMs: config.timeoutMs ?? 3_000,
        inventoryEveryMs: config.inventoryEveryMs ?? 300_000,
        watch: { offlineAfterReports: config.offlineAfterReports, frozen: config.frozen },
      },
      { clock: deps.clock, http: deps.http, video: deps.videoHttp ?? fetchVideoClient, intake: deps.video, sources: deps.sources, cursors: deps.cursors, log: deps.log },
    );
    return { intervalMs: config.intervalMs ?? 1_000, backoffMaxMs: config.backoffMaxMs ?? 10_000, pollOnce: () => source.pollOnce() };
  },
};
