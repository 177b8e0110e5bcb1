// The HTTP port of video sources for what is not a JSON GET: pictures (bytes, capped), live streams (a body
// the caller pipes and closes) and small POSTs (PTZ). Like http-json.ts: redirects are refused, never
// followed (the API key would go along), and errors name the origin and path only — never the key or a query.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { HttpError } from '../sources/http-json.ts';

export interface BinaryAnswer {
  contentType: string;
  data: Buffer;
}

export interface StreamAnswer {
  contentType: string;
  body: Readable;
  close(): void;
}

export interface VideoHttpClient {
  /** GET bytes, at most `maxBytes` (more is an error); `notFound: 'null'` makes a 404 resolve null. */
  getBytes(url: string, opts: { headers?: Record<string, string>; timeoutMs: number; maxBytes: number; notFound?: 'null' | 'error' }): Promise<BinaryAnswer | null>;
  /** GET a stream: resolves once the headers came (within `timeoutMs`); the body then runs until closed. */
  openStream(url: string, opts: { headers?: Record<string, string>; timeoutMs: number }): Promise<StreamAnswer>;
  /** POST with no body, for a small JSON answer. */
  post(url: string, opts: { headers?: Record<string, string>; timeoutMs: number }): Promise<unknown>;
}

const targetOf = (url: string) => {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
};

async function request(url: string, init: { method: string; headers?: Record<string, string>; signal: AbortSignal }, timeoutMs: number): Promise<Response> {
  const target = targetOf(url);
  let res: Response;
  try {
    res = await fetch(url, { method: init.method, headers: init.headers, redirect: 'manual', signal: init.signal });
  } catch (err) {
    const e = err as Error;
    if (e.name === 'TimeoutError' || (e.name === 'AbortError' && init.signal.aborted)) {
      throw new HttpError({ code: 'timeout', target, message: `no answer from ${target} within ${timeoutMs / 1000} s` });
    }
    throw new HttpError({ code: 'unreachable', target, message: `cannot reach ${target} (${(e.cause as Error)?.message ?? e.message})` });
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel().catch(() => undefined);
    throw new HttpError({ code: 'redirect', target, status: res.status, message: `${target} redirected (HTTP ${res.status}); the console does not follow redirects with credentials` });
  }
  return res;
}

async function failStatus(res: Response, target: string): Promise<never> {
  await res.body?.cancel().catch(() => undefined);
  throw new HttpError({ code: 'http-status', target, status: res.status, message: `${target} answered HTTP ${res.status}` });
}

/** Reads a body up to `maxBytes`, cancelling it (and failing) past that. */
async function readCapped(res: Response, target: string, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new HttpError({ code: 'failed', target, message: `${target} sent ${declared} bytes, more than the ${maxBytes} allowed` });
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new HttpError({ code: 'failed', target, message: `${target} sent more than the ${maxBytes} bytes allowed` });
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, size);
}

export const fetchVideoClient: VideoHttpClient = {
  async getBytes(url, { headers, timeoutMs, maxBytes, notFound = 'error' }) {
    const target = targetOf(url);
    const signal = AbortSignal.timeout(timeoutMs);
    const res = await request(url, { method: 'GET', headers, signal }, timeoutMs);
    if (res.status === 404 && notFound === 'null') {
      await res.body?.cancel().catch(() => undefined);
      return null;
    }
    if (!res.ok) return failStatus(res, target);
    try {
      const data = await readCapped(res, target, maxBytes);
      return { contentType: res.headers.get('content-type') ?? 'application/octet-stream', data };
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError({ code: signal.aborted ? 'timeout' : 'failed', target, message: `${target}: the answer broke off (${(err as Error).message})` });
    }
  },

  async openStream(url, { headers, timeoutMs }) {
    const target = targetOf(url);
    // The deadline covers the headers only: a live stream runs until its viewer closes it.
    const controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(), timeoutMs);
    let res: Response;
    try {
      res = await request(url, { method: 'GET', headers, signal: controller.signal }, timeoutMs);
    } finally {
      clearTimeout(deadline);
    }
    if (!res.ok || !res.body) return failStatus(res, target);
    const body = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
    // Closing aborts the upstream, which errors the body: expected, not a crash.
    body.on('error', () => undefined);
    return {
      contentType: res.headers.get('content-type') ?? 'application/octet-stream',
      body,
      close: () => {
        controller.abort();
        body.destroy();
      },
    };
  },

  async post(url, { headers, timeoutMs }) {
    const target = targetOf(url);
    const res = await request(url, { method: 'POST', headers, signal: AbortSignal.timeout(timeoutMs) }, timeoutMs);
    if (!res.ok) return failStatus(res, target);
    const text = (await readCapped(res, target, 64 * 1024)).toString('utf8');
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      throw new HttpError({ code: 'not-json', target, message: `${target} did not answer JSON` });
    }
  },
};
