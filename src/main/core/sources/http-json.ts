// The HTTP port of every poller: GET a JSON document with a timeout. Tests pass their own; real systems are
// reached with fetch. Errors say what failed in words an operator can act on, never with the API key.
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
      res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const e = err as Error;
      throw new HttpError(e.name === 'TimeoutError' ? `no answer from ${label} within ${timeoutMs / 1000} s` : `cannot reach ${label} (${(e.cause as Error)?.message ?? e.message})`);
    }
    if (!res.ok) throw new HttpError(`${label} answered HTTP ${res.status}`);
    try {
      return await res.json();
    } catch {
      throw new HttpError(`${label} did not answer JSON`);
    }
  },
};
