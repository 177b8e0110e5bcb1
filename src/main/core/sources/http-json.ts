// The HTTP port of every poller: GET a JSON document with a timeout. Tests pass their own; real systems are
// reached with fetch. Errors say what failed in words an operator can act on, never with the API key.
// Redirects are errors, never followed: following one would hand the API key to another server.
export interface HttpJsonClient {
  getJson(url: string, opts: { headers?: Record<string, string>; timeoutMs: number }): Promise<unknown>;
}

export class HttpError extends Error {}

export const fetchJsonClient: HttpJsonClient = {
  async getJson(url, { headers, timeoutMs }) {
    const where = new URL(url);
    const label = `${where.origin}${where.pathname}`;
    let res: Response;
    try {
      // Never 'follow': fetch would send the API key on to wherever the answer points.
      res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const e = err as Error;
      throw new HttpError(e.name === 'TimeoutError' ? `no answer from ${label} within ${timeoutMs / 1000} s` : `cannot reach ${label} (${(e.cause as Error)?.message ?? e.message})`);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      const location = res.headers.get('location');
      let target = 'an address it did not give';
      if (location) {
        try {
          const to = new URL(location, url);
          target = `${to.origin}${to.pathname}`; // not its query, which may carry a session
        } catch {
          target = 'an unreadable address';
        }
      }
      throw new HttpError(`${label} redirected (HTTP ${res.status}) to ${target}; the console does not follow redirects with credentials: configure the final URL`);
    }
    if (!res.ok) throw new HttpError(`${label} answered HTTP ${res.status}`);
    try {
      return await res.json();
    } catch {
      throw new HttpError(`${label} did not answer JSON`);
    }
  },
};
