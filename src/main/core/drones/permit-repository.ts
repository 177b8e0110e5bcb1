// Flight permits in SQLite (table `permits`, migration v7): each change stored with its audit entry in one
// transaction, so that the record never shows a permit nobody issued, nor an issue that was not stored. A
// revoke is conditional on the permit not being revoked yet: of two revoking at once, one changes the row.
import type { Permit } from '../../../shared/drones.ts';
import type { Database, Tx } from '../store/database.ts';
import { appendAudit } from '../store/audit-chain.ts';

export interface PermitAuditEntry {
  at: number;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

/** What a refused insert says: too many permits are active already. */
export interface TooManyActive {
  tooManyActive: number;
}

export type RevokeResult = { ok: Permit } | { missing: true } | { revoked: Permit };

interface PermitRow {
  id: string;
  operator: string;
  operator_id: string | null;
  serials: string;
  area: string;
  ceiling_m: number;
  valid_from: number;
  valid_to: number;
  purpose: string;
  created_by: string;
  created_by_name: string;
  created_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
  revoked_by_name: string | null;
  revoke_reason: string | null;
}

export class PermitRepository {
  constructor(private readonly db: Database) {}

  async all(): Promise<Permit[]> {
    return (await this.db.all<PermitRow>('SELECT * FROM permits ORDER BY created_at, id')).map(fromRow);
  }

  /**
   * Stores a new permit with its audit entry, unless `limit.max` permits are active (not revoked, not over) at
   * `limit.now` already: counted in the same transaction, so that seats issuing at once cannot pass the cap.
   */
  insert(permit: Permit, audit: PermitAuditEntry, limit: { max: number; now: number }): Promise<void | TooManyActive> {
    return this.db.transaction(async (tx) => {
      const [{ n }] = await tx.all<{ n: number }>('SELECT count(*) AS n FROM permits WHERE revoked_at IS NULL AND valid_to > ?', [limit.now]);
      if (n >= limit.max) return { tooManyActive: n };
      await tx.run(
        `INSERT INTO permits (id, operator, operator_id, serials, area, ceiling_m, valid_from, valid_to, purpose,
           created_by, created_by_name, created_at, revoked_at, revoked_by, revoked_by_name, revoke_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL)`,
        [
          permit.id, permit.operator, permit.operatorId, JSON.stringify(permit.serials), JSON.stringify(permit.area), permit.ceilingM,
          permit.validFrom, permit.validTo, permit.purpose, permit.createdBy.username, permit.createdBy.displayName, permit.createdAt,
        ],
      );
      await insertAudit(tx, audit);
    });
  }

  revoke(id: string, change: { at: number; by: { username: string; displayName: string }; reason: string }, audit: PermitAuditEntry): Promise<RevokeResult> {
    return this.db.transaction(async (tx) => {
      const result = await tx.run(
        'UPDATE permits SET revoked_at = ?, revoked_by = ?, revoked_by_name = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL',
        [change.at, change.by.username, change.by.displayName, change.reason, id],
      );
      const [row] = await tx.all<PermitRow>('SELECT * FROM permits WHERE id = ?', [id]);
      if (!row) return { missing: true as const };
      if (result.changes === 0) return { revoked: fromRow(row) };
      await insertAudit(tx, audit);
      return { ok: fromRow(row) };
    });
  }
}

const insertAudit = (tx: Tx, e: PermitAuditEntry) => appendAudit(tx, [e]);

function fromRow(r: PermitRow): Permit {
  return {
    id: r.id,
    operator: r.operator,
    serials: JSON.parse(r.serials) as string[],
    operatorId: r.operator_id,
    area: JSON.parse(r.area) as Array<[number, number]>,
    ceilingM: r.ceiling_m,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    purpose: r.purpose,
    createdBy: { username: r.created_by, displayName: r.created_by_name },
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by ? { username: r.revoked_by, displayName: r.revoked_by_name ?? r.revoked_by } : null,
    revokeReason: r.revoke_reason,
  };
}
