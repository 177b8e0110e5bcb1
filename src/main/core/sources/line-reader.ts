// Splits a byte stream (a TCP socket) into numbered lines, with a cap on a line's size: a line longer than the
// cap is refused as soon as it passes the cap — its bytes are dropped as they come, never buffered whole —
// and reading goes on at the next line. Lines end with \n (a \r before it is dropped); bytes are UTF-8.
export type LineEvent = { line: number; text: string } | { line: number; tooLong: true; bytes: number };

export class LineReader {
  private parts: Buffer[] = [];
  private size = 0;
  /** Bytes of the current line while it is being refused (too long). */
  private skipping: number | null = null;
  private lineNo = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** The complete lines (and refusals) this chunk ends; a partial line waits for the next chunk. */
  push(chunk: Buffer): LineEvent[] {
    const out: LineEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      if (this.skipping !== null) this.skipping += piece.length;
      else if (this.size + piece.length > this.maxLineBytes) {
        this.skipping = this.size + piece.length;
        this.parts = [];
        this.size = 0;
      } else if (piece.length) {
        this.parts.push(piece);
        this.size += piece.length;
      }
      if (nl === -1) break;
      this.lineNo++;
      if (this.skipping !== null) {
        out.push({ line: this.lineNo, tooLong: true, bytes: this.skipping });
        this.skipping = null;
      } else {
        let text = Buffer.concat(this.parts, this.size).toString('utf8');
        if (text.endsWith('\r')) text = text.slice(0, -1);
        out.push({ line: this.lineNo, text });
      }
      this.parts = [];
      this.size = 0;
      start = nl + 1;
    }
    return out;
  }

  /** Bytes waiting for the end of their line (never more than the cap). */
  get buffered(): number {
    return this.size;
  }
}
