// Pictures from an ONVIF camera's snapshot and stream URIs: a GET with the camera's credentials (HTTP Digest,
// MD5 or SHA-256, qop=auth; Basic only when that is all the camera offers), a timeout, a size cap on
// snapshots, and never a redirect followed (it would take the credentials elsewhere). Problems name the
// address (origin and path), never the credentials.
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { HttpError } from '../sources/http-json.ts';
import type { MediaStream } from './video-source.ts';

export interface Credentials {
  username: string;
  password: string;
}

/** Snapshots larger than this are refused. */
export const MAX_SNAPSHOT_BYTES = 8 * 1024 * 1024;

export async function fetchSnapshot(uri: string, creds: Credentials, timeoutMs: number, maxBytes = MAX_SNAPSHOT_BYTES): Promise<Buffer> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const res = await openAuthorized(uri, creds, timeoutMs, deadline);
  const target = targetOf(uri);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onAbort = () => {
      res.destroy();
      reject(new HttpError({ code: 'timeout', target, message: `the snapshot from ${target} did not arrive within ${timeoutMs / 1000} s` }));
    };
    deadline.addEventListener('abort', onAbort, { once: true });
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        deadline.removeEventListener('abort', onAbort);
        res.destroy();
        reject(new HttpError({ code: 'malformed', target, message: `the snapshot from ${target} is larger than ${maxBytes} bytes` }));
        return;
      }
      chunks.push(chunk);
    });
    res.on('error', (err) => {
      deadline.removeEventListener('abort', onAbort);
      reject(new HttpError({ code: 'unreachable', target, message: `the snapshot from ${target} broke off (${err.message})` }));
    });
    res.on('end', () => {
      deadline.removeEventListener('abort', onAbort);
      const jpeg = Buffer.concat(chunks);
      if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
        reject(new HttpError({ code: 'malformed', target, message: `${target} did not answer a JPEG picture` }));
      } else resolve(jpeg);
    });
  });
}

/** The camera's MJPEG stream, or an error when the URI answers something else. */
export async function openMjpeg(uri: string, creds: Credentials, timeoutMs: number): Promise<MediaStream> {
  const res = await openAuthorized(uri, creds, timeoutMs, AbortSignal.timeout(timeoutMs), true);
  const contentType = String(res.headers['content-type'] ?? '');
  if (!/^multipart\/x-mixed-replace\b/i.test(contentType)) {
    res.destroy();
    const target = targetOf(uri);
    throw new HttpError({ code: 'malformed', target, message: `${target} is not an MJPEG stream (${contentType || 'no content type'})` });
  }
  res.on('error', () => undefined); // the viewer's pipe reports the end; the upstream's own error has nowhere to go
  return { contentType, body: res, close: () => res.destroy() };
}

/** GETs `uri`, answering the camera's challenge once; resolves with a 200 response whose body is unread. */
export async function openAuthorized(uri: string, creds: Credentials, timeoutMs: number, signal: AbortSignal, streaming = false): Promise<IncomingMessage> {
  const target = targetOf(uri);
  let res = await get(uri, {}, signal, target, timeoutMs, streaming);
  if (res.statusCode === 401) {
    const challenges = challengesOf(res.rawHeaders);
    res.resume();
    const path = new URL(uri).pathname + new URL(uri).search;
    const digest = challenges.find((c) => /^digest\s/i.test(c) && /algorithm="?SHA-256"?/i.test(c)) ?? challenges.find((c) => /^digest\s/i.test(c));
    const basic = challenges.find((c) => /^basic\b/i.test(c));
    let authorization: string;
    if (digest) authorization = digestAuthorization(digest, creds, 'GET', path);
    else if (basic) authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`, 'utf8').toString('base64')}`;
    else throw new HttpError({ code: 'http-status', target, status: 401, message: `${target} asks for an authentication the console does not speak` });
    res = await get(uri, { Authorization: authorization }, signal, target, timeoutMs, streaming);
    if (res.statusCode === 401) {
      res.resume();
      throw new HttpError({ code: 'http-status', target, status: 401, message: `${target} refused the camera credentials (HTTP 401)` });
    }
  }
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400) {
    res.resume();
    throw new HttpError({ code: 'redirect', target, status, message: `${target} redirected (HTTP ${status}); the console does not follow redirects with credentials` });
  }
  if (status !== 200) {
    res.resume();
    throw new HttpError({ code: 'http-status', target, status, message: `${target} answered HTTP ${status}` });
  }
  return res;
}

function get(uri: string, headers: Record<string, string>, signal: AbortSignal, target: string, timeoutMs: number, streaming: boolean): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new HttpError({ code: 'timeout', target, message: `no answer from ${target} within ${timeoutMs / 1000} s` }));
      return;
    }
    const url = new URL(uri);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { method: 'GET', headers: { Accept: 'image/jpeg, multipart/x-mixed-replace', ...headers } });
    const onAbort = () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' }));
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('response', (res) => {
      // A stream lives on after its first bytes: the deadline covers only getting them.
      if (streaming) signal.removeEventListener('abort', onAbort);
      res.on('close', () => signal.removeEventListener('abort', onAbort));
      resolve(res);
    });
    req.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      if (err.name === 'TimeoutError') reject(new HttpError({ code: 'timeout', target, message: `no answer from ${target} within ${timeoutMs / 1000} s` }));
      else reject(new HttpError({ code: 'unreachable', target, message: `cannot reach ${target} (${(err as NodeJS.ErrnoException).code ?? err.message})` }));
    });
    req.end();
  });
}

function challengesOf(rawHeaders: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === 'www-authenticate') out.push(rawHeaders[i + 1]);
  return out;
}

/** RFC 7616 Digest (MD5 or SHA-256, qop=auth or none). */
export function digestAuthorization(challenge: string, creds: Credentials, method: string, path: string): string {
  const p: Record<string, string> = {};
  for (const m of challenge.replace(/^digest\s+/i, '').matchAll(/([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) p[m[1].toLowerCase()] = m[2] ?? m[3] ?? '';
  const algorithm = (p.algorithm ?? 'MD5').toUpperCase();
  const hashName = algorithm === 'SHA-256' ? 'sha256' : 'md5';
  const h = (s: string) => createHash(hashName).update(s, 'utf8').digest('hex');
  const realm = p.realm ?? '';
  const nonce = p.nonce ?? '';
  const ha1 = h(`${creds.username}:${realm}:${creds.password}`);
  const ha2 = h(`${method}:${path}`);
  const qop = (p.qop ?? '').split(',').map((s) => s.trim()).includes('auth') ? 'auth' : null;
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const response = qop ? h(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${nonce}:${ha2}`);
  const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
  const parts = [`username=${quote(creds.username)}`, `realm=${quote(realm)}`, `nonce=${quote(nonce)}`, `uri=${quote(path)}`, `response="${response}"`];
  if (p.algorithm) parts.push(`algorithm=${p.algorithm}`);
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  if (p.opaque !== undefined) parts.push(`opaque=${quote(p.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

function targetOf(uri: string): string {
  try {
    const u = new URL(uri);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the camera';
  }
}
