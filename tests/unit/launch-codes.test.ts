// The browser window is opened with a one-time launch code, not the session token: the code redirects once
// to /#token=… and is then dead, so a browser command line read by another local user gives nothing away.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browser-host.ts';
import { LaunchCodes } from '../../src/main/host/launch-codes.ts';
import { testCore } from '../fixtures/core.ts';

let t: Awaited<ReturnType<typeof testCore>>;
let host: BrowserHost;
let dir: string;

beforeAll(async () => {
  t = await testCore();
  dir = mkdtempSync(join(tmpdir(), 'skyfence-launch-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  host = await startBrowserHost(t.core, { port: 0, rendererDir: dir, log: () => undefined });
});
afterAll(async () => {
  await host.close();
  await t.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string) => fetch(url, { redirect: 'manual' });

async function waitForFile(file: string, ms = 5000): Promise<string> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    if (existsSync(file) && readFileSync(file, 'utf8').endsWith('\n')) return readFileSync(file, 'utf8');
  }
  throw new Error(`${file} was not written within ${ms} ms`);
}

describe('launch codes', () => {
  it.runIf(process.platform === 'linux')('opens the browser with a one-time launch URL, never the token, on its command line', async () => {
    const argsFile = join(dir, 'browser-args.txt');
    const fakeBrowser = join(dir, 'fake-browser.sh');
    writeFileSync(fakeBrowser, `#!/bin/sh\necho "$@" > '${argsFile}'\n`);
    chmodSync(fakeBrowser, 0o700);
    const saved = { browser: process.env.SKYFENCE_BROWSER, display: process.env.DISPLAY };
    process.env.SKYFENCE_BROWSER = fakeBrowser;
    process.env.DISPLAY = ':99';
    try {
      const { openAppWindow } = await import('../../src/main/host/open-browser.ts');
      openAppWindow(host);
    } finally {
      process.env.SKYFENCE_BROWSER = saved.browser;
      process.env.DISPLAY = saved.display;
      if (saved.browser === undefined) delete process.env.SKYFENCE_BROWSER;
      if (saved.display === undefined) delete process.env.DISPLAY;
    }
    const args = await waitForFile(argsFile);
    expect(args).not.toContain(host.token);
    const launchUrl = /--app=(\S+)/.exec(args)![1];
    expect(launchUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/launch\\?code=[\\w-]{32}$`));
    const first = await get(launchUrl);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(`/#token=${host.token}`);
  });

  it('redirects a launch URL to the console with the token once, then refuses it with what to do instead', async () => {
    const url = host.launchUrl();
    const first = await get(url);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(`/#token=${host.token}`);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const again = await get(url);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('this launch link has already been used or has expired');
    expect((await get(`http://127.0.0.1:${host.port}/launch?code=guessed`)).status).toBe(410);
    expect((await get(`http://127.0.0.1:${host.port}/launch`)).status).toBe(410);
    expect((await get(`http://127.0.0.1:${host.port}/`)).status).toBe(200); // everything else is served as before
  });

  it('lets an unused code expire after two minutes', () => {
    let now = 0;
    const codes = new LaunchCodes('tok', () => now);
    const url = new URL(codes.url(1234));
    now = 120_001;
    const res = { status: 0, writeHead(s: number) { this.status = s; return this; }, end() { return this; } };
    expect(codes.serve({ method: 'GET', url: url.pathname + url.search } as never, res as never)).toBe(true);
    expect(res.status).toBe(410);
  });
});
