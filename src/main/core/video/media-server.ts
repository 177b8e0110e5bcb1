// Serves /media/<ticket> for both shells: the browser host (Node http) and Electron's app:// protocol
// (web Response). Transport-neutral: `serve` resolves a ticket to a status, headers and a body (bytes or a
// stream) and the shell writes it out. The ticket is the authorisation (see media-tickets.ts). Live streams
// are proxied from the source, at most `maxLive` at once and `maxLivePerUser` for one user, one stream per
// ticket, and the upstream is closed when the viewer goes away (the shell calls close(), or destroys the body)
// or when the stream stops sending MJPEG boundaries. Snapshots: at most `maxSnapshotFetches` asked of the
// sources at once, and requests for one camera share one fetch and its result for SNAPSHOT_SHARE_MS, so that
// a link cannot be turned into a flood on the VMS.
import { randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { BoundaryWatch, boundaryOf } from '../../../shared/mjpeg.ts';
import type { Clock } from '../clock.ts';
import { MediaTickets, TICKET_LIFETIME_MS, type TicketClaims } from './media-tickets.ts';
import { SNAPSHOT_TIMEOUT_MS, type CameraDirectory, type EvidenceStore } from './video-ports.ts';
import type { MediaStream } from './video-source.ts';

export interface MediaResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | Readable;
  /** Call when the client has gone (or the response ended): releases the upstream. Idempotent. */
  close?(): void;
}

export const MEDIA_PATH_PREFIX = '/media/';
export const DEFAULT_MAX_LIVE_STREAMS = 32;
/** Live pictures one user may hold at once: a 16-tile wall and a few camera cards. */
export const DEFAULT_MAX_LIVE_PER_USER = 20;
/** Snapshot fetches from the video sources in flight at once (concurrent requests for one camera are one). */
export const DEFAULT_MAX_SNAPSHOT_FETCHES = 16;
/** How long a snapshot (or its failure) is shared with later requests for the same camera. */
export const SNAPSHOT_SHARE_MS = 500;

const BASE_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

function textResponse(status: number, text: string): MediaResponse {
  const body = Buffer.from(`${text}\n`);
  return { status, headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length) }, body };
}

function bytesResponse(contentType: string, body: Buffer, extra: Record<string, string> = {}): MediaResponse {
  return { status: 200, headers: { ...BASE_HEADERS, 'Content-Type': contentType, 'Content-Length': String(body.length), ...extra }, body };
}

/** A generated file (a patrol report) held in memory for as long as its ticket lives; oldest dropped first. */
export interface HeldFile {
  contentType: string;
  filename: string;
  data: Buffer;
}

export class HeldFiles {
  private readonly files = new Map<string, HeldFile & { until: number }>();

  constructor(private readonly clock: Clock, private readonly maxFiles = 16, private readonly maxBytes = 64 * 2 ** 20) {}

  hold(file: HeldFile): string {
    const now = this.clock.now();
    for (const [id, f] of this.files) if (f.until <= now) this.files.delete(id);
    const id = randomUUID();
    this.files.set(id, { ...file, until: now + TICKET_LIFETIME_MS.report });
    let bytes = [...this.files.values()].reduce((n, f) => n + f.data.length, 0);
    for (const [oldId, f] of this.files) {
      if (this.files.size <= this.maxFiles && bytes <= this.maxBytes) break;
      if (oldId === id) break; // the new one stays even if alone it is over the byte cap
      this.files.delete(oldId);
      bytes -= f.data.length;
    }
    return id;
  }

  get(id: string): HeldFile | undefined {
    const f = this.files.get(id);
    return f && f.until > this.clock.now() ? f : undefined;
  }

  get size(): number {
    return this.files.size;
  }
}

type SnapshotResult = { ok: true; jpeg: Buffer } | { ok: false; why: string };

/** One fetch of a camera's snapshot, shared by the requests that come while it runs and just after. */
interface SharedSnapshot {
  result: Promise<SnapshotResult>;
  /** When it settled (this.now()), or null while in flight. */
  doneAt: number | null;
}

