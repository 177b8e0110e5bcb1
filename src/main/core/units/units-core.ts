// The units of one core: who they are (the site's units file), where they are (GPS feed, terminals), the
// orders that send them (dispatch), and what their terminals see; in demo mode, each unit's terminal account.
import type { AlarmService } from '../alarms/alarm-service.ts';
import type { Accounts } from '../auth/accounts.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { AuditTrail } from '../store/audit-log.ts';
import type { Database } from '../store/database.ts';
import { appendAudit } from '../store/audit-chain.ts';
import { Dispatch } from './dispatch.ts';
import { UnitRegistry } from './unit-registry.ts';

export interface UnitsCore {
  units: UnitRegistry;
  dispatch: Dispatch;
  stop(): Promise<void>;
}

export interface UnitsDeps {
  db: Database; clock: Clock; bus: EventBus; site: SiteModel; alarms: AlarmService; audit: AuditTrail; accounts: Accounts;
  /** The site file's folder: its `response/units.json` lists the units. */
  siteDir: string;
  demo: boolean;
  /** The demo accounts' password (unit terminals get accounts too), when the demo creates accounts. */
  demoPassword?: string;
  log: (line: string) => void;
}

export async function startUnitsCore(deps: UnitsDeps): Promise<UnitsCore> {
  const units = new UnitRegistry(deps);
  await units.load();
  if (deps.demo && deps.demoPassword) await ensureUnitAccounts(deps, units);
  const dispatch = new Dispatch({ ...deps, units });
  await dispatch.start();
  return {
    units, dispatch,
    stop: async () => {
      dispatch.stop();
      units.stop();
    },
  };
}

/** Demo: each unit's terminal account (role unit, named by its call sign), made if missing, to be changed at first sign-in. */
async function ensureUnitAccounts(deps: UnitsDeps, units: UnitRegistry): Promise<void> {
  const wanted = units.accounts().map((a) => ({ username: a.account, displayName: a.callSign, unitId: a.unitId }));
  const made = await deps.accounts.ensureUnitAccounts(wanted, deps.demoPassword!);
  if (!made.length) return;
  const at = deps.clock.now();
  await deps.db.transaction((tx) => appendAudit(tx, made.map((username) => ({
    at, actor: 'system', action: 'users.create', subject: username, details: { role: 'unit', unit: wanted.find((w) => w.username === username)!.unitId },
  }))));
  deps.log(`Demo: created the unit terminal account(s) ${made.join(', ')} (the demo accounts' password; change it at first sign-in).`);
}
