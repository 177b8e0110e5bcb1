// The track-stream adapter (kind `track-stream`, push): a TCP client that connects to a system's host:port and
// reads newline-delimited JSON, one message per line:
//   {"type":"track","trackId":"R-17","position":{"lon":106.66,"lat":29.72,"altM":520},"classification":"drone","speedMps":14,"headingDeg":30}
//   {"type":"heartbeat"}
// Each line is checked on its own: a bad line is reported with its line number (per connection) and skipped,
// a line longer than `maxLineBytes` is refused without being buffered. What one read delivers goes to the
// track service as one batch (one alarm transaction, one `tracks.changed`); a track not reported for
// `trackTtlMs` while the stream talks leaves the picture, and a silent stream keeps its last picture (stale).
// A heartbeat tells the console the stream is alive when the sky is empty. On close or error the client
// reconnects with backoff; a stream that stays connected but silent is turned down by the source watchdog.
import { connect, type Socket } from 'node:net';
import { z } from 'zod';
import { geoPoint, TRACK_CLASSES, type SourceProblem } from '../../../shared/domain.ts';
import type { Timer } from '../clock.ts';
import type { PositionReport } from '../tracks/track-service.ts';
import { commonSourceFields, type PushAdapter, type PushKind, type SourceDeps } from './adapter-kind.ts';
import { Backoff } from './backoff.ts';
import { LineReader } from './line-reader.ts';

/** One line of a track stream. Fields beyond these are ignored (a system may send more). */
export const streamMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('track'),
    trackId: z.string().min(1).max(64).regex(/^[\w.:-]+$/, 'letters, digits, . _ : -'),
    position: geoPoint,
    classification: z.enum(TRACK_CLASSES).optional(),
    speedMps: z.number().min(0).max(1000).optional(),
    headingDeg: z.number().min(0).max(360).optional(),
  }),
  z.object({ type: z.literal('heartbeat') }),
]);

/** Bad-line reports in the log: at most one per this long per source (the status bar always has the latest). */
const LOG_EVERY_MS = 10_000;

const tcpUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return u.protocol === 'tcp:' && u.hostname !== '' && u.port !== '' && !u.username && !u.password && (u.pathname === '' || u.pathname === '/');
  } catch {
    return false;
  }
}, 'must be tcp://host:port, e.g. tcp://10.20.0.5:4001');

const trackStreamConfig = z
  .object({
    ...commonSourceFields,
    kind: z.literal('track-stream'),
    url: tcpUrl,
    /** Connecting gives up after this long. */
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
    /** The longest wait between reconnects after failures in a row. */
    reconnectMaxMs: z.number().int().min(500).max(3_600_000).optional(),
    trackTtlMs: z.number().int().min(1_000).max(3_600_000).optional(),
    maxLineBytes: z.number().int().min(256).max(1_048_576).optional(),
  })
  .strict();
export type TrackStreamConfig = z.output<typeof trackStreamConfig>;

export const trackStreamKind: PushKind<TrackStreamConfig> = {
  kind: 'track-stream',
  mode: 'push',
  defaultName: { zh: '航迹流', en: 'Track stream' },
  defaultSilentAfterMs: 15_000,
  configSchema: trackStreamConfig,
  create: (config, deps) => new TrackStreamClient(config, deps),
};

interface Batch {
  reports: PositionReport[];
  heartbeats: number;
  bad: SourceProblem[];
}

export class TrackStreamClient implements PushAdapter {
  private readonly host: string;
  private readonly port: number;
  private readonly target: string;
  private readonly backoff: Backoff;
  private socket: Socket | null = null;
  private closed: Promise<void> = Promise.resolve();
  private retry: Timer | null = null;
  private stopped = false;
  /** Batches are handed on one after another: a stream's order is kept. */
  private queue: Promise<void> = Promise.resolve();
  /** Since when the stream has been talking without a gap longer than a track's time to live. */
  private talkingSince = Number.NEGATIVE_INFINITY;
  private lastGoodAt = Number.NEGATIVE_INFINITY;
  private lastLogAt = Number.NEGATIVE_INFINITY;
  private unlogged = 0;

  constructor(
    private readonly config: TrackStreamConfig,
    private readonly deps: SourceDeps,
  ) {
    const u = new URL(config.url);
    this.host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = Number(u.port);
    this.target = `tcp://${u.host}`;
    this.backoff = new Backoff(500, config.reconnectMaxMs ?? 10_000, deps.random);
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retry?.cancel();
    this.socket?.destroy();
    await this.closed;
    await this.queue;
  }

