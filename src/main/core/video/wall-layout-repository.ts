// Where the video wall's named layouts are kept (table wall_layouts): the interface the service needs and its
// SQLite implementation. Who may replace or delete a layout, and the cap, are checked in the write's transaction.
import type { Person } from '../../../shared/domain.ts';
import type { WallLayout, WallSize } from '../../../shared/video.ts';
import type { Database } from '../store/database.ts';

/** Why a save or a deletion did not happen: the layout is someone else's (`owner`), or the cap is reached. */
export type LayoutRefusal = { refused: 'not-yours'; owner: Person } | { refused: 'too-many' };

export interface WallLayoutRepository {
  list(): Promise<WallLayout[]>;
  /**
   * Inserts the layout, or replaces the one of that name when `mayReplace` allows it for its saver; a new name
   * is refused once `max` layouts exist. The check and the write are one transaction.
   */
  save(layout: WallLayout, mayReplace: (savedBy: Person) => boolean, max: number): Promise<LayoutRefusal | null>;
  /** Deletes the layout of that name if `mayDelete` allows it for its saver; `deleted` false when there was none. */
  delete(name: string, mayDelete: (savedBy: Person) => boolean): Promise<LayoutRefusal | { deleted: boolean }>;
}

interface Row {
  name: string;
  size: number;
  tiles: string;
  saved_by: string;
  saved_by_name: string;
  saved_at: number;
}

export class SqliteWallLayoutRepository implements WallLayoutRepository {
  constructor(private readonly db: Database) {}

  async list(): Promise<WallLayout[]> {
    const rows = await this.db.all<Row>('SELECT name, size, tiles, saved_by, saved_by_name, saved_at FROM wall_layouts ORDER BY name');
    return rows.map((r) => ({
      name: r.name,
      size: r.size as WallSize,
      tiles: JSON.parse(r.tiles) as Array<string | null>,
      savedBy: { username: r.saved_by, displayName: r.saved_by_name } satisfies Person,
      savedAt: r.saved_at,
    }));
  }

  save(l: WallLayout, mayReplace: (savedBy: Person) => boolean, max: number): Promise<LayoutRefusal | null> {
    return this.db.transaction(async (tx) => {
      const [existing] = await tx.all<Pick<Row, 'saved_by' | 'saved_by_name'>>('SELECT saved_by, saved_by_name FROM wall_layouts WHERE name = ?', [l.name]);
      if (existing) {
        const owner = { username: existing.saved_by, displayName: existing.saved_by_name };
        if (!mayReplace(owner)) return { refused: 'not-yours', owner };
      } else {
        const [{ n }] = await tx.all<{ n: number }>('SELECT COUNT(*) AS n FROM wall_layouts');
        if (n >= max) return { refused: 'too-many' };
      }
      await tx.run(
        `INSERT INTO wall_layouts (name, size, tiles, saved_by, saved_by_name, saved_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET size = excluded.size, tiles = excluded.tiles, saved_by = excluded.saved_by,
           saved_by_name = excluded.saved_by_name, saved_at = excluded.saved_at`,
        [l.name, l.size, JSON.stringify(l.tiles), l.savedBy.username, l.savedBy.displayName, l.savedAt],
      );
      return null;
    });
  }

  delete(name: string, mayDelete: (savedBy: Person) => boolean): Promise<LayoutRefusal | { deleted: boolean }> {
    return this.db.transaction(async (tx) => {
      const [existing] = await tx.all<Pick<Row, 'saved_by' | 'saved_by_name'>>('SELECT saved_by, saved_by_name FROM wall_layouts WHERE name = ?', [name]);
      if (!existing) return { deleted: false };
      const owner = { username: existing.saved_by, displayName: existing.saved_by_name };
      if (!mayDelete(owner)) return { refused: 'not-yours', owner };
      return { deleted: (await tx.run('DELETE FROM wall_layouts WHERE name = ?', [name])).changes > 0 };
    });
  }
}
