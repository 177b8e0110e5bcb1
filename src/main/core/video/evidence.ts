// Snapshots kept as evidence (an analytic event's, a watch-listed plate's, a patrol check's): the VMS prunes
// its own pictures within days, the record must keep them. Stored in the `evidence` table, each at most
// MAX_EVIDENCE_BYTES; the whole store is kept under MAX_EVIDENCE_TOTAL_BYTES (2 GiB) and
// MAX_EVIDENCE_IMAGES (50,000), the oldest pictures pruned first, so that evidence can never fill the disk the
// alarms need. A picture saved under a key (a source's event) is saved once, however often the event comes.
import { createHash, randomUUID } from 'node:crypto';
import type { Database } from '../store/database.ts';

/** One picture at most (a 4K JPEG is well under). */
export const MAX_EVIDENCE_BYTES = 2 * 1024 * 1024;
/** The whole store at most: 2 GiB … */
export const MAX_EVIDENCE_TOTAL_BYTES = 2 * 1024 ** 3;
/** … and at most this many pictures. */
export const MAX_EVIDENCE_IMAGES = 50_000;

export interface EvidenceItem {
  contentType: string;
  data: Buffer;
  cameraId: string;
  takenAt: number;
}

export class EvidenceTooLargeError extends Error {}

export interface EvidenceLimits {
  maxBytes: number;
  maxTotalBytes: number;
  maxImages: number;
}

export class EvidenceStore {
  private totals: Promise<{ bytes: number; images: number }> | null = null;
  private readonly limits: EvidenceLimits;

  constructor(private readonly db: Database, limits: Partial<EvidenceLimits> = {}) {
    this.limits = { maxBytes: MAX_EVIDENCE_BYTES, maxTotalBytes: MAX_EVIDENCE_TOTAL_BYTES, maxImages: MAX_EVIDENCE_IMAGES, ...limits };
  }

  /**
   * Keeps a JPEG; resolves its id. With `key` (say `<sourceId>/<eventId>`), the id is derived from it and a
   * second save of the same key keeps the first picture. Throws EvidenceTooLargeError past the per-image cap.
   */
  async save(cameraId: string, jpeg: Buffer, at: number, opts: { key?: string } = {}): Promise<string> {
    if (jpeg.length > this.limits.maxBytes) {
      throw new EvidenceTooLargeError(`a snapshot of ${jpeg.length} bytes is more than the ${this.limits.maxBytes} kept per picture`);
    }
    const id = opts.key ? evidenceIdForKey(opts.key) : randomUUID();
    const totals = await this.currentTotals();
    const { changes } = await this.db.run(
      'INSERT OR IGNORE INTO evidence (id, camera_id, taken_at, content_type, data) VALUES (?, ?, ?, ?, ?)',
      [id, cameraId, at, 'image/jpeg', jpeg],
    );
    if (changes) {
      totals.bytes += jpeg.length;
      totals.images += 1;
      // A failed prune leaves the picture kept (it is evidence); the next save prunes again.
      if (totals.bytes > this.limits.maxTotalBytes || totals.images > this.limits.maxImages) await this.prune(totals).catch(() => undefined);
    }
    return id;
  }

  async get(id: string): Promise<EvidenceItem | null> {
    const row = await this.db.get<{ content_type: string; data: Buffer; camera_id: string; taken_at: number }>(
      'SELECT content_type, data, camera_id, taken_at FROM evidence WHERE id = ?', [id],
    );
    return row ? { contentType: row.content_type, data: row.data, cameraId: row.camera_id, takenAt: row.taken_at } : null;
  }

  /** What is kept now. */
  async usage(): Promise<{ bytes: number; images: number }> {
    return { ...(await this.currentTotals()) };
  }

  private currentTotals(): Promise<{ bytes: number; images: number }> {
    // Counted once, then kept up to date: summing 2 GiB of blobs per save would be a scan per picture.
    this.totals ??= this.db
      .get<{ bytes: number | null; images: number }>('SELECT SUM(length(data)) AS bytes, COUNT(*) AS images FROM evidence')
      .then((r) => ({ bytes: r?.bytes ?? 0, images: r?.images ?? 0 }))
      .catch((err) => {
        this.totals = null;
        throw err;
      });
    return this.totals;
  }

  /** Deletes the oldest pictures until the store is back under its caps (with 5 % room, so not on every save). */
  private async prune(totals: { bytes: number; images: number }): Promise<void> {
    const bytesGoal = this.limits.maxTotalBytes * 0.95;
    const imagesGoal = Math.floor(this.limits.maxImages * 0.95);
    await this.db.transaction(async (tx) => {
      while (totals.bytes > bytesGoal || totals.images > imagesGoal) {
        const oldest = await tx.all<{ id: string; size: number }>('SELECT id, length(data) AS size FROM evidence ORDER BY taken_at, rowid LIMIT 200');
        if (!oldest.length) break;
        const drop: string[] = [];
        for (const o of oldest) {
          if (totals.bytes <= bytesGoal && totals.images <= imagesGoal) break;
          drop.push(o.id);
          totals.bytes -= o.size;
          totals.images -= 1;
        }
        await tx.run('DELETE FROM evidence WHERE id IN (SELECT value FROM json_each(?))', [JSON.stringify(drop)]);
      }
    }).catch((err) => {
      this.totals = null; // recount next time: the totals may not match what is stored
      throw err;
    });
  }
}

/** An id (hex, like the media call's evidence ids) that is the same for the same key: known before the picture is. */
export function evidenceIdForKey(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
