// The Remote ID receiver adapter (kind `remote-id`, polled): GETs /api/drones?max_age=… from a receiver (the
// simulator's, or a Sparrow DroneID-like one), validates the answer, and decodes every drone's raw broadcast
// with the project's ASTM F3411 codec: the decoded messages are the truth, the receiver's JSON fields only a
// cross-check. A drone whose messages do not decode is logged with the reason and skipped (the source turns
// degraded, the others still count); a malformed answer is reported with where it is wrong and skipped whole.
import { z } from 'zod';
import type { DroneDetection } from '../../../../shared/drones.ts';
import type { SourceRegistry } from '../../sources/source-registry.ts';
import { HttpError, type HttpJsonClient } from '../../sources/http-json.ts';
import { apiKeyFields, commonSourceFields, pollSourceFields, type PollKind } from '../../sources/adapter-kind.ts';
import type { DroneIntake } from '../drone-ports.ts';
import { decodeBytes, RemoteIdError, type RemoteIdMessage } from './codec.ts';
import { hexToBytes } from './hex.ts';
import { receiverAnswerSchema, RECEIVER_FORGET_S, type ReceiverDrone } from './receiver-api.ts';
import { summarise, toDetection } from './summary.ts';

/** Beyond this the decoded position and the receiver's JSON are said to disagree. */
export const CROSS_CHECK_M = 50;
/** How many drones' log lines are remembered (so that each is logged once, not once per poll). */
const MAX_LOGGED = 1_000;

export interface RemoteIdFeedConfig {
  sourceId: string;
  url: string;
  apiKey?: string;
  timeoutMs: number;
  maxAgeS: number;
}

function distanceM(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const x = ((bLon - aLon) * Math.PI) / 180 * Math.cos((((aLat + bLat) / 2) * Math.PI) / 180);
  const y = ((bLat - aLat) * Math.PI) / 180;
  return Math.hypot(x, y) * 6_371_000;
}

/** Lines logged once per drone: the same problem of the same drone is not logged again every poll. */
class OnceLog {
  private readonly said = new Map<string, string>();
  constructor(private readonly log: (line: string) => void) {}
  say(key: string, line: string): void {
    if (this.said.get(key) === line) return;
    if (this.said.size >= MAX_LOGGED) this.said.clear();
    this.said.set(key, line);
    this.log(line);
  }
  forget(key: string): void {
    this.said.delete(key);
  }
}

export class RemoteIdFeed {
  private readonly problems: OnceLog;
  private readonly disagreements: OnceLog;

  constructor(
    private readonly config: RemoteIdFeedConfig,
    private readonly http: HttpJsonClient,
    private readonly drones: DroneIntake,
    private readonly sources: SourceRegistry,
    private readonly log: (line: string) => void = console.warn,
  ) {
    this.problems = new OnceLog(log);
    this.disagreements = new OnceLog(log);
  }

