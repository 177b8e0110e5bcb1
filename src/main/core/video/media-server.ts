// Serves /media/<ticket> for both shells: the browser host (Node http) and Electron's app:// protocol
// (web Response). Transport-neutral: `serve` resolves a ticket to a status, headers and a body (bytes or a
// stream) and the shell writes it out. The ticket is the authorisation (see media-tickets.ts). Live streams
// are proxied from the source, at most `maxLive` at once, and the upstream is closed when the viewer goes
// away (the shell calls close(), or destroys the body).
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Clock } from '../clock.ts';
import { MediaTickets, TICKET_LIFETIME_MS } from './media-tickets.ts';
import { SNAPSHOT_TIMEOUT_MS, type CameraDirectory, type EvidenceStore } from './video-ports.ts';

export interface MediaResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | Readable;
  /** Call when the client has gone (or the response ended): releases the upstream. Idempotent. */
  close?(): void;
}

export const MEDIA_PATH_PREFIX = '/media/';
export const DEFAULT_MAX_LIVE_STREAMS = 32;

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

export class MediaServer {
  private live = 0;

  constructor(
    private readonly tickets: MediaTickets,
    private readonly cameras: CameraDirectory,
    private readonly evidence: EvidenceStore,
    private readonly held: HeldFiles,
    private readonly opts: { maxLive?: number; log?: (line: string) => void } = {},
  ) {}

  /** Live streams being proxied now. */
  get liveStreams(): number {
    return this.live;
  }

  async serve(pathname: string): Promise<MediaResponse> {
    if (!pathname.startsWith(MEDIA_PATH_PREFIX)) return textResponse(404, 'not found');
    const check = this.tickets.verify(pathname.slice(MEDIA_PATH_PREFIX.length));
    if (!check.ok) return textResponse(403, check.why === 'expired' ? 'this link has expired: ask for a new one' : 'not a valid media link');
    const { kind, id } = check.claims;
    switch (kind) {
      case 'snapshot': return this.snapshot(id);
      case 'live': return this.liveStream(id);
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
    try {
      const jpeg = await source.media.snapshot(source.cameraId, { timeoutMs: SNAPSHOT_TIMEOUT_MS });
      return bytesResponse('image/jpeg', jpeg);
    } catch (err) {
      return textResponse(502, `the video source gave no picture: ${short(err)}`);
    }
  }

  private async liveStream(cameraId: string): Promise<MediaResponse> {
    const source = this.cameras.media(cameraId);
    if (!source) return textResponse(404, 'no such camera');
    const max = this.opts.maxLive ?? DEFAULT_MAX_LIVE_STREAMS;
    if (this.live >= max) return textResponse(503, `too many live pictures open (at most ${max}): close one`);
    this.live++; // counted before the await, so that a burst of opens cannot overshoot the cap
    let stream;
    try {
      stream = await source.media.live(source.cameraId);
    } catch (err) {
      this.live--;
      return textResponse(502, `the video source gave no live picture: ${short(err)}`);
    }
    if (!stream) {
      this.live--;
      return textResponse(404, 'this camera has no live picture');
    }
    let open = true;
    const close = () => {
      if (!open) return;
      open = false;
      this.live--;
      try {
        stream.close();
      } catch (err) {
        this.opts.log?.(`media: closing a live stream of ${cameraId} failed: ${short(err)}`);
      }
      if (!stream.body.destroyed) stream.body.destroy();
    };
    // Whichever way it ends (the viewer left, the source hung up, an error), the upstream is released once.
    stream.body.once('close', close);
    stream.body.once('end', close);
    stream.body.on('error', (err) => {
      // A viewer that cancels (Electron's web stream) aborts the body: that is a normal end, not a failure.
      if (err.name !== 'AbortError') this.opts.log?.(`media: live stream of ${cameraId} failed: ${short(err)}`);
      close();
    });
    return { status: 200, headers: { ...BASE_HEADERS, 'Content-Type': stream.contentType }, body: stream.body, close };
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
