// Reads the record for the audit viewer: newest first, paged back by id, narrowed by subject, actor or action,
// and checks the whole chain against the head anchor (audit-verify.ts, audit-head.ts).
import type { AuditRecord } from '../../../shared/response.ts';
import type { Database } from '../store/database.ts';
import { readAuditAnchor } from './audit-head.ts';
import { AUDIT_PAGE_SQL, verifyChain, type ChainVerdict, type StoredAuditRow } from './audit-verify.ts';

export interface AuditFilter {
  limit: number;
  /** Entries with a smaller id only (the next page back). */
  before?: number;
  subject?: string;
  actor?: string;
  /** One action ('alarm.acknowledge') or a family ('alarm': every 'alarm.…'). */
  action?: string;
}

const toRecord = (r: StoredAuditRow): AuditRecord => {
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(r.details) as Record<string, unknown>;
  } catch {
    details = { raw: r.details }; // an entry written by hand: shown as it is, and the verdict will say so
  }
  return { id: r.id, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details, hash: r.hash ?? '' };
};

export class AuditReader {
  constructor(private readonly db: Database) {}

  async list(f: AuditFilter): Promise<AuditRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.before !== undefined) (where.push('id < ?'), params.push(f.before));
    if (f.subject !== undefined) (where.push('subject = ?'), params.push(f.subject));
    if (f.actor !== undefined) (where.push('actor = ? COLLATE NOCASE'), params.push(f.actor));
    if (f.action !== undefined) {
      where.push("(action = ? OR substr(action, 1, length(?) + 1) = ? || '.')");
      params.push(f.action, f.action, f.action);
    }
    const rows = await this.db.all<StoredAuditRow>(
      `SELECT id, at, actor, action, subject, details, prev_hash, hash FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT ?`,
      [...params, f.limit],
    );
    return rows.map(toRecord);
  }

  /** The whole chain, checked against the head kept in the data directory. */
  verify(dataDir: string): Promise<ChainVerdict> {
    return verifyChain((afterId, limit) => this.db.all<StoredAuditRow>(AUDIT_PAGE_SQL, [afterId, limit]), { anchor: readAuditAnchor(dataDir) });
  }
}
