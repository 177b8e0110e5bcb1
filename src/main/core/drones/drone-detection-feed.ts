// The drone-detection adapter (kind `drone-detection`, polled): GETs a detection system's track API (the
// simulator's, or a real system's with the same shape), validates every answer, and hands its tracks to the
// fusion as detections of one sensor (sensorKind 'detection', objectId its trackId, the Remote ID it decoded
// as identity), where they join the tracks of every other drone sensor. The fusion ages tracks itself: a track
// the system stops reporting is not removed here. A malformed answer is reported (what, where) and skipped; a
// poll whose detections could not be stored does not count as good; the feed keeps polling.
import { z } from 'zod';
import type { DroneDetection } from '../../../shared/drones.ts';
import type { Clock } from '../clock.ts';
import type { DroneIntake } from './drone-ports.ts';
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
    private readonly drones: DroneIntake,
    private readonly sources: SourceRegistry,
    private readonly clock: Clock,
    private readonly log: (line: string) => void = console.warn,
  ) {}

  /** One poll: true when it gave usable tracks and the fusion stored them (and wrote what they raised). */
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
      await this.drones.reportDetections(sourceId, toDetections(sourceId, parsed.data, this.clock.now()));
    } catch (err) {
      // Nothing moved on: the next poll hands the same tracks again.
      const message = `could not store the detections of this answer: ${(err as Error).message}`;
      this.log(`drone detection ${sourceId}: ${message}`);
      await this.sources.failed(sourceId, { code: 'storage', message });
      return false;
    }
    this.sources.ok(sourceId, { tracks: parsed.data.tracks.length });
    return true;
  }
}

/**
 * The answer's tracks as detections. Each one's time is its age on the system's clock (serverTime − updated)
 * taken back from ours, so that a system whose clock is off does not make every track look stale or fresh;
 * without readable times, the time of the poll.
 */
export function toDetections(sensorId: string, answer: z.output<typeof droneTracksSchema>, now: number): DroneDetection[] {
  const serverTime = Date.parse(answer.serverTime);
  return answer.tracks.map((t) => {
    const ageMs = serverTime - Date.parse(t.updated);
    return {
      sensorId,
      sensorKind: 'detection',
      objectId: t.trackId,
      at: Number.isFinite(ageMs) ? now - Math.max(0, Math.round(ageMs)) : now,
      position: { lon: t.position.lon, lat: t.position.lat, altM: t.position.altMsl },
      speedMps: t.velocity?.speed,
      headingDeg: t.velocity?.heading,
      classification: t.classification,
      confidence: t.confidence,
      identity: t.remoteId ? { serial: t.remoteId.serial || null, operatorId: t.remoteId.operator || null } : null,
    };
  });
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
      deps.http, deps.drones, deps.sources, deps.clock, deps.log,
    );
    return { intervalMs: config.intervalMs ?? 1_000, backoffMaxMs: config.backoffMaxMs ?? 5_000, pollOnce: () => feed.pollOnce() };
  },
};
