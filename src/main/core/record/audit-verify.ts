// Checks the hash-chained record (see store/audit-chain.ts): walks the log in id order, a page at a time, and
// names the first entry that does not fit. Works on any row source, so that the console (its read connection)
// and `skyfence audit verify` (a read-only connection of its own) check the same way.
//
// What a chain alone can and cannot see: an edited entry (its hash no longer covers its facts), a deleted
// entry (a gap in the ids), an entry edited and re-hashed (the next entry was chained to the old hash). It
// cannot see the newest entries deleted, nor the whole tail from some entry on rewritten and re-chained: for
// those the verdict is checked against the head anchor (record/audit-head.ts), the newest (id, hash) the
// console has seen, kept outside the database.
import type { AuditVerdict } from '../../../shared/response.ts';
import { auditHash, GENESIS_HASH } from '../store/audit-chain.ts';

/** An audit_log row as stored. */
export interface StoredAuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string | null;
  hash: string | null;
}

/** Reads rows with id > afterId, in id order, at most `limit`. */
export type AuditRowPage = (afterId: number, limit: number) => Promise<StoredAuditRow[]>;

/** The newest entry seen while the console ran (kept in <dataDir>/audit-head.json). */
export interface AuditAnchor {
  id: number;
  hash: string;
}

export type BrokenEntry = NonNullable<AuditVerdict['firstBroken']>;

export interface ChainVerdict extends AuditVerdict {
  /** What is wrong, in English, for the command line and the logs. */
  explanation: string | null;
  /** Whether the head anchor was there to check the newest entries against. */
  anchored: boolean;
}

export const AUDIT_PAGE_ROWS = 5000;

export const AUDIT_ROW_COLUMNS = 'id, at, actor, action, subject, details, prev_hash, hash';

/** The page query for a connection: `SELECT … WHERE id > ? ORDER BY id LIMIT ?`. */
export const AUDIT_PAGE_SQL = `SELECT ${AUDIT_ROW_COLUMNS} FROM audit_log WHERE id > ? ORDER BY id LIMIT ?`;

const named = (r: StoredAuditRow, problem: BrokenEntry['problem']): BrokenEntry => ({ id: r.id, problem, at: r.at, actor: r.actor, action: r.action });

/** Walks the whole chain; stops at the first entry that does not fit. */
export async function verifyChain(page: AuditRowPage, opts: { anchor?: AuditAnchor | null; pageRows?: number } = {}): Promise<ChainVerdict> {
  const pageRows = opts.pageRows ?? AUDIT_PAGE_ROWS;
  const anchor = opts.anchor ?? null;
  let prev: StoredAuditRow | null = null;
  let entries = 0;
  let anchorSeen = false;
  const broken = (firstBroken: BrokenEntry, explanation: string): ChainVerdict => ({
    ok: false, entries, firstBroken, headHash: prev?.hash ?? null, explanation, anchored: anchor !== null,
  });

  // The next page is read (on SQLite's thread) while this one is hashed.
  for (let next: Promise<StoredAuditRow[]> | null = page(0, pageRows); next; ) {
    const rows: StoredAuditRow[] = await next;
    next = rows.length < pageRows ? null : page(rows[rows.length - 1].id, pageRows);
    void next?.catch(() => undefined); // not left unhandled when the walk stops early; awaited, it still throws
    for (const r of rows) {
      const expectedId = (prev?.id ?? 0) + 1;
      if (r.id !== expectedId) {
        const missing = r.id - expectedId === 1 ? `entry ${expectedId} is` : `entries ${expectedId}–${r.id - 1} are`;
        return broken(named(r, 'gap'), `${missing} missing before it (deleted)`);
      }
      if (r.hash === null || r.prev_hash === null) return broken(named(r, 'unsealed'), 'it carries no hash: it was written outside the chain');
      const recomputed = auditHash({ id: r.id, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: r.details, prevHash: r.prev_hash });
      if (recomputed !== r.hash) return broken(named(r, 'hash'), 'its hash does not cover its facts: the entry was edited');
      const expectedPrev = prev?.hash ?? GENESIS_HASH;
      if (r.prev_hash !== expectedPrev) {
        // This entry is whole, so it was chained to a hash the previous entry no longer has: that one was
        // edited and re-hashed (or this one was rewritten onto it). Named: the earlier of the two.
        if (!prev) return broken(named(r, 'link'), 'it does not start from the beginning of the chain: it was rewritten');
        return broken(named(prev, 'link'), `entry ${r.id} was chained to a different hash for it: the entry was edited and re-hashed (or entry ${r.id} rewritten)`);
      }
      if (anchor && r.id === anchor.id) {
        anchorSeen = true;
        if (r.hash !== anchor.hash) {
          return broken(named(r, 'rewritten'), `its hash differs from the one the console kept for it (${anchor.hash.slice(0, 12)}…): the chain up to here was rewritten`);
        }
      }
      prev = r;
      entries++;
    }
  }
  if (anchor && !anchorSeen && anchor.id > 0) {
    const first = entries + 1;
    return broken(
      { id: first, problem: 'truncated', at: null, actor: null, action: null },
      `the record ends at entry ${entries}, but the console had seen it reach entry ${anchor.id}: the newest entries were deleted`,
    );
  }
  return { ok: true, entries, firstBroken: null, headHash: prev?.hash ?? null, explanation: null, anchored: anchor !== null };
}
