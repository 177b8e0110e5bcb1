// PLACEHOLDER (replaced by the threat helper): one alarm per track, swarms grouped.
import type { DroneTrack } from '../../../shared/drones.ts';
import type { AlarmService } from '../alarms/alarm-service.ts';
import type { Clock } from '../clock.ts';
import type { DroneAlarmPolicy } from './drone-ports.ts';

export class DroneAlarms implements DroneAlarmPolicy {
  constructor(private readonly deps: { alarms: AlarmService; clock: Clock }) {}
  async apply(_picture: readonly DroneTrack[], _changed: ReadonlySet<string>): Promise<Map<string, string>> { return new Map(); }
}
