// The record as a police station relies on it (执法规范化): every action through the real pipeline lands in one
// hash chain that verifies; someone with the database file who drops the triggers and edits an entry, deletes
// one, or edits one and re-hashes it, is found and the entry named; the newest entries deleted, or the tail
// rewritten, are found against the head anchor; the triggers themselves refuse edits; checking a large log is fast.
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm } from '../../src/shared/domain.ts';
import type { AuditRecord, AuditVerdict } from '../../src/shared/response.ts';
import { dispatch } from '../../src/main/core/api.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { appendAudit, auditHash } from '../../src/main/core/store/audit-chain.ts';
import { Database } from '../../src/main/core/store/database.ts';
import { AuditReader } from '../../src/main/core/record/audit-reader.ts';
import { AUDIT_HEAD_EVERY_MS, AUDIT_HEAD_FILE, AuditHeadKeeper, readAuditAnchor, writeAuditAnchor } from '../../src/main/core/record/audit-head.ts';
import { AUDIT_PAGE_SQL, verifyChain, type StoredAuditRow } from '../../src/main/core/record/audit-verify.ts';
import { testCore } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const temp = tempDirs('skyfence-audit');
let pristine: string; // a database file whose chain was written by a real core
let entries: number;

const pagesOf = (db: Database) => (afterId: number, limit: number) => db.all<StoredAuditRow>(AUDIT_PAGE_SQL, [afterId, limit]);

/** A copy of the pristine database, its triggers dropped as an attacker with the file would. */
async function tampered(): Promise<{ db: Database; dir: string }> {
  const dir = temp.make();
  copyFileSync(pristine, join(dir, 'skyfence.db'));
  const db = await Database.open(join(dir, 'skyfence.db'));
  await db.exec('DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_no_update;');
  return { db, dir };
}

const row = async (db: Database, id: number) => (await db.get<StoredAuditRow>('SELECT * FROM audit_log WHERE id = ?', [id]))!;

beforeAll(async () => {
  const t = await testCore();
  try {
    const duty = await signedIn(t.core, 'duty');
    const admin = await signedIn(t.core, 'admin');
    await dispatch(t.core, { user: null, origin: 'test' }, 'session.login', { username: 'duty', password: 'not-the-password' }).catch(() => undefined);
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      const a = (await dispatch(t.core, duty, 'alarms.raiseManual', { position: { lon: 106.65, lat: 29.71 }, severity: 3, note: `n${i}` })) as Alarm;
      await dispatch(t.core, duty, 'alarms.acknowledge', { id: a.id });
      if (i % 2) await dispatch(t.core, duty, 'alarms.close', { id: a.id, category: 'false-alarm', note: '鸟群' });
    }
    await dispatch(t.core, admin, 'users.create', { username: 'zhao', displayName: '赵强', role: 'operator', password: 'a-long-password' });
    await dispatch(t.core, admin, 'users.disable', { username: 'zhao' });
    await dispatch(t.core, { user: null, origin: 'test' }, 'session.login', { username: 'zhao', password: 'a-long-password' }).catch(() => undefined);
    await dispatch(t.core, duty, 'session.logout', {});
    const dir = temp.make();
    pristine = join(dir, 'pristine.db');
    await t.core.close();
    copyFileSync(join(t.dataDir, 'skyfence.db'), pristine);
  } finally {
    await t.dispose();
  }
  const db = await Database.open(pristine);
  entries = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))!.n;
  await db.close();
}, 60_000);
afterAll(() => temp.removeAll());

