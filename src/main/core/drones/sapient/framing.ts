// SAPIENT over TCP: every message is preceded by its length as a 4-byte little-endian unsigned integer. A
// FrameReader takes the chunks a socket delivers, split anywhere, and hands back whole frames; a prefix longer
// than the maximum is refused before anything is buffered (a wrong or hostile prefix must not make the console
// allocate gigabytes). A MessageReader decodes those frames; bytes that are not a SAPIENT message end the
// stream, because after one bad frame the next prefix cannot be trusted either.
import { decodeSapient, encodeSapient, SapientError } from './codec.ts';
import type { SapientMessage } from './schema.ts';

export const DEFAULT_MAX_FRAME_BYTES = 1_048_576;
const PREFIX_BYTES = 4;

/** The message with its length prefix, as it goes on the wire. */
export function frameSapient(msg: SapientMessage): Uint8Array {
  return frame(encodeSapient(msg));
}

export function frame(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(PREFIX_BYTES + body.length);
  new DataView(out.buffer).setUint32(0, body.length, true);
  out.set(body, PREFIX_BYTES);
  return out;
}

/** Thrown by the readers: the stream cannot go on and its connection should close with this reason. */
export class FramingError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FramingError';
  }
}

export class FrameReader {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  /** The length of the frame being read, once its prefix is in. */
  private expected: number | null = null;
  private failed: FramingError | null = null;

  constructor(readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /**
   * The whole frames this chunk completes, in order, and the error that ends the stream if it holds an
   * over-long prefix (the frames before it are still handed back). After an error every push returns it again.
   */
  push(chunk: Uint8Array): { frames: Uint8Array[]; error: FramingError | null } {
    if (this.failed) return { frames: [], error: this.failed };
    if (chunk.length) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Uint8Array[] = [];
    for (;;) {
      if (this.expected === null) {
        if (this.buffered < PREFIX_BYTES) break;
        const prefix = this.take(PREFIX_BYTES);
        const length = new DataView(prefix.buffer, prefix.byteOffset, PREFIX_BYTES).getUint32(0, true);
        if (length > this.maxFrameBytes) {
          this.failed = new FramingError(`length prefix ${length} exceeds the maximum ${this.maxFrameBytes}`);
          this.chunks = [];
          this.buffered = 0;
          return { frames, error: this.failed };
        }
        this.expected = length;
      }
      if (this.buffered < this.expected) break;
      frames.push(this.take(this.expected));
      this.expected = null;
    }
    return { frames, error: null };
  }

  /** At the end of the stream: null when it ended between frames, else why it did not. */
  end(): string | null {
    if (this.failed) return null; // already reported
    if (this.expected !== null) return `connection closed mid-message (got ${this.buffered} of ${this.expected} bytes)`;
    if (this.buffered > 0) return `connection closed mid-message (got ${this.buffered} of ${PREFIX_BYTES} bytes of a length prefix)`;
    return null;
  }

  /** Bytes held for an incomplete frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0];
      const use = Math.min(head.length, n - filled);
      out.set(head.subarray(0, use), filled);
      filled += use;
      if (use === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(use);
    }
    this.buffered -= n;
    return out;
  }
}

/** Frames decoded into messages. A frame that does not decode is a FramingError naming the frame (from 1, per stream). */
export class MessageReader {
  private readonly frames: FrameReader;
  private count = 0;
  private broken: FramingError | null = null;

  constructor(maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
    this.frames = new FrameReader(maxFrameBytes);
  }

  /**
   * The messages completed by this chunk. When the chunk also holds a bad frame, the messages before it are
   * still returned, with the error: what the sender sent whole is not lost to what came after it.
   */
  push(chunk: Uint8Array): { messages: SapientMessage[]; error: FramingError | null } {
    if (this.broken) return { messages: [], error: this.broken };
    const messages: SapientMessage[] = [];
    const pushed = this.frames.push(chunk);
    let error = pushed.error;
    const frames = pushed.frames;
    for (const f of frames) {
      this.count++;
      try {
        messages.push(decodeSapient(f));
      } catch (err) {
        const reason = err instanceof SapientError ? err.reason : (err as Error).message;
        error = new FramingError(`message ${this.count} (${f.length} bytes) does not decode: ${reason}`);
        this.broken = error;
        break;
      }
    }
    return { messages, error };
  }

  end(): string | null {
    return this.broken ? null : this.frames.end();
  }
}
