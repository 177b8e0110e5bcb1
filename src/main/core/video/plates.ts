// Checkpoint plate reads (过车记录) and the watch list (布控名单). Plates are kept normalised — upper case,
// without spaces, dashes or the '·' some systems print after the province letter — so that 渝B·D1234, 渝bd1234 and
// "渝B D1234" are one plate for the search and for the watch list. A read is stored once by its id
// (`<sourceId>/<eventId>`): a replayed event never doubles it. The watch list is cached in memory (every
// read is checked against it) and changed only through here.
import { isListablePlate, normalisePlate, PLATE_TOO_SHORT } from '../../../shared/contract/video.ts';
import type { Person } from '../../../shared/domain.ts';
import type { PlateRead, WatchEntry } from '../../../shared/video.ts';
import { ApiError } from '../calls.ts';
import type { Database } from '../store/database.ts';

// The normaliser is shared with the contract, whose plate schema refuses what normalises to almost nothing.
export { normalisePlate };

export interface PlateQuery {
  plate?: string;
  checkpointId?: string;
  from?: number;
  to?: number;
  limit?: number;
}

export const DEFAULT_PLATE_SEARCH_LIMIT = 200;

interface ReadRow {
  id: string; source_id: string; camera_id: string; checkpoint_id: string; plate: string;
  direction: 'in' | 'out'; lane: number; at: number; watch_hit: number;
}

interface WatchRow { plate: string; reason: string; added_by: string; added_by_name: string; added_at: number }

export class PlateStore {
  private watch: Map<string, WatchEntry> | null = null;

  constructor(private readonly db: Database) {}

  /** Loads the watch list (the core does it at start, so that the first read is checked against it). */
  async load(): Promise<void> {
    const rows = await this.db.all<WatchRow>('SELECT * FROM watchlist ORDER BY plate');
    this.watch = new Map(rows.map((r) => [r.plate, watchEntry(r)]));
  }

  /** The watch list entry of a plate (normalised or not), if listed. */
  watched(plate: string): WatchEntry | undefined {
    return this.requireWatch().get(normalisePlate(plate));
  }

  watchList(): WatchEntry[] {
    return [...this.requireWatch().values()].sort((a, b) => a.plate.localeCompare(b.plate));
  }

  /** Adds a plate, or gives a listed one its new reason. */
  async addWatch(plate: string, reason: string, by: Person, at: number): Promise<WatchEntry> {
    // The contract checks this too; here for callers inside the core ('··' would list the empty plate).
    if (!isListablePlate(plate)) throw new ApiError('bad-request', `watchlist.add: plate: ${PLATE_TOO_SHORT}`, { fields: [{ path: 'plate', problem: PLATE_TOO_SHORT }] });
    const key = normalisePlate(plate);
    await this.db.run(
      `INSERT INTO watchlist (plate, reason, added_by, added_by_name, added_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (plate) DO UPDATE SET reason = excluded.reason, added_by = excluded.added_by, added_by_name = excluded.added_by_name, added_at = excluded.added_at`,
      [key, reason, by.username, by.displayName, at],
    );
    const entry: WatchEntry = { plate: key, reason, addedBy: by, addedAt: at };
    this.requireWatch().set(key, entry);
    return entry;
  }

  async removeWatch(plate: string): Promise<boolean> {
    const key = normalisePlate(plate);
    const { changes } = await this.db.run('DELETE FROM watchlist WHERE plate = ?', [key]);
    this.requireWatch().delete(key);
    return changes > 0;
  }

  /** Which of these read ids are stored already. */
  async existing(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.db.all<{ id: string }>('SELECT id FROM plate_reads WHERE id IN (SELECT value FROM json_each(?))', [JSON.stringify(ids)]);
    return new Set(rows.map((r) => r.id));
  }

  /** Stores reads in one transaction; resolves the ones that were new (a replayed id is skipped). */
  async record(reads: Array<PlateRead & { snapshotId: string | null }>): Promise<PlateRead[]> {
    if (!reads.length) return [];
    return this.db.transaction(async (tx) => {
      const fresh: PlateRead[] = [];
      for (const r of reads) {
        const { changes } = await tx.run(
          `INSERT OR IGNORE INTO plate_reads (id, source_id, camera_id, checkpoint_id, plate, direction, lane, at, watch_hit, snapshot_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [r.id, r.sourceId, r.cameraId, r.checkpointId, r.plate, r.direction, r.lane, r.at, r.watchHit ? 1 : 0, r.snapshotId],
        );
        if (changes) fresh.push({ id: r.id, sourceId: r.sourceId, cameraId: r.cameraId, checkpointId: r.checkpointId, plate: r.plate, direction: r.direction, lane: r.lane, at: r.at, watchHit: r.watchHit });
      }
      return fresh;
    });
  }

  /** Reads newest first: by part of a plate, a checkpoint and a time range; `more` when the limit cut it short. */
  async search(q: PlateQuery): Promise<{ reads: PlateRead[]; more: boolean }> {
    const limit = q.limit ?? DEFAULT_PLATE_SEARCH_LIMIT;
    const where: string[] = [];
    const params: unknown[] = [];
    const part = q.plate ? normalisePlate(q.plate) : '';
    if (part) {
      where.push("plate LIKE ? ESCAPE '\\'");
      params.push(`%${part.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (q.checkpointId) {
      where.push('checkpoint_id = ?');
      params.push(q.checkpointId);
    }
    if (q.from !== undefined) {
      where.push('at >= ?');
      params.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('at <= ?');
      params.push(q.to);
    }
    const rows = await this.db.all<ReadRow>(
      `SELECT * FROM plate_reads ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`,
      [...params, limit + 1],
    );
    return { reads: rows.slice(0, limit).map(plateRead), more: rows.length > limit };
  }

  private requireWatch(): Map<string, WatchEntry> {
    if (!this.watch) throw new Error('the watch list is not loaded yet');
    return this.watch;
  }
}

const watchEntry = (r: WatchRow): WatchEntry => ({ plate: r.plate, reason: r.reason, addedBy: { username: r.added_by, displayName: r.added_by_name }, addedAt: r.added_at });

const plateRead = (r: ReadRow): PlateRead => ({
  id: r.id, sourceId: r.source_id, cameraId: r.camera_id, checkpointId: r.checkpoint_id, plate: r.plate,
  direction: r.direction, lane: r.lane, at: r.at, watchHit: r.watch_hit === 1,
});
