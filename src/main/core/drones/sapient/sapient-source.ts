// The SAPIENT adapter (kind `sapient`, push): the console as the fusion node of one SAPIENT (BSI Flex 335 v2.0)
// sensor node. It connects to the node's host:port, reads length-prefixed protobuf messages, answers the
// node's Registration with a RegistrationAck that accepts it (addressed to the node), and from then drains
// DetectionReports into the drone fusion. StatusReport heartbeats keep the source alive when the sky is empty.
//
// Detections are coalesced: what arrives within `batchMs` goes to the fusion as one batch, never one call per
// message. A batch the fusion could not store (a full disk) is kept and handed again, before anything newer,
// until it is stored; past `maxPending` detections the oldest are dropped, counted and logged (the live picture
// stays current). A dropped connection, a frame that does not decode, an over-long length prefix or a node
// that says nothing for `idleTimeoutMs` closes the connection with a logged reason; the adapter reconnects
// with backoff on the core's clock. Detections the node sent whole before a fault are delivered all the same.
import { connect, type Socket } from 'node:net';
import { z } from 'zod';
import type { SourceProblem } from '../../../../shared/domain.ts';
import type { DroneDetection } from '../../../../shared/drones.ts';
import type { Timer } from '../../clock.ts';
import { commonSourceFields, type PushAdapter, type PushKind, type SourceDeps } from '../../sources/adapter-kind.ts';
import { Backoff } from '../../sources/backoff.ts';
import { LogThrottle } from '../../sources/log-throttle.ts';
import { printable } from '../../sources/printable.ts';
import { timestampOf } from './codec.ts';
import { detectionOf, type NodePlace } from './detections.ts';
import { DEFAULT_MAX_FRAME_BYTES, frameSapient, MessageReader } from './framing.ts';
import type { SapientContent, SapientMessage } from './schema.ts';

/** The console's node id as a SAPIENT fusion node, when the entry names none. */
export const DEFAULT_FUSION_NODE_ID = '7c1f3e2a-5b8d-4f60-9e17-2d4a6b8c0e31';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An object counts in the status bar while the node reported it within this long. */
const OBJECT_SEEN_MS = 30_000;
/**
 * A connection that stayed up this long has proven itself: the reconnect backoff starts again from its base. A
 * Registration alone proves nothing (a node that registers and drops at once must not be redialled at full rate).
 */
const PROVEN_AFTER_MS = 30_000;
/** Bad-report lines in the log: at most one per this long (the status bar always has the latest). */
const LOG_EVERY_MS = 10_000;

const sapientConfig = z
  .object({
    ...commonSourceFields,
    kind: z.literal('sapient'),
    host: z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'a host name or IP address, e.g. 10.20.0.7').optional(),
    port: z.number().int().min(1).max(65_535),
    /** The console's UUID as the fusion node (the node sees it in every message the console sends). */
    nodeId: z.string().regex(UUID, 'a UUID, e.g. 7c1f3e2a-5b8d-4f60-9e17-2d4a6b8c0e31').optional(),
    /** Connecting gives up after this long. */
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
    /** The first wait before reconnecting, and the longest after failures in a row. */
    reconnectMinMs: z.number().int().min(50).max(60_000).optional(),
    reconnectMaxMs: z.number().int().min(100).max(3_600_000).optional(),
    /** A connection from which nothing arrives for this long is closed and made again (heartbeats come every few seconds). */
    idleTimeoutMs: z.number().int().min(1_000).max(3_600_000).optional(),
    /** Detections arriving within this long go to the fusion as one batch. */
    batchMs: z.number().int().min(10).max(5_000).optional(),
    /** Detections kept while the fusion cannot store them; beyond, the oldest are dropped (and counted). */
    maxPending: z.number().int().min(100).max(1_000_000).optional(),
    maxFrameBytes: z.number().int().min(1_024).max(16_777_216).optional(),
  })
  .strict()
  .refine((c) => (c.reconnectMaxMs ?? 10_000) >= (c.reconnectMinMs ?? 500), { message: 'reconnectMaxMs must be at least reconnectMinMs', path: ['reconnectMaxMs'] });
export type SapientSourceConfig = z.output<typeof sapientConfig>;

export const sapientKind: PushKind<SapientSourceConfig> = {
  kind: 'sapient',
  mode: 'push',
  defaultName: { zh: 'SAPIENT 雷达', en: 'SAPIENT radar' },
  defaultSilentAfterMs: 15_000,
  configSchema: sapientConfig,
  create: (config, deps) => new SapientClient(config, deps),
};

