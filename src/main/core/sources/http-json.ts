// The HTTP port of every poller: GET a JSON document with a timeout. Tests pass their own; real systems are
// reached with fetch. Failures carry a typed problem an operator can act on, never the API key.
// Redirects are errors, never followed: following one would hand the API key to another server.
import type { SourceProblem } from '../../../shared/domain.ts';

export interface HttpJsonClient {
  getJson(url: string, opts: { headers?: Record<string, string>; timeoutMs: number }): Promise<unknown>;
}

/** The largest answer read: a system that sends more is broken or hostile, and must not fill the console's memory. */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;

export class HttpError extends Error {
  constructor(readonly problem: SourceProblem) {
    super(problem.message ?? problem.code);
  }
}

export const fetchJsonClient: HttpJsonClient = {
  async getJson(url, { headers, timeoutMs }) {
    const where = new URL(url);
    const target = `${where.origin}${where.pathname}`;
    let res: Response;
    try {
      // Never 'follow': fetch would send the API key on to wherever the answer points.
      res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const e = err as Error;
      if (e.name === 'TimeoutError') throw new HttpError({ code: 'timeout', target, message: `no answer from ${target} within ${timeoutMs / 1000} s` });
      throw new HttpError({ code: 'unreachable', target, message: `cannot reach ${target} (${(e.cause as Error)?.message ?? e.message})` });
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      const location = res.headers.get('location');
      let to = 'an address it did not give';
      if (location) {
        try {
          const u = new URL(location, url);
          to = `${u.origin}${u.pathname}`; // not its query, which may carry a session
        } catch {
          to = 'an unreadable address';
        }
      }
      throw new HttpError({
        code: 'redirect', target, status: res.status,
        message: `${target} redirected (HTTP ${res.status}) to ${to}; the console does not follow redirects with credentials: configure the final URL`,
      });
    }
    if (!res.ok) throw new HttpError({ code: 'http-status', target, status: res.status, message: `${target} answered HTTP ${res.status}` });
    const text = await readCapped(res, MAX_JSON_BYTES, target);
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError({ code: 'not-json', target, message: `${target} did not answer JSON` });
    }
  },
};

/** The body as text, refusing (and cancelling) one longer than `limit` bytes before it is all in memory. */
async function readCapped(res: Response, limit: number, target: string): Promise<string> {
  const tooLarge = () => new HttpError({ code: 'too-large', target, message: `${target} answered more than ${limit / 1024 / 1024} MiB` });
  if (Number(res.headers.get('content-length') ?? 0) > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch (err) {
      const e = err as Error;
      throw new HttpError({ code: e.name === 'TimeoutError' ? 'timeout' : 'unreachable', target, message: `${target}: the answer broke off (${e.message})` });
    }
    if (next.done) break;
    size += next.value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
