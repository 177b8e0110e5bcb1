// HTTP authentication of the simulated cameras' snapshot and stream URIs, as cameras do it: Digest (MD5,
// qop=auth, nonces signed by the server and good for a few minutes) or Basic, with the same user and password
// as the SOAP services.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const REALM = 'Skyfence ONVIF camera';
const NONCE_TTL_MS = 5 * 60_000;

export class HttpAuth {
  private readonly secret = randomBytes(16);

  constructor(
    private readonly user: string,
    private readonly password: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the request carries valid credentials; otherwise answers 401 with both challenges. */
  authorize(req: IncomingMessage, res: ServerResponse): boolean {
    const header = req.headers.authorization ?? '';
    let stale = false;
    if (header.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0 && same(decoded.slice(0, colon), this.user) && same(decoded.slice(colon + 1), this.password)) return true;
    } else if (header.startsWith('Digest ')) {
      const verdict = this.checkDigest(parseParams(header.slice(7)), req);
      if (verdict === 'ok') return true;
      stale = verdict === 'stale';
    }
    res.writeHead(401, {
      'WWW-Authenticate': [
        `Digest realm="${REALM}", qop="auth", algorithm=MD5, nonce="${this.nonce()}"${stale ? ', stale=true' : ''}`,
        `Basic realm="${REALM}"`,
      ],
      'Content-Type': 'text/plain',
    });
    res.end('401 Unauthorized');
    return false;
  }

  private nonce(): string {
    const ts = this.now().toString(16);
    return `${ts}.${createHmac('sha256', this.secret).update(ts).digest('hex').slice(0, 32)}`;
  }

  private checkDigest(p: Record<string, string>, req: IncomingMessage): 'ok' | 'stale' | 'bad' {
    const { username, realm, nonce, uri, response, qop, nc, cnonce } = p;
    if (!username || !nonce || !uri || !response || realm !== REALM) return 'bad';
    if (uri !== req.url) return 'bad';
    const [ts, mac] = nonce.split('.');
    if (!ts || !mac || !same(mac, createHmac('sha256', this.secret).update(ts).digest('hex').slice(0, 32))) return 'bad';
    if (p.algorithm && p.algorithm.toUpperCase() !== 'MD5') return 'bad';
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const ha1 = md5(`${this.user}:${REALM}:${this.password}`);
    const ha2 = md5(`${req.method}:${uri}`);
    const expected = qop === 'auth' && nc && cnonce ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    if (!same(username, this.user) || !same(response, expected)) return 'bad';
    if (this.now() - parseInt(ts, 16) > NONCE_TTL_MS) return 'stale';
    return 'ok';
  }
}

/** `a=1, b="x, y"` → { a: '1', b: 'x, y' }. */
export function parseParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) out[m[1].toLowerCase()] = m[2] ?? m[3] ?? '';
  return out;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
