// Captions without an ffmpeg per picture: every character is drawn once by ffmpeg's drawtext (the same font the
// live streams use) into an atlas of coverage bitmaps, and a caption is then blitted from it in JavaScript.
// Characters not yet held (a free-text event label) are added in one more ffmpeg run; the atlas is capped.
import { CJK_FONT, drawtextValue, runFfmpegOnce } from './ffmpeg.ts';

/** An RGB24 picture being composed (clamped, so that blending never wraps). */
export interface Frame {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

interface Glyph {
  /** Pen advance in pixels, as drawtext spaces it. */
  advance: number;
  /** Columns of the bitmap (≥ the ink's right edge). */
  width: number;
  /** Rows above the baseline reference where the bitmap starts (the line's top, as its batch laid it out). */
  top: number;
  height: number;
  /** Coverage 0–255, `width × height`, row by row. */
  coverage: Uint8Array;
}

/** Lines drawn per ffmpeg run, so that one canvas stays a few megabytes. */
const BATCH = 400;
const MARKER = '|';

export class GlyphAtlas {
  private readonly glyphs = new Map<string, Glyph>();
  /** Height of a caption line (drawtext's line height for the first batch) and where its reference row sits. */
  lineHeight = 0;
  private referenceRow = 0;
  private adding: Promise<void> = Promise.resolve();

  constructor(readonly fontSize = 20, private readonly maxGlyphs = 6000) {}

  get size(): number {
    return this.glyphs.size;
  }

  /** Draws the characters of `text` not yet held (at most up to the cap); one ffmpeg run per 400 of them. */
  add(text: string): Promise<void> {
    // Runs one after another, so that two callers never draw the same characters twice.
    const run = this.adding.then(async () => {
      const missing = [...new Set(drawable(text))].filter((ch) => !this.glyphs.has(ch));
      const room = Math.max(0, this.maxGlyphs - this.glyphs.size);
      const todo = missing.slice(0, room);
      for (let i = 0; i < todo.length; i += BATCH) await this.renderBatch(todo.slice(i, i + BATCH));
    });
    this.adding = run.catch(() => undefined);
    return run;
  }

  missing(text: string): boolean {
    return drawable(text).some((ch) => !this.glyphs.has(ch));
  }

  /** Width in pixels of `text` as `draw` lays it out. */
  measure(text: string): number {
    let w = 0;
    for (const ch of drawable(text)) w += this.glyph(ch)?.advance ?? 0;
    return w;
  }

  /**
   * Draws `text` in white at (x, y) (y: the line's top) over a black box at 60 % with a `border` margin, as
   * drawtext's `box=1:boxcolor=black@0.6` does. Characters the atlas does not hold are drawn as '?'.
   */
  drawCaption(frame: Frame, text: string, x: number, y: number, border = 6): void {
    const chars = drawable(text);
    const width = this.measure(text);
    darken(frame, x - border, y - border, x + width + border, y + this.lineHeight + border, 0.4);
    let pen = x;
    for (const ch of chars) {
      const g = this.glyph(ch);
      if (!g) continue;
      blitWhite(frame, g, pen, y + this.referenceRow + g.top);
      pen += g.advance;
    }
  }

  private glyph(ch: string): Glyph | undefined {
    return this.glyphs.get(ch) ?? this.glyphs.get('?');
  }

