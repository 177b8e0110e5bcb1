// The pollers' HTTP client: a redirect is an error that names both ends, and the API key never reaches the
// server redirected to (real loopback servers: one redirects, the other records what arrived).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJsonClient, HttpError, MAX_JSON_BYTES } from '../../src/main/core/sources/http-json.ts';

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
    if (req.url === '/huge' || req.url === '/huge-declared') {
      // A broken or hostile system: an endless array, with or without saying how long it is.
      if (req.url === '/huge-declared') res.setHeader('Content-Length', String(MAX_JSON_BYTES + 10));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, ' ');
      let sent = 0;
      const more = () => {
        while (sent <= MAX_JSON_BYTES + chunk.length) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('error', () => undefined);
      res.on('close', () => { sent = Number.POSITIVE_INFINITY; });
      more();
      return;
    }
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

  it('refuses an answer larger than the cap, with or without a Content-Length, before it is all in memory', async () => {
    for (const path of ['/huge', '/huge-declared']) {
      const err = await fetchJsonClient.getJson(`${redirectorUrl}${path}`, { timeoutMs: 10_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpError);
      expect((err as HttpError).problem).toMatchObject({ code: 'too-large', target: `${redirectorUrl}${path}` });
    }
    // A normal answer still reads.
    expect(await fetchJsonClient.getJson(`${redirectorUrl}/ok`, { timeoutMs: 5_000 })).toEqual({ ok: true });
  });
});
