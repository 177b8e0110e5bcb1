// PLACEHOLDER (replaced by the response helper): the response to a drone alarm, step by step.
import type { z } from 'zod';
import type { droneResponseInput } from '../../../shared/contract/drones.ts';
import type { DroneOutcome, DroneResponse } from '../../../shared/drones.ts';
import type { Person } from '../../../shared/domain.ts';
import type { AlarmService } from '../alarms/alarm-service.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { AuditTrail } from '../store/audit-log.ts';
import type { Database } from '../store/database.ts';
import type { RunwayBoard } from './runway-board.ts';

export class DroneResponses {
  constructor(private readonly deps: { db: Database; clock: Clock; bus: EventBus; audit: AuditTrail; alarms: AlarmService; runways: RunwayBoard }) {}
  async get(_alarmId: string): Promise<DroneResponse> { throw new Error('drone response: not built yet'); }
  async record(_input: z.output<typeof droneResponseInput>, _by: Person): Promise<DroneResponse> { throw new Error('drone response: not built yet'); }
  async close(_alarmId: string, _outcome: DroneOutcome, _note: string, _by: Person): Promise<DroneResponse> { throw new Error('drone response: not built yet'); }
}
