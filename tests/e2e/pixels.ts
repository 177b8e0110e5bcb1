// Reading what the operator sees: pixels of a screenshot.
import { PNG } from 'pngjs';

/** How many pixels of the PNG look like runway asphalt (dark, neutral grey). */
export function countRunwayPixels(png: Buffer): number {
  const img = PNG.sync.read(png);
  let n = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    const [r, g, b] = [img.data[i], img.data[i + 1], img.data[i + 2]];
    if (r < 0x48 && g < 0x48 && b < 0x50 && Math.abs(r - g) < 12 && Math.abs(b - g) < 16) n++;
  }
  return n;
}

/** How many pixels differ noticeably between two screenshots of the same size. */
export function countDifferentPixels(a: Buffer, b: Buffer): number {
  const x = PNG.sync.read(a);
  const y = PNG.sync.read(b);
  if (x.width !== y.width || x.height !== y.height) throw new Error('screenshots differ in size');
  let n = 0;
  for (let i = 0; i < x.data.length; i += 4) {
    const d = Math.abs(x.data[i] - y.data[i]) + Math.abs(x.data[i + 1] - y.data[i + 1]) + Math.abs(x.data[i + 2] - y.data[i + 2]);
    if (d > 24) n++;
  }
  return n;
}
