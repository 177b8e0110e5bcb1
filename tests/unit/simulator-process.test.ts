// Simulator processes look after themselves: one killed with SIGKILL is back on the same URL with the same
// key within seconds (1 s, 2 s, 4 s … backoff), stop() ends that, and a simulator never outlives its host,
// even a host killed with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { restartDelayMs, startSimulatorProcess, type SimulatorProcess } from '../../src/main/core/sources/simulator-process.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SIM = 'src/sim/drone-detection/main.ts';
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

const linux = process.platform === 'linux';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Alive and not a zombie (an orphan's zombie stays until something reaps it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Running simulators whose parent is `ppid`, found in /proc (independently of what SimulatorProcess reports). */
function simulatorsOf(ppid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return state !== 'Z' && Number(parent) === ppid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(SIM);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

async function until(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (await check()) return;
  throw new Error(`${what} did not happen within ${ms / 1000} s`);
}

const answers = async (sim: SimulatorProcess) => {
  try {
    return (await fetch(`${sim.url}/api/v1/health`, { headers: { 'X-Api-Key': sim.apiKey }, signal: AbortSignal.timeout(1000) })).status === 200;
  } catch {
    return false;
  }
};

async function started(): Promise<{ sim: SimulatorProcess; lines: string[] }> {
  const lines: string[] = [];
  const sim = await startSimulatorProcess(SIM, ['--site', SAMPLE_SITE_FILE], { projectRoot: ROOT, log: (l) => lines.push(l) });
  cleanup.push(() => sim.stop());
  return { sim, lines };
}

describe('simulator process', () => {
  it('waits 1 s, 2 s, 4 s … at most 30 s between restarts', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(restartDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it.runIf(linux)('is back at the same URL with the same key within seconds after a kill -9, each time', async () => {
    const { sim, lines } = await started();
    expect(await answers(sim)).toBe(true);
    for (const [n, delay] of [[1, 1], [2, 2]]) {
      const [before] = simulatorsOf(process.pid);
      process.kill(before, 'SIGKILL');
      await until('the restart', 15_000, async () => simulatorsOf(process.pid).some((p) => p !== before) && (await answers(sim)));
      expect(sim.pid).toBe(simulatorsOf(process.pid)[0]);
      expect(sim.restarts).toBe(n);
      expect(lines.at(-1)).toBe(`simulator ${SIM} was killed (SIGKILL); restarting it in ${delay} s at ${sim.url} (restart ${n})`);
    }
  }, 40_000);

  it.runIf(linux)('keeps trying, saying why, while another program holds its port, and is back once the port is free', async () => {
    const { sim, lines } = await started();
    const [pid] = simulatorsOf(process.pid);
    process.kill(pid, 'SIGKILL');
    // Take the port as soon as the dead simulator has let it go (a dying process holds it for a moment).
    const squatter = createServer();
    const port = Number(new URL(sim.url).port);
    await until('the port to be free', 5000, () =>
      new Promise<boolean>((resolve) => {
        squatter.once('error', () => resolve(false));
        squatter.listen(port, '127.0.0.1', () => resolve(true));
      }),
    );
    try {
      await until('a failed restart', 15_000, () => lines.some((l) => l.includes('did not start again')));
      expect(lines.find((l) => l.includes('did not start again'))).toBe(
        `simulator ${SIM} did not start again (simulator ${SIM} exited with 1 (drone simulator: cannot listen on 127.0.0.1:${new URL(sim.url).port}: ` +
          'another program is using that port)); trying again in 2 s',
      );
    } finally {
      await new Promise((r) => squatter.close(r));
    }
    await until('the restart', 15_000, () => answers(sim));
    expect(sim.restarts).toBe(2);
  }, 40_000);

  it.runIf(linux)('is not restarted once stopped, and stop() returns even when the simulator had already died', async () => {
    const { sim } = await started();
    const [pid] = simulatorsOf(process.pid);
    process.kill(pid, 'SIGKILL');
    await until('the simulator to die', 5000, () => !alive(pid));
    await sim.stop();
    await sleep(2500); // past the first restart's delay
    expect(sim.restarts).toBe(0);
    expect(sim.pid).toBeUndefined();
    expect(await answers(sim)).toBe(false);
  }, 20_000);

  it.runIf(linux)('exits when its host is killed with SIGKILL', async () => {
    const host: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/simulator-host.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    host.stderr!.on('data', (d) => (output += d));
    await new Promise<void>((resolve, reject) => {
      host.stdout!.on('data', (d) => {
        output += d;
        if (output.includes('SIM_READY')) resolve();
      });
      host.once('exit', (code) => reject(new Error(`the host exited with ${code}:\n${output}`)));
    });
    const [simPid] = simulatorsOf(host.pid!);
    cleanup.push(() => alive(simPid) && process.kill(simPid, 'SIGKILL'));
    expect(alive(simPid)).toBe(true);
    host.kill('SIGKILL');
    await until('the simulator to exit after its host', 5000, () => !alive(simPid));
  }, 40_000);
});
