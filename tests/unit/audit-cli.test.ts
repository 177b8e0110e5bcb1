// `skyfence audit verify` as an auditor runs it, as a child process: exit 0 with the entry count and head hash
// on an intact record (also while the console holds the database open), exit 1 naming the first broken entry
// (id, time, actor, action, what is wrong), exit 2 when there is no readable database. It never writes.
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm } from '../../src/shared/domain.ts';
import { dispatch } from '../../src/main/core/api.ts';
import { Database } from '../../src/main/core/store/database.ts';
import { writeAuditAnchor } from '../../src/main/core/record/audit-head.ts';
import type { StoredAuditRow } from '../../src/main/core/record/audit-verify.ts';
import { testCore } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const temp = tempDirs('skyfence-audit-cli');
let pristine: string;

function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** A data directory holding a copy of the pristine database. */
function dataDirWithCopy(): string {
  const dir = temp.make();
  copyFileSync(pristine, join(dir, 'skyfence.db'));
  return dir;
}

beforeAll(async () => {
  const t = await testCore();
  try {
    const duty = await signedIn(t.core, 'duty');
    for (let i = 0; i < 3; i++) {
      const a = (await dispatch(t.core, duty, 'alarms.raiseManual', { position: { lon: 106.65, lat: 29.71 }, severity: 2, note: `n${i}` })) as Alarm;
      await dispatch(t.core, duty, 'alarms.acknowledge', { id: a.id });
    }
    await t.core.close();
    pristine = join(temp.make(), 'pristine.db');
    copyFileSync(join(t.dataDir, 'skyfence.db'), pristine);
  } finally {
    await t.dispose();
  }
}, 60_000);
afterAll(() => temp.removeAll());

describe('skyfence audit verify', () => {
  it('exits 0 on an intact record, with the entry count and the head hash, and writes nothing', async () => {
    const dir = dataDirWithCopy();
    const file = join(dir, 'skyfence.db');
    const before = readFileSync(file);
    const mtime = statSync(file).mtimeMs;
    const db = await Database.open(pristine);
    const head = (await db.get<StoredAuditRow>('SELECT * FROM audit_log ORDER BY id DESC LIMIT 1'))!;
    await db.close();
    const r = await cli('audit', 'verify', '--data-dir', dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`the record is intact: ${head.id} entries, head #${head.id} ${head.hash!.slice(0, 16)}…`);
    expect(r.out).toMatch(/note: no head anchor/);
    expect(statSync(file).mtimeMs).toBe(mtime);
    expect(readFileSync(file).equals(before)).toBe(true);

    writeAuditAnchor(dir, { id: head.id, hash: head.hash! }, 0);
    const anchored = await cli('audit', 'verify', `--data-dir=${dir}`);
    expect(anchored.code).toBe(0);
    expect(anchored.out).toContain('matching the kept head');
    expect(anchored.out).not.toMatch(/note:/);
  }, 60_000);

  it('works while the console runs with the database open', async () => {
    const t = await testCore();
    try {
      await signedIn(t.core, 'duty');
      const r = await cli('audit', 'verify', '--data-dir', t.dataDir);
      expect([r.code, r.err]).toEqual([0, '']);
      expect(r.out).toMatch(/the record is intact: \d+ entries/);
    } finally {
      await t.dispose();
    }
  }, 60_000);

  it('exits 1 naming the first broken entry: its id, time, actor, action and what is wrong', async () => {
    const dir = dataDirWithCopy();
    const db = await Database.open(join(dir, 'skyfence.db'));
    await db.exec('DROP TRIGGER audit_log_no_update');
    const [ack] = await db.all<StoredAuditRow>("SELECT * FROM audit_log WHERE action = 'alarm.acknowledge' ORDER BY id LIMIT 1");
    await db.run("UPDATE audit_log SET actor = 'command' WHERE id = ?", [ack.id]);
    await db.close();
    const r = await cli('audit', 'verify', '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`the record is BROKEN at entry ${ack.id} (${new Date(ack.at).toISOString()}, command, alarm.acknowledge): hash: its hash does not cover its facts`);
    expect(r.out).toContain(`${ack.id - 1} entries before it are intact`);
  }, 60_000);

  it('exits 1 on a deleted entry, naming the one after the gap', async () => {
    const dir = dataDirWithCopy();
    const db = await Database.open(join(dir, 'skyfence.db'));
    await db.exec('DROP TRIGGER audit_log_no_delete');
    await db.run('DELETE FROM audit_log WHERE id = 4');
    await db.close();
    const r = await cli('audit', 'verify', '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/BROKEN at entry 5 \(.*\): gap: entry 4 is missing before it/);
  }, 60_000);

  it('exits 2 with a clear message when there is no database, or the file is not one, or on bad usage', async () => {
    const empty = temp.make();
    const none = await cli('audit', 'verify', '--data-dir', empty);
    expect(none.code).toBe(2);
    expect(none.err).toContain(`no database at ${join(empty, 'skyfence.db')}`);

    const junk = temp.make();
    writeFileSync(join(junk, 'skyfence.db'), 'this is not a database, just some text that is long enough to look like a file header '.repeat(50));
    const notDb = await cli('audit', 'verify', '--data-dir', junk);
    expect(notDb.code).toBe(2);
    expect(notDb.err).toMatch(/cannot (open|read) .*skyfence\.db/);

    const usage = await cli('audit', 'check');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('skyfence audit verify [--data-dir D]');
    const badOption = await cli('audit', 'verify', '--dir', empty);
    expect([badOption.code, badOption.err.split('\n')[0]]).toEqual([2, 'unknown option --dir']);
  }, 60_000);
});
