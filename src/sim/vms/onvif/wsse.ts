// WS-Security UsernameToken with PasswordDigest, as ONVIF cameras check it: Base64(SHA-1(nonce + created +
// password)), Created within a window of the camera's clock, and each nonce accepted once (a replayed request
// is refused). The nonce must be canonical base64, and the replay memory keys on its decoded bytes: Node decodes
// base64 leniently (no padding, base64url, spaces, stray characters), so keyed on the text a replay could be
// re-spelled into a "new" nonce with the same digest.
import { createHash, timingSafeEqual } from 'node:crypto';
import { notAuthorized } from './soap.ts';
import { child, type XmlElement } from './xml.ts';

const PASSWORD_DIGEST = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
/** How far Created may be from the camera's clock, either way. */
export const CREATED_WINDOW_MS = 5 * 60_000;
/** Nonces remembered at most. A nonce is remembered while a token carrying it could still pass the Created
 *  check; when the memory is full of such nonces, new tokens are refused rather than a live nonce forgotten. */
export const MAX_NONCES = 50_000;

export class UsernameTokenChecker {
  /** nonce bytes (hex) → when it can be forgotten. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly user: string,
    private readonly password: string,
    private readonly now: () => number = Date.now,
    private readonly maxNonces = MAX_NONCES,
  ) {}

  /** Throws a NotAuthorized fault unless the envelope's header carries a fresh, valid token for the user. */
  check(header: XmlElement | undefined): void {
    const token = child(child(header, 'Security'), 'UsernameToken');
    if (!token) throw notAuthorized('no UsernameToken');
    const username = child(token, 'Username')?.text.trim();
    const passwordEl = child(token, 'Password');
    const nonce = child(token, 'Nonce')?.text.trim();
    const created = child(token, 'Created')?.text.trim();
    if (!username || !passwordEl || !nonce || !created) throw notAuthorized('incomplete UsernameToken');
    if (passwordEl.attrs.Type && passwordEl.attrs.Type !== PASSWORD_DIGEST) throw notAuthorized('only PasswordDigest is accepted');
    const createdAt = Date.parse(created);
    const now = this.now();
    if (!Number.isFinite(createdAt) || Math.abs(now - createdAt) > CREATED_WINDOW_MS) throw notAuthorized('Created is too far from the camera clock');
    const nonceBytes = Buffer.from(nonce, 'base64');
    if (nonceBytes.length === 0 || nonceBytes.toString('base64') !== nonce) throw notAuthorized('Nonce is not canonical base64');
    const expected = createHash('sha1').update(Buffer.concat([nonceBytes, Buffer.from(created, 'utf8'), Buffer.from(this.password, 'utf8')])).digest();
    const given = Buffer.from(passwordEl.text.trim(), 'base64');
    const userOk = safeEqual(Buffer.from(username, 'utf8'), Buffer.from(this.user, 'utf8'));
    if (!userOk || given.length !== expected.length || !timingSafeEqual(given, expected)) throw notAuthorized('wrong username or password');
    const key = nonceBytes.toString('hex');
    this.forgetExpired(now);
    if (this.seen.has(key)) throw notAuthorized('nonce already used');
    if (this.seen.size >= this.maxNonces) throw notAuthorized('too many recent requests: try again later');
    // Created may be up to a window ahead and is accepted for a window after: remembered until both have passed.
    this.seen.set(key, now + 2 * CREATED_WINDOW_MS);
  }

  private forgetExpired(now: number): void {
    for (const [key, until] of this.seen) {
      if (until > now) break; // insertion order: the rest were remembered later
      this.seen.delete(key);
    }
  }
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
