// Media by ticket: a media URL carries its own authorisation, because <img> and a video tile cannot send the
// session's credentials. A ticket is { kind, id, user, exp } signed with HMAC-SHA256 under a secret made at
// each core start (so tickets die with the core), verified timing-safe. It is short-lived: a snapshot or an
// evidence picture must be fetched within 60 s, a live stream opened within 60 s (an open stream continues),
// a report downloaded within 5 minutes. A live ticket opens one stream: `spend` remembers the ids of tickets
// used until they expire (so the memory holds at most the tickets issued within a lifetime), and a second use is
// refused; a reconnecting player asks for a new link.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';

export const TICKET_KINDS = ['snapshot', 'live', 'evidence', 'report'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

export const TICKET_LIFETIME_MS: Record<TicketKind, number> = {
  snapshot: 60_000,
  live: 60_000,
  evidence: 60_000,
  report: 5 * 60_000,
};

export interface TicketClaims {
  kind: TicketKind;
  /** The camera (snapshot, live), evidence id or held report id. */
  id: string;
  /** Who asked for it (username), for the log. */
  user: string;
  /** Expires at (core clock, ms). */
  exp: number;
  /** This ticket's own id (random), for tickets that may be used once. */
  jti: string;
}

export type TicketCheck = { ok: true; claims: TicketClaims } | { ok: false; why: 'forged' | 'expired' };

/** Longest ticket accepted: ids are short, so anything longer is not one of ours. */
export const MAX_TICKET_CHARS = 1024;

export class MediaTickets {
  /** Spent ticket ids → when they expire (after which the ticket is refused anyway). */
  private readonly spent = new Map<string, number>();

  constructor(private readonly clock: Clock, private readonly secret: Buffer = randomBytes(32)) {}

  issue(kind: TicketKind, id: string, user: string): { ticket: string; expiresAt: number } {
    const claims: TicketClaims = { kind, id, user, exp: this.clock.now() + TICKET_LIFETIME_MS[kind], jti: randomBytes(12).toString('base64url') };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { ticket: `${payload}.${this.sign(payload)}`, expiresAt: claims.exp };
  }

  verify(ticket: string): TicketCheck {
    if (ticket.length > MAX_TICKET_CHARS) return { ok: false, why: 'forged' };
    const dot = ticket.indexOf('.');
    if (dot <= 0) return { ok: false, why: 'forged' };
    const payload = ticket.slice(0, dot);
    const given = Buffer.from(ticket.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.sign(payload), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'forged' };
    let claims: TicketClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TicketClaims;
    } catch {
      return { ok: false, why: 'forged' }; // signed by us but unreadable: cannot happen unless the secret leaked
    }
    if (!(TICKET_KINDS as readonly string[]).includes(claims.kind) || typeof claims.id !== 'string' || typeof claims.exp !== 'number' || typeof claims.jti !== 'string') {
      return { ok: false, why: 'forged' };
    }
    if (this.clock.now() >= claims.exp) return { ok: false, why: 'expired' };
    return { ok: true, claims };
  }

  /** Marks a verified ticket used; false when it already was. */
  spend(claims: TicketClaims): boolean {
    const now = this.clock.now();
    for (const [jti, exp] of this.spent) {
      if (exp > now) break; // spent in about expiry order (one lifetime per kind): a straggler goes at most a lifetime late
      this.spent.delete(jti);
    }
    if (this.spent.has(claims.jti)) return false;
    this.spent.set(claims.jti, claims.exp);
    return true;
  }

  /** Spent tickets remembered now (for tests). */
  get spentRemembered(): number {
    return this.spent.size;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
