// A multipart/x-mixed-replace (MJPEG over HTTP) reader: bytes in as they arrive, JPEG parts out, each with its
// X-Timestamp (ms since the epoch when the frame was taken). Parts are cut by their Content-Length when they
// carry one, else at the next boundary. The buffer is capped: a stream that sends no boundary within the cap is
// not MJPEG, and the reader says so rather than grow. Transport-neutral (Uint8Array in, no DOM, no Node): the
// renderer reads a fetched stream with it, the browser host cuts a camera's stream into WebSocket frames.

export interface MjpegPart {
  jpeg: Uint8Array;
  /** When the frame was taken (the source's clock), or null when the part does not say. */
  timestamp: number | null;
}

export class MjpegError extends Error {}

const CRLFCRLF = new Uint8Array([13, 10, 13, 10]);
/** Headers of one part, at most. */
const MAX_HEADER_BYTES = 8 * 1024;
/** The most one part (headers and picture) may take, unless a reader is given another cap. */
export const DEFAULT_MAX_PART_BYTES = 8 * 1024 * 1024;

/** The boundary named by a Content-Type header (`multipart/x-mixed-replace; boundary=frame`), or null. */
export function boundaryOf(contentType: string | null): string | null {
  if (!contentType || !/^\s*multipart\/x-mixed-replace\s*;/i.test(contentType)) return null;
  const m = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  return b ? b.replace(/^--/, '') : null;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  outer: for (let i = haystack.indexOf(first, from); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

export class MjpegParser {
  private buf = new Uint8Array(0);
  private readonly delimiter: Uint8Array;
  /** Bytes dropped since the last boundary: a stream that sends none is held open for nothing. */
  private withoutBoundary = 0;

  /** `maxBytes`: the most one part (headers and picture) may take. */
  constructor(boundary: string, private readonly maxBytes = DEFAULT_MAX_PART_BYTES) {
    this.delimiter = new TextEncoder().encode(`--${boundary}`);
  }

  /** Takes the next bytes of the stream; returns the parts completed by them, in order. */
  push(chunk: Uint8Array): MjpegPart[] {
    this.append(chunk);
    const parts: MjpegPart[] = [];
    for (;;) {
      const start = indexOf(this.buf, this.delimiter);
      if (start === -1) {
        // Keep only what could be the start of a boundary split across chunks.
        if (this.buf.length > this.delimiter.length) {
          this.withoutBoundary += this.buf.length - this.delimiter.length;
          this.buf = this.buf.slice(this.buf.length - this.delimiter.length);
        }
        if (this.withoutBoundary > this.maxBytes) throw new MjpegError(`no boundary within ${this.maxBytes} bytes`);
        return parts;
      }
      this.withoutBoundary = 0;
      const headersAt = start + this.delimiter.length;
      const headersEnd = indexOf(this.buf, CRLFCRLF, headersAt);
      if (headersEnd === -1) {
        if (this.buf.length - headersAt > MAX_HEADER_BYTES) throw new MjpegError('part headers too long');
        if (start > 0) this.buf = this.buf.slice(start);
        return parts;
      }
      const headers = parseHeaders(new TextDecoder().decode(this.buf.subarray(headersAt, headersEnd)));
      const bodyAt = headersEnd + 4;
      let bodyEnd: number;
      let next: number;
      if (headers.contentLength !== null) {
        if (headers.contentLength > this.maxBytes) throw new MjpegError(`a part of ${headers.contentLength} bytes is over the ${this.maxBytes}-byte cap`);
        bodyEnd = bodyAt + headers.contentLength;
        if (this.buf.length < bodyEnd) return this.keepFrom(start, parts);
        next = bodyEnd;
      } else {
        const following = indexOf(this.buf, this.delimiter, bodyAt);
        if (following === -1) return this.keepFrom(start, parts);
        next = following;
        // The CRLF before the next boundary belongs to the boundary.
        bodyEnd = this.buf[following - 2] === 13 && this.buf[following - 1] === 10 ? following - 2 : following;
      }
      parts.push({ jpeg: this.buf.slice(bodyAt, bodyEnd), timestamp: headers.timestamp });
      this.buf = this.buf.slice(next);
    }
  }

  private keepFrom(start: number, parts: MjpegPart[]): MjpegPart[] {
    if (this.buf.length - start > this.maxBytes + MAX_HEADER_BYTES) throw new MjpegError(`no complete part within ${this.maxBytes} bytes`);
    if (start > 0) this.buf = this.buf.slice(start);
    return parts;
  }

  private append(chunk: Uint8Array): void {
    if (this.buf.length === 0) {
      // A copy into a plain Uint8Array: a Node Buffer's slice() is a view, and parts must not pin the chunk.
      this.buf = new Uint8Array(chunk);
      return;
    }
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    this.buf = joined;
  }
}

/** Watches a multipart stream that is forwarded as it is (not cut into parts): throws an MjpegError when more
 *  than `maxGap` bytes pass without a boundary, so that a proxy stops holding open a stream that is not MJPEG.
 *  Keeps only the last few bytes, for a boundary split across chunks. */
export class BoundaryWatch {
  private readonly delimiter: Uint8Array;
  private tail = new Uint8Array(0);
  private sinceBoundary = 0;

  constructor(boundary: string, private readonly maxGap = DEFAULT_MAX_PART_BYTES + MAX_HEADER_BYTES) {
    this.delimiter = new TextEncoder().encode(`--${boundary}`);
  }

  push(chunk: Uint8Array): void {
    const keep = this.delimiter.length - 1;
    // A boundary across the seam: the kept tail and the chunk's first bytes.
    const seam = new Uint8Array(this.tail.length + Math.min(keep, chunk.length));
    seam.set(this.tail);
    seam.set(chunk.subarray(0, seam.length - this.tail.length), this.tail.length);
    let end = -1; // where the last boundary in view ends, counted in the chunk
    const inSeam = indexOf(seam, this.delimiter);
    if (inSeam !== -1) end = inSeam + this.delimiter.length - this.tail.length;
    for (let at = indexOf(chunk, this.delimiter); at !== -1; at = indexOf(chunk, this.delimiter, at + 1)) end = at + this.delimiter.length;
    this.sinceBoundary = end === -1 ? this.sinceBoundary + chunk.length : chunk.length - end;
    if (this.sinceBoundary > this.maxGap) throw new MjpegError(`no boundary within ${this.maxGap} bytes`);
    const whole = seam.length === this.tail.length + chunk.length ? seam : chunk;
    this.tail = whole.slice(Math.max(0, whole.length - keep));
  }
}

function parseHeaders(text: string): { contentLength: number | null; timestamp: number | null } {
  let contentLength: number | null = null;
  let timestamp: number | null = null;
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length' && /^\d+$/.test(value)) contentLength = Number(value);
    if (name === 'x-timestamp' && /^\d+(\.\d+)?$/.test(value)) timestamp = Number(value);
  }
  return { contentLength, timestamp };
}
