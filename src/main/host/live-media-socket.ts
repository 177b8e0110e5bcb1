// Live pictures over WebSocket for the browser host. A page served over HTTP/1.1 gets 6 connections to the host
// in all, shared by every window of the browser profile, so a 9- or 16-tile wall of long-lived MJPEG fetches
// stalls; WebSockets have their own, much larger pool. A socket on /media/<ticket> (the same ticket as the
// HTTP path, and the only authorisation) carries one camera's live picture: the upstream is opened through the
// media server (its live-stream cap, its upstream release), cut into JPEG parts, and each part goes out as one
// binary message — 8 bytes little-endian float64 X-Timestamp (ms; NaN when the part has none), then the JPEG.
// Everything that can refuse (the ticket, the caps, the source) refuses before the upgrade, with an HTTP status.
// A reader that falls behind loses frames, never memory: past `maxBufferedBytes` unsent, frames are dropped.
// These sockets have their own cap (`maxSockets`) and do not count against the API connections.
import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { boundaryOf, MjpegParser, type MjpegPart } from '../../shared/mjpeg.ts';
import type { Core } from '../core/core.ts';
import { MEDIA_PATH_PREFIX, type MediaResponse } from '../core/video/media-server.ts';
import { serveMedia, videoCore } from '../core/video/video-core.ts';

/** Bytes before the JPEG in each message: the frame's X-Timestamp as a little-endian float64. */
export const LIVE_FRAME_HEADER_BYTES = 8;
/** A viewer sends nothing; anything it does send is refused without being buffered past this. */
const MAX_CLIENT_MESSAGE_BYTES = 1024;

export interface LiveSocketLimits {
  /** Live sockets open (and being opened) at once; beyond, an upgrade is refused with 503. */
  maxSockets: number;
  /** Unsent bytes of one socket beyond which its frames are dropped. */
  maxBufferedBytes: number;
  /** A ping this often; a viewer that misses two pongs is cut off (and its upstream closed). */
  pingIntervalMs: number;
}

export interface LiveSocketStats {
  open: number;
  framesSent: number;
  framesDropped: number;
  /** The most unsent bytes any socket has held right after a send. */
  peakBufferedBytes: number;
}

/** Refuses an upgrade with an HTTP answer (the handshake never happened). */
export type RefuseUpgrade = (status: number, why: string) => void;

