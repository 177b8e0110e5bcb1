// The record as a hash chain (执法规范化: every action on the record, and the record tamper-evident). Each entry's
// hash is SHA-256 over its id, facts and the previous entry's hash, so that editing or deleting any entry breaks
// every hash after it (`skyfence audit verify` finds the first). Every write to audit_log goes through
// appendAudit, inside the transaction of the change it records: the database's one writer queue keeps the
// chain in order.
import { createHash } from 'node:crypto';
import type { AuditEntry } from '../alarms/alarm-repository.ts';
import type { Database, Tx } from './database.ts';
import { toWellFormed } from './well-formed.ts';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFacts {
  id: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  /** The details exactly as stored (JSON text). */
  details: string;
  prevHash: string;
}

/** SHA-256 (hex) of an entry's facts and the previous hash, in a fixed order. */
export function auditHash(e: ChainedFacts): string {
  return createHash('sha256').update(JSON.stringify([e.id, e.at, e.actor, e.action, e.subject, e.details, e.prevHash])).digest('hex');
}

/** Appends entries to the chain, in the caller's transaction. */
export async function appendAudit(tx: Tx, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const [head] = await tx.all<{ id: number; hash: string | null }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1');
  if (head && head.hash === null) throw new Error('the audit log has unsealed entries: sealLegacyAudit first');
  let id = head?.id ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const rows = entries.map((e) => {
    id++;
    // Hashed as stored: a lone surrogate would be stored as U+FFFD and the entry would read as edited for ever.
    const facts: ChainedFacts = {
      id, at: e.at, actor: toWellFormed(e.actor), action: toWellFormed(e.action), subject: e.subject == null ? null : toWellFormed(e.subject),
      details: JSON.stringify(e.details ?? {}), prevHash,
    };
    const hash = auditHash(facts);
    prevHash = hash;
    return { ...facts, hash };
  });
  await tx.run(
    `INSERT INTO audit_log (id, at, actor, action, subject, details, prev_hash, hash)
     SELECT value->>'id', value->>'at', value->>'actor', value->>'action', value->>'subject', value->>'details', value->>'prevHash', value->>'hash'
     FROM json_each(?)`,
    [JSON.stringify(rows)],
  );
}

/**
 * Entries written before the chain existed (schema 7 and older) are sealed once, in id order, at start-up: from
 * then on they are covered like any other. Returns how many were sealed.
 */
export function sealLegacyAudit(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.all<{ id: number; at: number; actor: string; action: string; subject: string | null; details: string; hash: string | null }>(
      'SELECT id, at, actor, action, subject, details, hash FROM audit_log ORDER BY id',
    );
    let prevHash = GENESIS_HASH;
    let sealed = 0;
    for (const r of rows) {
      if (r.hash !== null) {
        prevHash = r.hash;
        continue;
      }
      const hash = auditHash({ id: r.id, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: r.details, prevHash });
      await tx.run('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ? AND hash IS NULL', [prevHash, hash, r.id]);
      prevHash = hash;
      sealed++;
    }
    return sealed;
  });
}
