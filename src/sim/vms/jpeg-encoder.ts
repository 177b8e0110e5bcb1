// One long-running ffmpeg that turns raw RGB frames into JPEGs: frames go in on stdin, JPEGs come out on stdout
// in the same order. Started on first use, started again on the next frame if it dies; a frame it does not
// answer within the timeout kills it (and fails the frames it held).
import type { ChildProcess } from 'node:child_process';
import { spawnFfmpeg } from './ffmpeg.ts';
import { JpegSplitter } from './live.ts';

interface Pending {
  resolve(jpeg: Buffer): void;
  reject(err: Error): void;
}

export class JpegEncoder {
  private child?: ChildProcess;
  private pending: Pending[] = [];
  private timer?: NodeJS.Timeout;
  private stderr = '';
  private closed = false;

  constructor(readonly width: number, readonly height: number, private readonly quality = 6, private readonly timeoutMs = 10_000) {}

  /** The JPEG of one RGB24 frame of the encoder's size. */
  encode(rgb: Buffer): Promise<Buffer> {
    if (rgb.length !== this.width * this.height * 3) return Promise.reject(new Error(`a frame must be ${this.width}x${this.height} RGB24 (${this.width * this.height * 3} bytes), not ${rgb.length} bytes`));
    if (this.closed) return Promise.reject(new Error('the JPEG encoder is closed'));
    let child: ChildProcess;
    try {
      child = this.child ?? this.start();
    } catch (err) {
      return Promise.reject(new Error(`ffmpeg could not be started (${(err as Error).message})`));
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.armTimer();
      child.stdin!.write(rgb);
    });
  }

  /** Stops the encoder; frames in flight fail. */
  close(): void {
    this.closed = true;
    this.stop(new Error('the JPEG encoder was closed'));
  }

  /** The encoder's process id while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private start(): ChildProcess {
    const child = spawnFfmpeg([
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${this.width}x${this.height}`, '-framerate', '25', '-i', 'pipe:0',
      // One thread: a frame comes out as soon as it went in, not after a pipeline of frames has filled.
      '-threads', '1', '-fps_mode', 'passthrough', '-q:v', String(this.quality), '-flush_packets', '1', '-f', 'mjpeg', 'pipe:1',
    ], { stdin: true });
    this.child = child;
    this.stderr = '';
    const splitter = new JpegSplitter();
    child.stdout!.on('data', (d: Buffer) => {
      if (this.child !== child) return;
      for (const jpeg of splitter.push(d)) {
        const next = this.pending.shift();
        if (!next) continue;
        next.resolve(jpeg);
      }
      this.armTimer(true);
    });
    child.stdout!.on('error', () => undefined);
    child.stdin!.on('error', () => undefined); // EPIPE when it died; the exit handler fails the frames
    child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d).slice(-500)));
    child.stderr!.on('error', () => undefined);
    const gone = (why: string) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.failAll(new Error(`the JPEG encoder stopped (${why})${this.stderr.trim() ? `: ${this.stderr.trim().split('\n').at(-1)}` : ''}`));
    };
    child.once('exit', (code, signal) => gone(signal ?? `exit ${code}`));
    child.once('error', (err) => gone(err.message));
    return child;
  }

  /** The timer runs while frames are in flight; each answered frame restarts it. */
  private armTimer(restart = false): void {
    if (this.pending.length === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    if (this.timer && !restart) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.stop(new Error(`the JPEG encoder did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    this.timer.unref();
  }

  private stop(err: Error): void {
    const child = this.child;
    this.child = undefined;
    child?.kill('SIGKILL');
    this.failAll(err);
  }

  private failAll(err: Error): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const failed = this.pending;
    this.pending = [];
    failed.forEach((p) => p.reject(err));
  }
}
