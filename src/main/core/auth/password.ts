// Password hashing with scrypt (N=2^15, r=8, p=1; OWASP's minimum for scrypt), stored as
// scrypt$N$r$p$salt$hash in base64, behind a gate: scrypt runs on libuv's thread pool, which SQLite shares,
// so at most `concurrency` hashes run at once and at most `maxQueued` wait; beyond that the gate refuses at
// once ('rate-limited') rather than queueing without bound and starving the database and the event loop.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ApiError } from '../calls.ts';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

const PARAMS = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: PARAMS.maxmem,
  });
  return timingSafeEqual(key, expected);
}

/** A password a person can type from a printout: 4 groups of 4, no look-alike characters. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

// A valid hash of a random password: what an unknown account is checked against until scrypt's time is known.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Every scrypt of the core goes through one of these. */
export class PasswordHasher {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** How long one scrypt takes here (a moving average), so that an unknown account can take as long. */
  private scryptMs = 0;

  constructor(readonly concurrency = 2, readonly maxQueued = 8) {}

  hash(password: string): Promise<string> {
    return this.gated(() => this.timed(() => hashPassword(password)));
  }

  /**
   * Checks a password against a stored hash; `null` stands for an account that does not exist. That costs the
   * same slot and the same time as a real check (so that neither time nor refusals tell which names exist) but
   * no CPU: once scrypt's time here is known, it waits that long instead. (Wall time, not the core's clock: it
   * stands in for real work.)
   */
  verify(password: string, stored: string | null): Promise<boolean> {
    return this.gated(async () => {
      if (stored === null && this.scryptMs > 0) {
        await new Promise((r) => setTimeout(r, this.scryptMs));
        return false;
      }
      const ok = await this.timed(() => verifyPassword(password, stored ?? DUMMY_HASH));
      return ok && stored !== null;
    });
  }

  /** Hashes running or waiting: for tests and the status of the gate. */
  get load(): number {
    return this.active + this.waiting.length;
  }

  private async timed<T>(work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    const result = await work();
    const ms = performance.now() - t0;
    this.scryptMs = this.scryptMs ? this.scryptMs * 0.8 + ms * 0.2 : ms;
    return result;
  }

  private async gated<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.concurrency) this.active++;
    else if (this.waiting.length < this.maxQueued) await new Promise<void>((r) => this.waiting.push(r)); // the slot is handed over
    else {
      const waitS = Math.max(1, Math.ceil(((this.waiting.length + 1) * (this.scryptMs || 100)) / this.concurrency / 1000));
      throw new ApiError('rate-limited', `the console is busy checking passwords; try again in ${waitS} s`, { retryAfterS: waitS, reason: 'busy' });
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
