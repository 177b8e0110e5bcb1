// How a live picture reaches the player. Under Electron (app://) a fetch of /media/<ticket> — the multipart MJPEG
// stream, cut here. In a browser (the browser host, http:) a WebSocket on the same path, one JPEG per message
// (8 bytes little-endian float64 X-Timestamp, then the JPEG; see src/main/host/live-media-socket.ts): a page
// over HTTP/1.1 gets only 6 connections to the host across all its windows, which a video wall would use up.
import { boundaryOf, MjpegParser, type MjpegPart } from '../../../../shared/mjpeg.ts';

/** The stream never opened: the host answered `status` (null over WebSocket, whose refusals carry none). */
export class LiveRefused extends Error {
  constructor(readonly status: number | null) {
    super(status === null ? 'live picture refused' : `HTTP ${status}`);
  }
}

/** The host answered, but not with MJPEG. */
export class LiveNotMjpeg extends Error {}

/** Whether this page reads live pictures over WebSocket (served by the browser host) or fetch (app://). */
export const liveOverSocket = (protocol = location.protocol) => protocol === 'http:' || protocol === 'https:';

/** The WebSocket URL of a media link (`/media/<ticket>`) on the page's own host. */
export function socketUrl(link: string, base = location.href): string {
  const url = new URL(link, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/**
 * Reads a live picture until it ends (resolves) or breaks (rejects), handing each frame to `onFrame`.
 * Rejects with LiveRefused if it never opened. Aborting `signal` closes the stream.
 */
export function readLive(link: string, signal: AbortSignal, onFrame: (part: MjpegPart) => void): Promise<void> {
  return liveOverSocket() ? readSocket(link, signal, onFrame) : readFetch(link, signal, onFrame);
}

async function readFetch(link: string, signal: AbortSignal, onFrame: (part: MjpegPart) => void): Promise<void> {
  const response = await fetch(link, { signal, cache: 'no-store' });
  if (!response.ok) {
    void response.body?.cancel().catch(() => undefined);
    throw new LiveRefused(response.status);
  }
  const boundary = boundaryOf(response.headers.get('content-type'));
  if (!boundary || !response.body) {
    void response.body?.cancel().catch(() => undefined);
    throw new LiveNotMjpeg();
  }
  const parser = new MjpegParser(boundary);
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const parts = parser.push(value);
      // Only the newest part of a chunk is worth decoding.
      if (parts.length) onFrame(parts[parts.length - 1]);
    }
  } catch (err) {
    // Once open, a broken stream is an ended one: the player starts again.
    if (!signal.aborted) console.warn('live picture broke:', err);
    void reader.cancel().catch(() => undefined);
  }
}

/**
 * Chromium holds back a page's new WebSockets by a delay that doubles with each one still connecting (of a wall
 * of 16 opened at once, the last waited 4 s in a test) and handshakes only one per host at a time anyway; so at
 * most MAX_CONNECTING are opened at once and the rest wait their turn, which costs nothing.
 */
const MAX_CONNECTING = 4;
let connecting = 0;
const waiting = new Set<() => void>();

/** Resolves when this socket may connect (true), or when aborted first (false). */
function turnToConnect(signal: AbortSignal): Promise<boolean> {
  if (connecting < MAX_CONNECTING) {
    connecting++;
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const go = () => {
      waiting.delete(go);
      signal.removeEventListener('abort', giveUp);
      connecting++;
      resolve(true);
    };
    const giveUp = () => {
      waiting.delete(go);
      resolve(false);
    };
    waiting.add(go);
    signal.addEventListener('abort', giveUp, { once: true });
  });
}

function connected(): void {
  connecting--;
  const next = waiting.values().next();
  if (!next.done) next.value();
}

async function readSocket(link: string, signal: AbortSignal, onFrame: (part: MjpegPart) => void): Promise<void> {
  if (!(await turnToConnect(signal))) return;
  return new Promise((resolve, reject) => {
    let opened = false;
    let settled = false;
    /** The handshake is over, one way or the other: the next socket may start. */
    const handshakeOver = () => {
      if (settled) return;
      settled = true;
      connected();
    };
    if (signal.aborted) {
      handshakeOver();
      return resolve();
    }
    const ws = new WebSocket(socketUrl(link));
    ws.binaryType = 'arraybuffer';
    const abort = () => ws.close(1000);
    signal.addEventListener('abort', abort, { once: true });
    ws.onopen = () => {
      opened = true;
      handshakeOver();
    };
    ws.onmessage = (e: MessageEvent) => {
      if (!(e.data instanceof ArrayBuffer) || e.data.byteLength <= 8) return;
      const timestamp = new DataView(e.data).getFloat64(0, true);
      onFrame({ jpeg: new Uint8Array(e.data, 8), timestamp: Number.isFinite(timestamp) ? timestamp : null });
    };
    // A refused upgrade shows as an error and a close without an open; its HTTP status is not exposed.
    ws.onclose = () => {
      handshakeOver();
      signal.removeEventListener('abort', abort);
      if (opened || signal.aborted) resolve();
      else reject(new LiveRefused(null));
    };
  });
}
