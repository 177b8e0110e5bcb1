// Live MJPEG: one ffmpeg per camera while anyone watches it (viewers share it), its JPEG frames written as
// multipart/x-mixed-replace parts with X-Timestamp. A slow viewer misses frames rather than queueing them; a
// frozen camera repeats the frame it froze on, stamped with when it froze; going offline ends its streams.
import type { ChildProcess } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MJPEG_BOUNDARY } from '../../main/core/video/vms-api.ts';
import type { CameraHealth } from './faults.ts';
import { caption, CJK_FONT, drawtextValue, patternFor, spawnFfmpeg } from './ffmpeg.ts';
import type { SimCamera } from './layout.ts';

export const MAX_LIVE_STREAMS = 32;
export const MAX_VIEWERS = 256;
const LIVE_SIZE = '640x360';
const LIVE_FPS = 8;
/** A viewer with this much unsent is skipped until it drains. */
const VIEWER_BACKLOG_BYTES = 512 * 1024;
/** Bytes of ffmpeg output without a complete frame before the buffer is thrown away. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;

/** Splits a byte stream of concatenated JPEGs (FFD8 … FFD9) into frames. */
export class JpegSplitter {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Buffer[] = [];
    for (;;) {
      const start = this.pending.indexOf(SOI);
      if (start < 0) {
        // Nothing to keep but a last 0xFF, which may begin the next frame's FFD8.
        this.pending = this.pending.at(-1) === 0xff ? this.pending.subarray(-1) : Buffer.alloc(0);
        break;
      }
      // Inside a JPEG's entropy-coded data an 0xFF is always followed by 0x00, so FFD9 is the end.
      const end = this.pending.indexOf(EOI, start + 2);
      if (end < 0) {
        this.pending = this.pending.subarray(start);
        if (this.pending.length > MAX_PENDING_BYTES) this.pending = Buffer.alloc(0);
        break;
      }
      frames.push(Buffer.from(this.pending.subarray(start, end + 2)));
      this.pending = this.pending.subarray(end + 2);
    }
    return frames;
  }
}
const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);

interface Viewer {
  res: ServerResponse;
}

interface Stream {
  camera: SimCamera;
  child: ChildProcess;
  viewers: Set<Viewer>;
  lastFrame?: Buffer;
}

export class LiveStreams {
  private readonly streams = new Map<string, Stream>();
  private viewerCount = 0;

  constructor(private readonly cameras: Map<string, SimCamera>, private readonly health: CameraHealth) {
    health.on('change', (id: string, status: string) => {
      if (status === 'offline') this.end(id);
    });
  }

  get count(): number {
    return this.streams.size;
  }

  /** Serves GET …/live.mjpeg for a camera: the stream, or a JSON error (404, 503). */
  serve(id: string, req: IncomingMessage, res: ServerResponse): void {
    const refuse = (status: number, error: string) => {
      if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error }));
    };
    const camera = this.cameras.get(id);
    if (!camera) return refuse(404, `no camera "${id}"`);
    if (this.health.status(id) === 'offline') return refuse(503, `camera ${id} is offline`);
    let stream = this.streams.get(id);
    if (!stream && this.streams.size >= MAX_LIVE_STREAMS) return refuse(503, `the VMS serves at most ${MAX_LIVE_STREAMS} live cameras at once; close one first`);
    if (this.viewerCount >= MAX_VIEWERS) return refuse(503, `the VMS serves at most ${MAX_VIEWERS} live viewers at once`);
    stream ??= this.start(camera);
    if (!stream) return refuse(503, 'the live encoder could not be started');

    res.writeHead(200, {
      'Content-Type': `multipart/x-mixed-replace; boundary=${MJPEG_BOUNDARY}`,
      'Cache-Control': 'no-store',
      Connection: 'close',
    });
    // The answer starts now (as a VMS's does), not with the first frame: ffmpeg may take seconds to start.
    res.flushHeaders();
    const viewer: Viewer = { res };
    stream.viewers.add(viewer);
    this.viewerCount++;
    const leave = () => {
      if (!stream.viewers.delete(viewer)) return;
      this.viewerCount--;
      if (stream.viewers.size === 0) this.stop(stream);
    };
    res.on('close', leave);
    res.on('error', leave);
    req.on('close', leave);
  }

  /** Ends every stream of a camera (it went offline). */
  end(id: string): void {
    const stream = this.streams.get(id);
    if (!stream) return;
    for (const v of stream.viewers) v.res.end();
    this.stop(stream);
  }

  closeAll(): void {
    for (const id of [...this.streams.keys()]) this.end(id);
  }

  private start(camera: SimCamera): Stream | undefined {
    // A moving pattern, the camera's name and a running clock, in real time.
    const clock = `drawtext=fontfile=${CJK_FONT}:text=${drawtextValue('%{localtime:%F %T}')}:x=12:y=46:fontsize=22:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6`;
    const filter = [patternFor(camera.id, LIVE_SIZE, LIVE_FPS, true), caption(camera.name.zh, 10, 22), clock].join(',');
    let child: ChildProcess;
    try {
      child = spawnFfmpeg(['-re', '-f', 'lavfi', '-i', filter, '-q:v', '7', '-f', 'mjpeg', 'pipe:1']);
    } catch {
      return undefined;
    }
    const stream: Stream = { camera, child, viewers: new Set() };
    this.streams.set(camera.id, stream);
    const splitter = new JpegSplitter();
    child.stdout!.on('data', (d: Buffer) => splitter.push(d).forEach((f) => this.frame(stream, f)));
    child.stdout!.on('error', () => undefined);
    child.stderr!.on('data', () => undefined);
    child.stderr!.on('error', () => undefined);
    const gone = () => {
      // ffmpeg died under its viewers: their streams end; a new request starts a new one.
      if (this.streams.get(camera.id) !== stream) return;
      this.streams.delete(camera.id);
      for (const v of stream.viewers) v.res.end();
    };
    child.once('exit', gone);
    child.once('error', gone);
    return stream;
  }

  private frame(stream: Stream, frame: Buffer): void {
    let jpeg = frame;
    let at = Date.now();
    const frozen = this.health.frozenPicture(stream.camera.id);
    if (frozen) {
      frozen.liveFrame ??= stream.lastFrame ?? frame;
      jpeg = frozen.liveFrame;
      at = frozen.at;
    } else stream.lastFrame = frame;
    const head = Buffer.from(`--${MJPEG_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\nX-Timestamp: ${at}\r\n\r\n`);
    for (const v of stream.viewers) {
      if (v.res.writableLength > VIEWER_BACKLOG_BYTES || v.res.destroyed) continue;
      v.res.write(Buffer.concat([head, jpeg, CRLF]));
    }
  }

  private stop(stream: Stream): void {
    if (this.streams.get(stream.camera.id) === stream) this.streams.delete(stream.camera.id);
    this.viewerCount -= stream.viewers.size;
    stream.viewers.clear();
    stream.child.kill('SIGKILL');
  }
}
const CRLF = Buffer.from('\r\n');
