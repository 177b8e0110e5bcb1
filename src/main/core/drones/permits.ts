// Flight permits (授权飞行): who may fly which drones, where, how high and when. Issued and revoked by a
// commander or an admin, each change stored with its audit entry in one transaction, then published and handed
// to listeners (the fusion re-judges its tracks: a drone becomes permitted, or stops being, at once). Kept in
// memory as well, because the threat judge asks for every track update.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { permitInput } from '../../../shared/contract/drones.ts';
import type { DroneIdentity, Permit } from '../../../shared/drones.ts';
import type { Person } from '../../../shared/domain.ts';
import { ApiError } from '../calls.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import { geodesicInverse } from '../geo/local-frame.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { Database } from '../store/database.ts';
import type { PermitLookup } from './drone-ports.ts';
import { polygonProblem } from './permit-geometry.ts';
import { PermitRepository } from './permit-repository.ts';

/** A permit's area lies near the aerodrome: a vertex further out is a wrong coordinate (swapped lon/lat, a typo). */
export const PERMIT_AREA_MAX_DISTANCE_M = 30_000;
/** Active permits at most: each is checked on every track update, and the list goes to every seat. */
export const MAX_ACTIVE_PERMITS = 500;

export class PermitStore implements PermitLookup {
  private readonly repo: PermitRepository;
  private permits: Permit[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: { db: Database; clock: Clock; bus: EventBus; site: SiteModel; log: (line: string) => void }) {
    this.repo = new PermitRepository(deps.db);
  }

  async load(): Promise<void> {
    this.permits = await this.repo.all();
  }

  /** Active permits (not revoked, not expired), or all of them; newest first. */
  list(opts: { includeInactive?: boolean } = {}): Permit[] {
    const now = this.deps.clock.now();
    return this.permits.filter((p) => opts.includeInactive || isActive(p, now)).sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
  }

  async create(input: z.output<typeof permitInput>, by: Person): Promise<Permit> {
    const now = this.deps.clock.now();
    const fields = this.problemsOf(input, now);
    if (fields.length) {
      throw new ApiError('bad-request', `permits.create: ${fields.map((f) => `${f.path}: ${f.problem}`).join('; ')}`, { fields });
    }
    const permit: Permit = {
      id: randomUUID(),
      operator: input.operator,
      serials: [...new Set(input.serials)],
      operatorId: input.operatorId,
      area: input.area.map(([lon, lat]) => [lon, lat]),
      ceilingM: input.ceilingM,
      validFrom: input.validFrom,
      validTo: input.validTo,
      purpose: input.purpose,
      createdBy: { username: by.username, displayName: by.displayName },
      createdAt: now,
      revokedAt: null, revokedBy: null, revokeReason: null,
    };
    // The audit entry names the operator (the permit holder) and what was permitted; not the operator's id or
    // the purpose text, which may carry personal data.
    const refused = await this.repo.insert(permit, {
      at: now, actor: by.username, action: 'permit.create', subject: permit.id,
      details: { operator: permit.operator, serials: permit.serials, vertices: permit.area.length, ceilingM: permit.ceilingM, validFrom: permit.validFrom, validTo: permit.validTo },
    }, { max: MAX_ACTIVE_PERMITS, now });
    if (refused) {
      throw new ApiError('conflict', `permits.create: ${refused.tooManyActive} permits are active, at most ${MAX_ACTIVE_PERMITS}: revoke permits no longer needed first`, { reason: 'too-many-permits' });
    }
    this.permits.push(permit);
    this.changed();
    return permit;
  }

  async revoke(id: string, reason: string, by: Person): Promise<Permit> {
    const at = this.deps.clock.now();
    const result = await this.repo.revoke(id, { at, by, reason }, { at, actor: by.username, action: 'permit.revoke', subject: id, details: { reason } });
    if ('missing' in result) throw new ApiError('not-found', `permits.revoke: no permit ${id}`);
    if ('revoked' in result) {
      const p = result.revoked;
      throw new ApiError('conflict', `permits.revoke: permit ${id} was already revoked by ${p.revokedBy?.displayName ?? 'someone'}`, { reason: 'already-revoked' });
    }
    this.permits = this.permits.map((p) => (p.id === id ? result.ok : p));
    this.changed();
    return result.ok;
  }

  /** The permits naming this drone: by serial or registration, or (a permit listing no serials) by operator id. */
  naming(identity: DroneIdentity, _at: number): Permit[] {
    const ids = [identity.serial, identity.registrationId].filter((x): x is string => !!x);
    return this.permits.filter((p) => {
      if (p.revokedAt !== null) return false;
      if (p.serials.length) return p.serials.some((s) => ids.includes(s));
      return p.operatorId !== null && p.operatorId === identity.operatorId;
    });
  }

  /** Called after every change (the fusion re-judges its tracks). */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** What the schema cannot see: a crossing polygon, a vertex far from the airport, a permit already over. */
  private problemsOf(input: z.output<typeof permitInput>, now: number): Array<{ path: string; problem: string }> {
    const out: Array<{ path: string; problem: string }> = [];
    const arp = this.deps.site.pack.aerodrome.referencePoint;
    input.area.forEach(([lon, lat], i) => {
      const { distanceM } = geodesicInverse(arp, [lon, lat]);
      if (distanceM > PERMIT_AREA_MAX_DISTANCE_M) {
        const swapped = geodesicInverse(arp, [lat, lon]).distanceM <= PERMIT_AREA_MAX_DISTANCE_M ? ' (are longitude and latitude swapped?)' : '';
        out.push({
          path: `area.${i}`,
          problem: `vertex ${i} (${lon}, ${lat}) is ${(distanceM / 1000).toFixed(1)} km from the aerodrome; a permit's area lies within ${PERMIT_AREA_MAX_DISTANCE_M / 1000} km${swapped}`,
        });
      }
    });
    const shape = polygonProblem(input.area);
    if (shape) out.push({ path: `area.${shape.vertex}`, problem: shape.problem });
    if (input.validTo <= now) out.push({ path: 'validTo', problem: `the permit would end at ${new Date(input.validTo).toISOString()}, which is not in the future` });
    return out;
  }

  private changed(): void {
    this.deps.bus.publish('permits.changed', { permits: this.list() });
    for (const fn of this.listeners) {
      try {
        fn();
      } catch (err) {
        this.deps.log(`permits: a change listener failed: ${(err as Error).message}`);
      }
    }
  }
}

const isActive = (p: Permit, now: number) => p.revokedAt === null && p.validTo > now;