interface LiveSocket {
  ws: WebSocket;
  missedPongs: number;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

export function statusLine(status: number): string {
  return `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
}

export class LiveMediaSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  private readonly sockets = new Set<LiveSocket>();
  /** Upgrades between the cap check and the handshake: they hold a place. */
  private opening = 0;
  private framesSent = 0;
  private framesDropped = 0;
  private peakBufferedBytes = 0;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly core: Core,
    private readonly limits: LiveSocketLimits,
    private readonly note: (kind: string, line: string) => void,
  ) {
    this.wss.on('error', (err) => note('live-server', `browser host: live WebSocket server error: ${err.message}`));
    this.heartbeat = setInterval(() => this.beat(), limits.pingIntervalMs);
    this.heartbeat.unref();
  }

  /** Whether an upgrade to this path is a live picture. */
  static handles(pathname: string): boolean {
    return pathname.startsWith(MEDIA_PATH_PREFIX);
  }

  stats(): LiveSocketStats {
    return { open: this.sockets.size, framesSent: this.framesSent, framesDropped: this.framesDropped, peakBufferedBytes: this.peakBufferedBytes };
  }

  /** Checks the ticket, opens the upstream, then completes the handshake; or refuses with the HTTP status. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, refuse: RefuseUpgrade): Promise<void> {
    const pathname = (req.url ?? '/').split('?')[0];
    if (this.sockets.size + this.opening >= this.limits.maxSockets) {
      return refuse(503, `too many live pictures on this host (at most ${this.limits.maxSockets}): close one`);
    }
    let ticketKind: string | undefined;
    try {
      const check = videoCore(this.core).tickets.verify(pathname.slice(MEDIA_PATH_PREFIX.length));
      ticketKind = check.ok ? check.claims.kind : undefined;
    } catch {
      // No video services: serveMedia answers 503 below, in its own words.
    }
    if (ticketKind !== undefined && ticketKind !== 'live') return refuse(403, 'not a live picture link');
    this.opening++;
    let media: MediaResponse;
    try {
      // The same path as GET /media/<ticket>: the ticket check, the live-stream cap, the upstream release.
      media = await serveMedia(this.core, pathname);
    } catch (err) {
      return refuse(500, `the live picture failed: ${(err as Error).message}`);
    } finally {
      this.opening--;
    }
    if (media.status !== 200 || Buffer.isBuffer(media.body)) {
      media.close?.();
      const why = Buffer.isBuffer(media.body) ? media.body.toString('utf8').trim() : 'not a live picture';
      return refuse(media.status === 200 ? 403 : media.status, why);
    }
    const release = () => media.close?.();
    // However the socket ends — handshake refused by ws, viewer gone, terminated — the upstream goes with it.
    socket.once('close', release);
    if (socket.destroyed) return release();
    const boundary = boundaryOf(media.headers['Content-Type'] ?? null);
    if (!boundary) {
      release();
      return refuse(502, 'the live picture of the video source is not MJPEG');
    }
    const body = media.body;
    const from = `live:${req.socket.remoteAddress}`;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, from, body, boundary, release));
  }

  private serve(ws: WebSocket, from: string, body: Readable, boundary: string, release: () => void): void {
    const s: LiveSocket = { ws, missedPongs: 0 };
    this.sockets.add(s);
    ws.on('error', (err) => this.note(`live-socket ${(err as { code?: string }).code}`, `browser host: closed a live picture socket from ${from}: ${err.message}`));
    ws.on('close', () => {
      this.sockets.delete(s);
      release();
    });
    ws.on('pong', () => (s.missedPongs = 0));
    ws.on('message', () => ws.close(1003, 'this socket only sends pictures'));

    const parser = new MjpegParser(boundary);
    body.on('data', (chunk: Buffer) => {
      let parts: MjpegPart[];
      try {
        parts = parser.push(chunk);
      } catch (err) {
        this.note('live-mjpeg', `browser host: a live picture is not readable MJPEG (${from}): ${(err as Error).message}`);
        ws.close(1011, 'the camera stream is not readable');
        return;
      }
      for (const part of parts) this.sendFrame(ws, part);
    });
    // The media server releases the upstream on its end or error; the viewer is told and reconnects.
    body.on('error', () => ws.close(1011, 'the camera stream failed'));
    body.on('end', () => ws.close(1011, 'the camera stream ended'));
    body.on('close', () => ws.close(1011, 'the camera stream ended'));
    if (body.destroyed) ws.close(1011, 'the camera stream ended'); // it hung up during the handshake
  }

  private sendFrame(ws: WebSocket, part: MjpegPart): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.framesDropped++;
      return;
    }
    const message = Buffer.allocUnsafe(LIVE_FRAME_HEADER_BYTES + part.jpeg.length);
    message.writeDoubleLE(part.timestamp ?? Number.NaN, 0);
    message.set(part.jpeg, LIVE_FRAME_HEADER_BYTES);
    ws.send(message, { binary: true });
    this.framesSent++;
    if (ws.bufferedAmount > this.peakBufferedBytes) this.peakBufferedBytes = ws.bufferedAmount;
  }

  private beat(): void {
    for (const s of this.sockets) {
      if (s.ws.readyState !== s.ws.OPEN) continue;
      if (s.missedPongs >= 2) {
        s.ws.terminate();
        continue;
      }
      s.missedPongs++;
      s.ws.ping();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const s of this.sockets) s.ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }
}
