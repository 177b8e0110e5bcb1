// One console per data directory: a lock file naming its owner by pid, process start time (Linux:
// /proc/<pid>/stat field 22), host and a random nonce. A lock whose owner is gone is taken over, and so is one
// whose pid now belongs to another process (containers reuse pid 1 on every restart): a pid alone is not an
// identity. A live owner makes the second instance stop with a clear message.
// Node offers no flock(); identity by start time is what stands in for an OS lock that dies with its process.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class InstanceLockedError extends Error {
  constructor(readonly dataDir: string, readonly pid: number, readonly host?: string) {
    super(
      host
        ? `another Skyfence console (pid ${pid} on host ${host}) may be using the data directory ${dataDir}; this machine cannot check ` +
            `a process on another host: close that console, or if it is not running delete ${join(dataDir, LOCK_NAME)}; ` +
            'or start with --data-dir <another folder>'
        : `another Skyfence console (pid ${pid}) is already using the data directory ${dataDir}; close it or start with --data-dir <another folder>`,
    );
    this.name = 'InstanceLockedError';
  }
}

export interface InstanceLock {
  release(): void;
}

/** What the lock file holds. `start` is absent off Linux; a lock of an older console held only the pid. */
interface LockRecord {
  pid: number;
  start?: string;
  host?: string;
  nonce?: string;
}

const LOCK_NAME = 'skyfence.lock';
/** Lock files this process holds: a record naming our own pid is ours only if it is one of these. */
const heldHere = new Set<string>();

export function acquireInstanceLock(dataDir: string): InstanceLock {
  const file = join(dataDir, LOCK_NAME);
  const mine: LockRecord = { pid: process.pid, start: processStart(process.pid), host: hostname(), nonce: randomBytes(16).toString('base64url') };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, `${JSON.stringify(mine)}\n`);
      } finally {
        closeSync(fd);
      }
      heldHere.add(file);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          heldHere.delete(file);
          try {
            if (readLock(file)?.nonce === mine.nonce) unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const text = readText(file);
      if (text === undefined) continue; // removed meanwhile: try again
      const owner = parseLock(text);
      if (owner) {
        if (owner.host && owner.host !== mine.host) throw new InstanceLockedError(dataDir, owner.pid, owner.host);
        if (ownerIsRunning(owner, file)) throw new InstanceLockedError(dataDir, owner.pid);
      }
      // Stale (or unreadable: a crash between creating and writing it). Remove it only if it is still the one
      // judged, so that a lock another console has just written is not removed.
      if (readText(file) === text) unlinkSync(file);
    }
  }
  throw new Error(`could not lock the data directory ${dataDir}: ${file} keeps changing; is another console starting right now? Try again`);
}

function ownerIsRunning(owner: LockRecord, file: string): boolean {
  if (owner.pid === process.pid) return heldHere.has(file);
  if (!exists(owner.pid)) return false;
  const start = processStart(owner.pid);
  if (start === undefined) return true; // no /proc (macOS, Windows): a live pid is taken as the owner
  if (owner.start !== undefined) return owner.start === start;
  // An older console's lock (pid only): the pid is the owner only if it runs Node, Electron or Skyfence.
  return /node|electron|skyfence/i.test(readText(`/proc/${owner.pid}/cmdline`) ?? '');
}

function parseLock(text: string): LockRecord | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const r = JSON.parse(trimmed) as LockRecord;
    return Number.isInteger(r.pid) && r.pid > 0 ? r : undefined;
  } catch {
    return undefined;
  }
}

function readLock(file: string): LockRecord | undefined {
  const text = readText(file);
  return text === undefined ? undefined : parseLock(text);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), where /proc exists. */
function processStart(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // Field 2, the command name, is in parentheses and may itself hold spaces or parentheses.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
