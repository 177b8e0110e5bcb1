// The units' GPS feed (kind `unit-gps`, polled): GETs a GPS/PDT positioning platform's latest fixes
// (GET /api/v1/positions: { timestamp, fixes: [{ deviceId, lon, lat, speedMps, headingDeg, fixAt, accuracyM }] },
// the simulator's or a real platform's of the same shape) and hands them to the unit registry, the device id
// being the unit's id and the fix's time its `fixAt`. Each fix is checked on its own: a bad one is skipped and
// named by its JSON path (the source degraded), the rest are used. An answer that is not that shape at all is a
// malformed source problem with its path; a platform that stops answering goes silent through the source
// registry like any other. A fix no newer than the one last handed for its unit (a dead device's last fix, still
// listed) is not handed again; that memory is kept for the units the registry knows only (a platform listing
// thousands of strange device ids must not grow it). A fix the registry refuses as impossible (dated ahead of
// the console's clock, far from the airport) degrades the source with the fix's path.
import { z } from 'zod';
import type { SourceProblem } from '../../../shared/domain.ts';
import { HttpError, type HttpJsonClient } from '../sources/http-json.ts';
import type { SourceRegistry } from '../sources/source-registry.ts';
import { apiKeyFields, commonSourceFields, pollSourceFields, type PollKind } from '../sources/adapter-kind.ts';
import type { RefusedFix, UnitPositionIntake } from './unit-registry.ts';

export const POSITIONS_PATH = '/api/v1/positions';
/** A fix stamped later than the platform's own time by more than this is refused (a device clock gone wrong). */
export const MAX_FIX_AHEAD_MS = 60_000;
/** Fixes per answer beyond this are a broken or hostile platform. */
export const MAX_FIXES = 5_000;

/** The answer as a whole: anything else is a malformed answer. */
const answerSchema = z.object({
  timestamp: z.iso.datetime({ offset: true }),
  fixes: z.array(z.unknown()).max(MAX_FIXES),
});

/** One fix. */
export const gpsFixSchema = z.object({
  deviceId: z.string().min(1).max(64),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  speedMps: z.number().min(0).max(150).optional(),
  headingDeg: z.number().min(0).max(360).optional(),
  fixAt: z.iso.datetime({ offset: true }),
  accuracyM: z.number().min(0).max(10_000).optional(),
});

export type UnitFix = Parameters<UnitPositionIntake['reportPositions']>[1][number];
type Issue = { path: ReadonlyArray<PropertyKey>; message: string };

export interface UnitGpsConfig {
  sourceId: string;
  url: string;
  apiKey?: string;
  timeoutMs: number;
}

export class UnitGpsFeed {
  /** The newest fix time taken by the registry, per known unit. */
  private readonly handed = new Map<string, number>();

  constructor(
    private readonly config: UnitGpsConfig,
    private readonly http: HttpJsonClient,
    private readonly units: UnitPositionIntake,
    private readonly sources: SourceRegistry,
    private readonly log: (line: string) => void = console.warn,
  ) {}

