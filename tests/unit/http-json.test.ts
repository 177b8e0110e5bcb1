// The pollers' HTTP client: a redirect is an error that names both ends, and the API key never reaches the
// server redirected to (real loopback servers: one redirects, the other records what arrived).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJsonClient, HttpError } from '../../src/main/core/sources/http-json.ts';

const KEY = 'secret-api-key-123';
let redirector: Server;
let elsewhere: Server;
let redirectorUrl: string;
let elsewhereUrl: string;
const keysSeenElsewhere: Array<string | undefined> = [];
let status = 302;

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  elsewhere = createServer((req, res) => {
    keysSeenElsewhere.push(req.headers['x-api-key'] as string | undefined);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"tracks":[]}');
  });
  elsewhereUrl = await listen(elsewhere);
  redirector = createServer((req, res) => {
    if (req.url === '/ok') return res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    res.writeHead(status, { Location: `${elsewhereUrl}/api/v1/tracks?session=abc` }).end();
  });
  redirectorUrl = await listen(redirector);
});
afterAll(async () => {
  await new Promise((r) => redirector.close(r));
  await new Promise((r) => elsewhere.close(r));
});

describe('HTTP JSON client', () => {
  it('refuses to follow a redirect, so that the API key never reaches the other server, and says what to configure', async () => {
    for (status of [301, 302, 303, 307, 308]) {
      const got = fetchJsonClient.getJson(`${redirectorUrl}/api/v1/tracks`, { headers: { 'X-Api-Key': KEY }, timeoutMs: 3000 });
      await expect(got).rejects.toThrow(HttpError);
      await expect(got).rejects.toThrow(
        `${redirectorUrl}/api/v1/tracks redirected (HTTP ${status}) to ${elsewhereUrl}/api/v1/tracks; the console does not follow redirects ` +
          'with credentials: configure the final URL',
      );
    }
    expect(keysSeenElsewhere).toEqual([]);
    const err = await fetchJsonClient.getJson(`${redirectorUrl}/x`, { headers: { 'X-Api-Key': KEY }, timeoutMs: 3000 }).catch((e: Error) => e);
    expect((err as Error).message).not.toContain(KEY);
    // A URL that answers directly is read as before.
    expect(await fetchJsonClient.getJson(`${redirectorUrl}/ok`, { headers: { 'X-Api-Key': KEY }, timeoutMs: 3000 })).toEqual({ ok: true });
  });
});
