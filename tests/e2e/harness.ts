// End-to-end harness: the browser host started as its own process on a fresh data directory, and Debian's
// Chromium driven by playwright-core (no downloaded browser). WebGL comes from SwiftShader.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import WebSocket from 'ws';

export const E2E_PASSWORD = 'e2e-password-1';
export const CHROMIUM = process.env.SKYFENCE_CHROMIUM ?? '/usr/bin/chromium';

export interface RunningHost {
  url: string;
  token: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** The browser host on a fresh data directory; demo accounts, and no simulators unless asked for. */
export async function startHost(args: string[] = [], opts: { dataDir?: string; env?: Record<string, string>; simulators?: boolean } = {}): Promise<RunningHost> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'skyfence-e2e-'));
  const sim = opts.simulators ? [] : ['--no-sim'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/host/main.ts', '--data-dir', dataDir, '--port', '0', '--demo', ...sim, ...args], {
    env: { ...process.env, SKYFENCE_ADMIN_PASSWORD: E2E_PASSWORD, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 60_000);
    const check = () => {
      const m = /SKYFENCE_URL (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url, dataDir, process: child,
    token: new URLSearchParams(parsed.hash.slice(1)).get('token')!,
    port: Number(parsed.port),
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
  });
}

export async function openConsole(browser: Browser, host: RunningHost, opts: { locale?: 'zh-CN' | 'en' } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  (page as Page & { problems?: string[] }).problems = problems;
  if (opts.locale === 'en') await page.addInitScript(() => localStorage.setItem('skyfence.locale', 'en'));
  await page.goto(host.url);
  return page;
}

/**
 * Accounts whose first password (set by someone else) must be changed at the first sign-in: the harness makes
 * that change once per account and host, to a fixed password, and types the new one thereafter whenever a test
 * gives the old one. Keyed `127.0.0.1:port/username`.
 */
const firstChanges = new Map<string, { from: string; to: string }>();
export const E2E_CHANGED_PASSWORD = 'e2e-password-2';
const nextPassword = (from: string) => (from === E2E_CHANGED_PASSWORD ? `${from}-x` : E2E_CHANGED_PASSWORD);
function passwordNow(hostPort: string, username: string, password: string): string {
  const change = firstChanges.get(`${hostPort}/${username}`);
  return change && change.from === password ? change.to : password;
}

export async function login(page: Page, username = 'duty', password = E2E_PASSWORD): Promise<void> {
  const hostPort = new URL(page.url()).host;
  const typed = passwordNow(hostPort, username, password);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(typed);
  await page.locator('[data-testid=login-form] button[type=submit]').click();
  const forced = page.locator('[data-testid=password-form][data-mandatory=true]');
  // A loaded two-core machine can take more than Playwright's default 30 s to show the console after sign-in.
  await forced.or(page.locator('[data-testid=alarm-panel]')).first().waitFor({ timeout: 60_000 });
  if (await forced.isVisible()) {
    const to = nextPassword(typed);
    const inputs = forced.locator('input[type=password]');
    await inputs.nth(0).fill(typed);
    await inputs.nth(1).fill(to);
    await inputs.nth(2).fill(to);
    await forced.locator('button[type=submit]').click();
    firstChanges.set(`${hostPort}/${username}`, { from: password, to });
  }
  await waitForConsole(page);
}

/** The console is on screen and its 3D scene is loaded. */
export async function waitForConsole(page: Page): Promise<void> {
  await page.locator('[data-testid=alarm-panel]').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => (window as unknown as { __skyfenceScene?: { ready: boolean } }).__skyfenceScene?.ready === true, null, { timeout: 120_000 });
}

/** Waits until Cesium has drawn the scene with its tiles loaded. */
export async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(1500);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** A feed client on the browser host's WebSocket, as an integration would connect. */
export async function feedClient(host: Pick<RunningHost, 'port'>, token: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${token}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  const raw = (name: string, input: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const my = ++id;
      const onMessage = (data: WebSocket.RawData) => {
        const frame = JSON.parse(String(data));
        if (frame.id !== my) return;
        ws.off('message', onMessage);
        if (frame.kind === 'result') resolve(frame.result);
        else reject(Object.assign(new Error(frame.error.message), frame.error));
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ kind: 'call', id: my, name, input }));
    });
  // Signing in makes the forced first password change as `login` does (see firstChanges).
  const hostPort = `127.0.0.1:${host.port}`;
  const call = async (name: string, input: unknown) => {
    if (name !== 'session.login') return raw(name, input);
    const { username, password } = input as { username: string; password: string };
    const typed = passwordNow(hostPort, username, password);
    const result = (await raw(name, { username, password: typed })) as { mustChangePassword?: boolean };
    if (!result.mustChangePassword) return result;
    const to = nextPassword(typed);
    await raw('session.changePassword', { currentPassword: typed, newPassword: to });
    firstChanges.set(`${hostPort}/${username}`, { from: password, to });
    return { ...result, mustChangePassword: false };
  };
  return { call, close: () => ws.close() };
}
