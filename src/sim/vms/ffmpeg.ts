// ffmpeg for the simulator's pictures: the filter that draws a camera's pattern and caption, a JPEG rendered
// at most three at a time (the rest wait in a short queue; a long queue is refused), and every child tracked so
// that none outlives the simulator.
import { spawn, type ChildProcess } from 'node:child_process';

export const FFMPEG = process.env.SKYFENCE_FFMPEG || '/usr/bin/ffmpeg';
export const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

const children = new Set<ChildProcess>();
let exitHook = false;

/** Spawns ffmpeg with the arguments given; the child is killed when the simulator exits. */
export function spawnFfmpeg(args: string[]): ChildProcess {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
  }
  const child = spawn(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.on('error', () => children.delete(child));
  return child;
}

export const runningFfmpeg = (): number => children.size;

/**
 * A text for drawtext, escaped for both levels it passes: the filter's options (`\ ' :`) and the filtergraph
 * (`\ ' [ ] , ;`). Drawn with expansion=none, so `%` is literal.
 */
export function drawtextValue(s: string): string {
  const options = s.replace(/[\\':]/g, (c) => `\\${c}`);
  return options.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** The same camera always gets the same look: a pattern and a hue from its id. */
export function patternFor(id: string, size: string, rate: number, moving = false): string {
  let h = 2166136261;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const source = (moving ? ['testsrc2', 'testsrc'] : ['testsrc2', 'smptehdbars', 'rgbtestsrc', 'testsrc'])[h % (moving ? 2 : 4)];
  return `${source}=size=${size}:rate=${rate},hue=h=${h % 360}:s=0.6`;
}

export function caption(line: string, y: number, size: number): string {
  return `drawtext=fontfile=${CJK_FONT}:expansion=none:text=${drawtextValue(line)}:x=12:y=${y}:fontsize=${size}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6`;
}

/** Local wall time with tenths, as a camera overlay shows it: 2026-03-14 09:41:07.3 */
export function overlayTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${Math.floor(d.getMilliseconds() / 100)}`;
}

export class BusyError extends Error {}

const MAX_JPEG_BYTES = 2 * 1024 * 1024;

/** Renders single JPEGs, at most `concurrency` ffmpeg at once; more than `maxQueued` waiting is refused. */
export class JpegRenderer {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly concurrency = 3, private readonly maxQueued = 24, private readonly timeoutMs = 10_000) {}

  get waiting(): number {
    return this.queue.length;
  }

  /** One frame of `pattern` with caption lines, 480x270 unless the pattern says otherwise. */
  render(pattern: string, lines: string[]): Promise<Buffer> {
    if (this.running >= this.concurrency && this.queue.length >= this.maxQueued) {
      return Promise.reject(new BusyError(`the VMS is rendering ${this.running} pictures and ${this.queue.length} wait; try again shortly`));
    }
    return new Promise<void>((resolve) => {
      if (this.running < this.concurrency) {
        this.running++;
        resolve();
      } else this.queue.push(resolve);
    }).then(() => this.run(pattern, lines).finally(() => {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }));
  }

  private run(pattern: string, lines: string[]): Promise<Buffer> {
    const filter = [pattern, ...lines.map((l, i) => caption(l, 10 + i * 30, 20))].join(',');
    const child = spawnFfmpeg(['-f', 'lavfi', '-i', filter, '-frames:v', '1', '-q:v', '6', '-f', 'mjpeg', 'pipe:1']);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), this.timeoutMs);
      child.stdout!.on('data', (d: Buffer) => {
        bytes += d.length;
        if (bytes > MAX_JPEG_BYTES) child.kill('SIGKILL');
        else chunks.push(d);
      });
      child.stdout!.on('error', () => undefined);
      child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d).slice(-500)));
      child.stderr!.on('error', () => undefined);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`ffmpeg could not be started (${err.message})`));
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        const jpeg = Buffer.concat(chunks);
        if (code === 0 && jpeg.length > 4 && jpeg[0] === 0xff && jpeg[1] === 0xd8) resolve(jpeg);
        else reject(new Error(`ffmpeg failed (${code ?? 'killed'}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
      });
    });
  }
}