  /** One poll: true when the answer was usable and its new fixes were taken by the registry. */
  async pollOnce(): Promise<boolean> {
    const { sourceId, url, apiKey, timeoutMs } = this.config;
    let body: unknown;
    try {
      body = await this.http.getJson(new URL(POSITIONS_PATH, url).toString(), { headers: apiKey ? { 'X-Api-Key': apiKey } : {}, timeoutMs });
    } catch (err) {
      await this.sources.failed(sourceId, err instanceof HttpError ? err.problem : { code: 'failed', message: (err as Error).message });
      return false;
    }
    const answer = answerSchema.safeParse(body);
    if (!answer.success) {
      const problem = problemOf(answer.error.issues);
      this.log(`unit gps ${sourceId}: ${problem.message}`);
      await this.sources.failed(sourceId, problem);
      return false;
    }
    const { fixes, skipped, indexOf } = readFixes(answer.data.fixes, Date.parse(answer.data.timestamp));
    // Unknown units are handed on to be counted (a misconfigured feed shows), never remembered here.
    const fresh = fixes.filter((f) => !this.units.has(f.unitId) || f.at > (this.handed.get(f.unitId) ?? -Infinity));
    let refused: RefusedFix[] = [];
    try {
      if (fresh.length) refused = await this.units.reportPositions(sourceId, fresh);
    } catch (err) {
      // Nothing moved on: the next poll hands the same fixes again.
      const message = `could not store the positions of this answer: ${(err as Error).message}`;
      this.log(`unit gps ${sourceId}: ${message}`);
      await this.sources.failed(sourceId, { code: 'storage', message });
      return false;
    }
    const refusedIds = new Set(refused.map((r) => r.unitId));
    for (const f of fresh) if (this.units.has(f.unitId) && !refusedIds.has(f.unitId)) this.handed.set(f.unitId, f.at);
    const counts = { fixes: fixes.length, units: new Set(fixes.map((f) => f.unitId)).size };
    const issues: Issue[] = [
      ...skipped,
      ...refused.map((r) => ({ path: ['fixes', indexOf.get(r.unitId) ?? '?', r.field === 'at' ? 'fixAt' : 'lon'], message: r.message })),
    ];
    if (issues.length) {
      const problem = problemOf(issues, 'fix skipped');
      this.log(`unit gps ${sourceId}: ${problem.message}`);
      this.sources.degraded(sourceId, problem, counts);
    } else {
      this.sources.ok(sourceId, counts);
    }
    return true;
  }
}

/**
 * The usable fixes of an answer (one per unit: its latest, with its index in the answer) and the issues of the
 * skipped ones, with paths from the answer's root (`fixes.3.lat`).
 */
export function readFixes(raw: unknown[], platformTime: number): { fixes: UnitFix[]; skipped: Issue[]; indexOf: Map<string, number> } {
  const latest = new Map<string, UnitFix>();
  const indexOf = new Map<string, number>();
  const skipped: Issue[] = [];
  raw.forEach((entry, i) => {
    const parsed = gpsFixSchema.safeParse(entry);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      skipped.push({ path: ['fixes', i, ...first.path], message: first.message });
      return;
    }
    const f = parsed.data;
    const at = Date.parse(f.fixAt);
    if (at - platformTime > MAX_FIX_AHEAD_MS) {
      skipped.push({ path: ['fixes', i, 'fixAt'], message: `${f.fixAt} is ${Math.round((at - platformTime) / 1000)} s after the platform's time (the device's clock is wrong)` });
      return;
    }
    const before = latest.get(f.deviceId);
    if (!before || at > before.at) {
      latest.set(f.deviceId, { unitId: f.deviceId, position: { lon: f.lon, lat: f.lat }, at });
      indexOf.set(f.deviceId, i);
    }
  });
  return { fixes: [...latest.values()], skipped, indexOf };
}

function problemOf(issues: Issue[], what = 'malformed answer'): SourceProblem {
  const first = issues[0];
  const path = first.path.map(String).join('.') || 'body';
  const more = issues.length - 1;
  return { code: 'malformed', path, more, message: `${what}: ${path}: ${first.message}${more ? ` (+${more} more)` : ''}` };
}

const unitGpsConfig = z
  .object({
    ...commonSourceFields,
    ...apiKeyFields,
    ...pollSourceFields,
    kind: z.literal('unit-gps'),
    /** The platform's base URL; the feed GETs /api/v1/positions under it. */
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://gps.example' }),
  })
  .strict();

export const unitGpsKind: PollKind<z.output<typeof unitGpsConfig>> = {
  kind: 'unit-gps',
  mode: 'poll',
  defaultName: { zh: '警力定位', en: 'Unit GPS' },
  defaultSilentAfterMs: 30_000,
  defaultApiKeyEnv: 'SKYFENCE_GPS_API_KEY',
  configSchema: unitGpsConfig,
  create(config, deps) {
    const feed = new UnitGpsFeed(
      { sourceId: config.id, url: config.url, apiKey: config.apiKey, timeoutMs: config.timeoutMs ?? 3_000 },
      deps.http, deps.units, deps.sources, deps.log,
    );
    return { intervalMs: config.intervalMs ?? 2_000, backoffMaxMs: config.backoffMaxMs ?? 10_000, pollOnce: () => feed.pollOnce() };
  },
};
