// The drone-detection adapter: polls a detection system's track API (the simulator's, or a real system's
// with the same shape), validates every answer, and feeds the tracks to the track service — where circle
// entry raises touch-circle alarms. A malformed answer is reported (what, where) and skipped; the feed keeps
// polling; a silent system turns the source down and raises a source-silent alarm.
import { z } from 'zod';
import type { TrackService } from '../tracks/track-service.ts';
import type { SourceRegistry } from '../sources/source-registry.ts';
import { HttpError, type HttpJsonClient } from '../sources/http-json.ts';

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
  ) {}

  async pollOnce(): Promise<void> {
    const { sourceId, url, apiKey, timeoutMs } = this.config;
    let body: unknown;
    try {
      body = await this.http.getJson(new URL('/api/v1/tracks', url).toString(), {
        headers: apiKey ? { 'X-Api-Key': apiKey } : {}, timeoutMs,
      });
    } catch (err) {
      await this.sources.failed(sourceId, err instanceof HttpError ? err.problem : { code: 'failed', message: (err as Error).message });
      return;
    }
    const parsed = droneTracksSchema.safeParse(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const path = first.path.join('.') || 'body';
      const more = parsed.error.issues.length - 1;
      const message = `malformed answer: ${path}: ${first.message}` + (more ? ` (+${more} more)` : '');
      console.warn(`drone detection ${sourceId}: ${message}`);
      await this.sources.failed(sourceId, { code: 'malformed', path, more, message });
      return;
    }
    await this.tracks.reportBatch(sourceId, parsed.data.tracks.map((t) => ({
      trackId: t.trackId,
      position: { lon: t.position.lon, lat: t.position.lat, altM: t.position.altMsl },
      attributes: { classification: t.classification, speedMps: t.velocity?.speed, headingDeg: t.velocity?.heading, remoteId: t.remoteId ?? null },
    })));
    this.tracks.prune(sourceId, new Set(parsed.data.tracks.map((t) => t.trackId)));
    this.sources.ok(sourceId, { tracks: parsed.data.tracks.length });
  }
}
