// Where the video wall's named layouts are kept (table wall_layouts): the interface the service needs and its
// SQLite implementation.
import type { Person } from '../../../shared/domain.ts';
import type { WallLayout, WallSize } from '../../../shared/video.ts';
import type { Database } from '../store/database.ts';

export interface WallLayoutRepository {
  list(): Promise<WallLayout[]>;
  /** Inserts or replaces the layout of that name. */
  upsert(layout: WallLayout): Promise<void>;
  delete(name: string): Promise<boolean>;
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

  async upsert(l: WallLayout): Promise<void> {
    await this.db.run(
      `INSERT INTO wall_layouts (name, size, tiles, saved_by, saved_by_name, saved_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET size = excluded.size, tiles = excluded.tiles, saved_by = excluded.saved_by,
         saved_by_name = excluded.saved_by_name, saved_at = excluded.saved_at`,
      [l.name, l.size, JSON.stringify(l.tiles), l.savedBy.username, l.savedBy.displayName, l.savedAt],
    );
  }

  async delete(name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM wall_layouts WHERE name = ?', [name])).changes > 0;
  }
}
