// The line splitter under a stream's bytes: lines across chunks, CRLF, UTF-8 cut mid-character, and a line
// over the cap refused while it streams in, never buffered whole.
import { describe, expect, it } from 'vitest';
import { LineReader } from '../../src/main/core/sources/line-reader.ts';

const b = (s: string) => Buffer.from(s, 'utf8');

describe('line reader', () => {
  it('numbers lines that span chunks, drops CR before LF, and keeps a partial line for the next chunk', () => {
    const r = new LineReader(100);
    expect(r.push(b('ab'))).toEqual([]);
    expect(r.push(b('c\r\nd\n\nef'))).toEqual([{ line: 1, text: 'abc' }, { line: 2, text: 'd' }, { line: 3, text: '' }]);
    expect(r.buffered).toBe(2);
    expect(r.push(b('g\n'))).toEqual([{ line: 4, text: 'efg' }]);
  });

  it('joins a UTF-8 character cut between chunks', () => {
    const r = new LineReader(100);
    const bytes = b('无人机\n');
    expect(r.push(bytes.subarray(0, 4))).toEqual([]);
    expect(r.push(bytes.subarray(4))).toEqual([{ line: 1, text: '无人机' }]);
  });

  it('refuses a line over the cap as it passes the cap, holds none of it, and reads the next line', () => {
    const r = new LineReader(10);
    expect(r.push(b('12345678'))).toEqual([]);
    expect(r.buffered).toBe(8);
    expect(r.push(b('9012345'))).toEqual([]);
    expect(r.buffered).toBe(0); // dropped at the cap
    for (let i = 0; i < 1000; i++) r.push(b('x'.repeat(1000)));
    expect(r.buffered).toBe(0);
    expect(r.push(b('y\nok\n'))).toEqual([{ line: 1, tooLong: true, bytes: 1_000_016 }, { line: 2, text: 'ok' }]);
    expect(r.push(b('1234567890\n'))).toEqual([{ line: 3, text: '1234567890' }]); // exactly the cap is fine
  });
});
