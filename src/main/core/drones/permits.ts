// PLACEHOLDER (replaced by the permits helper): flight permits, stored and audited.
import type { z } from 'zod';
import type { permitInput } from '../../../shared/contract/drones.ts';
import type { DroneIdentity, Permit } from '../../../shared/drones.ts';
import type { Person } from '../../../shared/domain.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { AuditTrail } from '../store/audit-log.ts';
import type { Database } from '../store/database.ts';
import type { PermitLookup } from './drone-ports.ts';

export class PermitStore implements PermitLookup {
  constructor(private readonly deps: { db: Database; clock: Clock; bus: EventBus; audit: AuditTrail }) {}
  async load(): Promise<void> {}
  list(_opts: { includeInactive?: boolean } = {}): Permit[] { return []; }
  async create(_input: z.output<typeof permitInput>, _by: Person): Promise<Permit> { throw new Error('permits: not built yet'); }
  async revoke(_id: string, _reason: string, _by: Person): Promise<Permit> { throw new Error('permits: not built yet'); }
  naming(_identity: DroneIdentity, _at: number): Permit[] { return []; }
  /** Called after every change (the fusion re-judges its tracks). */
  onChange(_fn: () => void): () => void { return () => undefined; }
}
