// The data-directory lock: a lock left by a dead console is taken over even when its pid now belongs to another
// process (containers reuse pid 1), and a live console on the same directory still refuses the second one.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../fixtures/temp-dirs.ts';
import { acquireInstanceLock, InstanceLockedError } from '../../src/main/core/store/instance-lock.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const temp = tempDirs('skyfence-lock');
const children: ChildProcess[] = [];
afterEach(() => {
  children.splice(0).forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL'));
  temp.removeAll();
});

const lockFile = (dir: string) => join(dir, 'skyfence.lock');
const linux = process.platform === 'linux';

/** A live process that is not a Skyfence console. */
function otherProcess(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

/** A real console core started in its own process on dataDir; resolves once it holds the lock. */
function realConsole(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/console-process.ts', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      output += d;
      if (output.includes('CONSOLE_READY')) resolve(child);
    });
    child.stderr!.on('data', (d) => (output += d));
    child.once('exit', (code) => reject(new Error(`the console process exited with ${code}:\n${output}`)));
  });
}

describe('instance lock', () => {
  it.runIf(linux)('takes over a lock naming this very pid when this process does not hold it (a restarted container\'s pid 1)', () => {
    const dir = temp.make();
    writeFileSync(lockFile(dir), String(process.pid)); // the format and pid a previous console in this container left
    const lock = acquireInstanceLock(dir);
    expect(JSON.parse(readFileSync(lockFile(dir), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it.runIf(linux)('takes over a lock whose pid now belongs to a live process that is not a Skyfence console', () => {
    const dir = temp.make();
    const other = otherProcess().pid!; // `node -e …`: a node process, but not one that ever wrote this lock
    writeFileSync(lockFile(dir), JSON.stringify({ pid: other, start: '1', host: hostname(), nonce: 'previous-console' }));
    acquireInstanceLock(dir).release();
    // The pre-identity format (a bare pid) naming pid 1, which in a container is whatever runs there now.
    const init = readFileSync('/proc/1/cmdline', 'utf8');
    if (!/node|electron|skyfence/i.test(init)) {
      writeFileSync(lockFile(dir), '1');
      acquireInstanceLock(dir).release();
    }
  });

  it('refuses while a real console holds the directory, naming its pid, and takes over once it is killed -9', async () => {
    const dir = temp.make();
    const owner = await realConsole(dir);
    const record = JSON.parse(readFileSync(lockFile(dir), 'utf8'));
    expect(record).toMatchObject({ pid: owner.pid, host: hostname() });
    expect(record.nonce).toMatch(/^[\w-]{16,}$/);
    if (linux) expect(record.start).toMatch(/^\d+$/);
    expect(() => acquireInstanceLock(dir)).toThrow(InstanceLockedError);
    expect(() => acquireInstanceLock(dir)).toThrow(`another Skyfence console (pid ${owner.pid}) is already using the data directory ${dir}`);
    const exited = new Promise((r) => owner.once('exit', r));
    owner.kill('SIGKILL');
    await exited;
    acquireInstanceLock(dir).release();
  }, 60_000);

  it('refuses a lock written on another host, saying how to clear it if nothing runs there', () => {
    const dir = temp.make();
    writeFileSync(lockFile(dir), JSON.stringify({ pid: 4242, start: '99', host: 'ops-2', nonce: 'n' }));
    expect(() => acquireInstanceLock(dir)).toThrow(InstanceLockedError);
    expect(() => acquireInstanceLock(dir)).toThrow(
      `another Skyfence console (pid 4242 on host ops-2) may be using the data directory ${dir}; this machine cannot check a process on another host: close that console, or if it is not running delete ${lockFile(dir)}`,
    );
  });

  it('refuses a second lock on the same directory within one process', () => {
    const dir = temp.make();
    const lock = acquireInstanceLock(dir);
    expect(() => acquireInstanceLock(dir)).toThrow(`another Skyfence console (pid ${process.pid})`);
    lock.release();
    acquireInstanceLock(dir).release();
  });
});