/** What the adapter has seen, for the status bar and tests. */
export interface SapientCounters {
  connections: number;
  registrations: number;
  detections: number;
  delivered: number;
  dropped: number;
  badReports: number;
}

export class SapientClient implements PushAdapter {
  private readonly host: string;
  private readonly target: string;
  private readonly fusionId: string;
  private readonly backoff: Backoff;
  private readonly storageBackoff: Backoff;
  private readonly batchMs: number;
  private readonly maxPending: number;
  private socket: Socket | null = null;
  private closed: Promise<void> = Promise.resolve();
  private retry: Timer | null = null;
  private stopped = false;
  /** The node this connection registered (null until its Registration). */
  private nodeId: string | null = null;
  private nodePlace: NodePlace | null = null;
  /** Detections the fusion has not taken yet, oldest first (a batch it refused comes back to the front). */
  private pending: DroneDetection[] = [];
  private problems: string[] = [];
  private flushTimer: Timer | null = null;
  private delivering: Promise<void> | null = null;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  /** The last delivery failed: heartbeats do not call the source healthy until a batch is stored. */
  private storageFailing = false;
  private readonly objects = new Map<string, number>();
  private lastLogAt = Number.NEGATIVE_INFINITY;
  private unlogged = 0;
  /** The node's own lines (registrations, alerts, errors): at most one of each per LOG_EVERY_MS per connection. */
  private registrationLog = new LogThrottle(LOG_EVERY_MS);
  private alertLog = new LogThrottle(LOG_EVERY_MS);
  private droppedLog = new LogThrottle(LOG_EVERY_MS);
  readonly counters: SapientCounters = { connections: 0, registrations: 0, detections: 0, delivered: 0, dropped: 0, badReports: 0 };

  constructor(
    private readonly config: SapientSourceConfig,
    private readonly deps: SourceDeps,
  ) {
    this.host = config.host ?? '127.0.0.1';
    this.target = `tcp://${this.host.includes(':') ? `[${this.host}]` : this.host}:${config.port}`;
    this.fusionId = config.nodeId ?? DEFAULT_FUSION_NODE_ID;
    this.backoff = new Backoff(config.reconnectMinMs ?? 500, config.reconnectMaxMs ?? 10_000, deps.random);
    this.storageBackoff = new Backoff(1_000, 30_000, deps.random);
    this.batchMs = config.batchMs ?? 200;
    this.maxPending = config.maxPending ?? 20_000;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retry?.cancel();
    this.retry = null;
    this.socket?.destroy();
    await this.closed;
    this.flushTimer?.cancel();
    this.flushTimer = null;
    await this.delivering;
    // One last try for what arrived whole: a console closing normally loses nothing it was sent.
    if (this.pending.length) await this.deliver();
  }

  private log(line: string): void {
    this.deps.log(`sapient ${this.config.id}: ${line}`);
  }

