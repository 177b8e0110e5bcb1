// ATTACK: an anonymous sign-in attempt whose username carries a lone UTF-16 surrogate is recorded with that
// username as the actor; SQLite stores it as bytes that do not read back as the same string, so the entry's
// hash no longer covers its facts and `audit verify` reports the record as tampered with ("edited").
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/core/api.ts';
import { AUDIT_PAGE_SQL, verifyChain, type StoredAuditRow } from '../../src/main/core/record/audit-verify.ts';
import { testCore } from '../fixtures/core.ts';

describe('attack: lone surrogate in a sign-in username', () => {
  it('breaks the audit chain with one unauthenticated frame', async () => {
    const t = await testCore();
    try {
      const db = (t.core as any).db ?? (t.core as any).store?.db;
      const anon = { user: null, origin: 'terminal:10.0.0.9' };
      await dispatch(t.core, anon, 'session.login', { username: 'x\ud800y', password: 'whatever' }).catch((e) => e);
      const verdict = await verifyChain((after, limit) => db.all(AUDIT_PAGE_SQL, [after, limit]) as Promise<StoredAuditRow[]>);
      console.log(JSON.stringify(verdict));
      expect(verdict.ok).toBe(true); // fails today: { ok:false, problem:'hash' }
    } finally {
      await t.dispose();
    }
  }, 30_000);
});
