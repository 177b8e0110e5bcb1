// Starts a simulator as its own process, as a real vendor system would run, and waits for its URL.
// Works under Node and under Electron (ELECTRON_RUN_AS_NODE makes Electron's binary behave as Node).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { APP_ROOT } from '../config.ts';

export interface SimulatorProcess {
  url: string;
  apiKey: string;
  stop(): Promise<void>;
}

export async function startSimulatorProcess(script: string, args: string[], opts: { projectRoot?: string; timeoutMs?: number } = {}): Promise<SimulatorProcess> {
  const apiKey = randomBytes(18).toString('base64url');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: opts.projectRoot ?? APP_ROOT,
    env: { ...process.env, SKYFENCE_SIM_API_KEY: apiKey, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator ${script} did not start:\n${output}`)), opts.timeoutMs ?? 30_000);
    child.stdout!.on('data', (d) => {
      output += d;
      const m = /SIM_URL (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (d) => (output += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator ${script} exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    apiKey,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