  private connect(): void {
    this.retry = null;
    if (this.stopped) return;
    const { clock } = this.deps;
    const socket = connect({ host: this.host, port: this.port });
    this.socket = socket;
    const reader = new LineReader(this.config.maxLineBytes ?? 65_536);
    let problem: SourceProblem | null = null;
    const timeoutMs = this.config.timeoutMs ?? 5_000;
    const connectTimer = clock.setTimeout(() => {
      problem = { code: 'timeout', target: this.target, message: `no connection to ${this.target} within ${timeoutMs / 1000} s` };
      socket.destroy();
    }, timeoutMs);
    let release!: () => void;
    this.closed = new Promise((r) => (release = r));
    socket.setKeepAlive(true, 10_000);
    socket.on('connect', () => {
      connectTimer.cancel();
      this.deps.log(`track stream ${this.config.id}: connected to ${this.target}`);
    });
    socket.on('data', (chunk: Buffer) => this.enqueue(this.parse(reader.push(chunk))));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      problem ??= { code: 'unreachable', target: this.target, message: `cannot reach ${this.target} (${err.code ?? err.message})` };
    });
    socket.on('close', () => {
      connectTimer.cancel();
      this.socket = null;
      release();
      if (this.stopped) return;
      const why = problem ?? { code: 'unreachable', target: this.target, message: `${this.target} closed the connection` };
      const delay = this.backoff.next();
      this.deps.log(`track stream ${this.config.id}: ${why.message}; reconnecting in ${(delay / 1000).toFixed(1)} s`);
      this.enqueue(null, why);
      this.retry = clock.setTimeout(() => this.connect(), delay);
    });
  }

  private parse(lines: ReturnType<LineReader['push']>): Batch {
    const batch: Batch = { reports: [], heartbeats: 0, bad: [] };
    for (const l of lines) {
      if ('tooLong' in l) {
        batch.bad.push({ code: 'malformed', target: this.target, line: l.line, message: `line ${l.line}: longer than ${this.config.maxLineBytes ?? 65_536} bytes, refused` });
        continue;
      }
      if (!l.text.trim()) continue;
      const checked = checkLine(l.text, l.line);
      if ('problem' in checked) {
        batch.bad.push({ ...checked.problem, target: this.target });
        continue;
      }
      const m = checked.message;
      if (m.type === 'heartbeat') batch.heartbeats++;
      else {
        batch.reports.push({
          trackId: m.trackId, position: m.position,
          attributes: { classification: m.classification, speedMps: m.speedMps, headingDeg: m.headingDeg },
        });
      }
    }
    return batch;
  }

  private enqueue(batch: Batch | null, closedBecause?: SourceProblem): void {
    this.queue = this.queue
      .then(() => (batch ? this.deliver(batch) : this.deps.sources.failed(this.config.id, closedBecause!)))
      .catch((err) => this.deps.log(`track stream ${this.config.id}: ${(err as Error).message}`));
  }

  private async deliver({ reports, heartbeats, bad }: Batch): Promise<void> {
    const { id } = this.config;
    const { sources, tracks } = this.deps;
    if (bad.length) this.logBad(bad);
    const good = reports.length + heartbeats;
    if (!good) {
      if (bad.length) await sources.failed(id, withMore(bad));
      return;
    }
    // A track leaves when the stream, talking, has not reported it for its time to live; after a silence
    // longer than that, every track gets a full time to live again (a silent stream keeps its picture, stale).
    const now = this.deps.clock.now();
    const ttl = this.config.trackTtlMs ?? 30_000;
    if (now - this.lastGoodAt > ttl) this.talkingSince = now;
    try {
      await tracks.reportBatch(id, reports, now - this.talkingSince > ttl ? { dropOlderThanMs: ttl } : {});
    } catch (err) {
      const message = `could not store the alarms of ${reports.length} track message(s): ${(err as Error).message}`;
      this.deps.log(`track stream ${id}: ${message}`);
      await sources.failed(id, { code: 'storage', message });
      return;
    }
    this.lastGoodAt = now;
    this.backoff.reset();
    const counts = { tracks: tracks.list().filter((t) => t.source === id).length };
    if (bad.length) sources.degraded(id, withMore(bad), counts);
    else sources.ok(id, counts);
  }

  private logBad(bad: SourceProblem[]): void {
    const now = this.deps.clock.now();
    if (now - this.lastLogAt < LOG_EVERY_MS) {
      this.unlogged += bad.length;
      return;
    }
    const more = this.unlogged + bad.length - 1;
    this.deps.log(`track stream ${this.config.id}: ${bad[0].message}, skipped` + (more ? ` (+${more} more bad lines)` : ''));
    this.lastLogAt = now;
    this.unlogged = 0;
  }
}

/** Checks one line: the message, or what is wrong with it and where. */
export function checkLine(text: string, line: number): { message: z.output<typeof streamMessageSchema> } | { problem: SourceProblem } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: { code: 'malformed', line, message: `line ${line}: not JSON` } };
  }
  const parsed = streamMessageSchema.safeParse(json);
  if (parsed.success) return { message: parsed.data };
  const first = parsed.error.issues[0];
  const path = first.path.join('.') || 'line';
  const more = parsed.error.issues.length - 1;
  const swapped = path.startsWith('position.') && looksSwapped(json) ? ' (are longitude and latitude swapped?)' : '';
  return {
    problem: { code: 'malformed', line, path, more, message: `line ${line}: ${path}: ${first.message}${swapped}` + (more ? ` (+${more} more)` : '') },
  };
}

function looksSwapped(json: unknown): boolean {
  const p = (json as { position?: { lon?: unknown; lat?: unknown } })?.position;
  return typeof p?.lon === 'number' && typeof p.lat === 'number' && Math.abs(p.lat) > 90 && Math.abs(p.lat) <= 180 && Math.abs(p.lon) <= 90;
}

/** The first bad line of a batch, with how many more there were. */
function withMore(bad: SourceProblem[]): SourceProblem {
  return bad.length > 1 ? { ...bad[0], message: `${bad[0].message} (+${bad.length - 1} more bad lines)` } : bad[0];
}
