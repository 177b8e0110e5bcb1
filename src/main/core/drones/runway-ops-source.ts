// The runway-ops adapter (kind `runway-ops`, polled): GETs an airport operations system's runway feed
// (GET /ops/v1/runways: which runways are in use, towards which end, for arrivals or departures), validates every
// answer, and hands the whole picture to the runway board, against which the threat of a drone under an approach
// is judged. A malformed answer is reported (what, where) and skipped; the feed keeps polling.
import { z } from 'zod';
import type { SourceRegistry } from '../sources/source-registry.ts';
import { HttpError, type HttpJsonClient } from '../sources/http-json.ts';
import { apiKeyFields, commonSourceFields, pollSourceFields, type PollKind } from '../sources/adapter-kind.ts';
import type { RunwayIntake } from './drone-ports.ts';

/** The operations system's answer to GET /ops/v1/runways. */
export const opsRunwaysSchema = z.object({
  updated: z.string().min(1).max(40),
  runways: z.array(
    z.object({
      id: z.string().min(1).max(20),
      status: z.enum(['in-use', 'closed']),
      direction: z.string().min(1).max(4).nullable(),
      operations: z.enum(['arrivals', 'departures', 'mixed']).nullable(),
    }).refine((r) => r.status === 'closed' || r.direction !== null, { message: 'a runway in use needs a direction', path: ['direction'] }),
  ).max(20),
});

export interface RunwayOpsConfig {
  sourceId: string;
  url: string;
  apiKey?: string;
  timeoutMs: number;
}

export class RunwayOpsFeed {
  constructor(
    private readonly config: RunwayOpsConfig,
    private readonly http: HttpJsonClient,
    private readonly runways: RunwayIntake,
    private readonly sources: SourceRegistry,
    private readonly log: (line: string) => void = console.warn,
  ) {}

  /** One poll: true when it gave a usable picture of the runways. */
  async pollOnce(): Promise<boolean> {
    const { sourceId, url, apiKey, timeoutMs } = this.config;
    let body: unknown;
    try {
      body = await this.http.getJson(new URL('/ops/v1/runways', url).toString(), { headers: apiKey ? { 'X-Api-Key': apiKey } : {}, timeoutMs });
    } catch (err) {
      await this.sources.failed(sourceId, err instanceof HttpError ? err.problem : { code: 'failed', message: (err as Error).message });
      return false;
    }
    const parsed = opsRunwaysSchema.safeParse(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const path = first.path.join('.') || 'body';
      const more = parsed.error.issues.length - 1;
      const message = `malformed answer: ${path}: ${first.message}` + (more ? ` (+${more} more)` : '');
      this.log(`runway ops ${sourceId}: ${message}`);
      await this.sources.failed(sourceId, { code: 'malformed', path, more, message });
      return false;
    }
    try {
      this.runways.reportRunways(sourceId, parsed.data.runways.map((r) => ({
        runwayId: r.id, status: r.status, direction: r.status === 'closed' ? null : r.direction, operations: r.status === 'closed' ? null : r.operations,
      })));
    } catch (err) {
      const message = `the runway board refused this answer: ${(err as Error).message}`;
      this.log(`runway ops ${sourceId}: ${message}`);
      await this.sources.failed(sourceId, { code: 'failed', message });
      return false;
    }
    this.sources.ok(sourceId, { runways: parsed.data.runways.length, inUse: parsed.data.runways.filter((r) => r.status === 'in-use').length });
    return true;
  }
}

const runwayOpsConfig = z
  .object({
    ...commonSourceFields,
    ...apiKeyFields,
    ...pollSourceFields,
    kind: z.literal('runway-ops'),
    /** The operations system's base URL; the feed GETs /ops/v1/runways under it. */
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://aodb.example' }),
  })
  .strict();

export const runwayOpsKind: PollKind<z.output<typeof runwayOpsConfig>> = {
  kind: 'runway-ops',
  mode: 'poll',
  defaultName: { zh: '跑道运行', en: 'Runway operations' },
  // Runways change rarely: a feed that says nothing for a minute is down.
  defaultSilentAfterMs: 60_000,
  defaultApiKeyEnv: 'SKYFENCE_OPS_API_KEY',
  configSchema: runwayOpsConfig,
  create(config, deps) {
    const feed = new RunwayOpsFeed(
      { sourceId: config.id, url: config.url, apiKey: config.apiKey, timeoutMs: config.timeoutMs ?? 3_000 },
      deps.http, deps.runways, deps.sources, deps.log,
    );
    return { intervalMs: config.intervalMs ?? 5_000, backoffMaxMs: config.backoffMaxMs ?? 30_000, pollOnce: () => feed.pollOnce() };
  },
};
