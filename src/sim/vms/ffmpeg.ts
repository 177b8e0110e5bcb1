// ffmpeg for the simulator's pictures: a camera's look, the filter that draws its pattern and caption (live
// streams), one-shot runs (the snapshot renderer's patterns and glyphs), and every child tracked so that none
// outlives the simulator.
import { spawn, type ChildProcess } from 'node:child_process';

export const FFMPEG = process.env.SKYFENCE_FFMPEG || '/usr/bin/ffmpeg';
export const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

const children = new Set<ChildProcess>();
let exitHook = false;
let spawned = 0;

/**
 * Spawns ffmpeg with the arguments given (stdin a pipe when asked, else closed); the child is killed when the
 * simulator exits.
 */
export function spawnFfmpeg(args: string[], opts: { stdin?: boolean } = {}): ChildProcess {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
  }
  const child = spawn(FFMPEG, ['-hide_banner', '-loglevel', 'error', ...(opts.stdin ? [] : ['-nostdin']), ...args], { stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  spawned++;
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.on('error', () => children.delete(child));
  return child;
}

export const runningFfmpeg = (): number => children.size;
/** ffmpeg processes started since the simulator started. */
export const spawnedFfmpeg = (): number => spawned;

/**
 * A text for drawtext, escaped for both levels it passes: the filter's options (`\ ' :`) and the filtergraph
 * (`\ ' [ ] , ;`). Drawn with expansion=none, so `%` is literal.
 */
export function drawtextValue(s: string): string {
  const options = s.replace(/[\\':]/g, (c) => `\\${c}`);
  return options.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

export const PATTERN_SOURCES = ['testsrc2', 'smptehdbars', 'rgbtestsrc', 'testsrc'] as const;
export type PatternSource = (typeof PATTERN_SOURCES)[number];

/** The same camera always gets the same look: a test pattern and a hue from its id (moving ones for live). */
export function lookFor(id: string, moving = false): { source: PatternSource; hue: number } {
  let h = 2166136261;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const source = (moving ? (['testsrc2', 'testsrc'] as const) : PATTERN_SOURCES)[h % (moving ? 2 : 4)];
  return { source, hue: h % 360 };
}

/** The camera's look as an ffmpeg source and filter. */
export function patternFor(id: string, size: string, rate: number, moving = false): string {
  const { source, hue } = lookFor(id, moving);
  return `${source}=size=${size}:rate=${rate},hue=h=${hue}:s=0.6`;
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

/** Runs ffmpeg to completion and returns its stdout (at most `maxBytes`; more kills it). */
export function runFfmpegOnce(args: string[], maxBytes: number, timeoutMs = 20_000): Promise<Buffer> {
  let child: ChildProcess;
  try {
    child = spawnFfmpeg(args);
  } catch (err) {
    return Promise.reject(new Error(`ffmpeg could not be started (${(err as Error).message})`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      bytes += d.length;
      if (bytes > maxBytes) child.kill('SIGKILL');
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
      if (code === 0 && bytes <= maxBytes) resolve(Buffer.concat(chunks));
      else reject(new Error(`ffmpeg failed (${code ?? 'killed'}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
    });
  });
}
