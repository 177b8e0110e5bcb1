// Starts a simulator as its own process, as a real vendor system would run, waits for its URL, and keeps it
// running: a simulator that dies is restarted after a backoff (1 s, 2 s, 4 s … at most 30 s) on the same port
// with the same API key, so that its pollers carry on. The simulator gets a stdin pipe from this process and
// exits when it closes, so that it never outlives us, even when we are killed with SIGKILL.
// A simulator with several endpoints prints one `NAME_URL <url>` or `NAME_PORT <port>` line for each before
// `SIM_URL <url>` (its main endpoint, printed last): they become `endpoints`, and a restart passes
// `--name-port <port>` for each (REMOTE_ID_URL → --remote-id-port) so that every endpoint comes back where it was.
// Under Node the simulator runs on this same Node binary. Under Electron it runs on a system Node
// (SKYFENCE_NODE, else `node` on PATH), not on Electron's binary with ELECTRON_RUN_AS_NODE: the packaged app
// has the RunAsNode fuse off (scripts/electron-fuses.mjs), where that would start a second console instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { APP_ROOT } from '../config.ts';

export interface SimulatorProcess {
  url: string;
  apiKey: string;
  /** Every endpoint line it printed, by name: SIM_URL, and e.g. REMOTE_ID_URL, SAPIENT_PORT, OPS_URL. */
  endpoints: Readonly<Record<string, string>>;
  /** How many times it has been restarted after dying. */
  readonly restarts: number;
  /** The running simulator's pid; undefined while it is down. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** The Node binary that runs simulators: this process's own under Node; a system Node under Electron. */
export function simulatorNode(versions: NodeJS.ProcessVersions = process.versions, env: NodeJS.ProcessEnv = process.env): string {
  return versions.electron ? env.SKYFENCE_NODE || 'node' : process.execPath;
}

/** The wait before restart number n (1, 2, …): 1 s, doubling, at most 30 s. */
export const restartDelayMs = (n: number): number => Math.min(30_000, 1000 * 2 ** Math.max(0, n - 1));

/** A simulator that ran this long before dying starts the backoff again from 1 s. */
const STABLE_MS = 60_000;

export async function startSimulatorProcess(
  script: string,
  args: string[],
  opts: { projectRoot?: string; timeoutMs?: number; log?: (line: string) => void } = {},
): Promise<SimulatorProcess> {
  const apiKey = randomBytes(18).toString('base64url');
  const log = opts.log ?? ((line) => console.log(line));
  const launch = (extraArgs: string[]) => launchSimulator(script, [...args, '--exit-with-parent', ...extraArgs], apiKey, opts);

  let current = await launch([]);
  const url = current.url;
  const endpoints = current.endpoints;
  const samePorts = ['--port', new URL(url).port, ...restartPortArgs(endpoints)];
  let stopping = false;
  let restarts = 0;
  let failuresInARow = 0;
  let timer: NodeJS.Timeout | undefined;
  let starting: Promise<void> | undefined;

  const supervise = (child: ChildProcess, startedAt: number) => {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      failuresInARow = Date.now() - startedAt >= STABLE_MS ? 1 : failuresInARow + 1;
      const delay = restartDelayMs(failuresInARow);
      log(`simulator ${script} ${signal ? `was killed (${signal})` : `exited with ${code}`}; restarting it in ${delay / 1000} s at ${url} (restart ${restarts + 1})`);
      timer = setTimeout(restart, delay);
    });
  };
  const restart = () => {
    timer = undefined;
    restarts++;
    starting = (async () => {
      try {
        current = await launch(samePorts);
        if (!stopping) supervise(current.child, Date.now());
      } catch (err) {
        if (stopping) return;
        failuresInARow++;
        const delay = restartDelayMs(failuresInARow);
        log(`simulator ${script} did not start again (${(err as Error).message.split('\n')[0]}); trying again in ${delay / 1000} s`);
        timer = setTimeout(restart, delay);
      }
    })();
  };
  supervise(current.child, Date.now());

  return {
    url,
    apiKey,
    endpoints,
    get restarts() {
      return restarts;
    },
    get pid() {
      return running(current.child) ? current.child.pid : undefined;
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await starting; // a restart under way finishes first, then its simulator is stopped too
      await terminate(current.child);
    },
  };
}

/** The flags that put every endpoint but SIM_URL back on its port: REMOTE_ID_URL http://…:4711 → --remote-id-port 4711. */
export function restartPortArgs(endpoints: Readonly<Record<string, string>>): string[] {
  return Object.entries(endpoints).flatMap(([name, value]) => {
    const m = /^([A-Z][A-Z0-9_]*)_(URL|PORT)$/.exec(name);
    if (!m || name === 'SIM_URL') return [];
    const port = m[2] === 'URL' ? new URL(value).port : value;
    return port ? [`--${m[1].toLowerCase().replace(/_/g, '-')}-port`, port] : [];
  });
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

async function terminate(child: ChildProcess): Promise<void> {
  if (!running(child)) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Every `NAME_URL <url>` / `NAME_PORT <port>` line of the output. */
export function endpointLines(output: string): Record<string, string> {
  const endpoints: Record<string, string> = {};
  for (const m of output.matchAll(/^([A-Z][A-Z0-9_]*_(?:URL|PORT)) (\S+)$/gm)) endpoints[m[1]] = m[2];
  return endpoints;
}

/** Spawns the simulator and resolves with its child process, URL and endpoints once it prints `SIM_URL <url>`. */
function launchSimulator(
  script: string,
  args: string[],
  apiKey: string,
  opts: { projectRoot?: string; timeoutMs?: number },
): Promise<{ child: ChildProcess; url: string; endpoints: Record<string, string> }> {
  const node = simulatorNode();
  const child: ChildProcess = spawn(node, ['--import', 'tsx', script, ...args], {
    cwd: opts.projectRoot ?? APP_ROOT,
    env: { ...process.env, SKYFENCE_SIM_API_KEY: apiKey },
    // stdin: a pipe the simulator watches; it closes when this process dies, however it dies.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin!.on('error', () => undefined); // the simulator is gone: its exit is handled below
  let output = '';
  const keep = (d: Buffer) => (output = (output + d).slice(-4000)); // the tail, for error messages
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      const last = output.trim().split('\n').at(-1) ?? '';
      reject(new Error(`simulator ${script} ${why}${last ? ` (${last})` : ''}\n${output}`));
    };
    const timer = setTimeout(() => fail('did not start'), opts.timeoutMs ?? 30_000);
    const onData = () => {
      const m = /SIM_URL (\S+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      child.on('error', () => undefined); // e.g. a failed kill: its exit, if any, is what counts
      resolve({ child, url: m[1], endpoints: endpointLines(output) });
    };
    const onExit = (code: number | null, signal: string | null) => fail(`exited with ${signal ?? code}`);
    const onError = (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ENOENT' && node !== process.execPath
        ? `could not be started: no Node.js at "${node}" (simulators need a system Node under Electron: install Node.js or set SKYFENCE_NODE to its binary)`
        : `could not be started (${err.message})`);
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}
