// Every action on the record (执法规范化): who did what to which subject, when.
import type { Clock } from '../clock.ts';
import type { Database } from './database.ts';

export class AuditLog {
  constructor(private readonly db: Database, private readonly clock: Clock) {}

  async record(actor: string, action: string, subject: string | null, details: Record<string, unknown> = {}): Promise<void> {
    await this.db.run('INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)', [
      this.clock.now(), actor, action, subject, JSON.stringify(details),
    ]);
  }

  entries(limit = 200): Promise<Array<{ at: number; actor: string; action: string; subject: string | null; details: string }>> {
    return this.db.all('SELECT at, actor, action, subject, details FROM audit_log ORDER BY id DESC LIMIT ?', [limit]);
  }
}