export interface MediaServerOptions {
  maxLive?: number;
  maxLivePerUser?: number;
  maxSnapshotFetches?: number;
  /** A monotonic clock for the snapshot sharing window (real time: it protects the sources). */
  now?: () => number;
  log?: (line: string) => void;
}

export class MediaServer {
  private live = 0;
  /** Per user: the close() of each live stream it holds (or is opening). */
  private readonly liveOf = new Map<string, Set<() => void>>();
  private readonly snapshots = new Map<string, SharedSnapshot>();
  private snapshotFetches = 0;
  private readonly now: () => number;

  constructor(
    private readonly tickets: MediaTickets,
    private readonly cameras: CameraDirectory,
    private readonly evidence: EvidenceStore,
    private readonly held: HeldFiles,
    private readonly opts: MediaServerOptions = {},
  ) {
    this.now = opts.now ?? (() => performance.now());
  }

  /** Live streams being proxied now. */
  get liveStreams(): number {
    return this.live;
  }

  /** Live streams of one user now. */
  liveStreamsOf(user: string): number {
    return this.liveOf.get(user)?.size ?? 0;
  }

  /** Snapshot fetches from the sources in flight now. */
  get snapshotFetchesInFlight(): number {
    return this.snapshotFetches;
  }

  /** Closes every live stream of `user` (when they sign out); returns how many. */
  closeLiveOf(user: string): number {
    const closers = [...(this.liveOf.get(user) ?? [])];
    for (const close of closers) close();
    return closers.length;
  }

  async serve(pathname: string): Promise<MediaResponse> {
    if (!pathname.startsWith(MEDIA_PATH_PREFIX)) return textResponse(404, 'not found');
    const check = this.tickets.verify(pathname.slice(MEDIA_PATH_PREFIX.length));
    if (!check.ok) return textResponse(403, check.why === 'expired' ? 'this link has expired: ask for a new one' : 'not a valid media link');
    const { kind, id } = check.claims;
    switch (kind) {
      case 'snapshot': return this.snapshot(id);
      case 'live': return this.liveStream(check.claims);
      case 'evidence': {
        const e = await this.evidence.get(id);
        return e ? bytesResponse(e.contentType, e.data) : textResponse(404, 'no such evidence');
      }
      case 'report': {
        const f = this.held.get(id);
        if (!f) return textResponse(404, 'this report is no longer held: generate it again');
        const ascii = f.filename.replace(/[^\w.-]/g, '_');
        return bytesResponse(f.contentType, f.data, {
          'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
        });
      }
    }
  }

  private async snapshot(cameraId: string): Promise<MediaResponse> {
    const source = this.cameras.media(cameraId);
    if (!source) return textResponse(404, 'no such camera');
    const now = this.now();
    for (const [id, s] of this.snapshots) if (s.doneAt !== null && now - s.doneAt >= SNAPSHOT_SHARE_MS) this.snapshots.delete(id);
    let shared = this.snapshots.get(cameraId);
    if (!shared) {
      const max = this.opts.maxSnapshotFetches ?? DEFAULT_MAX_SNAPSHOT_FETCHES;
      if (this.snapshotFetches >= max) {
        const busy = textResponse(503, `the video sources are busy (${max} pictures being fetched): try again`);
        return { ...busy, headers: { ...busy.headers, 'Retry-After': '1' } };
      }
      this.snapshotFetches++;
      const fetch: { doneAt: number | null } = { doneAt: null };
      const result = source.media.snapshot(source.cameraId, { timeoutMs: SNAPSHOT_TIMEOUT_MS }).then(
        (jpeg): SnapshotResult => ({ ok: true, jpeg }),
        (err): SnapshotResult => ({ ok: false, why: short(err) }),
      ).finally(() => {
        this.snapshotFetches--;
        fetch.doneAt = this.now();
      });
      shared = Object.assign(fetch, { result });
      this.snapshots.set(cameraId, shared);
    }
    const r = await shared.result;
    return r.ok ? bytesResponse('image/jpeg', r.jpeg) : textResponse(502, `the video source gave no picture: ${r.why}`);
  }

