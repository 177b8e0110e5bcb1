// The live player's MJPEG reader: parts cut by Content-Length or by the next boundary, however the bytes arrive.
import { describe, expect, it } from 'vitest';
import { MjpegError, MjpegParser, boundaryOf } from '../../src/shared/mjpeg.ts';

const enc = new TextEncoder();
const jpeg = (n: number, fill: number) => new Uint8Array(n).fill(fill);
function part(body: Uint8Array, ts: number | null, withLength = true): Uint8Array {
  const head = `--frame\r\nContent-Type: image/jpeg\r\n${withLength ? `Content-Length: ${body.length}\r\n` : ''}${ts === null ? '' : `X-Timestamp: ${ts}\r\n`}\r\n`;
  return concat(enc.encode(head), body, enc.encode('\r\n'));
}
function concat(...arrays: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

describe('MJPEG parser', () => {
  it('reads the boundary from the Content-Type', () => {
    expect(boundaryOf('multipart/x-mixed-replace; boundary=frame')).toBe('frame');
    expect(boundaryOf('multipart/x-mixed-replace;boundary="--myboundary"')).toBe('myboundary');
    expect(boundaryOf('image/jpeg')).toBeNull();
    expect(boundaryOf(null)).toBeNull();
  });

  it('cuts parts by Content-Length, with their timestamps, whatever the chunking', () => {
    const stream = concat(part(jpeg(5000, 1), 1000), part(jpeg(3000, 2), 1100), part(jpeg(10, 3), null));
    for (const size of [1, 7, 100, 4096, stream.length]) {
      const parser = new MjpegParser('frame');
      const parts = [];
      for (let i = 0; i < stream.length; i += size) parts.push(...parser.push(stream.subarray(i, i + size)));
      expect(parts.map((p) => [p.jpeg.length, p.jpeg[0], p.timestamp])).toEqual([[5000, 1, 1000], [3000, 2, 1100], [10, 3, null]]);
    }
  });

  it('cuts parts without a Content-Length at the next boundary', () => {
    const parser = new MjpegParser('frame');
    const parts = parser.push(concat(part(jpeg(50, 4), 5, false), part(jpeg(60, 5), 6, false)));
    // The last part is complete only when the next boundary arrives.
    expect(parts.map((p) => [p.jpeg.length, p.timestamp])).toEqual([[50, 5]]);
    expect(parser.push(enc.encode('--frame')).map((p) => [p.jpeg.length, p.timestamp])).toEqual([[60, 6]]);
  });

  it('refuses a part over the cap and a stream without boundaries instead of growing', () => {
    expect(() => new MjpegParser('frame', 1000).push(part(jpeg(2000, 1), 1))).toThrow(MjpegError);
    const parser = new MjpegParser('frame', 1000);
    parser.push(enc.encode('--frame\r\nContent-Type: image/jpeg\r\n\r\n'));
    expect(() => parser.push(jpeg(20_000, 9))).toThrow(MjpegError);
    // Bytes that are no part at all are dropped, not kept.
    const idle = new MjpegParser('frame', 1000);
    for (let i = 0; i < 100; i++) expect(idle.push(jpeg(1000, 7))).toEqual([]);
  });
});
