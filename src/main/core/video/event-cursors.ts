// Where each event feed was read up to (the `source_cursors` table): saved only after what the events raised
// committed, read back at start, so that a console restart resumes where it stopped — no event missed, none
// raised twice.
import type { Clock } from '../clock.ts';
import type { Database } from '../store/database.ts';

export interface EventCursors {
  load(sourceId: string): Promise<string | null>;
  save(sourceId: string, cursor: string): Promise<void>;
}

export class SqliteEventCursors implements EventCursors {
  constructor(private readonly db: Database, private readonly clock: Clock) {}

  async load(sourceId: string): Promise<string | null> {
    return (await this.db.get<{ cursor: string }>('SELECT cursor FROM source_cursors WHERE source_id = ?', [sourceId]))?.cursor ?? null;
  }

  async save(sourceId: string, cursor: string): Promise<void> {
    await this.db.run(
      `INSERT INTO source_cursors (source_id, cursor, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (source_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
      [sourceId, cursor, this.clock.now()],
    );
  }
}
