// An A4 PDF with the CJK font every report uses (incident, patrol, after-action), collected into one Buffer:
// the font check, the document, its page geometry and the "room for h points, else a new page" rule, in one place.
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { ApiError } from '../calls.ts';

/** Debian's fonts-noto-cjk: Simplified Chinese in the .ttc (CI installs the package). */
export const CJK_FONT_FILE = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
export const CJK_FONT_NAME = 'NotoSansCJKsc-Regular';

export interface CjkPdf {
  doc: PDFKit.PDFDocument;
  /** The document's bytes, once doc.end() has been called. */
  done: Promise<Buffer>;
  left: number;
  width: number;
  /** The lowest y text may reach on this page. */
  floor: () => number;
  /** Starts a new page unless `h` points fit below the cursor. */
  room: (h: number) => void;
}

export function cjkPdf(fontFile: string, info: { Title: string; Author: string }, opts: { bufferPages?: boolean } = {}): CjkPdf {
  if (!existsSync(fontFile)) {
    throw new ApiError('unavailable', `the Chinese font ${fontFile} is missing: install the Debian package fonts-noto-cjk`, { reason: 'font-missing' });
  }
  const doc = new PDFDocument({ size: 'A4', margin: 40, info, ...(opts.bufferPages ? { bufferPages: true } : {}) });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', fontFile, CJK_FONT_NAME);
  doc.font('cjk');
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const floor = () => doc.page.height - doc.page.margins.bottom;
  const room = (h: number) => {
    if (doc.y + h > floor()) doc.addPage();
  };
  return { doc, done, left, width, floor, room };
}
