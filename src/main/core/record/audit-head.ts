// The head anchor of the record: the newest (id, hash) of the audit chain, kept in <dataDir>/audit-head.json,
// outside the database. A chain alone cannot show that its newest entries were deleted, or that everything
// from some entry on was rewritten and re-chained; checked against the anchor, both show (audit-verify.ts).
// Someone who can edit the database file can edit this file too: the anchor raises the bar (two files, two
// formats, written while the console runs), it does not make the record proof against the machine's owner.
// `skyfence audit verify` prints the head hash so that a shift can also write it down off the machine.
//
// Written every few seconds when the head has moved (one indexed read), atomically, and when the console
// stops. At start, an anchor the database does not match (entries deleted or rewritten while the console was
// stopped, or a database recovered with --recover-db) is moved aside, kept, and the finding put on the record.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { every, type Clock, type Timer } from '../clock.ts';
import type { Database } from '../store/database.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { AuditAnchor } from './audit-verify.ts';

export const AUDIT_HEAD_FILE = 'audit-head.json';
export const AUDIT_HEAD_EVERY_MS = 5000;

const anchorFile = z.object({ id: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/), writtenAt: z.number() }).strict();

/** The anchor in the data directory; null when there is none; throws naming the file when it is not an anchor. */
export function readAuditAnchor(dataDir: string): AuditAnchor | null {
  const file = join(dataDir, AUDIT_HEAD_FILE);
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = anchorFile.safeParse(json);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '$'}: ${i.message}`).join('; ')}`);
  return { id: parsed.data.id, hash: parsed.data.hash };
}

export function writeAuditAnchor(dataDir: string, anchor: AuditAnchor, at: number): void {
  const file = join(dataDir, AUDIT_HEAD_FILE);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...anchor, writtenAt: at })}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

export interface AuditHeadDeps {
  db: Database;
  clock: Clock;
  dataDir: string;
  log: (line: string) => void;
}

export class AuditHeadKeeper {
  private timer: Timer | null = null;
  private written: AuditAnchor | null = null;

  constructor(private readonly deps: AuditHeadDeps) {}

  /** Checks the kept anchor against the database, then keeps it up to date. */
  async start(): Promise<void> {
    const { db, dataDir, clock, log } = this.deps;
    let kept: AuditAnchor | null = null;
    let unreadable: string | null = null;
    try {
      kept = readAuditAnchor(dataDir);
    } catch (err) {
      unreadable = (err as Error).message;
    }
    if (kept || unreadable) {
      const row = kept ? await db.get<{ hash: string | null }>('SELECT hash FROM audit_log WHERE id = ?', [kept.id]) : undefined;
      if (unreadable || !row || row.hash !== kept!.hash) {
        const aside = join(dataDir, `${AUDIT_HEAD_FILE}.mismatch-${new Date(clock.now()).toISOString().replace(/[:.]/g, '-')}`);
        renameSync(join(dataDir, AUDIT_HEAD_FILE), aside);
        const found = unreadable ? `the anchor file is unreadable (${unreadable})` : row ? `entry ${kept!.id} has another hash` : `entry ${kept!.id} is missing`;
        log(`The record: the audit log does not match the head kept at the last stop (${found}). The old anchor is kept as ${aside}; the finding is on the record.`);
        await db.transaction((tx) =>
          appendAudit(tx, [{
            at: clock.now(), actor: 'system', action: 'audit.head-mismatch', subject: null,
            details: { keptId: kept?.id ?? null, keptHash: kept?.hash ?? null, found: unreadable ? 'unreadable' : row ? 'other-hash' : 'missing', aside },
          }]),
        );
      } else {
        this.written = kept;
      }
    }
    await this.write();
    this.timer = every(clock, AUDIT_HEAD_EVERY_MS, () => void this.write().catch((err: Error) => log(`The record: the head anchor was not written: ${err.message}`)));
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    await this.write().catch((err: Error) => this.deps.log(`The record: the head anchor was not written: ${err.message}`));
  }

  /** Writes the head when it has moved since the last write. */
  async write(): Promise<void> {
    const head = await this.deps.db.get<{ id: number; hash: string | null }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1');
    if (!head || head.hash === null) return;
    if (this.written && this.written.id === head.id && this.written.hash === head.hash) return;
    writeAuditAnchor(this.deps.dataDir, { id: head.id, hash: head.hash }, this.deps.clock.now());
    this.written = { id: head.id, hash: head.hash };
  }
}
