// One-time launch codes: the browser window is opened on /launch?code=<code>, which redirects once to
// /#token=<token> and is then dead. A browser's command line is readable by every local user (ps); a code
// used within a second of launch is worthless there, where the launch token would stay valid all session.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long an unused code stays valid: long enough for a browser's cold start. */
const VALID_MS = 120_000;

export class LaunchCodes {
  private readonly codes = new Map<string, number>();

  constructor(private readonly token: string, private readonly now: () => number = Date.now) {}

  /** A fresh one-time URL on this host's port. */
  url(port: number): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, this.now() + VALID_MS);
    return `http://127.0.0.1:${port}/launch?code=${code}`;
  }

  /** Answers GET /launch?code=…; false for any other request, which the caller serves. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return false; // malformed: the static handler answers 400
    }
    if (url.pathname !== '/launch') return false;
    const code = url.searchParams.get('code') ?? '';
    const expires = this.codes.get(code);
    this.codes.delete(code);
    for (const [c, t] of this.codes) if (t <= this.now()) this.codes.delete(c);
    const headers = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' };
    if (req.method !== 'GET' || expires === undefined || expires <= this.now()) {
      res.writeHead(410, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(
        'Skyfence: this launch link has already been used or has expired (each one opens the console once). ' +
          'Open the SKYFENCE_URL printed in the terminal where the console was started, or start it again with --open.\n',
      );
      return true;
    }
    res.writeHead(302, { ...headers, Location: `/#token=${this.token}` }).end();
    return true;
  }
}
