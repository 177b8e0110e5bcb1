// The live player's MJPEG reader: parts cut by Content-Length or by the next boundary, however the bytes arrive.
import { describe, expect, it } from 'vitest';
import { BoundaryWatch, MjpegError, MjpegParser, boundaryOf } from '../../src/shared/mjpeg.ts';

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
    // Bytes that are no part at all are dropped, not kept…
    const idle = new MjpegParser('frame', 1000);
    for (let i = 0; i < 9; i++) expect(idle.push(jpeg(100, 7))).toEqual([]);
    // …but a stream that sends no boundary within the cap is no MJPEG: an error, so that it is closed.
    expect(() => idle.push(jpeg(200, 7))).toThrow(/no boundary within 1000 bytes/);
  });

  it('takes junk between parts as long as a boundary comes within the cap', () => {
    const parser = new MjpegParser('frame', 1000);
    const parts = [];
    for (let i = 0; i < 20; i++) parts.push(...parser.push(concat(jpeg(900, 7), part(jpeg(50, 1), i))));
    expect(parts.map((p) => p.timestamp)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

describe('boundary watch (a proxy forwarding MJPEG as it comes)', () => {
  it('passes a stream with boundaries however it is chunked, a boundary split across chunks included', () => {
    const stream = concat(...Array.from({ length: 10 }, (_, i) => part(jpeg(900, 1), i)));
    for (const size of [1, 3, 7, 100, stream.length]) {
      const watch = new BoundaryWatch('frame', 1000);
      for (let i = 0; i < stream.length; i += size) watch.push(stream.subarray(i, i + size));
    }
  });

  it('throws when no boundary comes within the gap', () => {
    const watch = new BoundaryWatch('frame', 1000);
    watch.push(part(jpeg(10, 1), 1));
    watch.push(jpeg(900, 7));
    expect(() => watch.push(jpeg(100, 7))).toThrow(MjpegError);
    // A boundary split over many one-byte chunks still counts.
    const split = new BoundaryWatch('frame', 1000);
    for (let round = 0; round < 5; round++) {
      split.push(jpeg(990, 7));
      for (const b of enc.encode('--frame')) split.push(new Uint8Array([b]));
    }
  });
});
