// PLACEHOLDER: the 1-3-5 clocks: targets per alarm type and zone, overdue stages escalated to the commander.
// Replaced by the workflow helper.
import type { ClockTargets } from '../../../shared/domain.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { AlarmService } from './alarm-service.ts';

export interface ResponseClockDeps {
  clock: Clock; bus: EventBus; alarms: AlarmService;
  /** The site file's folder: its `response/clocks.json` holds the targets per alarm type and zone. */
  siteDir: string;
  log: (line: string) => void;
}

export class ResponseClock {
  constructor(private readonly deps: ResponseClockDeps) {}
  async load(): Promise<void> {}
  /** The targets for an alarm of this type in this zone (first matching rule, else 1-3-5). */
  targetsFor(_type: string, _zone: { circleRing: string | null; gridCellId: string | null }): ClockTargets {
    return { acknowledgeS: 60, dispatchS: 180, onSceneS: 300 };
  }
  start(): void {}
  stop(): void {}
}