  private connect(): void {
    this.retry = null;
    if (this.stopped) return;
    const { clock } = this.deps;
    const socket = connect({ host: this.host, port: this.config.port });
    this.socket = socket;
    this.nodeId = null;
    this.registrationLog = new LogThrottle(LOG_EVERY_MS);
    this.alertLog = new LogThrottle(LOG_EVERY_MS);
    const reader = new MessageReader(this.config.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    let problem: SourceProblem | null = null;
    const fail = (p: SourceProblem) => {
      problem ??= p;
      socket.destroy();
    };
    const timeoutMs = this.config.timeoutMs ?? 5_000;
    const connectTimer = clock.setTimeout(
      () => fail({ code: 'timeout', target: this.target, message: `no connection to ${this.target} within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
    const idleMs = this.config.idleTimeoutMs ?? 30_000;
    let lastByteAt = clock.now();
    let idleTimer: Timer | null = null;
    let provenTimer: Timer | null = null;
    const armIdle = (delayMs: number) => {
      idleTimer = clock.setTimeout(() => {
        const quietFor = clock.now() - lastByteAt;
        if (quietFor >= idleMs) fail({ code: 'timeout', target: this.target, message: `nothing from ${this.target} for ${Math.round(quietFor / 1000)} s` });
        else armIdle(idleMs - quietFor);
      }, delayMs);
    };
    let release!: () => void;
    this.closed = new Promise((r) => (release = r));
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    socket.on('connect', () => {
      connectTimer.cancel();
      this.counters.connections++;
      lastByteAt = clock.now();
      armIdle(idleMs);
      provenTimer = clock.setTimeout(() => this.backoff.reset(), PROVEN_AFTER_MS);
      this.log(`connected to ${this.target}`);
    });
    socket.on('data', (chunk: Buffer) => {
      lastByteAt = clock.now();
      const { messages, error } = reader.push(chunk);
      for (const m of messages) this.handle(m, socket);
      this.scheduleFlush();
      if (error) fail({ code: 'malformed', target: this.target, message: error.reason });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      problem ??= { code: 'unreachable', target: this.target, message: `cannot reach ${this.target} (${err.code ?? err.message})` };
    });
    socket.on('close', () => {
      connectTimer.cancel();
      idleTimer?.cancel();
      provenTimer?.cancel();
      this.socket = null;
      release();
      if (this.stopped) return;
      const midMessage = reader.end();
      const why: SourceProblem = problem ?? {
        code: 'unreachable', target: this.target, message: midMessage ? `${this.target}: ${midMessage}` : `${this.target} closed the connection`,
      };
      const delay = this.backoff.next();
      this.log(`${why.message}; reconnecting in ${(delay / 1000).toFixed(1)} s`);
      // After any delivery under way, so that a batch stored meanwhile does not call the source healthy again.
      void Promise.resolve(this.delivering)
        .then(() => this.deps.sources.failed(this.config.id, why))
        .catch((err) => this.log(`could not record the failure: ${(err as Error).message}`));
      this.retry = clock.setTimeout(() => this.connect(), delay);
    });
  }

  private handle(m: SapientMessage, socket: Socket): void {
    if (m.content === 'registration') {
      this.nodeId = m.nodeId;
      this.counters.registrations++;
      const r = m.registration;
      this.throttled(this.registrationLog, () =>
        `node ${printable(r.name ?? r.shortName ?? m.nodeId)} (${m.nodeId}, ${printable(r.icdVersion ?? 'no ICD version', 60)}) registered; acknowledged`);
      this.send(socket, { content: 'registrationAck', registrationAck: { acceptance: true } }, m.nodeId);
      return;
    }
    if (!this.nodeId) {
      this.problem(`a ${m.content} message before the node's Registration, skipped`);
      return;
    }
    switch (m.content) {
      case 'statusReport': {
        const s = m.statusReport;
        const loc = s.nodeLocation;
        if (loc?.coordinateSystem === 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M' && typeof loc.x === 'number' && typeof loc.y === 'number') {
          this.nodePlace = { lon: loc.x, lat: loc.y, altM: loc.z ?? 0 };
        }
        if (s.system === 'SYSTEM_GOODBYE') this.log('the node says goodbye');
        if (this.storageFailing) return;
        if (s.system === 'SYSTEM_ERROR') {
          this.deps.sources.degraded(this.config.id, { code: 'failed', target: this.target, message: `the node reports SYSTEM_ERROR (${describeStatus(s.status)})` }, this.counts());
        } else this.deps.sources.ok(this.config.id, this.counts());
        return;
      }
      case 'detectionReport': {
        const mapped = detectionOf(m.detectionReport, m.timestamp, this.config.id, this.nodePlace);
        if ('detection' in mapped) {
          this.counters.detections++;
          this.backoff.reset(); // the connection delivers: it has proven itself
          this.pending.push(mapped.detection);
          this.cap();
        } else if ('problem' in mapped) this.problem(mapped.problem);
        return;
      }
      case 'alert': {
        const a = m.alert;
        this.throttled(this.alertLog, () =>
          `node alert ${printable(a.alertType ?? '', 60)} ${printable(a.status ?? '', 60)}: ${printable(a.description ?? '(no description)')}`);
        return;
      }
      case 'error': {
        const messages = (m.error.errorMessage ?? []).slice(0, 5).map((e) => printable(e, 100));
        this.throttled(this.alertLog, () => `the node reports an error: ${messages.join('; ') || '(no message)'}`);
        return;
      }
      case 'registrationAck':
        this.problem('a RegistrationAck from the node (the console is the fusion node), skipped');
        return;
    }
  }

  private send(socket: Socket, content: SapientContent, to: string): void {
    const msg = { timestamp: timestampOf(this.deps.clock.now()), nodeId: this.fusionId, destinationId: to, ...content } as SapientMessage;
    socket.write(frameSapient(msg));
  }

  /** Logs a line of the node's unless one of its kind went out within LOG_EVERY_MS (then it is counted). */
  private throttled(throttle: LogThrottle, line: () => string): void {
    const admitted = throttle.admit(this.deps.clock.now());
    if (admitted) this.log(line() + (admitted.held ? ` (${admitted.held} more like it not logged)` : ''));
  }

  private problem(message: string): void {
    this.counters.badReports++;
    // A problem can quote what the node sent (a report id): it reaches the log and the status bar.
    this.problems.push(printable(message, 300));
    if (this.problems.length > 100) this.problems.splice(0, this.problems.length - 100);
  }

  /** Keeps at most `maxPending` detections, dropping the oldest. */
  private cap(): void {
    const excess = this.pending.length - this.maxPending;
    if (excess <= 0) return;
    this.pending.splice(0, excess);
    this.counters.dropped += excess;
    // Once full, every detection arriving drops one: one line per LOG_EVERY_MS, with the running total.
    if (this.droppedLog.admit(this.deps.clock.now())) {
      this.log(`${excess} detection(s) dropped: more than ${this.maxPending} waiting for storage (${this.counters.dropped} dropped so far)`);
    }
  }

  /** Delivers at once when the last batch is older than `batchMs`, else when it will be. */
  private scheduleFlush(): void {
    if (this.flushTimer || this.delivering || (!this.pending.length && !this.problems.length)) return;
    const wait = this.lastFlushAt + this.batchMs - this.deps.clock.now();
    if (wait <= 0) void this.flush();
    else this.flushTimer = this.deps.clock.setTimeout(() => void this.flush(), wait);
  }

  private async flush(): Promise<void> {
    this.flushTimer = null;
    if (this.delivering) return;
    this.delivering = this.deliver().finally(() => (this.delivering = null));
    await this.delivering;
    if (!this.stopped && !this.storageFailing) this.scheduleFlush(); // what arrived during the delivery
  }

  private async deliver(): Promise<void> {
    const { id } = this.config;
    const { sources, clock } = this.deps;
    this.lastFlushAt = clock.now();
    const problems = this.problems.splice(0);
    if (problems.length) this.logProblems(problems);
    const batch = this.pending.splice(0);
    const bad: SourceProblem | null = problems.length
      ? { code: 'malformed', target: this.target, message: problems.at(-1)! + (problems.length > 1 ? ` (+${problems.length - 1} more)` : '') }
      : null;
    if (!batch.length) {
      if (bad) await sources.failed(id, bad);
      return;
    }
    try {
      await this.deps.drones.reportDetections(id, batch);
    } catch (err) {
      // Kept, in front of anything that arrived meanwhile, and tried again after a wait.
      this.pending = batch.concat(this.pending);
      this.cap();
      this.storageFailing = true;
      const delay = this.storageBackoff.next();
      const message = `could not store ${batch.length} detection(s): ${(err as Error).message}; kept, trying again in ${(delay / 1000).toFixed(1)} s`;
      this.log(message);
      await sources.failed(id, { code: 'storage', message });
      if (!this.stopped) {
        this.flushTimer?.cancel();
        this.flushTimer = clock.setTimeout(() => {
          this.storageFailing = false;
          void this.flush();
        }, delay);
      }
      return;
    }
    this.storageFailing = false;
    this.storageBackoff.reset();
    this.counters.delivered += batch.length;
    const now = clock.now();
    for (const d of batch) this.objects.set(d.objectId, now);
    if (bad) sources.degraded(id, bad, this.counts());
    else sources.ok(id, this.counts());
  }

  private counts(): Record<string, number> {
    const now = this.deps.clock.now();
    for (const [objectId, seen] of this.objects) if (now - seen > OBJECT_SEEN_MS) this.objects.delete(objectId);
    return { objects: this.objects.size };
  }

  private logProblems(problems: string[]): void {
    const now = this.deps.clock.now();
    if (now - this.lastLogAt < LOG_EVERY_MS) {
      this.unlogged += problems.length;
      return;
    }
    const more = this.unlogged + problems.length - 1;
    this.log(`${problems[0]}` + (more ? ` (+${more} more)` : ''));
    this.lastLogAt = now;
    this.unlogged = 0;
  }
}

function describeStatus(status: { statusType?: string; statusValue?: string }[] | undefined): string {
  const parts = (status ?? []).map((s) => [s.statusType?.replace(/^STATUS_TYPE_/, ''), s.statusValue].filter(Boolean).join(': '));
  return printable(parts.join('; ') || 'no detail');
}
