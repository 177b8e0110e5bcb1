// What a kind of source adapter is. A kind (drone-detection, track-stream, later vms, sapient…) says how its
// entry in config.json looks, whether the core polls it or it pushes, and how to make an adapter from a checked
// entry. Adding a system is adding a kind to adapter-kinds.ts: nothing else starts sources.
import { z } from 'zod';
import type { LocalText } from '../../../shared/domain.ts';
import type { Clock } from '../clock.ts';
import type { TrackService } from '../tracks/track-service.ts';
import type { EventCursors } from '../video/event-cursors.ts';
import type { VideoHttpClient } from '../video/video-http.ts';
import type { VideoIntake } from '../video/video-intake.ts';
import type { DroneIntake, RunwayIntake } from '../drones/drone-ports.ts';
import type { HttpJsonClient } from './http-json.ts';
import type { SourceRegistry } from './source-registry.ts';
import type { UnitPositionIntake } from '../units/unit-registry.ts';

const localName = z.union([
  z.string().min(1).max(60),
  z.object({ zh: z.string().min(1).max(60), en: z.string().min(1).max(60) }).strict(),
]);

/** Fields every entry of `sources` may have, whatever its kind. */
export const commonSourceFields = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'an id is 1–40 lower-case letters, digits and "-"'),
  /** Shown in the status bar: one name, or { zh, en }. */
  name: localName.optional(),
  /** Down, with a source-silent alarm, after this long without usable data. */
  silentAfterMs: z.number().int().min(1_000).max(3_600_000).optional(),
};

/** Fields of a source that needs an API key. */
export const apiKeyFields = {
  /** The environment variable holding its API key: keys stay out of files and logs. */
  apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable, e.g. DETECT_API_KEY').optional(),
};

/** Fields of a polled source. */
export const pollSourceFields = {
  intervalMs: z.number().int().min(200).max(600_000).optional(),
  /** Per request. */
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
  /** The longest wait between polls after failures in a row. */
  backoffMaxMs: z.number().int().min(200).max(3_600_000).optional(),
};

/** An entry of `sources` once checked by its kind, with its API key read from the environment. */
export interface SourceEntry {
  id: string;
  kind: string;
  name?: string | LocalText;
  silentAfterMs?: number;
  apiKeyEnv?: string;
  /** Read from `apiKeyEnv` (or the kind's default variable); never written anywhere. */
  apiKey?: string;
}

/** What an adapter gets from the core. */
export interface SourceDeps {
  clock: Clock;
  tracks: TrackService;
  sources: SourceRegistry;
  http: HttpJsonClient;
  /** Where video sources hand their cameras, health and events (the camera registry). */
  video: VideoIntake;
  /** Where drone sensors (detection APIs, Remote ID receivers, SAPIENT nodes) hand their detections: the fusion. */
  drones: DroneIntake;
  /** Where an airport operations feed hands the runways in use. */
  runways: RunwayIntake;
  /** Where a GPS feed hands the units' positions (the unit registry). */
  units: UnitPositionIntake;
  /** Where event feeds keep how far they have read. */
  cursors: EventCursors;
  /** Pictures, streams and PTZ of video sources (tests pass their own; default: fetch). */
  videoHttp?: VideoHttpClient;
  log: (line: string) => void;
  /** For the jitter of backoffs (tests pass their own). */
  random: () => number;
}

export interface PollAdapter {
  intervalMs: number;
  backoffMaxMs: number;
  /** One poll; reports its outcome to the source registry and resolves true when it was good. */
  pollOnce(): Promise<boolean>;
}

export interface PushAdapter {
  stop(): Promise<void>;
}

interface KindBase<C> {
  kind: string;
  /** The status-bar name when the entry gives none. */
  defaultName: LocalText;
  defaultSilentAfterMs: number;
  /** The variable the API key is read from when the entry names none. */
  defaultApiKeyEnv?: string;
  /** The whole entry, `kind` included; strict, so that a misspelt field is an error, not a silent default. */
  configSchema: z.ZodType<C>;
}

export interface PollKind<C = never> extends KindBase<C> {
  mode: 'poll';
  create(config: C & SourceEntry, deps: SourceDeps): PollAdapter;
}

export interface PushKind<C = never> extends KindBase<C> {
  mode: 'push';
  /** Starts the adapter (connecting, listening); `stop` ends it and its timers. */
  create(config: C & SourceEntry, deps: SourceDeps): PushAdapter;
}

/** Any kind: a list holds kinds of different configurations. */
export type AdapterKind = PollKind<any> | PushKind<any>;

/** The name a source shows: the entry's, or its kind's. */
export function sourceName(entry: SourceEntry, kind: AdapterKind): LocalText {
  if (!entry.name) return kind.defaultName;
  return typeof entry.name === 'string' ? { zh: entry.name, en: entry.name } : entry.name;
}
