// The drone services of one core: permits and the runway board first (the threat judge reads them), then the
// fusion that every drone sensor reports into, and the response workflow of drone alarms. A change of permits
// or of runways in use re-judges every track at once: a drone does not wait for its next detection to become
// (or stop being) a threat.
import type { AlarmService } from '../alarms/alarm-service.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { AuditTrail } from '../store/audit-log.ts';
import type { Database } from '../store/database.ts';
import { DroneAlarms } from './drone-alarms.ts';
import { DroneResponses } from './drone-responses.ts';
import { DroneFusion } from './fusion.ts';
import { PermitStore } from './permits.ts';
import { RunwayBoard } from './runway-board.ts';
import { ThreatAssessor } from './threat.ts';

export interface DroneCore {
  fusion: DroneFusion;
  permits: PermitStore;
  runways: RunwayBoard;
  responses: DroneResponses;
  stop(): Promise<void>;
}

export async function startDroneCore(deps: {
  db: Database; clock: Clock; bus: EventBus; site: SiteModel; alarms: AlarmService; audit: AuditTrail; log: (line: string) => void;
}): Promise<DroneCore> {
  const { db, clock, bus, site, alarms, audit, log } = deps;
  const permits = new PermitStore({ db, clock, bus, site, log });
  await permits.load();
  const runways = new RunwayBoard({ site, clock, bus, log });
  const threat = new ThreatAssessor({ site, permits, runways });
  const fusion = new DroneFusion({ db, clock, bus, site, threat, alarms: new DroneAlarms({ alarms, clock }), log });
  await fusion.start();
  const reassess = () => void fusion.reassess().catch((err: Error) => log(`drones: re-judging the tracks failed: ${err.message}`));
  const unsubscribe = [permits.onChange(reassess), runways.onChange(reassess)];
  const responses = new DroneResponses({ db, clock, bus, audit, alarms, runways, site });
  // Suspensions live on the board (memory) and in the steps: after a restart the steps put them back.
  await responses.restoreSuspensions().catch((err: Error) => log(`drones: restoring runway suspensions failed: ${err.message}`));
  return {
    fusion, permits, runways, responses,
    async stop() {
      for (const u of unsubscribe) u();
      await fusion.stop();
    },
  };
}