describe('the record written by the console', () => {
  it('is one intact chain holding sign-ins (failed and refused too), sign-out, password changes, alarm actions and user changes', async () => {
    const db = await Database.open(pristine);
    const verdict = await verifyChain(pagesOf(db));
    expect(verdict).toMatchObject({ ok: true, entries, firstBroken: null });
    expect(verdict.headHash).toMatch(/^[0-9a-f]{64}$/);
    const actions = (await db.all<{ action: string; actor: string }>('SELECT action, actor FROM audit_log')).map((r) => `${r.actor} ${r.action}`);
    for (const a of ['duty session.login', 'duty session.change-password', 'duty session.login-failed', 'duty alarm.acknowledge', 'duty alarm.close',
      'admin users.create', 'zhao session.login-refused', 'duty session.logout']) {
      expect(actions, a).toContain(a);
    }
    expect(entries).toBeGreaterThan(15);
    await db.close();
  });

  it('refuses UPDATE and DELETE of a sealed entry in the database itself', async () => {
    const dir = temp.make();
    copyFileSync(pristine, join(dir, 'skyfence.db'));
    const db = await Database.open(join(dir, 'skyfence.db'));
    await expect(db.run("UPDATE audit_log SET details = '{}' WHERE id = 3")).rejects.toThrow(/append-only/);
    await expect(db.run('DELETE FROM audit_log WHERE id = 3')).rejects.toThrow(/append-only/);
    await expect(db.run('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    expect(await verifyChain(pagesOf(db))).toMatchObject({ ok: true, entries });
    await db.close();
  });
});

describe('tampering, found and named', () => {
  const expectBroken = (v: AuditVerdict, r: StoredAuditRow | null, problem: string, id = r?.id) =>
    expect(v).toMatchObject({ ok: false, firstBroken: { id, problem, at: r?.at ?? null, actor: r?.actor ?? null, action: r?.action ?? null } });

  it('an entry whose details were edited: its hash no longer covers its facts', async () => {
    const { db } = await tampered();
    const target = await row(db, 7);
    await db.run('UPDATE audit_log SET details = ? WHERE id = 7', [target.details.replace('}', ',"edited":true}')]);
    const v = await verifyChain(pagesOf(db));
    expectBroken(v, target, 'hash');
    expect(v.entries).toBe(6);
    await db.close();
  });

  it('the actor of an entry changed (who acknowledged) is an edit too', async () => {
    const { db } = await tampered();
    const [ack] = await db.all<StoredAuditRow>("SELECT * FROM audit_log WHERE action = 'alarm.acknowledge' ORDER BY id LIMIT 1");
    await db.run("UPDATE audit_log SET actor = 'command' WHERE id = ?", [ack.id]);
    expectBroken(await verifyChain(pagesOf(db)), { ...ack, actor: 'command' }, 'hash');
    await db.close();
  });

  it('a deleted entry in the middle: a gap, the entry after it named', async () => {
    const { db } = await tampered();
    await db.run('DELETE FROM audit_log WHERE id = 9');
    const v = await verifyChain(pagesOf(db));
    expectBroken(v, await row(db, 10), 'gap');
    expect(v.explanation).toMatch(/entry 9 is missing/);
    await db.close();
  });

  it('the first entry deleted is a gap too', async () => {
    const { db } = await tampered();
    await db.run('DELETE FROM audit_log WHERE id = 1');
    expectBroken(await verifyChain(pagesOf(db)), await row(db, 2), 'gap');
    await db.close();
  });

  it('an entry edited and its own hash recomputed: the next entry was chained to its old hash, so it is named', async () => {
    const { db } = await tampered();
    const target = await row(db, 12);
    const details = target.details.replace('}', ',"edited":true}').replace('{,', '{');
    const hash = auditHash({ id: 12, at: target.at, actor: target.actor, action: target.action, subject: target.subject, details, prevHash: target.prev_hash! });
    await db.run('UPDATE audit_log SET details = ?, hash = ? WHERE id = 12', [details, hash]);
    const v = await verifyChain(pagesOf(db));
    expectBroken(v, target, 'link');
    expect(v.explanation).toMatch(/entry 13 was chained to a different hash/);
    await db.close();
  });

  it('an entry written outside the chain (no hash) is unsealed', async () => {
    const { db } = await tampered();
    await db.run("INSERT INTO audit_log (id, at, actor, action, subject, details) VALUES (?, 1, 'x', 'alarm.close', NULL, '{}')", [entries + 1]);
    expectBroken(await verifyChain(pagesOf(db)), await row(db, entries + 1), 'unsealed');
    await db.close();
  });

  it('the newest entries deleted: invisible to the chain alone, found against the head anchor', async () => {
    const { db, dir } = await tampered();
    const head = await row(db, entries);
    writeAuditAnchor(dir, { id: head.id, hash: head.hash! }, 0);
    await db.run('DELETE FROM audit_log WHERE id > ?', [entries - 2]);
    expect(await verifyChain(pagesOf(db))).toMatchObject({ ok: true, entries: entries - 2 }); // the limit of a bare chain
    const v = await new AuditReader(db).verify(dir);
    expectBroken(v, null, 'truncated', entries - 1);
    expect(v.explanation).toMatch(new RegExp(`reach entry ${entries}`));
    await db.close();
  });

  it('the tail rewritten and re-chained from an edited entry on: found against the head anchor', async () => {
    const { db, dir } = await tampered();
    const head = await row(db, entries);
    writeAuditAnchor(dir, { id: head.id, hash: head.hash! }, 0);
    const rows = await db.all<StoredAuditRow>('SELECT * FROM audit_log WHERE id >= 5 ORDER BY id');
    let prevHash = (await row(db, 4)).hash!;
    for (const r of rows) {
      const details = r.id === 5 ? '{"rewritten":true}' : r.details;
      const hash = auditHash({ id: r.id, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details, prevHash });
      await db.run('UPDATE audit_log SET details = ?, prev_hash = ?, hash = ? WHERE id = ?', [details, prevHash, hash, r.id]);
      prevHash = hash;
    }
    expect((await verifyChain(pagesOf(db))).ok).toBe(true); // the limit of a bare chain
    expectBroken(await new AuditReader(db).verify(dir), await row(db, entries), 'rewritten');
    await db.close();
  });
});

describe('the head anchor', () => {
  it('follows the head while the console runs, and at start moves a mismatching anchor aside and puts that on the record', async () => {
    const dir = temp.make();
    const db = await Database.open(join(dir, 'skyfence.db'));
    const clock = new ManualClock();
    const lines: string[] = [];
    const keeper = new AuditHeadKeeper({ db, clock, dataDir: dir, log: (l) => lines.push(l) });
    await keeper.start();
    expect(existsSync(join(dir, AUDIT_HEAD_FILE))).toBe(false); // nothing to anchor yet
    await db.transaction((tx) => appendAudit(tx, [{ at: 1, actor: 'duty', action: 'alarm.acknowledge', subject: 'a1' }, { at: 2, actor: 'duty', action: 'alarm.close', subject: 'a1' }]));
    clock.advance(AUDIT_HEAD_EVERY_MS);
    await expect.poll(() => existsSync(join(dir, AUDIT_HEAD_FILE)) && readAuditAnchor(dir)?.id).toBe(2);
    await db.transaction((tx) => appendAudit(tx, [{ at: 3, actor: 'duty', action: 'session.logout', subject: null }]));
    await keeper.stop();
    expect(readAuditAnchor(dir)).toEqual({ id: 3, hash: (await row(db, 3)).hash });
    expect((await new AuditReader(db).verify(dir)).ok).toBe(true);

    // The newest entry deleted while the console was stopped; the next start finds it.
    await db.exec('DROP TRIGGER audit_log_no_delete');
    await db.run('DELETE FROM audit_log WHERE id = 3');
    expect((await new AuditReader(db).verify(dir)).firstBroken?.problem).toBe('truncated');
    const again = new AuditHeadKeeper({ db, clock, dataDir: dir, log: (l) => lines.push(l) });
    await again.start();
    await again.stop();
    expect(lines.join('\n')).toMatch(/does not match the head kept at the last stop \(entry 3 is missing\)/);
    expect(readdirSync(dir).filter((f) => f.startsWith(`${AUDIT_HEAD_FILE}.mismatch-`))).toHaveLength(1);
    const [finding] = await new AuditReader(db).list({ limit: 1 });
    expect(finding).toMatchObject({ actor: 'system', action: 'audit.head-mismatch', details: { keptId: 3, found: 'missing' } });
    await db.close();
  });
});

describe('reading the record', () => {
  it('pages back newest first and narrows by actor, action family and subject', async () => {
    const db = await Database.open(pristine);
    const reader = new AuditReader(db);
    const first = await reader.list({ limit: 5 });
    expect(first.map((r) => r.id)).toEqual([entries, entries - 1, entries - 2, entries - 3, entries - 4]);
    const next = await reader.list({ limit: 5, before: first[4].id });
    expect(next[0].id).toBe(entries - 5);
    const alarmActs = await reader.list({ limit: 100, action: 'alarm' });
    expect(alarmActs.length).toBeGreaterThanOrEqual(10);
    expect(alarmActs.every((r) => r.action.startsWith('alarm.'))).toBe(true);
    expect((await reader.list({ limit: 100, action: 'alarm.close' })).every((r: AuditRecord) => r.action === 'alarm.close')).toBe(true);
    expect((await reader.list({ limit: 100, action: 'alar' }))).toEqual([]); // a family is a whole word
    const byAdmin = await reader.list({ limit: 100, actor: 'ADMIN' });
    expect(byAdmin.length).toBeGreaterThan(0);
    expect(byAdmin.every((r) => r.actor === 'admin')).toBe(true);
    const closed = alarmActs.find((r) => r.action === 'alarm.close')!;
    expect(closed.details).toMatchObject({ category: 'false-alarm', note: '鸟群' });
    const ofAlarm = await reader.list({ limit: 100, subject: closed.subject! });
    expect(ofAlarm.every((r) => r.subject === closed.subject)).toBe(true);
    expect(ofAlarm.map((r) => r.action)).toEqual(expect.arrayContaining(['alarm.acknowledge', 'alarm.close']));
    await db.close();
  });

  it('is for commanders and administrators; checking it for administrators: refused to others by the core', async () => {
    const t = await testCore();
    try {
      const duty = await signedIn(t.core, 'duty');
      const command = await signedIn(t.core, 'command');
      const admin = await signedIn(t.core, 'admin');
      await expect(dispatch(t.core, duty, 'audit.list', {})).rejects.toMatchObject({ code: 'forbidden' });
      await expect(dispatch(t.core, command, 'audit.verify', {})).rejects.toMatchObject({ code: 'forbidden' });
      expect(((await dispatch(t.core, command, 'audit.list', { limit: 3 })) as AuditRecord[]).length).toBe(3);
      const verdict = (await dispatch(t.core, admin, 'audit.verify', {})) as AuditVerdict;
      expect(verdict).toMatchObject({ ok: true, firstBroken: null });
      const [check] = (await dispatch(t.core, admin, 'audit.list', { limit: 1 })) as AuditRecord[];
      expect(check).toMatchObject({ actor: 'admin', action: 'audit.verify', details: { ok: true, entries: verdict.entries } });
    } finally {
      await t.dispose();
    }
  });
});

describe('a large record', () => {
  it('checks 100,000 entries in pages, well within a few seconds', async () => {
    const dir = temp.make();
    const db = await Database.open(join(dir, 'big.db'));
    for (let batch = 0; batch < 10; batch++) {
      await db.transaction((tx) =>
        appendAudit(tx, Array.from({ length: 10_000 }, (_, i) => ({
          at: 1_700_000_000_000 + batch * 10_000 + i, actor: 'duty', action: 'alarm.acknowledge', subject: `alarm-${batch}-${i}`, details: { note: '值班确认', i },
        }))),
      );
    }
    const started = performance.now();
    const v = await verifyChain(pagesOf(db));
    const ms = performance.now() - started;
    expect(v).toMatchObject({ ok: true, entries: 100_000 });
    expect(ms, `verify took ${Math.round(ms)} ms`).toBeLessThan(15_000);
    console.log(`verify: 100,000 entries in ${Math.round(ms)} ms`);
    await db.close();
  }, 120_000);
});

describe('text the database cannot keep as it is', () => {
  it('a sign-in whose username has a lone UTF-16 surrogate is refused naming the field, and the chain stays intact', async () => {
    const t = await testCore();
    try {
      const anon = { user: null, origin: 'terminal:10.0.0.9' };
      const err = (await dispatch(t.core, anon, 'session.login', { username: 'x\ud800y', password: 'whatever' }).catch((e) => e)) as { code: string; fields: unknown };
      expect(err.code).toBe('bad-request');
      expect(err.fields).toEqual([expect.objectContaining({ path: 'username' })]);
      expect((await verifyChain(pagesOf(t.core.db))).ok).toBe(true);
    } finally {
      await t.dispose();
    }
  }, 30_000);

  it('an entry with lone surrogates written through the core is stored as it was hashed: the chain verifies', async () => {
    const t = await testCore();
    try {
      await t.core.audit.record('x\ud800y', 'session.login-failed\udc00', 'sub\ud83d', { username: 'x\ud800y' });
      const verdict = await verifyChain(pagesOf(t.core.db));
      expect(verdict).toMatchObject({ ok: true });
      const last = await t.core.db.get<{ actor: string; subject: string }>('SELECT actor, subject FROM audit_log ORDER BY id DESC LIMIT 1');
      expect(last).toEqual({ actor: 'x\uFFFDy', subject: 'sub\uFFFD' });
    } finally {
      await t.dispose();
    }
  }, 30_000);
});
