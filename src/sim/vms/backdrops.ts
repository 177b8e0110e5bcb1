// A camera's look without an ffmpeg per picture: the four test patterns are drawn once by ffmpeg, and each
// picture recolours its camera's pattern in JavaScript the way ffmpeg's `hue=h=…:s=0.6` does (a rotation and
// scaling of the chroma, which for RGB is one 3×3 matrix per hue).
import { lookFor, PATTERN_SOURCES, runFfmpegOnce, type PatternSource } from './ffmpeg.ts';
import type { Frame } from './glyphs.ts';

const SATURATION = 0.6;

export class Backdrops {
  private readonly sources = new Map<PatternSource, Uint8Array>();
  /** Fixed-point (×4096) matrices by hue, made on first use: 360 × 9 numbers at most. */
  private readonly matrices = new Map<number, Int32Array>();

  constructor(readonly width: number, readonly height: number) {}

  /** Draws the patterns: one ffmpeg run. */
  async load(): Promise<void> {
    const size = `${this.width}x${this.height}`;
    const frameBytes = this.width * this.height * 3;
    const args = PATTERN_SOURCES.flatMap((s) => ['-f', 'lavfi', '-i', `${s}=size=${size}:rate=1,format=rgb24`]);
    const raw = await runFfmpegOnce([
      ...args,
      '-filter_complex', `${PATTERN_SOURCES.map((_, i) => `[${i}:v]`).join('')}vstack=inputs=${PATTERN_SOURCES.length}`,
      '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
    ], frameBytes * PATTERN_SOURCES.length);
    if (raw.length !== frameBytes * PATTERN_SOURCES.length) throw new Error(`the test patterns came back with ${raw.length} bytes, not ${frameBytes * PATTERN_SOURCES.length}`);
    PATTERN_SOURCES.forEach((s, i) => this.sources.set(s, new Uint8Array(raw.buffer, raw.byteOffset + i * frameBytes, frameBytes)));
  }

  get loaded(): boolean {
    return this.sources.size === PATTERN_SOURCES.length;
  }

  /** A new frame with the camera's pattern in its hue. */
  paint(cameraId: string): Frame {
    const { source, hue } = lookFor(cameraId);
    const from = this.sources.get(source);
    if (!from) throw new Error('the test patterns are not loaded');
    const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = this.matrix(hue);
    // A clamped array: the matrix's results outside 0–255 are stored as 0 or 255.
    const data = new Uint8ClampedArray(from.length);
    for (let i = 0; i < from.length; i += 3) {
      const r = from[i], g = from[i + 1], b = from[i + 2];
      data[i] = (m0 * r + m1 * g + m2 * b + 2048) >> 12;
      data[i + 1] = (m3 * r + m4 * g + m5 * b + 2048) >> 12;
      data[i + 2] = (m6 * r + m7 * g + m8 * b + 2048) >> 12;
    }
    return { width: this.width, height: this.height, data };
  }

  private matrix(hue: number): Int32Array {
    let m = this.matrices.get(hue);
    if (!m) {
      m = Int32Array.from(hueMatrix(hue, SATURATION), (v) => Math.round(v * 4096));
      this.matrices.set(hue, m);
    }
    return m;
  }
}

/** RGB → YCbCr (BT.601), the chroma turned by `deg` and scaled by `sat`, back to RGB: a row-major 3×3. */
export function hueMatrix(deg: number, sat: number): number[] {
  const toYuv = [0.299, 0.587, 0.114, -0.168736, -0.331264, 0.5, 0.5, -0.418688, -0.081312];
  const toRgb = [1, 0, 1.402, 1, -0.344136, -0.714136, 1, 1.772, 0];
  const c = Math.cos((deg * Math.PI) / 180) * sat, s = Math.sin((deg * Math.PI) / 180) * sat;
  const turn = [1, 0, 0, 0, c, -s, 0, s, c];
  return mul(toRgb, mul(turn, toYuv));
}

function mul(a: number[], b: number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[r * 3 + c] += a[r * 3 + k] * b[k * 3 + c];
  return out;
}
