// An internal map server (PGIS) configured by URL: the scene asks it for tiles, and the CSP lets exactly it in.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, openConsole, settle, startHost, type RunningHost } from './harness.ts';

let tiles: Server;
const requested: string[] = [];
let host: RunningHost;

beforeAll(async () => {
  const tile = new PNG({ width: 256, height: 256 });
  tile.data.fill(0x80);
  const body = PNG.sync.write(tile);
  tiles = createServer((req, res) => {
    requested.push(req.url ?? '');
    res.writeHead(200, { 'Content-Type': 'image/png', 'Access-Control-Allow-Origin': '*' }).end(body);
  });
  await new Promise<void>((r) => tiles.listen(0, '127.0.0.1', r));
  const port = (tiles.address() as AddressInfo).port;
  host = await startHost(['--imagery-url', `http://127.0.0.1:${port}/tiles/{z}/{x}/{y}.png`]);
});
afterAll(async () => {
  await host?.stop();
  await new Promise((r) => tiles.close(r));
});

describe('internal map server', () => {
  it('loads XYZ tiles from the configured URL, allowed by the CSP', async () => {
    const port = (tiles.address() as AddressInfo).port;
    const csp = (await fetch(`http://127.0.0.1:${host.port}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`img-src 'self' data: blob: http://127.0.0.1:${port}`);
    const browser = await launchBrowser();
    try {
      const page = await openConsole(browser, host);
      await login(page);
      await settle(page);
      await expect.poll(() => requested.length, { timeout: 20_000 }).toBeGreaterThan(3);
      expect(requested.every((u) => /^\/tiles\/\d+\/\d+\/\d+\.png$/.test(u))).toBe(true);
      const problems = (page as unknown as { problems: string[] }).problems.filter((p) => !p.includes('inline style'));
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