  /**
   * One ffmpeg run: each line is a character, a space and a marker. The marker's left edge gives the character's
   * advance (less the space's and the marker's own bearing, both measured on the first lines); the marker's top
   * is the row every glyph of the batch is placed against.
   */
  private async renderBatch(chars: string[]): Promise<void> {
    const lines = [MARKER, MARKER, ` ${MARKER}`, ...chars.map((ch) => `${ch} ${MARKER}`)];
    const width = this.fontSize * 4;
    const maxPitch = this.fontSize * 2;
    const height = lines.length * maxPitch;
    const raw = await runFfmpegOnce([
      '-f', 'lavfi', '-i', `color=black:size=${width}x${height}:rate=1,format=rgb24,drawtext=fontfile=${CJK_FONT}:expansion=none:text=${drawtextValue(lines.join('\n'))}:x=0:y=0:fontsize=${this.fontSize}:fontcolor=white`,
      '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
    ], width * height * 3);
    if (raw.length !== width * height * 3) throw new Error(`the glyph atlas came back with ${raw.length} bytes, not ${width * height * 3}`);
    const ink = (x: number, y: number) => raw[(y * width + x) * 3];

    // The first two lines are the marker alone: its top rows give the line pitch, its left edge its bearing.
    const markerTop = (fromRow: number): number => {
      for (let y = fromRow; y < height; y++) for (let x = 0; x < width; x++) if (ink(x, y) > 0) return y;
      throw new Error('the glyph atlas has no marker');
    };
    const top0 = markerTop(0);
    let gap = top0;
    while (gap < height && rowHasInk(ink, width, gap)) gap++;
    const top1 = markerTop(gap);
    const pitch = top1 - top0;
    if (pitch <= 0 || pitch > maxPitch) throw new Error(`the glyph atlas has a line pitch of ${pitch} pixels`);
    // The marker's bearing and the space's advance, then each character by the same rule.
    const markerLeft = (line: number): number => {
      let right = -1;
      for (let x = width - 1; x >= 0 && right < 0; x--) if (columnHasInk(ink, x, line * pitch, pitch)) right = x;
      let left = right;
      while (left > 0 && columnHasInk(ink, left - 1, line * pitch, pitch)) left--;
      return left;
    };
    const bearing = markerLeft(0);
    const space = markerLeft(2) - bearing;
    if (!this.lineHeight) {
      this.lineHeight = pitch;
      this.referenceRow = top0;
    }
    chars.forEach((ch, i) => {
      const line = i + 3;
      const advance = markerLeft(line) - bearing - space;
      // The bitmap runs to the last inked column left of the space, for glyphs that reach past their advance.
      let inkRight = 0;
      for (let x = 0; x < advance + space; x++) if (columnHasInk(ink, x, line * pitch, pitch)) inkRight = x + 1;
      const w = Math.max(inkRight, 1);
      const coverage = new Uint8Array(w * pitch);
      for (let y = 0; y < pitch; y++) for (let x = 0; x < w; x++) coverage[y * w + x] = ink(x, line * pitch + y);
      this.glyphs.set(ch, { advance: Math.max(advance, 0), width: w, top: -top0, height: pitch, coverage });
    });
  }
}

/** The characters of `text` a caption shows: control characters become spaces. */
function drawable(text: string): string[] {
  return [...text].map((ch) => (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(ch) ? ' ' : ch));
}

function rowHasInk(ink: (x: number, y: number) => number, width: number, y: number): boolean {
  for (let x = 0; x < width; x++) if (ink(x, y) > 0) return true;
  return false;
}

function columnHasInk(ink: (x: number, y: number) => number, x: number, fromRow: number, rows: number): boolean {
  for (let y = fromRow; y < fromRow + rows; y++) if (ink(x, y) > 0) return true;
  return false;
}

/** Multiplies the pixels of a rectangle (clipped to the frame) by `keep`: a black box at 1 − keep opacity. */
function darken(frame: Frame, x0: number, y0: number, x1: number, y1: number, keep: number): void {
  const k = Math.round(keep * 256);
  const xa = Math.max(0, x0), xb = Math.min(frame.width, x1);
  const ya = Math.max(0, y0), yb = Math.min(frame.height, y1);
  const d = frame.data;
  for (let y = ya; y < yb; y++) {
    for (let i = (y * frame.width + xa) * 3, end = (y * frame.width + xb) * 3; i < end; i++) d[i] = (d[i] * k) >> 8;
  }
}

/** White over the frame, weighted by the glyph's coverage. */
function blitWhite(frame: Frame, g: Glyph, x: number, y: number): void {
  const d = frame.data;
  for (let gy = 0; gy < g.height; gy++) {
    const fy = y + gy;
    if (fy < 0 || fy >= frame.height) continue;
    for (let gx = 0; gx < g.width; gx++) {
      const a = g.coverage[gy * g.width + gx];
      const fx = x + gx;
      if (a === 0 || fx < 0 || fx >= frame.width) continue;
      const i = (fy * frame.width + fx) * 3;
      d[i] += ((255 - d[i]) * a) / 255;
      d[i + 1] += ((255 - d[i + 1]) * a) / 255;
      d[i + 2] += ((255 - d[i + 2]) * a) / 255;
    }
  }
}