  private async liveStream(claims: TicketClaims): Promise<MediaResponse> {
    const { id: cameraId, user } = claims;
    const source = this.cameras.media(cameraId);
    if (!source) return textResponse(404, 'no such camera');
    // One stream per link: a link handed around (or replayed) cannot fill the slots.
    if (!this.tickets.spend(claims)) return textResponse(403, 'this link was already used: ask for a new one');
    const max = this.opts.maxLive ?? DEFAULT_MAX_LIVE_STREAMS;
    if (this.live >= max) return textResponse(503, `too many live pictures open (at most ${max}): close one`);
    const perUser = this.opts.maxLivePerUser ?? DEFAULT_MAX_LIVE_PER_USER;
    const mine = this.liveOf.get(user) ?? new Set<() => void>();
    if (mine.size >= perUser) return textResponse(503, `too many live pictures open for ${user} (at most ${perUser} per user): close one`);
    // Counted before the await, so that a burst of opens cannot overshoot the caps.
    let open = true;
    let stream: MediaStream | null | undefined;
    let upstream: Readable | undefined;
    let body: Transform | undefined;
    const close = () => {
      if (!open) return;
      open = false;
      this.live--;
      mine.delete(close);
      if (mine.size === 0 && this.liveOf.get(user) === mine) this.liveOf.delete(user);
      try {
        stream?.close();
      } catch (err) {
        this.opts.log?.(`media: closing a live stream of ${cameraId} failed: ${short(err)}`);
      }
      if (upstream && !upstream.destroyed) upstream.destroy();
      if (body && !body.destroyed) body.destroy();
    };
    this.live++;
    mine.add(close);
    this.liveOf.set(user, mine);
    try {
      stream = await source.media.live(source.cameraId);
    } catch (err) {
      close();
      return textResponse(502, `the video source gave no live picture: ${short(err)}`);
    }
    if (!stream) {
      close();
      return textResponse(404, 'this camera has no live picture');
    }
    upstream = stream.body;
    if (!open) {
      // Closed (its user signed out) while it was opening: there was no stream yet for close() to release.
      try {
        stream.close();
      } catch (err) {
        this.opts.log?.(`media: closing a live stream of ${cameraId} failed: ${short(err)}`);
      }
      upstream.destroy();
      return textResponse(403, 'the session has ended');
    }
    const boundary = boundaryOf(stream.contentType);
    if (!boundary) {
      close();
      return textResponse(502, 'the live picture of the video source is not MJPEG');
    }
    // Forwarded as it comes, but watched: a stream that sends no boundary within a part's cap is not MJPEG
    // and would hold its slot (and pull data) for ever.
    const watch = new BoundaryWatch(boundary);
    body = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        try {
          watch.push(chunk);
        } catch (err) {
          done(err as Error);
          return;
        }
        done(null, chunk);
      },
    });
    const failed = (err: Error) => {
      // A viewer that cancels (Electron's web stream) aborts the body: that is a normal end, not a failure.
      if (err.name !== 'AbortError') this.opts.log?.(`media: live stream of ${cameraId} failed: ${short(err)}`);
      close();
    };
    // Whichever way it ends (the viewer left, the source hung up, an error), the upstream is released once. A
    // source that ends normally flows out through the body first; one that is cut off cuts the viewer off.
    upstream.on('error', failed);
    upstream.once('close', () => {
      if (!upstream.readableEnded) close();
    });
    body.on('error', failed);
    body.once('end', close);
    body.once('close', close);
    upstream.pipe(body);
    return { status: 200, headers: { ...BASE_HEADERS, 'Content-Type': stream.contentType }, body, close };
  }
}

function short(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 160);
}

/** The media response as a web Response, for Electron's protocol handler. A cancelled body destroys the
 *  stream, which releases the upstream. */
export function toWebResponse(m: MediaResponse): Response {
  const body = Buffer.isBuffer(m.body) ? new Uint8Array(m.body) : (Readable.toWeb(m.body) as unknown as ReadableStream<Uint8Array>);
  return new Response(body, { status: m.status, headers: m.headers });
}