  /** One poll: true when the answer gave usable detections and the fusion stored them. */
  async pollOnce(): Promise<boolean> {
    const { sourceId, url, apiKey, timeoutMs, maxAgeS } = this.config;
    let body: unknown;
    try {
      const target = new URL('/api/drones', url);
      target.searchParams.set('max_age', String(maxAgeS));
      body = await this.http.getJson(target.toString(), { headers: apiKey ? { 'X-Api-Key': apiKey } : {}, timeoutMs });
    } catch (err) {
      await this.sources.failed(sourceId, err instanceof HttpError ? err.problem : { code: 'failed', message: (err as Error).message });
      return false;
    }
    const parsed = receiverAnswerSchema.safeParse(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const path = first.path.join('.') || 'body';
      const more = parsed.error.issues.length - 1;
      const message = `malformed answer: ${path}: ${first.message}` + (more ? ` (+${more} more)` : '');
      this.log(`remote id ${sourceId}: ${message}`);
      await this.sources.failed(sourceId, { code: 'malformed', path, more, message });
      return false;
    }
    const detections: DroneDetection[] = [];
    const skipped: Array<{ path: string; message: string }> = [];
    parsed.data.drones.forEach((drone, i) => {
      const key = drone.serial_number ?? drone.registration_id ?? `#${i}`;
      try {
        detections.push(this.detectionOf(drone, key));
        this.problems.forget(key);
      } catch (err) {
        if (!(err instanceof RemoteIdError)) throw err;
        const message = `drone ${key} skipped: ${err.message}`;
        skipped.push({ path: `drones.${i}.messages`, message });
        this.problems.say(key, `remote id ${sourceId}: ${message}`);
      }
    });
    try {
      await this.drones.reportDetections(sourceId, detections);
    } catch (err) {
      // Nothing moved on: the next poll hands the same drones again.
      const message = `could not store the detections of this answer: ${(err as Error).message}`;
      this.log(`remote id ${sourceId}: ${message}`);
      await this.sources.failed(sourceId, { code: 'storage', message });
      return false;
    }
    const counts = { drones: detections.length };
    if (skipped.length) {
      const more = skipped.length - 1;
      this.sources.degraded(sourceId, {
        code: 'malformed', path: skipped[0].path, more, message: skipped[0].message + (more ? ` (+${more} more)` : ''),
      }, counts);
    } else {
      this.sources.ok(sourceId, counts);
    }
    return true;
  }

  /** The drone as its decoded broadcast says; throws RemoteIdError when the broadcast cannot say where it is. */
  private detectionOf(drone: ReceiverDrone, key: string): DroneDetection {
    const messages: RemoteIdMessage[] = [];
    drone.messages.forEach((hex, j) => {
      try {
        messages.push(...decodeBytes(hexToBytes(hex)));
      } catch (err) {
        if (err instanceof RemoteIdError) throw new RemoteIdError(`message ${j + 1}: ${err.message}`);
        throw err;
      }
    });
    const summary = summarise(messages);
    const detection = toDetection(summary, {
      sensorId: this.config.sourceId,
      heardAtMs: Date.parse(drone.last_seen),
      ...(drone.rssi !== null ? { rssiDbm: drone.rssi } : {}),
    });
    if (drone.lat !== null && drone.lon !== null) {
      const offM = distanceM(drone.lat, drone.lon, detection.position.lat, detection.position.lon);
      if (offM > CROSS_CHECK_M) {
        this.disagreements.say(key, `remote id ${this.config.sourceId}: drone ${key}: the receiver's position is ${Math.round(offM)} m from its decoded broadcast; the broadcast is used`);
      } else {
        this.disagreements.forget(key);
      }
    }
    return detection;
  }
}

const remoteIdConfig = z
  .object({
    ...commonSourceFields,
    ...apiKeyFields,
    ...pollSourceFields,
    kind: z.literal('remote-id'),
    /** The receiver's base URL; the feed GETs /api/drones?max_age=… under it. */
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://rid-receiver.local:8080' }),
    /** Drones last heard longer ago than this are not asked for (the receiver lists them up to 180 s). */
    maxAgeS: z.number().int().min(1).max(RECEIVER_FORGET_S).optional(),
  })
  .strict();

export const remoteIdKind: PollKind<z.output<typeof remoteIdConfig>> = {
  kind: 'remote-id',
  mode: 'poll',
  defaultName: { zh: 'Remote ID 接收机', en: 'Remote ID receiver' },
  defaultSilentAfterMs: 10_000,
  defaultApiKeyEnv: 'SKYFENCE_REMOTE_ID_API_KEY',
  configSchema: remoteIdConfig,
  create(config, deps) {
    const feed = new RemoteIdFeed(
      { sourceId: config.id, url: config.url, apiKey: config.apiKey, timeoutMs: config.timeoutMs ?? 3_000, maxAgeS: config.maxAgeS ?? 30 },
      deps.http, deps.drones, deps.sources, deps.log,
    );
    return { intervalMs: config.intervalMs ?? 1_000, backoffMaxMs: config.backoffMaxMs ?? 5_000, pollOnce: () => feed.pollOnce() };
  },
};
