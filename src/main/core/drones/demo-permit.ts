// The demo's flight permit: the simulator's survey drone flies under it, so that a new user sees a permitted
// flight raise nothing until it strays out. Created once (by the system, audited like any permit) when the demo
// starts its simulators; a site with real permits never runs this.
import type { Person } from '../../../shared/domain.ts';
import type { Clock } from '../clock.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { PermitStore } from './permits.ts';

const SYSTEM: Person = { username: 'system', displayName: 'system' };
const YEAR_MS = 365 * 86_400_000;

export async function seedDemoPermit(permits: PermitStore, site: SiteModel, clock: Clock): Promise<void> {
  // Loaded only in the demo: the console proper never reaches into the simulator's code.
  const { surveyPermitFor } = await import('../../../sim/drone-detection/scenarios.ts');
  const permit = surveyPermitFor(site.pack.aerodrome.referencePoint);
  if (permits.list().some((p) => p.operatorId === permit.operatorId)) return;
  const now = clock.now();
  await permits.create({
    ...permit, operatorId: permit.operatorId, validFrom: now - 3_600_000, validTo: now + YEAR_MS,
    purpose: '演示：航测许可（模拟器 survey-permit 场景）',
  }, SYSTEM);
}
