// Snapshots without an ffmpeg per picture: the camera's pattern in its hue with caption lines, 480x270 JPEG,
// composed in JavaScript from test patterns and a glyph atlas that ffmpeg draws once, and encoded by one
// long-running ffmpeg. At most `concurrency` pictures are in the works at once; more than `maxQueued` waiting are
// refused (BusyError, a 503).
import { Backdrops } from './backdrops.ts';
import { BusyError } from './ffmpeg.ts';
import { GlyphAtlas } from './glyphs.ts';
import { JpegEncoder } from './jpeg-encoder.ts';

export const SNAPSHOT_WIDTH = 480;
export const SNAPSHOT_HEIGHT = 270;
const CAPTION_FONT_SIZE = 20;
/** Characters every simulator needs: ASCII (plates, labels, the time). Camera names are added by `preload`. */
const BASE_CHARACTERS = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

export class JpegRenderer {
  private running = 0;
  private readonly queue: Array<() => void> = [];
  private readonly backdrops = new Backdrops(SNAPSHOT_WIDTH, SNAPSHOT_HEIGHT);
  private readonly atlas = new GlyphAtlas(CAPTION_FONT_SIZE);
  private readonly encoder: JpegEncoder;
  private ready?: Promise<void>;
  private characters = BASE_CHARACTERS;

  constructor(private readonly concurrency = 3, private readonly maxQueued = 24, timeoutMs = 10_000) {
    this.encoder = new JpegEncoder(SNAPSHOT_WIDTH, SNAPSHOT_HEIGHT, 6, timeoutMs);
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Characters to draw with the first glyphs (the camera names and event words), so that they cost no later run. */
  preload(text: string): void {
    this.characters = [...new Set(this.characters + text)].join('');
  }

  /** One picture of the camera's look with caption lines. */
  render(cameraId: string, lines: string[]): Promise<Buffer> {
    if (this.running >= this.concurrency && this.queue.length >= this.maxQueued) {
      return Promise.reject(new BusyError(`the VMS is rendering ${this.running} pictures and ${this.queue.length} wait; try again shortly`));
    }
    return new Promise<void>((resolve) => {
      if (this.running < this.concurrency) {
        this.running++;
        resolve();
      } else this.queue.push(resolve);
    }).then(() => this.run(cameraId, lines).finally(() => {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }));
  }

  /** Draws the patterns and glyphs now rather than on the first picture (which the console may time out). */
  warm(): void {
    this.prepare().catch(() => undefined);
  }

  close(): void {
    this.encoder.close();
  }

  private async run(cameraId: string, lines: string[]): Promise<Buffer> {
    await this.prepare();
    const text = lines.join('');
    // New characters (a free-text label) cost one ffmpeg run; if it fails they show as '?', and the next picture
    // with them tries again.
    if (this.atlas.missing(text)) await this.atlas.add(text).catch(() => undefined);
    const frame = this.backdrops.paint(cameraId);
    lines.forEach((line, i) => this.atlas.drawCaption(frame, line, 12, 10 + i * 30));
    return this.encoder.encode(Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength));
  }

  /** The patterns and the first glyphs, drawn once; a failure is tried again by the next picture. */
  private prepare(): Promise<void> {
    this.ready ??= Promise.all([this.backdrops.load(), this.atlas.add(this.characters)]).then(
      () => undefined,
      (err: Error) => {
        this.ready = undefined;
        throw err;
      },
    );
    return this.ready;
  }
}
