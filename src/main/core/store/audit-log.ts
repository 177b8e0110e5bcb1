// Every action on the record (执法规范化): who did what to which subject, when, hash-chained (audit-chain.ts). Services see the AuditTrail
// interface; SqliteAuditLog keeps it in the console's database. (Alarm changes write their audit entries in
// the same transaction as the change: see alarms/sqlite-alarm-repository.ts.)
import type { Clock } from '../clock.ts';
import type { Database } from './database.ts';
import { appendAudit } from './audit-chain.ts';

export interface AuditEntryRow {
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
}

export interface AuditTrail {
  record(actor: string, action: string, subject: string | null, details?: Record<string, unknown>): Promise<void>;
  /** The newest entries first. */
  entries(limit?: number): Promise<AuditEntryRow[]>;
}

export class SqliteAuditLog implements AuditTrail {
  constructor(private readonly db: Database, private readonly clock: Clock) {}

  async record(actor: string, action: string, subject: string | null, details: Record<string, unknown> = {}): Promise<void> {
    const at = this.clock.now();
    await this.db.transaction((tx) => appendAudit(tx, [{ at, actor, action, subject, details }]));
  }

  entries(limit = 200): Promise<AuditEntryRow[]> {
    return this.db.all('SELECT at, actor, action, subject, details FROM audit_log ORDER BY id DESC LIMIT ?', [limit]);
  }
}
