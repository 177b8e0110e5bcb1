// The drone-detection adapter (kind `drone-detection`, polled): GETs a detection system's track API (the
// simulator's, or a real system's with the same shape), validates every answer, and hands the tracks to the
// track service as one snapshot — where circle entry raises touch-circle alarms, and tracks the system no
// longer reports leave the picture, in one `tracks.changed` event. A malformed answer is reported (what,
// where) and skipped; a poll whose alarms could not be stored does not count as good; the feed keeps polling.
import { z } from 'zod';
import type { TrackService } from '../tracks/track-service.ts';
import type { SourceRegistry } from '../sources/source-registry.ts';
import { HttpError, type HttpJsonClient } from '../sources/http-json.ts';
import { apiKeyFields, commonSourceFields, pollSourceFields, type PollKind } from '../sources/adapter-kind.ts';

/** The detection system's answer to GET /api/v1/tracks. */
export const droneTracksSchema = z.object({
  serverTime: z.string(),
  tracks: z.array(
    z.object({
      trackId: z.string().min(1).max(64),
      classification: z.enum(['drone', 'bird', 'unknown']),
      confidence: z.number().min(0).max(1).optional(),
      position: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), altMsl: z.number().min(-500).max(20000) }),
      velocity: z.object({ speed: z.number().min(0), heading: z.number().min(0).max(360) }).optional(),
      remoteId: z.object({ serial: z.string(), operator: z.string() }).nullable().optional(),
      updated: z.string(),
    }),
  ),
});

export interface DroneFeedConfig {
  sourceId: string;
  url: string;
  apiKey?: string;
  timeoutMs: number;
}

export class DroneDetectionFeed {
  constructor(
    private readonly config: DroneFeedConfig,
    private readonly http: HttpJsonClient,
    private readonly tracks: TrackService,
    private readonly sources: SourceRegistry,
    private readonly log: (line: string) => void = console.warn,
  ) {}

  /** One poll: true when it gave usable tracks and their alarms were stored. */
  async pollOnce(): Promise<boolean> {
    const { sourceId, url, apiKey, timeoutMs } = this.config;
    let body: unknown;
    try {
      body = await this.http.getJson(new URL('/api/v1/tracks', url).toString(), {
        headers: apiKey ? { 'X-Api-Key': apiKey } : {}, timeoutMs,
      });
    } catch (err) {
      await this.sources.failed(sourceId, err instanceof HttpError ? err.problem : { code: 'failed', message: (err as Error).message });
      return false;
    }
    const parsed = droneTracksSchema.safeParse(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const path = first.path.join('.') || 'body';
      const more = parsed.error.issues.length - 1;
      const message = `malformed answer: ${path}: ${first.message}` + (more ? ` (+${more} more)` : '');
      this.log(`drone detection ${sourceId}: ${message}`);
      await this.sources.failed(sourceId, { code: 'malformed', path, more, message });
      return false;
    }
    try {
      await this.tracks.reportBatch(sourceId, parsed.data.tracks.map((t) => ({
        trackId: t.trackId,
        position: { lon: t.position.lon, lat: t.position.lat, altM: t.position.altMsl },
        attributes: { classification: t.classification, speedMps: t.velocity?.speed, headingDeg: t.velocity?.heading, remoteId: t.remoteId ?? null },
      })), { replace: true });
    } catch (err) {
      // Nothing moved on: the next poll raises the same alarms again.
      const message = `could not store the alarms of this answer: ${(err as Error).message}`;
      this.log(`drone detection ${sourceId}: ${message}`);
      await this.sources.failed(sourceId, { code: 'storage', message });
      return false;
    }
    this.sources.ok(sourceId, { tracks: parsed.data.tracks.length });
    return true;
  }
}

const droneDetectionConfig = z
  .object({
    ...commonSourceFields,
    ...apiKeyFields,
    ...pollSourceFields,
    kind: z.literal('drone-detection'),
    /** The system's base URL; the feed GETs /api/v1/tracks under it. */
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://detect.example' }),
  })
  .strict();

export const droneDetectionKind: PollKind<z.output<typeof droneDetectionConfig>> = {
  kind: 'drone-detection',
  mode: 'poll',
  defaultName: { zh: '无人机探测', en: 'Drone detection' },
  defaultSilentAfterMs: 10_000,
  defaultApiKeyEnv: 'SKYFENCE_DRONE_API_KEY',
  configSchema: droneDetectionConfig,
  create(config, deps) {
    const feed = new DroneDetectionFeed(
      { sourceId: config.id, url: config.url, apiKey: config.apiKey, timeoutMs: config.timeoutMs ?? 3_000 },
      deps.http, deps.tracks, deps.sources, deps.log,
    );
    return { intervalMs: config.intervalMs ?? 1_000, backoffMaxMs: config.backoffMaxMs ?? 5_000, pollOnce: () => feed.pollOnce() };
  },
};
